"""Reading a graded sitting: the class set's layout.json and key.csv, and grading's responses.csv and scores.csv.

The formats are fixed in docs/grading.md. Every problem is a located Issue
(`path:line:col`, the line of the CSV row and the column of its field), all
reported at once. The result is a `Sitting`: plain data for quizgen.paper.analysis.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from quizgen.errors import ERROR, WARNING, ContentError, Issue
from quizgen.load.fields import display_path
from quizgen.load.files import parse_json
from quizgen.paper.layout_file import (
    KEY_COLUMNS,
    KEY_FILE,
    LAYOUT_FILE,
    NOT_SCANNED,
    RESPONSE_COLUMNS,
    RESPONSES_FILE,
    SCORE_COLUMNS,
    SCORE_TAIL,
    SCORES_FILE,
    UNDER_REVIEW,
    CsvTable,
    field_column,
    read_set_text,
)


@dataclass(frozen=True)
class Box:
    """One box of one copy's sheet: what marking it means as printed (`value`) and in bank order (`option`)."""

    question: str
    value: str
    option: str
    group: str


@dataclass(frozen=True)
class Sitting:
    """One graded class: who scored what on each question, and which options each student marked."""

    quiz: str
    id: str  # stable for one class set: recording it again replaces, never adds
    questions: tuple[str, ...]  # bank/id, in the order of scores.csv
    max_points: dict[str, int]
    students: tuple[str, ...]
    scores: tuple[tuple[float, ...], ...]  # students x questions
    options: dict[str, tuple[str, ...]]  # choice questions only: every option, in bank order
    keys: dict[str, frozenset[str]]  # choice questions only: the right option(s)
    single: dict[str, bool]  # choice questions: at most one option may be marked
    marked: dict[str, tuple[frozenset[str], ...]]  # choice questions: per student, the options marked
    under_review: int  # responses still under review (scored 0 until settled)
    warnings: tuple[Issue, ...] = ()


def read_sitting(sheets_dir: Path, grade_dir: Path) -> Sitting:
    """The graded sitting in SHEETS_DIR (layout.json, key.csv) and GRADE_DIR (responses.csv, scores.csv)."""
    issues: list[Issue] = []
    layout = _read_layout(sheets_dir / LAYOUT_FILE, issues)
    key = CsvTable(sheets_dir / KEY_FILE, KEY_COLUMNS, issues)
    responses = CsvTable(grade_dir / RESPONSES_FILE, RESPONSE_COLUMNS, issues)
    scores = CsvTable(grade_dir / SCORES_FILE, SCORE_COLUMNS + SCORE_TAIL, issues)
    if any(issue.is_error for issue in issues):
        raise ContentError(issues)
    quiz, boxes, layout_bytes = layout
    sitting = _assemble(quiz, boxes, key, responses, scores, issues)
    if not sitting["students"] and not any(issue.is_error for issue in issues):
        # figures of nobody would read (and be recorded) as difficulty 0: every question failed by all
        message = "no student to analyze: scores.csv has no copy that was scanned"
        issues.append(Issue(display_path(grade_dir / SCORES_FILE), 1, 1, ERROR, message))
    if any(issue.is_error for issue in issues):
        raise ContentError(issues)
    sitting_id = f"{quiz}-{hashlib.sha256(layout_bytes).hexdigest()[:12]}"
    return _with(sitting, id=sitting_id, warnings=tuple(i for i in issues if not i.is_error))


def _with(sitting: dict, **more: object) -> Sitting:
    return Sitting(**sitting, **more)


def _read_layout(path: Path, issues: list[Issue]) -> tuple[str, dict[tuple[int, str], list[Box]], bytes]:
    """(quiz id, boxes by (copy, question), the file's bytes): what analysis needs of layout.json."""
    where = display_path(path)
    text = read_set_text(path, issues)
    if text is None:
        return "", {}, b""
    try:
        data = parse_json(text)
        quiz = data["quiz"]
        boxes: dict[tuple[int, str], list[Box]] = {}
        for copy in data["copies"]:
            for box in copy["boxes"]:
                value = str(box["value"])
                placed = Box(box["question"], value, str(box.get("option", value)), box["group"])
                boxes.setdefault((int(copy["copy"]), box["question"]), []).append(placed)
    except json.JSONDecodeError as exc:
        issues.append(Issue(where, exc.lineno, exc.colno, ERROR, f"not JSON: {exc.msg}"))
        return "", {}, b""
    except (KeyError, TypeError, ValueError) as exc:
        issues.append(Issue(where, 1, 1, ERROR, f"not a class-set layout (see docs/grading.md): {exc!r}"))
        return "", {}, b""
    return str(quiz), boxes, text.encode("utf-8")


def _assemble(quiz, boxes, key: CsvTable, responses: CsvTable, scores: CsvTable, issues: list[Issue]) -> dict:
    max_points, rights = _read_key(key)
    start, end = len(SCORE_COLUMNS), scores.header.index("total")
    questions = tuple(scores.header[start:end])
    for question in questions:
        if question not in max_points:
            scores.error(
                1,
                field_column(",".join(scores.header), scores.header.index(question)),
                f"question '{question}' is not in key.csv",
            )
    students, table, copies = _read_scores(scores, questions, max_points)
    marked, under_review = _read_responses(responses, boxes)
    if any(issue.is_error for issue in issues):  # the options below need every copy and mark to be sound
        raise ContentError(issues)
    choice = _choice_questions(questions, boxes)
    options, keys, single, per_student = {}, {}, {}, {}
    for question in choice:
        found = _choice_data(question, boxes, rights, marked, students, copies, key)
        if found is not None:
            options[question], keys[question], single[question], per_student[question] = found
    return dict(
        quiz=quiz,
        questions=questions,
        max_points={q: max_points.get(q, 0) for q in questions},
        students=students,
        scores=table,
        options=options,
        keys=keys,
        single=single,
        marked=per_student,
        under_review=under_review,
    )


