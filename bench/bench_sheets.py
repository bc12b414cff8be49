"""Benchmark the class set (quizgen sheets): quizgen vs bare WeasyPrint, and --jobs 2 vs --jobs 1.

    python bench/bench_sheets.py [--quiz jiang-2001-reading] [--copies 30] [--repeat 3]

1. A class set of N copies with answer sheets, made by quizgen with one job
   (draw, answer-sheet layout, QR codes, templates, the safe fetcher,
   WeasyPrint, the merge into one PDF with odd-page starts, layout.json,
   key.csv, the key table) vs bare `HTML(string=...).write_pdf()` rendering
   the same HTML documents (every copy and the key table) in the same
   process: both times and the ratio (target <= 1.15).
2. The same class set with --jobs 2 vs --jobs 1: both times and the speed-up
   (target >= 1.6 on 2 cores).

The real content and the quiz's real questions are used: a class set is a
course's quiz, and its size (pages per copy) is what the figures are about.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizgen.paper.classset import class_set_roots, find_quiz, plan_class_set, render_class_set  # noqa: E402
from quizgen.paper.roster import Student  # noqa: E402
from quizgen.pipeline import Source, load  # noqa: E402


def roster(count: int) -> list[Student]:
    return [Student(f"s{n:03d}", f"Student {n}") for n in range(1, count + 1)]


def through_quizgen(content, quiz, students, jobs: int) -> tuple[float, float, list[str], int]:
    """Wall and CPU seconds (this process) for the whole class set in memory; its HTML; the merged PDF's size."""
    start, cpu = time.perf_counter(), time.process_time()
    plan = plan_class_set(quiz, content, students)
    outputs = render_class_set(plan, class_set_roots(None), jobs=jobs)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return wall, cpu, [*plan.htmls, plan.key_table_html], len(outputs[0][1])


def bare_weasyprint(htmls: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds for bare WeasyPrint to render the same documents (no fetcher, no merge)."""
    from weasyprint import HTML

    base_url = class_set_roots(None)[0].resolve().as_uri() + "/"
    start, cpu = time.perf_counter(), time.process_time()
    for html in htmls:
        HTML(string=html, base_url=base_url).write_pdf()
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiz", default="jiang-2001-reading")
    parser.add_argument("--copies", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    content = load(Source(ROOT / "content", ROOT.parent / "shared" / "articles")).content
    quiz = find_quiz(ROOT / "content", content, args.quiz)
    students = roster(args.copies)
    through_quizgen(content, quiz, students[:1], 1)  # warm: fonts, imports
    ours, ours_cpu, bare, bare_cpu, parallel = [], [], [], [], []
    htmls = through_quizgen(content, quiz, students, 2)[2]
    for run in range(args.repeat):
        # Every other run starts with bare WeasyPrint: neither side always finds the caches warm.
        if run % 2:
            bare_wall, bare_cpu_seconds = bare_weasyprint(htmls)
        seconds, cpu, htmls, size = through_quizgen(content, quiz, students, 1)
        if not run % 2:
            bare_wall, bare_cpu_seconds = bare_weasyprint(htmls)
        ours.append(seconds)
        ours_cpu.append(cpu)
        bare.append(bare_wall)
        bare_cpu.append(bare_cpu_seconds)
        parallel.append(through_quizgen(content, quiz, students, 2)[0])
    one, two, plain = statistics.median(ours), statistics.median(parallel), statistics.median(bare)
    one_cpu, plain_cpu = statistics.median(ours_cpu), statistics.median(bare_cpu)
    print(f"class set: {args.copies} copies of {quiz.id}, {len(htmls)} documents, {size / 1e6:.1f} MB merged")
    print(f"machine load (1-minute average) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"1. quizgen --jobs 1 {one:.2f} s; bare WeasyPrint, same HTML {plain:.2f} s; ratio {one / plain:.3f} (target <= 1.15)"
    )
    print(
        f"   CPU seconds (less sensitive to other load): {one_cpu:.2f} vs {plain_cpu:.2f}; ratio {one_cpu / plain_cpu:.3f}"
    )
    print(f"2. quizgen --jobs 2 {two:.2f} s vs --jobs 1 {one:.2f} s; speed-up {one / two:.2f}x (target >= 1.6)")


if __name__ == "__main__":
    main()
