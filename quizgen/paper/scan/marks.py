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
CORNER_NEAR, CORNER_FAR = 1.3, 4.0  # points beyond a box corner, diagonally, where a cancelling X runs (rows are 5 pt apart)
CORNER_DARK = 0.25


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
    darkness = tones.darkness(_inner(page, spot))
    corners = sum(tones.darkness(region) >= CORNER_DARK for region in _corner_zones(page, spot))
    if darkness < EMPTY_BELOW:
        return Reading(EMPTY, darkness, corners)
    if corners == 4:
        return Reading(CROSSED, darkness, corners)
    if darkness >= FILLED_FROM and corners == 0:
        return Reading(FILLED, darkness, corners)
    return Reading(UNCLEAR, darkness, corners)


def crop(page: np.ndarray, spots: list[Spot], margin: float = 14.0) -> np.ndarray:
    """The part of the page around some boxes (a question's row), for the teacher to look at."""
    left = max(min(s.x for s in spots) - margin, 0)
    top = max(min(s.y for s in spots) - margin, 0)
    right = max(s.x + s.w for s in spots) + margin
    bottom = max(s.y + s.h for s in spots) + margin
    return page[_px(top) : _px(bottom), _px(left) : _px(right)]


def _inner(page: np.ndarray, spot: Spot) -> np.ndarray:
    mx = max(spot.w * MARGIN, MIN_MARGIN_POINTS)
    my = max(spot.h * MARGIN, MIN_MARGIN_POINTS)
    return page[_px(spot.y + my) : _px(spot.y + spot.h - my), _px(spot.x + mx) : _px(spot.x + spot.w - mx)]


def _corner_zones(page: np.ndarray, spot: Spot) -> list[np.ndarray]:
    zones = []
    for cx, sx in ((spot.x, -1), (spot.x + spot.w, 1)):
        for cy, sy in ((spot.y, -1), (spot.y + spot.h, 1)):
            xs = sorted((cx + sx * CORNER_NEAR, cx + sx * CORNER_FAR))
            ys = sorted((cy + sy * CORNER_NEAR, cy + sy * CORNER_FAR))
            zones.append(page[_px(ys[0]) : _px(ys[1]), _px(xs[0]) : _px(xs[1])])
    return zones


def _px(points: float) -> int:
    return max(round(points * PIXELS_PER_POINT), 0)
