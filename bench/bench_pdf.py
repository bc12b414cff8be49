"""Benchmark the PDF stage: quizgen's overhead over bare WeasyPrint, and parallel speed-up.

    python bench/bench_pdf.py [--questions 40] [--versions 30] [--repeat 7] [--build-repeat 2]

1. A handout of N synthetic questions rendered through quizgen (versioning,
   templates, the safe fetcher, WeasyPrint) vs the same HTML rendered by bare
   `HTML(string=...).write_pdf()` in the same process: both medians and the
   ratio (target <= 1.15).
2. The quiz built in V versions (a student PDF and a key PDF each) with
   --jobs 1 vs --jobs 2: both times and the speed-up (target >= 1.6 on 2 cores).

The questions come from bench/synthetic.py (the sample bank's kinds, with new ids
and clozes on different sentences, so the draw finds no answer given away),
so the figures do not depend on the real banks.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import write_synthetic_content  # noqa: E402

from quizgen.draw.versions import make_versions  # noqa: E402
from quizgen.load.content import require_content  # noqa: E402
from quizgen.load.quizzes import QuizDefinition  # noqa: E402
from quizgen.model import Content  # noqa: E402
from quizgen.pipeline import plan_quiz, render_prints  # noqa: E402
from quizgen.render.handouts import render_student  # noqa: E402
from quizgen.render.pdf import html_to_pdf  # noqa: E402
from quizgen.render.templates import make_env, template_dirs  # noqa: E402
from quizgen.write import Writer  # noqa: E402


def synthetic_content(count: int) -> Content:
    """The shared synthetic bank (bench/synthetic.py): the sample's kinds, clozes on different sentences."""
    folder = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    write_synthetic_content(folder, count)
    return require_content(folder, ROOT.parent / "shared" / "articles")


def through_quizgen(content: Content, quiz: QuizDefinition) -> tuple[float, str]:
    start = time.perf_counter()
    html = render_student(make_env(), make_versions(quiz, content)[0])
    html_to_pdf(html, template_dirs())
    return time.perf_counter() - start, html


def bare_weasyprint(html: str) -> float:
    from weasyprint import HTML

    start = time.perf_counter()
    HTML(string=html).write_pdf()
    return time.perf_counter() - start


def overhead(content: Content, repeat: int) -> None:
    quiz = QuizDefinition(id="bench", title="Benchmark handout", seed=1, versions=1)
    _, html = through_quizgen(content, quiz)  # warm-up: imports, fonts, caches
    bare_weasyprint(html)
    ours, bare = [], []
    for _ in range(repeat):  # interleaved, so drift in machine load hits both alike
        ours.append(through_quizgen(content, quiz)[0])
        bare.append(bare_weasyprint(html))
    # The minimum is the least disturbed run (other processes only ever add time);
    # the median is printed too, to show how noisy the machine was.
    print(f"handout, {len(content.questions)} questions, {repeat} runs each (min / median):")
    print(f"  quizgen (select, version, template, PDF): {min(ours):.3f} / {statistics.median(ours):.3f} s")
    print(f"  bare WeasyPrint on the same HTML:         {min(bare):.3f} / {statistics.median(bare):.3f} s")
    print(f"  ratio of minimums: {min(ours) / min(bare):.3f} (target <= 1.15)")
    print(f"  ratio of medians:  {statistics.median(ours) / statistics.median(bare):.3f}")


def build_versions(content: Content, versions: int, jobs: int) -> float:
    quiz = QuizDefinition(id="bench", title="Benchmark handout", seed=1, versions=versions)
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        plan = plan_quiz(quiz, content)
        Writer(Path(folder)).write_all(render_prints(plan, jobs=jobs))
        return time.perf_counter() - start


def speedup(content: Content, versions: int, repeat: int) -> None:
    one, two = [], []
    for _ in range(repeat):  # alternating, so drift in machine load hits both alike
        one.append(build_versions(content, versions, jobs=1))
        two.append(build_versions(content, versions, jobs=2))
    print(f"{versions} versions ({2 * versions} PDFs, {len(content.questions)} questions each), best of {repeat}:")
    print(f"  --jobs 1: {min(one):.1f} s")
    print(f"  --jobs 2: {min(two):.1f} s")
    print(f"  speed-up: {min(one) / min(two):.2f}x (target >= 1.6)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--versions", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=7, help="runs of the single handout")
    parser.add_argument("--build-repeat", type=int, default=2, help="runs of each multi-version build")
    args = parser.parse_args()
    content = synthetic_content(args.questions)
    overhead(content, args.repeat)
    speedup(content, args.versions, args.build_repeat)


if __name__ == "__main__":
    main()
