"""The class roster: a CSV file with `id` and `name` columns, read and checked with located errors.

Every problem is reported at once as `students.csv:LINE:COL: error: ...` (the
column is the character where the field starts), so a teacher's editor jumps
to it. Extra columns (class, email ...) are kept as they are. An id names the
student's files (feedback/<id>.pdf), so it must be usable in a file name.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from quizgen.errors import ERROR, ContentError, Issue
from quizgen.load.files import MAX_CONTENT_BYTES, read_inside

REQUIRED = ("id", "name")
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
LINE_BREAK = re.compile(r"\r\n|\r|\n")
ID_RULE = "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"


@dataclass(frozen=True)
class Student:
    """One roster row: the id, the name, and the row's other columns as read."""

    id: str
    name: str
    extra: tuple[tuple[str, str], ...] = field(default=())


@dataclass(frozen=True)
class Cell:
    """A field of the CSV text, with the line and column where it starts (1-based)."""

    value: str
    line: int
    col: int


def read_roster(path: Path) -> list[Student]:
    """The students of a roster file, in file order; ContentError lists every problem."""
    real = Path(path).resolve()  # named on the command line: a link is followed, but only to a regular file
    data = read_inside(real, real.parent, max_bytes=MAX_CONTENT_BYTES)
    try:
        text = data.decode("utf-8-sig")  # -sig: a spreadsheet's byte-order mark is tolerated
    except UnicodeDecodeError as exc:
        line, col = _position(data, exc.start)
        raise ContentError(
            [Issue(str(path), line, col, ERROR, "the roster is not UTF-8 (save it as CSV UTF-8)")]
        ) from None
    students, issues = parse_roster(text, str(path))
    if issues:
        raise ContentError(issues)
    return students


def parse_roster(text: str, path: str) -> tuple[list[Student], list[Issue]]:
    """The students of a roster text, and every problem in it."""
    records = [record for record in csv_records(text) if any(cell.value.strip() for cell in record)]
    if not records:
        return [], [Issue(path, 1, 1, ERROR, "the roster is empty (expected a header row: id,name)")]
    open_quotes = _open_quotes(records, path)
    if open_quotes:  # the rows after such a quote were read into one field: nothing else can be trusted
        return [], open_quotes
    header, rows = records[0], records[1:]
    columns, issues = _header_columns(header, path)
    if issues:
        return [], issues
    students: list[Student] = []
    first_line: dict[str, int] = {}
    for record in rows:
        student, problems = _student(record, columns, header, path, first_line)
        issues += problems
        if student is not None:
            students.append(student)
    if not students and not issues:
        issues.append(Issue(path, header[0].line, 1, ERROR, "the roster has a header but no students"))
    return students, issues


def _open_quotes(records: list[list[Cell]], path: str) -> list[Issue]:
    """A field over several lines: a quote left open, which swallows the next students' rows into one field.
    No roster field (an id, a name, a class) holds a line break, so it is an error, never a guess."""
    issues = []
    for record in records:
        for cell in record:
            lines = len(LINE_BREAK.split(cell.value.rstrip("\r\n")))
            if lines > 1:
                message = (
                    f"a quoted field runs over lines {cell.line} to {cell.line + lines - 1}: close its quote"
                    " (a roster field is one line; the rows inside it would be lost)"
                )
                issues.append(Issue(path, cell.line, cell.col, ERROR, message))
    return issues


def _header_columns(header: list[Cell], path: str) -> tuple[dict[str, int], list[Issue]]:
    """Where `id` and `name` are (case and spaces ignored); problems for blank, repeated or missing names."""
    issues, columns = [], {}
    names = [cell.value.strip().casefold() for cell in header]
    for index, (cell, name) in enumerate(zip(header, names, strict=True)):
        if not name:
            issues.append(Issue(path, cell.line, cell.col, ERROR, f"header column {index + 1} has no name"))
        elif name in columns:
            issues.append(Issue(path, cell.line, cell.col, ERROR, f"header column '{cell.value}' is given twice"))
        else:
            columns[name] = index
    for wanted in REQUIRED:
        if wanted not in columns:
            issues.append(_missing_column(wanted, header, names, path))
    return columns, issues


