"""A feedback PDF per graded student: each question with their answer, the right one, the explanation and sources.

Pure records -> HTML through the sandboxed template environment
(templates/grade/feedback.html, texts in the catalogue), then PDF with
WeasyPrint's worker pool, like every printed output.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from quizgen.draw.layout import LETTERS, SourceRef, source_refs
from quizgen.kinds import kind_of
from quizgen.model import Content, Question
from quizgen.render.handouts import PageSetup
from quizgen.render.pdf import default_jobs, no_progress, render_pdfs
from quizgen.render.templates import course_catalogue, make_env, render, template_dirs

FEEDBACK_TEMPLATE = "grade/feedback.html"
FEEDBACK_FOLDER = "feedback"


@dataclass(frozen=True)
class FeedbackItem:
    """One question as a student's feedback shows it."""

    number: int
    prompt: str
    kind: str
    yours: str  # the box values read (or decided), as on the sheet; an option with its text
    right: str  # the key's box values, likewise
    answer: str  # the right answer in words
    earned: str  # points earned, '' while under review
    points: str
    explanation: str
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class Feedback:
    """A student's feedback document."""

    quiz: str
    student: str
    name: str
    copy: str
    total: str
    max: str
    provisional: bool
    items: tuple[FeedbackItem, ...]


def feedback_of(content: Content, sheets, result, questions: dict[str, Question], t: Callable[..., str]) -> Feedback:
    """The feedback record of one graded copy."""
    copy = sheets.copies[result.copy]
    items = []
    for answer in result.answers:
        key = sheets.key[(result.copy, answer.question)]
        question = questions[answer.question]
        earned = result.points[answer.question]
        shown = _option_texts(question, [box for box in copy.boxes if box.question == answer.question])
        items.append(
            FeedbackItem(
                number=key.number,
                prompt=question.prompt,
                kind=question.kind,
                yours=_values(answer.marked, shown),
                right=_values(key.right, shown),
                # The right options named by their texts already say the answer in words.
                answer="" if _named(key.right, shown) else kind_of(question).plain_answer(question, t),
                earned="" if earned is None else f"{earned:g}",
                points=f"{key.points:g}",
                explanation=question.explanation,
                sources=source_refs(question, content.articles),
            )
        )
    total = sum(value for value in result.points.values() if value is not None)
    most = sum(sheets.key[(result.copy, answer.question)].points for answer in result.answers)
    provisional = any(value is None for value in result.points.values())
    return Feedback(
        sheets.quiz, copy.student, copy.student_name, copy.copy, f"{total:g}", f"{most:g}", provisional, tuple(items)
    )


def _option_texts(question: Question, boxes) -> dict[str, str]:
    """What each option box of this copy says, by the letter printed on it (none for other boxes)."""
    options = getattr(kind_of(question).response(question), "options", ())
    by_bank_letter = {LETTERS[i]: choice.text for i, choice in enumerate(options)}
    return {box.value: by_bank_letter[box.option] for box in boxes if box.option in by_bank_letter}


def _values(values, shown: dict[str, str]) -> str:
    """Box values as the student reads them: `B (Beijing); D (Moscow)` for options, else `1 2`."""
    ordered = sorted(values)
    if _named(ordered, shown):
        return "; ".join(f"{value} ({shown[value]})" for value in ordered)
    return " ".join(ordered)


def _named(values, shown: dict[str, str]) -> bool:
    return bool(values) and all(value in shown for value in values)


def render_feedback(
    content: Content,
    sheets,
    results: list,
    questions: dict[str, Question],
    *,
    templates_dir=None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[tuple[str, bytes]]:
    """feedback/<student>.pdf for each graded copy."""
    catalogue = course_catalogue(content, templates_dir)
    env = make_env(templates_dir, catalogue)
    page = PageSetup(content.settings.paper)
    records = [feedback_of(content, sheets, result, questions, catalogue.text) for result in results]
    htmls = [render(env, FEEDBACK_TEMPLATE, feedback=record, page=page) for record in records]
    if not htmls:
        return []
    pdfs = render_pdfs(
        htmls, template_dirs(templates_dir), jobs=jobs or default_jobs(), progress=progress or no_progress
    )
    return [(f"{FEEDBACK_FOLDER}/{record.student}.pdf", pdf) for record, pdf in zip(records, pdfs, strict=True)]
