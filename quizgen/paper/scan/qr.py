"""The sheet's QR code: which quiz, copy and page a scanned page is, and which way up it lies."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

PREFIX = "quizgen"


@dataclass(frozen=True)
class SheetCode:
    """What a sheet's QR code says, and where its symbol lies in the image."""

    quiz: str
    copy: str
    page: int  # index from 0 into the copy's pages in layout.json
    text: str
    corners: tuple[tuple[float, float], ...]  # the symbol's top-left, top-right, bottom-right, bottom-left

    @property
    def centre(self) -> tuple[float, float]:
        xs, ys = zip(*self.corners, strict=True)
        return sum(xs) / 4, sum(ys) / 4

    @property
    def quarter_turns(self) -> int:
        """How many quarter turns clockwise the page lies (0 upright, 2 upside down), from the symbol's top edge."""
        (x0, y0), (x1, y1) = self.corners[0], self.corners[1]
        angle = math.degrees(math.atan2(y1 - y0, x1 - x0))  # 0 when the top edge runs left to right
        return round(angle / 90) % 4


def parse_code(text: str) -> tuple[str, str, int] | None:
    """(quiz, copy, page index) from `quizgen:<quiz>:<copy>:<page>[:<tag>]`, or None when it is not one of ours."""
    parts = text.split(":")
    if len(parts) not in (4, 5) or parts[0] != PREFIX or not parts[3].isdigit() or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2], int(parts[3])


def code_tag(text: str) -> str:
    """The tag ending a code `quizgen:<quiz>:<copy>:<page>:<tag>` ('' for a code without one, or not ours)."""
    parts = text.split(":")
    return parts[4] if parse_code(text) is not None and len(parts) == 5 else ""


def find_code(image: np.ndarray) -> SheetCode | None:
    """The first quizgen QR code on the page, or None when none can be read."""
    import zxingcpp

    for barcode in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
        parsed = parse_code(barcode.text)
        if parsed is not None:
            position = barcode.position
            corners = tuple(
                (float(point.x), float(point.y))
                for point in (position.top_left, position.top_right, position.bottom_right, position.bottom_left)
            )
            return SheetCode(*parsed, barcode.text, corners)
    return None