def _missing_column(wanted: str, header: list[Cell], names: list[str], path: str) -> Issue:
    unknown = [name for name in names if name and name not in REQUIRED]
    close = difflib.get_close_matches(wanted, unknown, n=1, cutoff=0.6)
    if close:
        cell = header[names.index(close[0])]
        message = f"unknown header column '{cell.value}': did you mean '{wanted}'? (the roster needs id and name)"
        return Issue(path, cell.line, cell.col, ERROR, message)
    found = ", ".join(cell.value for cell in header) or "nothing"
    return Issue(path, header[0].line, 1, ERROR, f"the header has no '{wanted}' column (found: {found})")


def _student(
    record: list[Cell], columns: dict[str, int], header: list[Cell], path: str, first_line: dict[str, int]
) -> tuple[Student | None, list[Issue]]:
    """One row as a Student, or None with its problems; `first_line` remembers the ids seen."""
    issues = []
    seen_folded = {seen.casefold(): seen for seen in first_line}
    if len(record) > len(header):
        extra = record[len(header)]
        issues.append(
            Issue(path, extra.line, extra.col, ERROR, f"row has {len(record)} fields, the header {len(header)}")
        )
    cells = {name: _cell(record, index) for name, index in columns.items()}
    student_id, name = cells["id"], cells["name"]
    ident = student_id.value.strip()
    if not ident:
        issues.append(Issue(path, student_id.line or record[0].line, student_id.col or 1, ERROR, "missing id"))
    elif not ID_PATTERN.fullmatch(ident):
        message = f"id '{ident}' cannot name a file (expected {ID_RULE})"
        issues.append(Issue(path, student_id.line, student_id.col, ERROR, message))
    elif ident in first_line:
        message = f"id '{ident}' is also on line {first_line[ident]} (ids must be unique)"
        issues.append(Issue(path, student_id.line, student_id.col, ERROR, message))
    elif ident.casefold() in seen_folded:
        other = seen_folded[ident.casefold()]
        message = (
            f"id '{ident}' differs only in case from '{other}' on line {first_line[other]}"
            " (ids name files, and Windows and macOS disks ignore case: one feedback file would replace the other)"
        )
        issues.append(Issue(path, student_id.line, student_id.col, ERROR, message))
    else:
        first_line[ident] = student_id.line
    if not name.value.strip():
        issues.append(Issue(path, name.line or record[0].line, name.col or 1, ERROR, f"missing name for id '{ident}'"))
    if issues:
        return None, issues
    extra_columns = tuple(
        (header[i].value.strip(), _cell(record, i).value)
        for i in range(len(header))
        if i not in (columns["id"], columns["name"])
    )
    return Student(ident, " ".join(name.value.split()), extra_columns), []


def _cell(record: list[Cell], index: int) -> Cell:
    """The field at `index`, or an empty one (line 0) where the row is short."""
    return record[index] if index < len(record) else Cell("", 0, 0)


def csv_records(text: str) -> list[list[Cell]]:
    """The records of a CSV text (RFC 4180: commas, double quotes, quoted newlines), with positions.

    The csv module gives no column of a field, and an error must point at one.
    """
    records: list[list[Cell]] = []
    record: list[Cell] = []
    value, line, col, start = [], 1, 1, (1, 1)
    quoted, at_start = False, True
    i = 0
    while i < len(text):
        char = text[i]
        if quoted:
            if char == '"' and text[i + 1 : i + 2] == '"':
                value.append('"')
                i, col = i + 1, col + 1
            elif char == '"':
                quoted = False
            else:
                value.append(char)
        elif char == '"' and at_start:
            quoted = True
        elif char == ",":
            record.append(Cell("".join(value), *start))
            value, start = [], (line, col + 1)
        elif char in "\r\n":
            if char == "\r" and text[i + 1 : i + 2] == "\n":
                i += 1
            record.append(Cell("".join(value), *start))
            records.append(record)
            record, value, start = [], [], (line + 1, 1)
        else:
            value.append(char)
        at_start = char == "," or char in "\r\n"
        if char == "\n" or (char == "\r" and not quoted):
            line, col = line + 1, 1
        else:
            col += 1
        i += 1
    if value or record:
        record.append(Cell("".join(value), *start))
        records.append(record)
    return records


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """(line, column) of a byte offset, counting characters of the valid text before it."""
    before = data[:offset].decode("utf-8", errors="replace")
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
