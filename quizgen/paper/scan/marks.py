"""Reading a box on a registered page: filled, empty, crossed out, or unclear (for the teacher to settle).

Darkness is measured inside the box, a margin away from its printed outline,
on a scale from the paper's white (0) to the ink's black (1), both taken from
the page itself, so a light scan and a dark one read alike. A student cancels a
mark by drawing a large X through the box, past its corners (docs/grading.md):
four dark corners just outside the box mean "crossed out". Anything between
the clear cases is unclear: grading never guesses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from quizgen.paper.scan.register import PIXELS_PER_POINT

FILLED = "filled"
EMPTY = "empty"
CROSSED = "crossed"
UNCLEAR = "unclear"

EMPTY_BELOW = 0.12  # an empty box reads about 0.02; a tick or a faint smudge 0.15 to 0.4
FILLED_FROM = 0.65  # a pen-filled box reads 0.75 or more; half a box about 0.5
MARGIN = 0.22  # of the box's side, left out inside the outline (registration is good to about a point)
MIN_MARGIN_POINTS = 1.8
# Where a cancelling X runs past a box corner, diagonally, in points: close to the corner, so that a
# diagonal neighbour's X (7 pt across, 5 pt down on the sheet) ends before it.
CORNER_NEAR = 1.0
CORNER_FAR = 3.0
STROKE_COHERENCE = 0.5  # a line along the diagonal gives 0.8 or more; a blob or a printed L about 0
CORNER_DARK = 0.25
DIAGONAL_DARK = 0.45  # along each diagonal inside the box, for an X


@dataclass(frozen=True)
class Spot:
    """Where a box is on its page, in points from the page's top left."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Reading:
    """What a box shows: its state, the inner darkness (0 white .. 1 ink) and how many corners an X crosses."""

    state: str
    darkness: float
    crossed_corners: int


class Tones:
    """The page's paper white and ink black, measured once per page."""

    def __init__(self, page: np.ndarray):
        self.paper = float(np.percentile(page, 90))
        self.ink = min(float(np.percentile(page, 0.5)), self.paper - 60)  # a nearly blank page still has markers

    def darkness(self, region: np.ndarray) -> float:
        if region.size == 0:
            return 0.0
        value = (self.paper - float(region.mean())) / (self.paper - self.ink)
        return min(max(value, 0.0), 1.0)


def read_box(page: np.ndarray, tones: Tones, spot: Spot) -> Reading:
    """The state of one box on a page warped to sheet coordinates."""
    inner = _inner(page, spot)
    darkness = tones.darkness(inner)
    corners = [_corner(tones, region, falling) for region, falling in _corner_zones(page, spot)]
    crossed = corners.count(OWN_STROKE)
    if darkness < EMPTY_BELOW:
        return Reading(EMPTY, darkness, crossed)
    if crossed == 4 and _diagonals_dark(tones, inner):
        return Reading(CROSSED, darkness, crossed)
    if darkness >= FILLED_FROM and corners.count(CLEAN) == 4:
        return Reading(FILLED, darkness, crossed)
    return Reading(UNCLEAR, darkness, crossed)


CROP_MARGIN = 14.0  # points of the page shown around a question's boxes
OUTLINE = (0, 0, 255)  # red (OpenCV's colours are blue, green, red)


def crop(page: np.ndarray, spots: list[Spot], margin: float = CROP_MARGIN) -> np.ndarray:
    """The part of the page around some boxes (a question's row), for the teacher to look at."""
    left, top = _crop_origin(spots, margin)
    right = max(s.x + s.w for s in spots) + margin
    bottom = max(s.y + s.h for s in spots) + margin
    return page[_px(top) : _px(bottom), _px(left) : _px(right)]


def outlined(cropped: np.ndarray, spots: list[Spot], spot: Spot, margin: float = CROP_MARGIN) -> np.ndarray:
    """`crop(page, spots)` in colour with one box framed in red: the box a review row asks about."""
    import cv2

    left, top = _crop_origin(spots, margin)
    image = cv2.cvtColor(cropped, cv2.COLOR_GRAY2BGR)
    corner = (_px(spot.x - left - 2), _px(spot.y - top - 2))
    opposite = (_px(spot.x + spot.w - left + 2), _px(spot.y + spot.h - top + 2))
    cv2.rectangle(image, corner, opposite, OUTLINE, thickness=2)
    return image


def _crop_origin(spots: list[Spot], margin: float) -> tuple[float, float]:
    return max(min(s.x for s in spots) - margin, 0), max(min(s.y for s in spots) - margin, 0)


def _inner(page: np.ndarray, spot: Spot) -> np.ndarray:
    mx = max(spot.w * MARGIN, MIN_MARGIN_POINTS)
    my = max(spot.h * MARGIN, MIN_MARGIN_POINTS)
    return page[_px(spot.y + my) : _px(spot.y + spot.h - my), _px(spot.x + mx) : _px(spot.x + spot.w - mx)]


CLEAN, OWN_STROKE, BUSY = "clean", "own stroke", "busy"


def _corner(tones: Tones, zone: np.ndarray, falling: bool) -> str:
    """What lies just past a corner: nothing, a stroke along this box's own diagonal (falling: like a
    backslash), or ink of another shape (a neighbour's X crosswise, a scribble): then the box is unclear.

    The stroke's direction comes from the edges' gradients (a structure tensor), which do not
    depend on how thick the stroke is nor where exactly it lies in the zone. A neighbour's X reaching
    here runs crosswise: the box above puts a rising stroke where this box's own X falls.
    """
    import cv2

    if zone.size < 4 or tones.darkness(zone) < CORNER_DARK / 2:
        return CLEAN
    grey = zone.astype(np.float32)
    gx = cv2.Sobel(grey, cv2.CV_32F, 1, 0, ksize=3, borderType=cv2.BORDER_REPLICATE)
    gy = cv2.Sobel(grey, cv2.CV_32F, 0, 1, ksize=3, borderType=cv2.BORDER_REPLICATE)
    energy = float((gx * gx + gy * gy).sum())
    # A falling stroke has edges whose gradients point along (1, -1): gx * gy < 0.
    coherence = -2 * float((gx * gy).sum()) / energy if energy else 0.0
    along = coherence if falling else -coherence
    return OWN_STROKE if tones.darkness(zone) >= CORNER_DARK and along >= STROKE_COHERENCE else BUSY


def _diagonals_dark(tones: Tones, inner: np.ndarray) -> bool:
    """Both diagonals inked through the box: what an X (over a fill or not) leaves, and a tick does not."""
    size = min(inner.shape)
    if size < 2:
        return False
    square = inner[:size, :size]
    v, u = np.mgrid[0:size, 0:size]
    band = 0.2 * size
    falling = tones.darkness(square[np.abs(u - v) <= band])
    rising = tones.darkness(square[np.abs(u + v - (size - 1)) <= band])
    return min(falling, rising) >= DIAGONAL_DARK


def _corner_zones(page: np.ndarray, spot: Spot) -> list[tuple[np.ndarray, bool]]:
    zones = []
    for cx, sx in ((spot.x, -1), (spot.x + spot.w, 1)):
        for cy, sy in ((spot.y, -1), (spot.y + spot.h, 1)):
            xs = sorted((cx + sx * CORNER_NEAR, cx + sx * CORNER_FAR))
            ys = sorted((cy + sy * CORNER_NEAR, cy + sy * CORNER_FAR))
            zones.append((page[_px(ys[0]) : _px(ys[1]), _px(xs[0]) : _px(xs[1])], sx == sy))
    return zones


def _px(points: float) -> int:
    return max(round(points * PIXELS_PER_POINT), 0)
