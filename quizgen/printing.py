"""The print stage of a build: plan every handout, key and study guide as HTML, then render and write PDFs.

Planning reads and checks the quiz definitions and renders every template,
so a wrong definition or a broken template stops the build before anything
is written. Rendering the PDFs is the slow part and runs in parallel.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from quizgen.model import Content
from quizgen.quiz import QuizDefinition, load_quizzes
from quizgen.render.html import Document, guide_documents, quiz_documents
from quizgen.render.pdf import Progress, default_jobs, no_progress, render_pdfs
from quizgen.studyguide import study_guides
from quizgen.templating import make_env, template_dirs
from quizgen.versions import make_versions
from quizgen.writer import Writer

QUIZZES_FOLDER = "quizzes"
GUIDES_FOLDER = "study-guides"


@dataclass(frozen=True)
class PrintPlan:
    """Documents ready to render, and the folders their templates (and assets) may read."""

    documents: tuple[Document, ...]
    roots: tuple[Path, ...]


def plan_build(content_dir: Path, content: Content, templates_dir: Path | None = None) -> PrintPlan:
    """Every defined quiz (student and key per version) and a study guide per article."""
    env = make_env(templates_dir)
    documents: list[Document] = []
    for quiz in load_quizzes(content_dir, content):
        documents += quiz_documents(env, make_versions(quiz, content), f"{QUIZZES_FOLDER}/{quiz.id}")
    documents += guide_documents(env, study_guides(content), GUIDES_FOLDER)
    return PrintPlan(tuple(documents), tuple(template_dirs(templates_dir)))


def plan_quiz(quiz: QuizDefinition, content: Content, templates_dir: Path | None = None) -> PrintPlan:
    """One ad-hoc quiz: student and key per version, in one folder."""
    env = make_env(templates_dir)
    documents = quiz_documents(env, make_versions(quiz, content), "")
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
