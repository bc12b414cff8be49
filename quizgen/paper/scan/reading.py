"""From scan files to what each copy's boxes show: every page found, registered and read, or a page problem.

A page is read once: its QR code says which copy and page it is, registration
warps it into sheet coordinates, and every box on it is read. Pages that cannot
be placed (no QR code, another quiz, a copy not in the set, markers not found)
become page problems with a picture of the page, for review.csv.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from quizgen.paper.scan.marks import Reading, Tones, crop, read_box
from quizgen.paper.scan.qr import find_code
from quizgen.paper.scan.rasterize import PDF_DPI, ScanError, ScannedPage, read_pages
from quizgen.paper.scan.register import RegistrationFailed, register
from quizgen.paper.sheetset import SheetBox, SheetSet

THUMBNAIL_WIDTH = 700


@dataclass(frozen=True)
class PageProblem:
    """A scanned page that could not be placed or read, and a picture of it."""

    where: str  # "scan.pdf page 3"
    reason: str
    picture: np.ndarray
    copy: str = ""


@dataclass
class ReadPage:
    """A placed and registered page: which copy and page, where it came from, each box's reading, crops by question."""

    copy: str
    index: int
    where: str
    readings: dict[str, Reading]  # box id -> reading
    crops: dict[str, np.ndarray]  # question -> the place of its boxes


@dataclass
class ScanReading:
    """Everything read from a batch of scans."""

    pages: list[ReadPage] = field(default_factory=list)
    problems: list[PageProblem] = field(default_factory=list)
    unreadable: list[ScanError] = field(default_factory=list)  # files that are not scans at all


def read_scans(paths: Iterable[Path], sheets: SheetSet, dpi: int = PDF_DPI) -> ScanReading:
    """Read every page of every scan file against the class set."""
    result = ScanReading()
    for path in paths:
        try:
            for page in read_pages(path, dpi):
                placed = read_page(page, sheets)
                (result.pages if isinstance(placed, ReadPage) else result.problems).append(placed)
        except ScanError as exc:
            result.unreadable.append(exc)
    return result


def read_page(page: ScannedPage, sheets: SheetSet) -> ReadPage | PageProblem:
    """One scanned page read against the class set, or the reason it cannot be."""
    code = find_code(page.image)
    if code is None:
        return PageProblem(page.name, "no quizgen QR code can be read on this page", _thumbnail(page.image))
    if code.quiz != sheets.quiz:
        reason = f"a sheet of quiz '{code.quiz}', not of '{sheets.quiz}'"
        return PageProblem(page.name, reason, _thumbnail(page.image))
    copy = sheets.copies.get(code.copy)
    if copy is None or not 0 <= code.page < len(copy.pages):
        reason = f"page {code.page + 1} of copy {code.copy} is not in this class set"
        return PageProblem(page.name, reason, _thumbnail(page.image))
    printed = copy.qr_texts[code.page] if code.page < len(copy.qr_texts) else ""
    if printed and code.text != printed:
        reason = (
            f"a sheet of another class set of quiz '{code.quiz}': its QR code '{code.text}' is not"
            f" copy {code.copy}'s '{printed}' (another class, or a set printed again since?)"
        )
        return PageProblem(page.name, reason, _thumbnail(page.image))
    try:
        sheet = register(page.image, code, copy.pages[code.page])
    except RegistrationFailed as exc:
        return PageProblem(page.name, f"cannot register the page: {exc}", _thumbnail(page.image), copy.copy)
    boxes = [box for box in copy.boxes if box.page == code.page]
    return ReadPage(copy.copy, code.page, page.name, _read_boxes(sheet, boxes), _crops(sheet, boxes))


def _read_boxes(sheet: np.ndarray, boxes: list[SheetBox]) -> dict[str, Reading]:
    tones = Tones(sheet)
    return {box.id: read_box(sheet, tones, box.spot) for box in boxes}


def _crops(sheet: np.ndarray, boxes: list[SheetBox]) -> dict[str, np.ndarray]:
    by_question: dict[str, list] = {}
    for box in boxes:
        by_question.setdefault(box.question, []).append(box.spot)
    return {question: crop(sheet, spots).copy() for question, spots in by_question.items()}


def _thumbnail(image: np.ndarray) -> np.ndarray:
    import cv2

    height, width = image.shape
    if width <= THUMBNAIL_WIDTH:
        return image
    return cv2.resize(image, (THUMBNAIL_WIDTH, round(height * THUMBNAIL_WIDTH / width)), interpolation=cv2.INTER_AREA)
