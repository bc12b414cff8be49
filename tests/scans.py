"""Making synthetic scans for the grading tests and bench: marks drawn at box coordinates, then copier damage.

Marks are drawn on a rasterized sheet (the real class-set PDF) with OpenCV, in
the page's own points; distortions act on the whole page image, as a copier or
scanner would. Every function takes a `random.Random` where it needs chance.
"""

from __future__ import annotations

import random

import cv2
import numpy as np

INK = 35  # a ballpoint's black, as a scanner sees it

# What each kind of mark must read as: the scan's state (see quizgen/paper/scan/marks.py).
EXPECTED = {
    "full": "filled",
    "empty": "empty",
    "crossed": "crossed",
    "partial": "unclear",
    "tick": "unclear",
    "smudge": "unclear",
}
MARKS = tuple(EXPECTED)


def draw_mark(image: np.ndarray, spot, kind: str, scale: float, rng: random.Random) -> None:
    """Draw one kind of mark into the box at `spot` (points) on a page image of `scale` pixels a point."""
    x, y, w, h = (spot.x * scale, spot.y * scale, spot.w * scale, spot.h * scale)
    line = max(round(1.1 * scale), 1)
    if kind == "empty":
        return
    if kind in ("full", "crossed"):
        inset = 0.8 * scale
        jitter = [rng.uniform(-0.4, 0.4) * scale for _ in range(4)]
        top_left = (round(x + inset + jitter[0]), round(y + inset + jitter[1]))
        bottom_right = (round(x + w - inset + jitter[2]), round(y + h - inset + jitter[3]))
        cv2.rectangle(image, top_left, bottom_right, INK + rng.randint(0, 25), thickness=-1)
    if kind == "crossed":
        reach = 3.6 * scale  # the sheet says: an X reaching just past the corners
        cv2.line(image, _pt(x - reach, y - reach), _pt(x + w + reach, y + h + reach), INK, line, cv2.LINE_AA)
        cv2.line(image, _pt(x + w + reach, y - reach), _pt(x - reach, y + h + reach), INK, line, cv2.LINE_AA)
    elif kind == "partial":
        cv2.rectangle(image, _pt(x + 0.2 * w, y + 0.25 * h), _pt(x + 0.55 * w, y + 0.75 * h), INK, thickness=-1)
    elif kind == "tick":
        points = np.array(
            [_pt(x + 0.2 * w, y + 0.55 * h), _pt(x + 0.42 * w, y + 0.8 * h), _pt(x + 0.85 * w, y + 0.2 * h)]
        )
        cv2.polylines(image, [points], False, INK, line, cv2.LINE_AA)
    elif kind == "smudge":
        blob = np.zeros_like(image, dtype=np.float32)
        cv2.rectangle(blob, _pt(x + 0.5, y + 0.5), _pt(x + w - 0.5, y + h - 0.5), 1.0, thickness=-1)
        blob = cv2.GaussianBlur(blob, (0, 0), 0.8 * scale)
        grey = 75  # an erasure leaves the box this much darker than paper
        image[:] = np.minimum(image, (255 - grey * blob).clip(0, 255)).astype(np.uint8)


def _pt(x: float, y: float) -> tuple[int, int]:
    return round(x), round(y)


# --- distortions -----------------------------------------------------------------------


def turn(image: np.ndarray, degrees: float, scale: float = 1.0, shift: tuple[float, float] = (0, 0)) -> np.ndarray:
    """Rotate about the centre, scale (a copier's 97-103 %) and shift (pixels), on white."""
    height, width = image.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, scale)
    matrix[:, 2] += shift
    return cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)


def speckle(image: np.ndarray, rng: random.Random, share: float = 0.002) -> np.ndarray:
    """Dust and toner specks: a share of pixels set black or white at random."""
    noisy = image.copy()
    generator = np.random.default_rng(rng.randrange(2**32))
    mask = generator.random(image.shape)
    noisy[mask < share / 2] = 0
    noisy[mask > 1 - share / 2] = 255
    return noisy


def blur(image: np.ndarray, sigma: float = 1.0) -> np.ndarray:
    return cv2.GaussianBlur(image, (0, 0), sigma)


def jpeg(image: np.ndarray, quality: int = 60) -> np.ndarray:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)


def upside_down(image: np.ndarray) -> np.ndarray:
    return cv2.rotate(image, cv2.ROTATE_180)


DISTORTIONS = {
    "none": lambda image, rng: image,
    "rotate 2.5°": lambda image, rng: turn(image, 2.5),
    "rotate -3° + shift": lambda image, rng: turn(image, -3, 1.0, (25, -18)),
    "scale 97%": lambda image, rng: turn(image, 0.8, 0.97),
    "scale 103%": lambda image, rng: turn(image, -0.6, 1.03),
    "speckle": lambda image, rng: speckle(image, rng),
    "blur": lambda image, rng: blur(image),
    "jpeg q50": lambda image, rng: jpeg(image, 50),
    "upside down": lambda image, rng: upside_down(turn(image, 1.5)),
    "all at once": lambda image, rng: jpeg(blur(speckle(upside_down(turn(image, -2, 0.98, (12, 9))), rng), 0.8), 60),
}


# --- real sheets ---------------------------------------------------------------------------


def sheet_pages(sheets_dir, dpi: int):
    """Every answer-sheet page of a class set, rasterized: (copy record, page index, grey image, pixels a point)."""
    import pypdfium2 as pdfium

    from quizgen.paper.sheetset import read_sheet_set

    sheets = read_sheet_set(sheets_dir)
    layout = __import__("json").loads((sheets_dir / "layout.json").read_text(encoding="utf-8"))
    documents = {}
    pages = []
    for raw, copy in zip(layout["copies"], sheets.copies.values(), strict=True):
        for index, page in enumerate(raw["pages"]):
            document = documents.setdefault(page["file"], pdfium.PdfDocument(str(sheets_dir / page["file"])))
            bitmap = document[page["page"] - 1].render(scale=dpi / 72, grayscale=True)
            image = bitmap.to_numpy()
            pages.append((copy, index, np.ascontiguousarray(image[..., 0] if image.ndim == 3 else image), dpi / 72))
    for document in documents.values():
        document.close()
    return sheets, pages


def to_pdf(images: list[np.ndarray], dpi: int) -> bytes:
    """Scanned pages as one PDF of JPEG pages, the way a scanner writes them."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    for image in images:
        ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 85])
        assert ok
        pdf_image = pdfium.PdfImage.new(document)
        import io

        pdf_image.load_jpeg(io.BytesIO(data.tobytes()), inline=True)
        width, height = image.shape[1] * 72 / dpi, image.shape[0] * 72 / dpi
        pdf_image.set_matrix(pdfium.PdfMatrix().scale(width, height))
        page = document.new_page(width, height)
        page.insert_obj(pdf_image)
        page.gen_content()
    out = __import__("io").BytesIO()
    document.save(out)
    return out.getvalue()
