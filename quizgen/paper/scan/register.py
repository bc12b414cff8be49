"""Registration: from the QR code's turn and the four corner markers, the map from sheet points to pixels.

The QR code says which way up the page lies; after turning the image upright,
each corner marker is looked for near where the layout puts it (the page
scaled to the image, centred on the QR code), among solid dark squares of about
the marker's size. The markers' centres give a homography, and the page is
warped to a fixed resolution in sheet coordinates, where boxes are read.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from quizgen.paper.scan.qr import SheetCode

PIXELS_PER_POINT = 3.0  # the warped page: 216 dpi, whatever the scan's resolution
SEARCH_RADIUS = 0.08  # of the page's width: how far a marker may lie from where shift and copier scaling put it
SIZE_RANGE = (0.6, 1.6)  # a marker's side in the scan, as a multiple of the side expected
QR_TOLERANCE_POINTS = 6.0  # the QR code must land within this many points of the layout's place for it


@dataclass(frozen=True)
class PageShape:
    """What registration needs of a layout page: its size, corner markers and QR box, in points from top left."""

    width: float
    height: float
    markers: tuple[tuple[float, float, float], ...]  # (x, y, size): top-left, top-right, bottom-right, bottom-left
    qr_box: tuple[float, float, float, float]  # x, y, w, h


class RegistrationFailed(Exception):
    """The page's corner markers could not be found where its layout puts them (the reason says which)."""


def upright(image: np.ndarray, code: SheetCode) -> tuple[np.ndarray, tuple[float, float]]:
    """The image turned so that the QR code reads upright, and the QR code's centre in the turned image."""
    import cv2

    turns = code.quarter_turns
    x, y = code.centre
    height, width = image.shape
    if turns == 0:
        return image, (x, y)
    rotations = {1: cv2.ROTATE_90_COUNTERCLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_CLOCKWISE}
    turned = cv2.rotate(image, rotations[turns])
    centre = {1: (y, width - 1 - x), 2: (width - 1 - x, height - 1 - y), 3: (height - 1 - y, x)}[turns]
    return turned, centre


def register(image: np.ndarray, code: SheetCode, shape: PageShape) -> np.ndarray:
    """The page warped into sheet coordinates (PIXELS_PER_POINT pixels a point); RegistrationFailed if it cannot be."""
    import cv2

    turned, qr_centre = upright(image, code)
    scale = turned.shape[1] / shape.width
    qx, qy, qw, qh = shape.qr_box
    expected_qr = (qx + qw / 2, qy + qh / 2)
    found = _markers(turned, shape, scale, qr_centre, expected_qr)
    sheet = np.float32([(x + size / 2, y + size / 2) for x, y, size in shape.markers]) * PIXELS_PER_POINT
    homography = cv2.getPerspectiveTransform(np.float32(found), sheet)
    _check_qr_lands(homography, qr_centre, expected_qr)
    size = (round(shape.width * PIXELS_PER_POINT), round(shape.height * PIXELS_PER_POINT))
    return cv2.warpPerspective(turned, homography, size, flags=cv2.INTER_AREA, borderValue=255)


def _markers(image, shape: PageShape, scale: float, qr_centre, expected_qr) -> list[tuple[float, float]]:
    """The centre of each corner marker in the image, in layout order."""
    squares = _solid_squares(image, [size * scale for _, _, size in shape.markers])
    radius = SEARCH_RADIUS * shape.width * scale
    names = ("top-left", "top-right", "bottom-right", "bottom-left")
    found = []
    for name, (x, y, size) in zip(names, shape.markers, strict=True):
        px = qr_centre[0] + (x + size / 2 - expected_qr[0]) * scale
        py = qr_centre[1] + (y + size / 2 - expected_qr[1]) * scale
        near = [(np.hypot(sx - px, sy - py), (sx, sy)) for sx, sy in squares]
        near = [candidate for candidate in near if candidate[0] <= radius]
        if not near:
            raise RegistrationFailed(f"the {name} corner marker is not where the layout puts it")
        found.append(min(near)[1])
    return found


def _solid_squares(image: np.ndarray, sides: list[float]) -> list[tuple[float, float]]:
    """Centres of dark, solid, square blobs whose side is near one of `sides` (pixels)."""
    import cv2

    _, dark = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    contours, _ = cv2.findContours(dark, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    low, high = min(sides) * SIZE_RANGE[0], max(sides) * SIZE_RANGE[1]
    centres = []
    for contour in contours:
        (cx, cy), (w, h), _ = cv2.minAreaRect(contour)
        if not (low <= w <= high and low <= h <= high) or max(w, h) > 1.3 * min(w, h):
            continue
        if cv2.contourArea(contour) < 0.85 * w * h:
            continue  # an outline or a letter, not a solid square
        moments = cv2.moments(contour)
        centres.append((moments["m10"] / moments["m00"], moments["m01"] / moments["m00"]))
    return centres


def _check_qr_lands(homography: np.ndarray, qr_centre, expected_qr) -> None:
    """The markers found must carry the QR code to its own place: else a marker was mistaken."""
    import cv2

    point = cv2.perspectiveTransform(np.float32([[qr_centre]]), homography)[0][0] / PIXELS_PER_POINT
    if np.hypot(point[0] - expected_qr[0], point[1] - expected_qr[1]) > QR_TOLERANCE_POINTS:
        raise RegistrationFailed("the corner markers found do not agree with the QR code's place")
