"""The class set's files for machines (layout.json, key.csv, roster.csv) and grading's CSV files: one definition.

`quizgen grade` and other tools read a class set with these functions, so the
formats (docs/grading.md) have one definition. Values of marked boxes are
always joined one way: sorted, separated by `|` (`join_values`).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from quizgen.errors import ERROR, ContentError, Issue, QuizgenError
from quizgen.load.fields import display_path
from quizgen.load.files import MAX_CONTENT_BYTES, UnsafeFile, decode_utf8, parse_json, read_inside
from quizgen.paper.roster import Student, parse_roster
from quizgen.paper.sheet import AnswerSheet, Rect

LAYOUT_FILE = "layout.json"
KEY_FILE = "key.csv"
ROSTER_FILE = "roster.csv"
CLASS_SET_FILE = "class-set.pdf"
KEY_COLUMNS = ("copy", "student", "question", "number", "right", "points")
# What `quizgen grade` writes and `quizgen analyze` reads (docs/grading.md).
RESPONSES_FILE, SCORES_FILE = "responses.csv", "scores.csv"
RESPONSE_COLUMNS = ("student", "copy", "question", "marked", "status")
SCORE_COLUMNS = ("student", "name", "copy")  # then one column per question, then total, max and provisional
SCORE_TAIL = ("total", "max")
UNDER_REVIEW = "review"  # a score cell, and a response's status, while a teacher's decision is awaited
NOT_SCANNED = "not scanned"  # the provisional cell of a copy with no page in the scans


def join_values(values) -> str:
    """Box values as key.csv's `right` and responses.csv's `marked` write them: sorted, joined by `|`."""
    return "|".join(sorted(values))


def split_values(text: str) -> list[str]:
    """The values of a `right` or `marked` cell (none for an empty cell)."""
    return text.split("|") if text else []


# --- layout.json ---------------------------------------------------------------------------


def layout_data(quiz_id: str, sheets: list[AnswerSheet], first_pages: list[int], file: str = CLASS_SET_FILE) -> dict:
    """layout.json's content: each copy's sheet pages (with their page in `file`, from 1) and boxes."""
    return {
        "quiz": quiz_id,
        "copies": [_copy_data(s, first, file) for s, first in zip(sheets, first_pages, strict=True)],
    }


def _copy_data(sheet: AnswerSheet, first_page: int, file: str) -> dict:
    student = sheet.copy.student
    pages = [
        {
            "file": file,
            "page": first_page + page.index,
            "width": page.width,
            "height": page.height,
            "qr": page.qr_text,
            "qr_box": _rect(page.qr_box),
            "markers": [{"x": m.x, "y": m.y, "size": m.w} for m in page.markers],
        }
        for page in sheet.pages
    ]
    boxes = [
        {"id": b.id, "question": b.question, "value": b.value, "group": b.group, "page": page.index, **_rect(b.rect)}
        | ({"option": b.option} if b.option else {})
        for page in sheet.pages
        for b in page.boxes
    ]
    data = {"copy": sheet.copy.number, "student": {"id": student.id, "name": student.name}, "pages": pages}
    return data | {"boxes": boxes, "grids": list(sheet.grids)}


def _rect(rect: Rect) -> dict:
    return {"x": rect.x, "y": rect.y, "w": rect.w, "h": rect.h}


def layout_json(data: dict) -> str:
    """layout.json as text: stable key order, one run gives the same bytes as the next."""
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def read_layout(folder: Path) -> dict:
    """A class set's layout.json; ContentError (located) when it is missing, unreadable or not a layout."""
    path = Path(folder) / LAYOUT_FILE
    issues: list[Issue] = []
    text = read_set_text(path, issues)
    if text is None:
        raise ContentError(issues)
    try:
        data = parse_json(text)
    except json.JSONDecodeError as exc:
        raise ContentError([Issue(display_path(path), exc.lineno, exc.colno, ERROR, f"not JSON: {exc.msg}")]) from None
    if not isinstance(data, dict) or "quiz" not in data or not isinstance(data.get("copies"), list):
        raise ContentError([layout_issue(folder, "not a class-set layout (expected 'quiz' and 'copies')")])
    return data


def layout_issue(folder: Path, message: str) -> Issue:
    """An error about a class set's layout.json as a whole (at its first line)."""
    return Issue(display_path(Path(folder) / LAYOUT_FILE), 1, 1, ERROR, message)


# --- key.csv ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyRow:
    """One row of key.csv: a question on a copy, its printed number, its right values and its points."""

    copy: int
    student: str
    question: str
    number: int
    right: str
    points: int


def key_rows(sheets: list[AnswerSheet]) -> list[KeyRow]:
    """The key of every copy, question by question in printed order."""
    return [
        KeyRow(s.copy.number, s.copy.student.id, a.question, a.number, join_values(a.right), a.points)
        for s in sheets
        for a in s.answers
    ]


