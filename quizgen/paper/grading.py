"""The `grade` command: scans -> readings -> settled answers (with the teacher's decisions) -> scores -> files.

Every output is made in memory and written together (responses.csv,
scores.csv, review.csv with its crops, a feedback PDF per student), so a rerun
after the teacher edits review.csv replaces the whole set at once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from quizgen.errors import ERROR, WARNING, ContentError, Issue
from quizgen.kinds import kind_of
from quizgen.load.fields import display_path
from quizgen.load.quizzes import QuizDefinition
from quizgen.model import Content, Question
from quizgen.paper.grade import Answer, score
from quizgen.paper.layout_file import (
    KEY_FILE,
    NOT_SCANNED,
    RESPONSE_COLUMNS,
    RESPONSES_FILE,
    SCORE_COLUMNS,
    SCORE_TAIL,
    SCORES_FILE,
    UNDER_REVIEW,
    join_values,
    layout_issue,
)
from quizgen.paper.review import COLUMNS as REVIEW_COLUMNS
from quizgen.paper.review import REVIEW_FILE, Decisions, ReviewRow, read_decisions, review_csv, sheet_tag, shown
from quizgen.paper.scan.rasterize import PDF_DPI
from quizgen.paper.scan.reading import ReadPage, ScanReading, read_scans
from quizgen.paper.settle import Crops, Settled, settle_copy
from quizgen.paper.sheetset import SheetSet, read_sheet_set

OK, REVIEW = "ok", UNDER_REVIEW


@dataclass(frozen=True)
class Graded:
    """What `grade` wrote and found: the paths, notes for the teacher, and counts for the summary."""

    paths: tuple[Path, ...]
    warnings: tuple[Issue, ...]
    notes: tuple[str, ...]
    copies: int
    pending: int


@dataclass(frozen=True)
class CopyResult:
    """A scanned copy's settled answers and the points each earned (None: under review)."""

    copy: str
    answers: list[Settled]
    points: dict[str, float | None]


