"""The build pipeline: load -> validate (stop on any error, nothing written) -> render -> write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from quizgen.content import require_content
from quizgen.model import Content
from quizgen.writer import Writer


def build_all(
    content_dir: Path,
    output_dir: Path,
    *,
    sources_dir: Path | None = None,
    strict: bool = False,
    templates_dir: Path | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """Build every output from the content; raise ContentError before writing if the content is wrong.

    `jobs` is how many processes render PDFs (default: every core); `progress`
    is called with (documents done, documents in all) while they render.
    """
    from quizgen.printing import plan_build, render_plan

    content = require_content(content_dir, sources_dir, strict=strict)
    # Everything is made in memory first: a wrong quiz, a broken template or two outputs
    # with one name stop the build before the first file is written.
    print_plan = plan_build(content_dir, content, templates_dir)
    outputs = practice_files(content, templates_dir) + [anki_file(content, content_dir)]
    outputs += render_plan(print_plan, jobs=jobs, progress=progress)
    return Writer(output_dir).write_all(outputs)


def practice_files(content: Content, templates_dir: Path | None = None) -> list[tuple[str, str]]:
    """practice/<article id>.html for each article with questions, and practice/all.html."""
    from quizgen.render.practice import practice_pages

    return [(f"practice/{name}", html) for name, html in practice_pages(content, templates_dir=templates_dir)]


def anki_file(content: Content, content_dir: Path) -> tuple[str, bytes]:
    """anki/sino-russian-relations.apkg: every question, a subdeck per bank named by its title."""
    from quizgen.render.anki import DECK_FILE, build_deck

    return DECK_FILE, build_deck(content, content_dir, content.questions)