def key_csv(rows: list[KeyRow]) -> str:
    """key.csv as text: `copy,student,question,number,right,points`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(KEY_COLUMNS)
    writer.writerows((r.copy, r.student, r.question, r.number, r.right, r.points) for r in rows)
    return out.getvalue()


def read_key(folder: Path) -> list[KeyRow]:
    """A class set's key.csv as rows; ContentError (every problem, located) when it is missing, its
    columns are not key.csv's or a number is not one."""
    issues: list[Issue] = []
    table = CsvTable(Path(folder) / KEY_FILE, KEY_COLUMNS, issues)
    if table.header and tuple(table.header) != KEY_COLUMNS and not issues:  # not again after missing columns
        table.error(1, 1, f"expected the columns {','.join(KEY_COLUMNS)}")
    rows = [_key_row(table, index) for index in range(len(table.rows))]
    if issues:
        raise ContentError(issues)
    return rows


def _key_row(table: CsvTable, index: int) -> KeyRow | None:
    row = table.rows[index]
    numbers = {}
    for column in ("copy", "number", "points"):
        if not row[column].strip().isdigit():
            table.at(index, column, f"'{column}' is '{row[column]}' (expected a whole number)")
            return None
        numbers[column] = int(row[column])
    return KeyRow(numbers["copy"], row["student"], row["question"], numbers["number"], row["right"], numbers["points"])


# --- roster.csv ------------------------------------------------------------------------------


def roster_csv(students: list[Student]) -> str:
    """The roster as read: id, name and the extra columns (empty when the copies are anonymous)."""
    extra = [name for name, _ in students[0].extra] if students else []
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "name", *extra])
    writer.writerows([s.id, s.name, *(value for _, value in s.extra)] for s in students if s.id)
    return out.getvalue()


def read_roster_file(folder: Path) -> list[Student]:
    """A class set's roster.csv (checked as any roster is)."""
    path = Path(folder) / ROSTER_FILE
    students, issues = parse_roster(read_set_file(path), str(path))
    real = [issue for issue in issues if "no students" not in issue.message]  # anonymous copies: a header only
    if real:
        raise ContentError(real)  # every problem, each at its line (the roster was checked when the set was made)
    return students


def read_set_file(path: Path) -> str:
    """A file of a class-set folder, which a colleague may have shared: a regular file inside the folder,
    under the content cap (a link to /etc/passwd or a FIFO is refused, never read)."""
    try:
        return _set_file_text(path)
    except UnicodeDecodeError as exc:
        raise QuizgenError(f"cannot read: not UTF-8 (byte {exc.start})", (str(path), 1, 1)) from None


def _set_file_text(path: Path) -> str:
    return decode_utf8(read_inside(path, path.parent, max_bytes=MAX_CONTENT_BYTES))


# --- any CSV of a class set or a grading: rows with their lines, for located messages ------------


class CsvTable:
    """A CSV file read with the line of each row and the column of each field, for located messages."""

    def __init__(self, path: Path, columns: tuple[str, ...], issues: list[Issue]):
        self.path = display_path(path)
        self.issues = issues
        self.rows: list[dict[str, str]] = []
        self.lines: list[int] = []
        self.header: list[str] = []
        text = read_set_text(path, issues)
        if text is not None:
            self._parse(text, columns)

    def _parse(self, text: str, columns: tuple[str, ...]) -> None:
        lines = text.splitlines()
        reader = csv.reader(io.StringIO(text))
        self.header = next(reader, [])
        missing = [name for name in columns if name not in self.header]
        if missing:
            self.error(1, 1, f"missing column(s) {', '.join(missing)} (expected {','.join(columns)} first)")
            return
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(self.header):
                self.error(line, 1, f"{len(row)} field(s) where the header has {len(self.header)}")
                continue
            self.rows.append(dict(zip(self.header, row, strict=True)))
            self.lines.append(line)
        self._raw = lines

    def at(self, index: int, column: str, message: str, severity: str = ERROR) -> None:
        """A problem with one field of row `index`: located at that field's first character."""
        line = self.lines[index]
        col = field_column(self._raw[line - 1], self.header.index(column)) if line <= len(self._raw) else 1
        self.issues.append(Issue(self.path, line, col, severity, message))

    def error(self, line: int, col: int, message: str) -> None:
        self.issues.append(Issue(self.path, line, col, ERROR, message))


def read_set_text(path: Path, issues: list[Issue]) -> str | None:
    """A class-set or grading file's text (read as read_set_file reads it), or None and the reason in `issues`."""
    if not path.exists() and not path.is_symlink():  # read_inside would say it as an unsafe file, path and all
        issues.append(Issue(display_path(path), 1, 1, ERROR, "file not found"))
        return None
    try:
        return _set_file_text(path)
    except UnsafeFile as exc:  # its message starts with the path, which the Issue already gives
        issues.append(Issue(display_path(path), 1, 1, ERROR, str(exc).removeprefix(f"{path}: ")))
    except OSError as exc:
        issues.append(Issue(display_path(path), 1, 1, ERROR, f"cannot read the file: {exc.strerror or exc}"))
    except UnicodeDecodeError as exc:
        issues.append(Issue(display_path(path), 1, 1, ERROR, f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
    return None


def field_column(line: str, index: int) -> int:
    """The 1-based character column where field `index` of a CSV line starts (quotes respected)."""
    field, quoted = 0, False
    for col, char in enumerate(line, start=1):
        if field == index:
            return col
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            field += 1
    return len(line) + 1
