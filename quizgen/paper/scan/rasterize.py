"""Scanned pages as grey images: PDF pages rendered with pdfium, PNG and JPEG files read with OpenCV."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from quizgen.errors import QuizgenError

PDF_DPI = 200  # enough for 12-point boxes; a scanner's own resolution is kept for image files
PDF_MAGIC = b"%PDF-"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"


class ScanError(QuizgenError):
    """A scan file that cannot be read at all (not a PDF, PNG or JPEG, or a broken one)."""

    def __init__(self, path: Path, problem: str):
        self.path, self.problem = str(path), problem
        super().__init__(f"{path}: {problem}")


@dataclass(frozen=True)
class ScannedPage:
    """One page of a scan file: where it came from (file, 1-based page) and its grey pixels."""

    file: str
    number: int
    image: np.ndarray  # uint8, 2-D: 0 black .. 255 white

    @property
    def name(self) -> str:
        return f"{self.file} page {self.number}"


def scan_format(path: Path) -> str:
    """'pdf', 'png' or 'jpeg' from the file's first bytes (a scanner's file name may lie); ScanError otherwise."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise ScanError(path, f"cannot read the scan: {exc.strerror or exc}") from None
    for magic, kind in ((PDF_MAGIC, "pdf"), (PNG_MAGIC, "png"), (JPEG_MAGIC, "jpeg")):
        if head.startswith(magic):
            return kind
    raise ScanError(path, "not a scan quizgen reads (expected a PDF, PNG or JPEG file)")


def read_pages(path: Path, dpi: int = PDF_DPI) -> Iterator[ScannedPage]:
    """Every page of a scan file, in file order; ScanError for a file that cannot be read."""
    kind = scan_format(path)
    if kind == "pdf":
        yield from _pdf_pages(path, dpi)
    else:
        yield ScannedPage(str(path), 1, _image_file(path))


def _pdf_pages(path: Path, dpi: int) -> Iterator[ScannedPage]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise ScanError(path, f"cannot read the PDF scan: {exc}") from None
    try:
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            image = bitmap.to_numpy()
            yield ScannedPage(str(path), index + 1, np.ascontiguousarray(image[..., 0] if image.ndim == 3 else image))
            page.close()
    finally:
        document.close()


def _image_file(path: Path) -> np.ndarray:
    import cv2

    data = np.fromfile(path, dtype=np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise ScanError(path, "cannot decode the image (a broken PNG or JPEG file?)")
    return image
