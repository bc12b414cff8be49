"""`quizgen sheets`: a class set, from the quiz and the roster to one PDF, its key and its layout.

load -> find the quiz (stop on any error, nothing written) -> a copy per student
-> an answer sheet per copy -> render every copy (in parallel) -> merge them,
each starting on an odd page -> write class-set.pdf, layout.json, key.csv,
key-table.pdf and roster.csv together.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from quizgen.draw.versions import fit_problems
from quizgen.errors import ContentError, QuizgenError
from quizgen.load.quizzes import LoadedQuiz, QuizDefinition, load_quiz_file, read_quizzes
from quizgen.model import Content
from quizgen.paper import layout_file as files
from quizgen.paper.copies import Copy, anonymous, make_copies
from quizgen.paper.keytable import render_key_table
from quizgen.paper.roster import Student, read_roster
from quizgen.paper.sheet import AnswerSheet
from quizgen.paper.sheet_pages import answer_sheet
from quizgen.render.pdf import default_jobs, no_progress, render_pdfs
from quizgen.render.templates import course_catalogue, make_env, render, template_dirs

COPY_TEMPLATE = "sheets/copy.html"
KEY_TABLE_FILE = "key-table.pdf"


@dataclass(frozen=True)
class ClassSet:
    """The copies with their answer sheets, and each copy's HTML (ready to render)."""

    quiz: QuizDefinition
    sheets: list[AnswerSheet]
    htmls: list[str]
    key_table_html: str
    students: list[Student]


def find_quiz(content_dir: Path, content: Content, ref: str) -> QuizDefinition:
    """The quiz named by `ref`: a quiz file's path, or a quiz id of content/quizzes/; checked against the content."""
    loaded = read_quiz_ref(content_dir, ref)
    issues = list(loaded.report.issues)
    if loaded.definition is not None and not issues:
        loaded = LoadedQuiz(_with_paper(loaded.definition, content), loaded.report)
        issues += fit_problems(loaded, content)
    if any(issue.is_error for issue in issues) or loaded.definition is None:
        raise ContentError(issues)
    return loaded.definition


def read_quiz_ref(content_dir: Path, ref: str) -> LoadedQuiz:
    """The quiz file `ref` names, as `quizgen sheets` and `quizgen grade` both take it: a path, or a quiz id."""
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        return load_quiz_file(path)
    quizzes, _ = read_quizzes(content_dir)
    matches = [q for q in quizzes if q.definition is not None and q.definition.id == ref]
    if not matches:
        known = ", ".join(sorted(q.definition.id for q in quizzes if q.definition is not None)) or "none"
        raise QuizgenError(f"no quiz '{ref}' in {content_dir / 'quizzes'} and no such quiz file (quizzes: {known})")
    return matches[0]


def _with_paper(quiz: QuizDefinition, content: Content) -> QuizDefinition:
    return quiz if quiz.paper else replace(quiz, paper=content.settings.paper)


def students_of(roster: Path | None, copies: int | None) -> list[Student]:
    """The roster's students, or `copies` anonymous ones."""
    if roster is not None:
        return read_roster(roster)
    if not copies:
        raise QuizgenError("give --roster students.csv or --copies N")
    return anonymous(copies)


def plan_class_set(
    quiz: QuizDefinition, content: Content, students: list[Student], templates_dir: Path | None = None
) -> ClassSet:
    """Every copy drawn, its answer sheet laid out and its HTML rendered from templates/sheets/."""
    catalogue = course_catalogue(content, templates_dir)
    env = make_env(templates_dir, catalogue)
    copies = make_copies(quiz, content, students, catalogue.text)
    sheets = [answer_sheet(copy, quiz.paper, catalogue.text) for copy in copies]
    htmls = [copy_html(env, copy, sheet) for copy, sheet in zip(copies, sheets, strict=True)]
    return ClassSet(quiz, sheets, htmls, render_key_table(env, quiz, sheets), students)


def copy_html(env, copy: Copy, sheet: AnswerSheet) -> str:
    """One copy's HTML: its answer-sheet pages, then its questions (the handout's templates)."""
    from quizgen.render.handouts import PageSetup

    page = PageSetup(copy.version.quiz.paper or PageSetup.paper)
    version = copy.version
    from quizgen.paper.sheet import answered_on_sheet

    on_sheet = sorted({q.kind for q in copy.questions if answered_on_sheet(q.question)})
    return render(
        env,
        COPY_TEMPLATE,
        copy=copy,
        sheet=sheet,
        version=version,
        quiz=version.quiz,
        page=page,
        paper=page.paper,
        on_sheet=on_sheet,
    )


def merge_copies(pdfs: list[bytes]) -> tuple[bytes, list[int]]:
    """One PDF of all copies, each padded with a blank page to an even length, so each starts on an odd
    page; and the page (from 1) where each copy starts."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    starts = []
    for pdf in pdfs:
        starts.append(len(writer.pages) + 1)
        reader = PdfReader(io.BytesIO(pdf))
        for page in reader.pages:
            writer.add_page(page)
        if len(reader.pages) % 2:
            last = reader.pages[-1].mediabox
            writer.add_blank_page(float(last.width), float(last.height))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), starts


def render_class_set(
    plan: ClassSet, roots: list[Path], *, jobs: int | None = None, progress: Callable[[int, int], None] = no_progress
) -> list[tuple[str, bytes | str]]:
    """The class set's files: the merged PDF and its key table, layout.json, key.csv and roster.csv."""
    pdfs = render_pdfs([*plan.htmls, plan.key_table_html], roots, jobs=jobs or default_jobs(), progress=progress)
    merged, starts = merge_copies(pdfs[:-1])
    layout = files.layout_data(plan.quiz.id, plan.sheets, starts)
    return [
        (files.CLASS_SET_FILE, merged),
        (KEY_TABLE_FILE, pdfs[-1]),
        (files.LAYOUT_FILE, files.layout_json(layout)),
        (files.KEY_FILE, files.key_csv(files.key_rows(plan.sheets))),
        (files.ROSTER_FILE, files.roster_csv(plan.students)),
    ]


def class_set_roots(templates_dir: Path | None) -> list[Path]:
    """The folders the class set's templates and assets may be read from."""
    return list(template_dirs(templates_dir))


def sheets(
    source,
    quiz_ref: str,
    output_dir: Path,
    *,
    roster: Path | None = None,
    copies: int | None = None,
    templates_dir: Path | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] = no_progress,
):
    """The class set of a quiz into `output_dir`: read and check everything first, then write it all at once."""
    from quizgen.pipeline import Written, load
    from quizgen.write import Writer

    loaded = load(source)
    quiz = find_quiz(source.content_dir, loaded.content, quiz_ref)
    students = students_of(roster, copies)
    plan = plan_class_set(quiz, loaded.content, students, templates_dir)
    outputs = render_class_set(plan, class_set_roots(templates_dir), jobs=jobs, progress=progress)
    return Written(tuple(Writer(output_dir).write_all(outputs)), loaded.warnings)