def _read_key(key: CsvTable) -> tuple[dict[str, int], dict[tuple[int, str], tuple[str, ...]]]:
    points: dict[str, int] = {}
    rights: dict[tuple[int, str], tuple[str, ...]] = {}
    for index, row in enumerate(key.rows):
        copy = _int(key, index, "copy")
        value = _int(key, index, "points")
        if copy is None or value is None:
            continue
        question = row["question"]
        if points.setdefault(question, value) != value:
            key.at(
                index, "points", f"question '{question}' is worth {value} here but {points[question]} on another copy"
            )
        rights[(copy, question)] = tuple(v for v in row["right"].split("|") if v)
    return points, rights


def _int(table: CsvTable, index: int, column: str) -> int | None:
    text = table.rows[index][column].strip()
    if not text.isdigit():
        table.at(index, column, f"'{column}' is '{text}' (expected a whole number)")
        return None
    return int(text)


def _read_scores(scores: CsvTable, questions, max_points) -> tuple[tuple[str, ...], tuple, dict[str, int]]:
    students, table, copies = [], [], {}
    for index, row in enumerate(scores.rows):
        if row.get("provisional", "").strip() == NOT_SCANNED:  # did not sit (or the pages are missing)
            scores.at(index, "student", f"copy {row['copy']} was not scanned: left out of the analysis", WARNING)
            continue
        values = []
        for question in questions:
            values.append(_score(scores, index, question, max_points.get(question)))
        copy = _int(scores, index, "copy")
        if row["student"] in copies:
            scores.at(index, "student", f"student '{row['student']}' has a second row")
            continue
        students.append(row["student"])
        copies[row["student"]] = copy if copy is not None else -1
        table.append(tuple(values))
    return tuple(students), tuple(table), copies


def _score(scores: CsvTable, index: int, question: str, most: int | None) -> float:
    text = scores.rows[index][question].strip()
    if text == UNDER_REVIEW:  # counts 0 until settled; responses.csv says how many wait (under_review)
        return 0.0
    try:
        value = float(text)
    except ValueError:
        scores.at(index, question, f"score '{text}' for '{question}' is not a number")
        return 0.0
    if value < 0 or (most is not None and value > most):
        scores.at(index, question, f"score {text} for '{question}' is outside 0..{most} (its points in key.csv)")
    return value


def _read_responses(responses: CsvTable, boxes) -> tuple[dict[tuple[str, str], tuple[str, ...]], int]:
    marked: dict[tuple[str, str], tuple[str, ...]] = {}
    under_review = 0
    for index, row in enumerate(responses.rows):
        status = row["status"].strip()
        if status not in ("ok", UNDER_REVIEW):
            responses.at(index, "status", f"status '{status}' (expected ok or review)")
            continue
        copy = _int(responses, index, "copy")
        if copy is None:
            continue
        values = tuple(v for v in row["marked"].split("|") if v)
        printed = {box.value for box in boxes.get((copy, row["question"]), [])}
        unknown = [v for v in values if v not in printed]
        if unknown:
            where = f"copy {copy}, question '{row['question']}'"
            responses.at(index, "marked", f"{where}: marked '{unknown[0]}' is not a box of layout.json")
            continue
        under_review += status == UNDER_REVIEW
        marked[(row["student"], row["question"])] = values if status == "ok" else ()
    return marked, under_review


def _choice_questions(questions, boxes) -> list[str]:
    """Questions whose boxes are options (letters, true/false), not rows, grid digits or scores."""
    found = []
    for question in questions:
        values = [box.value for (copy, q), placed in boxes.items() if q == question for box in placed]
        if values and all("=" not in v and not v.isdigit() for v in values):
            found.append(question)
    return found


def _choice_data(question, boxes, rights, marked, students, copies, key: CsvTable):
    """(options, key, single, per-student options marked) in bank order, or None with a warning."""
    options: list[str] = []
    right: set[str] = set()
    groups: set[int] = set()
    per_student = []
    for student in students:
        copy = copies[student]
        placed = boxes.get((copy, question), [])
        stable = {box.value: box.option for box in placed}
        groups.add(len({box.group for box in placed}) == 1)
        options += [box.option for box in placed if box.option not in options]
        right |= {stable.get(v, v) for v in rights.get((copy, question), ())}
        per_student.append(frozenset(stable[v] for v in marked.get((student, question), ())))
    single = groups == {True}
    if single and len(right) > 1:
        line = next((key.lines[i] for i, row in enumerate(key.rows) if row["question"] == question), 1)
        message = (
            f"question '{question}': its right answer is printed as {', '.join(sorted(right))} on different copies "
            "and layout.json does not say which option each box is ('option'), so its options are not compared"
        )
        key.issues.append(Issue(key.path, line, 1, WARNING, message))
        return None
    return tuple(sorted(options)), frozenset(right), single, tuple(per_student)
