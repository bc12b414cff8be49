"""Accuracy of reading marks on real class-set sheets: kind of mark x distortion, at several resolutions.

    PYTHONPATH=. python bench/grade_accuracy.py [--dpi 150 300 600] [--pages 2]

Makes a class set (`quizgen sheets unit-test --copies 2`), rasterizes its answer
sheets, draws every kind of mark (tests/scans.py) and reads them back after each
distortion. Prints, per cell, right / to review / wrong (wrong must be 0).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quizgen.cli import main  # noqa: E402
from quizgen.paper.scan.marks import UNCLEAR, Tones, read_box  # noqa: E402
from quizgen.paper.scan.qr import find_code  # noqa: E402
from quizgen.paper.scan.register import register  # noqa: E402
from tests import scans  # noqa: E402
from tests.test_grade_scans import mark_plan  # noqa: E402


def verdict(kind: str, state: str) -> str:
    if state == scans.EXPECTED[kind]:
        return "right"
    return "review" if state == UNCLEAR else "wrong"


def run(folder: Path, dpis: list[int], pages: int) -> dict:
    tally: dict[tuple, Counter] = {}
    for dpi in dpis:
        _, sheet_pages = scans.sheet_pages(folder, dpi)
        for copy, index, image, scale in sheet_pages[:pages]:
            for name, distort in scans.DISTORTIONS.items():
                rng = random.Random(f"{dpi}{name}{copy.copy}")
                boxes = [box for box in copy.boxes if box.page == index]
                plan = mark_plan(boxes, rng)
                marked = image.copy()
                for box in boxes:
                    scans.draw_mark(marked, box.spot, plan[box.id], scale, rng)
                scan = distort(marked, rng)
                code = find_code(scan)
                if code is None:
                    for box in boxes:
                        tally.setdefault((dpi, name, plan[box.id]), Counter())["review"] += 1
                    continue
                page = register(scan, code, copy.pages[index])
                tones = Tones(page)
                for box in boxes:
                    state = read_box(page, tones, box.spot).state
                    tally.setdefault((dpi, name, plan[box.id]), Counter())[verdict(plan[box.id], state)] += 1
    return tally


def print_table(tally: dict, dpis: list[int]) -> None:
    kinds = scans.MARKS
    print("cells: right/review/wrong box readings")
    for dpi in dpis:
        print(f"\n{dpi} dpi | " + " | ".join(f"{kind:>12}" for kind in kinds))
        print("---|" + "|".join("---" for _ in kinds))
        for name in scans.DISTORTIONS:
            cells = []
            for kind in kinds:
                c = tally.get((dpi, name, kind), Counter())
                cells.append(f"{c['right']}/{c['review']}/{c['wrong']}")
            print(f"{name} | " + " | ".join(f"{cell:>12}" for cell in cells))
    total = sum((c for c in tally.values()), Counter())
    print(f"\nall: {total['right']} right, {total['review']} to review, {total['wrong']} wrong")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--dpi", type=int, nargs="+", default=[150, 300, 600])
    parser.add_argument("--pages", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "class-set"
        assert main(["sheets", "unit-test", "--copies", str(args.pages), "-o", str(folder)]) == 0
        print_table(run(folder, args.dpi, args.pages), args.dpi)
