"""Grading 30 scanned sheets: seconds per page for quizgen, beside the bare rasterizer on the same pages.

    PYTHONPATH=. python bench/bench_grade.py [--dpi 200]

Makes a class set of 30 copies, marks each answer sheet with its key's answers,
damages it as a copier would (rotated, scaled, speckled, JPEG), and writes the
30 pages, shuffled, into one scanned PDF. Then times, in the same run:
- bare pypdfium2 rasterizing the 30 pages at the same dpi (the floor);
- quizgen reading them (rasterize, QR, registration, every box);
- the whole `quizgen grade` command (also scoring, review, 30 feedback PDFs).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quizgen.cli import main  # noqa: E402
from quizgen.paper.scan.reading import read_scans  # noqa: E402
from quizgen.paper.sheetset import read_sheet_set  # noqa: E402
from tests import scans  # noqa: E402

COPIES = 30


def make_scan(folder: Path, dpi: int) -> Path:
    sheets, pages = scans.sheet_pages(folder, dpi)
    rng = random.Random(30)
    images = []
    for copy, index, image, scale in pages:
        image = image.copy()
        right = {row.question: row.right for row in sheets.questions_of(copy.copy)}
        for box in copy.boxes:
            if box.page == index and box.value in right[box.question]:
                scans.draw_mark(image, box.spot, "full", scale, rng)
        damaged = scans.turn(image, rng.uniform(-2.5, 2.5), rng.uniform(0.97, 1.03), (rng.randint(-15, 15), 0))
        images.append(scans.speckle(damaged, rng))
    rng.shuffle(images)
    path = folder / "scan.pdf"
    path.write_bytes(scans.to_pdf(images, dpi))
    return path


def bare_rasterize(path: Path, dpi: int) -> float:
    import pypdfium2 as pdfium

    start = time.perf_counter()
    document = pdfium.PdfDocument(str(path))
    for index in range(len(document)):
        document[index].render(scale=dpi / 72, grayscale=True).to_numpy()
    document.close()
    return time.perf_counter() - start


def main_bench(dpi: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "class-set"
        assert main(["sheets", "unit-test", "--copies", str(COPIES), "-o", str(folder)]) == 0
        scan = make_scan(folder, dpi)
        sheets = read_sheet_set(folder)
        bare = min(bare_rasterize(scan, dpi) for _ in range(3))
        start = time.perf_counter()
        reading = read_scans([scan], sheets, dpi)
        read = time.perf_counter() - start
        start = time.perf_counter()
        status = main(["grade", "unit-test", "--sheets", str(folder), str(scan), "-o", str(Path(tmp) / "grades")])
        whole = time.perf_counter() - start
        assert status == 0
        pages = len(reading.pages) + len(reading.problems)
        print(f"{pages} scanned pages at {dpi} dpi ({len(reading.problems)} not placed)")
        print(f"bare pypdfium2 rasterize : {bare:6.2f} s  {bare / pages:.3f} s/page")
        print(
            f"quizgen read (all boxes) : {read:6.2f} s  {read / pages:.3f} s/page  ({read / bare:.1f}x the rasterizer)"
        )
        print(f"quizgen grade (whole)    : {whole:6.2f} s  {whole / pages:.3f} s/page  (with 30 feedback PDFs)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--dpi", type=int, default=200)
    main_bench(parser.parse_args().dpi)