def grade(
    source,
    quiz_ref: str,
    sheets_dir: Path,
    scans: list[Path],
    output_dir: Path,
    *,
    dpi: int = PDF_DPI,
    templates_dir: Path | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Graded:
    """Grade the scans of a class set of the quiz `quiz_ref` (an id or a quiz file) into output_dir;
    ContentError / QuizgenError for input that is wrong."""
    from quizgen.paper.feedback import render_feedback
    from quizgen.pipeline import load

    loaded = load(source)
    content = loaded.content
    definition = _quiz(source.content_dir, quiz_ref)
    sheets = read_sheet_set(sheets_dir)
    if sheets.quiz != definition.id:
        message = f"the class set of quiz '{sheets.quiz}', not of '{definition.id}'"
        raise ContentError([layout_issue(sheets_dir, message)])
    questions = _questions(content, sheets, sheets_dir)
    decisions = read_decisions(output_dir / REVIEW_FILE)
    reading = read_scans(scans, sheets, dpi)
    if reading.unreadable:
        raise ContentError([Issue(exc.path, 1, 1, ERROR, exc.problem) for exc in reading.unreadable])
    crops, issues, notes = Crops(), [], list(_twice_notes(reading))
    issues += _decisions_for_another_set(decisions, sheets)
    issues += _decisions_for_absent_copies(decisions, reading)
    rows = _page_rows(reading, sheets, crops, decisions, issues)
    results = []
    for copy_id, pages in _pages_by_copy(reading).items():
        copy = sheets.copies[copy_id]
        order = [row.question for row in sheets.questions_of(copy_id)]
        forms = {uid: kind_of(questions[uid]).response(questions[uid]) for uid in order}
        answers = settle_copy(copy, order, forms, pages, decisions, crops, issues)
        rows += [row for answer in answers for row in answer.rows]
        results.append(CopyResult(copy_id, answers, _points(sheets, answers, forms, questions, definition)))
    if issues:
        raise ContentError(issues)
    withdrawn = _withdrawn(rows, output_dir / REVIEW_FILE)
    outputs = [
        (RESPONSES_FILE, responses_csv(sheets, results)),
        (SCORES_FILE, scores_csv(sheets, results)),
        (REVIEW_FILE, review_csv(rows)),
        *[(path, _png(image)) for path, image in crops.images.items() if path in {row.crop for row in rows}],
        *render_feedback(
            content, sheets, results, questions, templates_dir=templates_dir, jobs=jobs, progress=progress
        ),
    ]
    from quizgen.write import Writer

    written = Writer(output_dir).write_all(outputs)
    pending = sum(1 for result in results for answer in result.answers if answer.pending)
    return Graded(tuple(written), (*loaded.warnings, *withdrawn), tuple(notes), len(results), pending)


def _quiz(content_dir: Path, quiz_ref: str) -> QuizDefinition:
    """The quiz `quiz_ref` names, a quiz id or a quiz file's path, as `quizgen sheets` took it."""
    from quizgen.paper.classset import read_quiz_ref

    loaded = read_quiz_ref(content_dir, quiz_ref)
    if loaded.definition is None or any(issue.is_error for issue in loaded.report.issues):
        raise ContentError(list(loaded.report.issues))
    return loaded.definition


def _questions(content: Content, sheets: SheetSet, sheets_dir: Path) -> dict[str, Question]:
    """The content's question for each question of the key; an error when the banks no longer hold one."""
    by_uid = {question.uid: question for question in content.questions}
    missing = sorted({uid for _, uid in sheets.key if uid not in by_uid})
    if missing:
        message = f"question(s) no bank holds any more: {', '.join(missing)}"
        raise ContentError([Issue(display_path(sheets_dir / KEY_FILE), 1, 1, ERROR, message)])
    return {uid: by_uid[uid] for _, uid in sheets.key}


def _decisions_for_another_set(decisions: Decisions, sheets: SheetSet) -> list[Issue]:
    """An error for each decision recorded as made on a copy of another class set (its sheet tag is not this
    set's copy's): the file is another class's grading, and none of it may be applied or rewritten."""
    col = REVIEW_COLUMNS.index("evidence") + 1
    issues = []
    for (copy, _, _), found in decisions.by_key.items():
        ours = sheet_tag(sheets.copies.get(copy))
        if decisions.recorded and found.evidence and found.tag != ours:
            whose = f"not this set's '{ours}'" if copy in sheets.copies else "and this set has no such copy"
            message = (
                f"decision '{shown(found.decision)}' for copy {shown(copy)} was made on a sheet of another class set"
                f" (tag '{shown(found.tag)}', {whose}): this review.csv is another class's; grade into its own folder"
            )
            issues.append(Issue(decisions.path, found.line, col, ERROR, message))
    return issues


def _withdrawn(rows: list[ReviewRow], path: Path) -> list[Issue]:
    """A warning at the line of the review.csv being written for each place whose decision was not applied."""
    col = REVIEW_COLUMNS.index("decision") + 1
    return [
        Issue(str(path), line, col, WARNING, row.withdrawn) for line, row in enumerate(rows, start=2) if row.withdrawn
    ]


def _decisions_for_absent_copies(decisions: Decisions, reading: ScanReading) -> list[Issue]:
    """An error for each decision about a copy with no page in these scans: rewriting review.csv would drop
    the teacher's decision (a scan file left out of the rerun), so nothing is written until it is given."""
    present = {page.copy for page in reading.pages} | {problem.copy for problem in reading.problems}
    col = REVIEW_COLUMNS.index("decision") + 1
    issues = []
    for (copy, question, box), found in decisions.by_key.items():
        if question and copy not in present:
            message = (
                f"decision '{shown(found.decision)}' for copy {shown(copy)} ({shown(box or question)}), but copy"
                f" {shown(copy)} has no page in these"
                " scans: give every scan of the class set (or clear the decision to drop it)"
            )
            issues.append(Issue(decisions.path, found.line, col, ERROR, message))
    return issues


def _pages_by_copy(reading: ScanReading) -> dict[str, dict[int, list[ReadPage]]]:
    copies: dict[str, dict[int, list[ReadPage]]] = {}
    for page in reading.pages:
        copies.setdefault(page.copy, {}).setdefault(page.index, []).append(page)
    return dict(sorted(copies.items(), key=lambda item: _copy_order(item[0])))


def _copy_order(copy: str) -> tuple:
    return (0, int(copy), "") if copy.isdigit() else (1, 0, copy)


def _twice_notes(reading: ScanReading):
    seen: dict[tuple[str, int], str] = {}
    for page in reading.pages:
        key = (page.copy, page.index)
        if key in seen:
            yield f"page {page.index + 1} of copy {page.copy} was scanned twice ({seen[key]}, {page.where})"
        seen.setdefault(key, page.where)


def _page_rows(reading, sheets, crops, decisions, issues) -> list[ReviewRow]:
    from quizgen.paper.review import evidence, settle_row

    rows = []
    for number, problem in enumerate(reading.problems, start=1):
        sheet = sheets.copies[problem.copy] if problem.copy else None
        student = sheet.student if sheet else ""
        path = crops.add(f"page-{number}", problem.picture)
        reason = f"{problem.where}: {problem.reason}"
        row = ReviewRow(
            student, problem.copy, "", "", reason, path, evidence=evidence(sheet_tag(sheet), [problem.picture])
        )
        rows.append(settle_row(row, decisions, {}, issues))
    return rows


def _points(sheets, answers: list[Settled], forms, questions, definition) -> dict[str, float | None]:
    points = {}
    for answer in answers:
        key = sheets.key[(answer.copy, answer.question)]
        if answer.pending:
            points[answer.question] = None
            continue
        rule = definition.scoring_for(questions[answer.question].kind)
        points[answer.question] = score(forms[answer.question], Answer(answer.marked, key.right, key.points, rule))
    return points


def responses_csv(sheets: SheetSet, results: list[CopyResult]) -> str:
    """One row per scanned copy and question: what was read (or decided) and whether it is settled."""
    rows = [RESPONSE_COLUMNS]
    for result in results:
        student = sheets.copies[result.copy].student
        for answer in result.answers:
            rows.append(
                (student, result.copy, answer.question, join_values(answer.marked), REVIEW if answer.pending else OK)
            )
    return _csv(rows)


def scores_csv(sheets: SheetSet, results: list[CopyResult]) -> str:
    """One row per copy of the set: a column per question, the total and the maximum, and whether provisional."""
    questions = list(dict.fromkeys(row.question for _, row in sorted(sheets.key.items(), key=_key_order)))
    rows = [(*SCORE_COLUMNS, *questions, *SCORE_TAIL, "provisional")]
    graded = {result.copy: result for result in results}
    for copy_id in sorted(sheets.copies, key=_copy_order):
        copy = sheets.copies[copy_id]
        most = sum(row.points for row in sheets.questions_of(copy_id))
        result = graded.get(copy_id)
        if result is None:
            rows.append(
                (copy.student, copy.student_name, copy_id, *[""] * len(questions), "", _number(most), NOT_SCANNED)
            )
            continue
        cells = [_cell(result.points.get(uid, "")) for uid in questions]
        total = sum(value for value in result.points.values() if value is not None)
        pending = sum(value is None for value in result.points.values())
        note = f"yes: {pending} question(s) under review" if pending else ""
        rows.append((copy.student, copy.student_name, copy_id, *cells, _number(total), _number(most), note))
    return _csv(rows)


def _key_order(item) -> tuple:
    (copy, _), row = item
    return (_copy_order(copy), row.number)


def _cell(value) -> str:
    if value is None:
        return REVIEW
    return "" if value == "" else _number(value)


def _number(value: float) -> str:
    return f"{value:g}"


def _csv(rows) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _png(image) -> bytes:
    import cv2

    ok, data = cv2.imencode(".png", image)
    if not ok:
        raise RuntimeError("OpenCV could not encode a review crop")  # a bug, not the user's input
    return data.tobytes()
