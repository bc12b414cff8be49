"""Printable HTML: student handouts, answer keys and study guides, from templates.

Pure functions from typed records to HTML strings; turning them into PDF is
`quizgen.render.pdf`'s job, so most tests never need WeasyPrint.
"""

from __future__ import annotations

from dataclasses import dataclass

import jinja2

from quizgen.draw.studyguide import StudyGuide
from quizgen.draw.versions import QuizVersion
from quizgen.render.templates import render

# Pinned so that the same inputs give byte-identical PDFs (WeasyPrint reads
# these <meta> tags for the PDF's CreationDate and ModDate).
DOCUMENT_DATE = "2024-01-01T00:00:00Z"

STUDENT_TEMPLATE = "student.html"
KEY_TEMPLATE = "key.html"
GUIDE_TEMPLATE = "guide.html"


@dataclass(frozen=True)
class Document:
    """One output to render: where it goes (relative to the output folder) and its HTML."""

    path: str
    html: str


@dataclass(frozen=True)
class PageSetup:
    """What every printed document shares: the paper and the pinned document date."""

    paper: str = "A4"
    date: str = DOCUMENT_DATE


def render_student(env: jinja2.Environment, version: QuizVersion) -> str:
    """The student handout of one version."""
    page = PageSetup(version.quiz.paper or PageSetup.paper)
    return render(env, STUDENT_TEMPLATE, version=version, quiz=version.quiz, page=page)


def render_key(env: jinja2.Environment, version: QuizVersion, details: bool | None = None) -> str:
    """The answer key of one version; `details` (default: the quiz's) adds explanations and sources."""
    page = PageSetup(version.quiz.paper or PageSetup.paper)
    details = version.quiz.key_details if details is None else details
    return render(env, KEY_TEMPLATE, version=version, quiz=version.quiz, page=page, details=details)


def render_guide(env: jinja2.Environment, guide: StudyGuide, paper: str = "A4") -> str:
    """The study guide of one article."""
    return render(env, GUIDE_TEMPLATE, guide=guide, article=guide.article, page=PageSetup(paper))


def quiz_documents(env: jinja2.Environment, versions: list[QuizVersion], folder: str) -> list[Document]:
    """Student handout and key for every version, named <quiz>-v<N>-student.pdf / -key.pdf."""
    documents = []
    for version in versions:
        stem = f"{folder}/{version.file_stem}" if folder else version.file_stem
        documents.append(Document(f"{stem}-student.pdf", render_student(env, version)))
        documents.append(Document(f"{stem}-key.pdf", render_key(env, version)))
    return documents


def guide_documents(
    env: jinja2.Environment, guides: list[StudyGuide], folder: str, paper: str = "A4"
) -> list[Document]:
    """One study guide per article, named <article>.pdf."""
    return [Document(f"{folder}/{guide.article.id}.pdf", render_guide(env, guide, paper)) for guide in guides]
