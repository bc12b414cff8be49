"""The practice page's size and the time from opening it to the first question shown.

    python bench/practice_page.py [--content DIR] [--page FILE.html] [--loads N] [--screenshots DIR]

Builds the all-articles page from the content (or measures a page already
written, e.g. by `quizgen practice -o /tmp/all.html`), opens it from file://
in Debian's Chromium N times at desktop and phone sizes, and prints the
median time to the page's `quizgen:first-question` mark and to the first
contentful paint. With --screenshots it also saves, at both sizes, a question
of each kind, the feedback on a multiple-choice answer, and the score at the
end of a round, for a person to look at.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from quizgen.load.content import require_content
from quizgen.render.practice import ALL_TITLE, render_practice

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from helpers import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (the tests' launcher flags, kept in one place)

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
TIMINGS = """() => ({
    mark: performance.getEntriesByName("quizgen:first-question")[0].startTime,
    script: performance.getEntriesByName("quizgen:script-start")[0].startTime,
    paint: (performance.getEntriesByName("first-contentful-paint")[0] || {startTime: NaN}).startTime,
})"""


def main() -> None:
    args = parse_args()
    page_path = args.page or write_page(args.content)
    size = page_path.stat().st_size
    print(f"page: {page_path}")
    print(f"size: {size} bytes ({size / 1024:.1f} KiB)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for name, viewport in VIEWPORTS.items():
            marks, scripts, paints = load_times(browser, page_path.as_uri(), viewport, args.loads)
            print(
                f"{name} {viewport['width']}x{viewport['height']}: first question shown after "
                f"{statistics.median(marks):.1f} ms (median of {args.loads}; min {min(marks):.1f}, "
                f"max {max(marks):.1f}); script started at {statistics.median(scripts):.1f} ms; "
                f"first contentful paint {statistics.median(paints):.1f} ms"
            )
            if args.screenshots:
                screenshots(browser, page_path.as_uri(), viewport, args.screenshots / name)
        browser.close()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=Path("content"), help="default: the real banks")
    parser.add_argument("--page", type=Path, default=None, help="measure this page instead of building one")
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--screenshots", type=Path, default=None)
    return parser.parse_args()


def write_page(content_dir: Path) -> Path:
    content = require_content(content_dir)
    path = Path(tempfile.mkdtemp(prefix="practice-bench-")) / "all.html"
    path.write_text(render_practice(content.questions, content, title=ALL_TITLE), encoding="utf-8")
    print(f"questions: {len(content.questions)} in {len(content.banks)} banks")
    return path


def load_times(browser, url: str, viewport: dict, loads: int) -> tuple[list[float], list[float], list[float]]:
    marks, scripts, paints = [], [], []
    for _ in range(loads):
        context = browser.new_context(viewport=viewport)  # fresh storage: a first visit each time
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("#question-heading")
        page.wait_for_function("performance.getEntriesByName('first-contentful-paint').length > 0")
        timings = page.evaluate(TIMINGS)
        marks.append(timings["mark"])
        scripts.append(timings["script"])
        paints.append(timings["paint"])
        context.close()
    return marks, scripts, paints


def screenshots(browser, url: str, viewport: dict, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("#question-heading")
    page.screenshot(path=folder / "opened.png")
    kinds = page.evaluate("JSON.parse(document.getElementById('quizgen-data').textContent).kinds")
    for kind in kinds:
        start_round(page, kind, count=3)
        page.screenshot(path=folder / f"question-{kind}.png", full_page=True)
    if "multiple_choice" in kinds:
        start_round(page, "multiple_choice", count=3)
        answer = page.evaluate(
            "JSON.parse(document.getElementById('quizgen-data').textContent).questions"
            ".find(q => q.uid === document.getElementById('question').dataset.uid).answer"
        )
        page.locator("#question .option").filter(has_not_text=answer).first.click()
        page.screenshot(path=folder / "feedback.png", full_page=True)
        while page.locator("#feedback button").count():
            page.locator("#feedback button").click()
            if page.locator("#question .option").count():
                page.locator("#question .option").first.click()
        page.screenshot(path=folder / "score.png", full_page=True)
    context.close()


def start_round(page, kind: str, count: int) -> None:
    if page.locator("#setup").get_attribute("open") is None:
        page.locator("#setup summary").click()
    page.select_option("#filter-kind", kind)
    page.fill("#filter-count", str(count))
    page.click("#start")


if __name__ == "__main__":
    main()
