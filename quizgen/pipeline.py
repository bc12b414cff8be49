"""The pipeline: load -> check (stop on any error, nothing written) -> draw -> render -> write.

The print stage plans every handout, key and study guide as HTML, then renders and writes PDFs.

Planning reads and checks the quiz definitions and renders every template,
so a wrong definition or a broken template stops the build before anything
is written. Rendering the PDFs is the slow part and runs in parallel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from quizgen.draw.studyguide import study_guides
from quizgen.draw.versions import make_versions
from quizgen.errors import ContentError, Issue
from quizgen.load.content import require_content
from quizgen.load.quizzes import QuizDefinition, load_quizzes
from quizgen.model import Content
from quizgen.render.catalogue import ENGLISH, load_catalogue
from quizgen.render.handouts import Document, guide_documents, quiz_documents
from quizgen.render.pdf import Progress, default_jobs, no_progress, render_pdfs
from quizgen.render.templates import make_env, template_dirs
from quizgen.write import Writer

QUIZZES_FOLDER = "quizzes"
GUIDES_FOLDER = "study-guides"


@dataclass(frozen=True)
class PrintPlan:
    """Documents ready to render, and the folders their templates (and assets) may read."""

    documents: tuple[Document, ...]
    roots: tuple[Path, ...]


def plan_build(
    content_dir: Path, content: Content, templates_dir: Path | None = None, language: str = ENGLISH
) -> PrintPlan:
    """Every defined quiz (student and key per version) and a study guide per article, worded in `language`."""
    catalogue = load_catalogue(language, template_dirs(templates_dir))
    env = make_env(templates_dir, catalogue)
    documents: list[Document] = []
    for quiz in load_quizzes(content_dir, content):
        versions = make_versions(quiz, content, catalogue.text)
        documents += quiz_documents(env, versions, f"{QUIZZES_FOLDER}/{quiz.id}")
    documents += guide_documents(env, study_guides(content, catalogue.text), GUIDES_FOLDER)
    return PrintPlan(tuple(documents), tuple(template_dirs(templates_dir)))


def plan_quiz(
    quiz: QuizDefinition, content: Content, templates_dir: Path | None = None, language: str = ENGLISH
) -> PrintPlan:
    """One ad-hoc quiz: student and key per version, in one folder, worded in `language`."""
    catalogue = load_catalogue(language, template_dirs(templates_dir))
    env = make_env(templates_dir, catalogue)
    documents = quiz_documents(env, make_versions(quiz, content, catalogue.text), "")
    return PrintPlan(tuple(documents), tuple(template_dirs(templates_dir)))


def render_plan(
    plan: PrintPlan, *, jobs: int | None = None, progress: Progress | None = None
) -> list[tuple[str, bytes]]:
    """Render the planned documents (in parallel with jobs > 1): (relative path, PDF bytes) for each."""
    htmls = [document.html for document in plan.documents]
    pdfs = render_pdfs(htmls, plan.roots, jobs=jobs or default_jobs(), progress=progress or no_progress)
    return [(document.path, pdf) for document, pdf in zip(plan.documents, pdfs, strict=True)]


def write_plan(
    plan: PrintPlan, writer: Writer, *, jobs: int | None = None, progress: Progress | None = None
) -> list[Path]:
    """Render the planned documents, then write them."""
    return writer.write_all(render_plan(plan, jobs=jobs, progress=progress))


def build_all(
    content_dir: Path,
    output_dir: Path,
    *,
    sources_dir: Path | None = None,
    strict: bool = False,
    templates_dir: Path | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    warn: Callable[[Issue], None] | None = None,
    language: str = ENGLISH,
) -> list[Path]:
    """Build every output from the content; raise ContentError before writing if the content is wrong.

    `jobs` is how many processes render PDFs (default: every core); `progress`
    is called with (documents done, documents in all) while they render; `warn`
    with each warning met on the way (with `strict`, a warning stops the build); `language` picks
    the catalogue every output is worded from (templates/catalogue/<language>.yaml).
    """
    content = require_content(content_dir, sources_dir, strict=strict)
    # Everything is made in memory first: a wrong quiz, a broken template or two outputs
    # with one name stop the build before the first file is written.
    print_plan = plan_build(content_dir, content, templates_dir, language)
    deck_path, deck, warnings = anki_file(content, content_dir, language, templates_dir)
    if strict and warnings:
        raise ContentError([warning.as_error() for warning in warnings])
    for warning in warnings:
        (warn or _ignore)(warning)
    outputs = practice_files(content, templates_dir, language) + [(deck_path, deck)]
    outputs += render_plan(print_plan, jobs=jobs, progress=progress)
    return Writer(output_dir).write_all(outputs)


def _ignore(issue: Issue) -> None:
    """The default `warn`: a caller that passes none does not show warnings."""


def practice_files(
    content: Content, templates_dir: Path | None = None, language: str = ENGLISH
) -> list[tuple[str, str]]:
    """practice/<article id>.html for each article with questions, and practice/all.html."""
    from quizgen.render.practice import practice_pages

    pages = practice_pages(content, templates_dir=templates_dir, language=language)
    return [(f"practice/{name}", html) for name, html in pages]


def anki_file(
    content: Content, content_dir: Path, language: str = ENGLISH, templates_dir: Path | None = None
) -> tuple[str, bytes, tuple[Issue, ...]]:
    """anki/sino-russian-relations.apkg: every question, a subdeck per bank named by its title;
    and the warnings met reading the content's history (a shallow clone, a broken repository)."""
    from quizgen.load.history import load_stamps
    from quizgen.render.anki import DECK_FILE, render_deck

    stamps = load_stamps(content, content_dir)
    deck = render_deck(
        content, content.questions, stamps.by_uid, language=language, catalogue_dirs=template_dirs(templates_dir)
    )
    return DECK_FILE, deck, stamps.issues
