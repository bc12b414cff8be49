"""review.csv: every place grading would have to guess, and the teacher's decisions, read back on a rerun.

A row is about a box (an unclear mark: decide `marked` or `empty`), a
question (two marks where one is allowed, no score ticked, a page not scanned,
a page scanned twice and read differently: decide the question's values, e.g.
`B`, `A|C`, `2`, or `none`), or a page that could not be placed (decide
`skip`). Rows are matched on a rerun by copy, question and box (a page by its
reason), so a decision survives a rescan of other pages.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from pathlib import Path

from quizgen.errors import ERROR, ContentError, Issue
from quizgen.paper.layout_file import read_set_file

REVIEW_FILE = "review.csv"
COLUMNS = ("student", "copy", "question", "box", "reason", "crop", "decision")
MARKED, EMPTY, NONE, SKIP = "marked", "empty", "none", "skip"


@dataclass(frozen=True)
class ReviewRow:
    """One place for the teacher to settle."""

    student: str
    copy: str
    question: str
    box: str
    reason: str
    crop: str
    decision: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies the place across runs."""
        if not self.question:
            return (self.copy, "", self.reason)
        return (self.copy, self.question, self.box)

    @property
    def about(self) -> str:
        if not self.question:
            return "page"
        return "box" if self.box else "question"


@dataclass(frozen=True)
class Decisions:
    """The decisions of a previous review.csv, by place, with the line each came from."""

    by_key: dict[tuple[str, str, str], tuple[str, int]]
    path: str

    def get(self, row: ReviewRow) -> str:
        return self.by_key.get(row.key, ("", 0))[0]


def read_decisions(path: Path) -> Decisions:
    """The decisions in an earlier review.csv (none when there is no file yet)."""
    if not path.exists() and not path.is_symlink():
        return Decisions({}, str(path))
    text = read_set_file(path)  # inside the folder, regular, capped; a spreadsheet's byte-order mark is dropped
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or ())]
    if missing:
        message = f"review file lacks the column(s) {', '.join(missing)} (expected {','.join(COLUMNS)})"
        raise ContentError([Issue(str(path), 1, 1, ERROR, message)])
    decisions = {}
    for line, raw in enumerate(reader, start=2):
        row = ReviewRow(*((raw.get(column) or "").strip() for column in COLUMNS))
        if row.decision:
            decisions[row.key] = (row.decision, line)
    return Decisions(decisions, str(path))


def check_decision(row: ReviewRow, decisions: Decisions, values: dict[str, str]) -> tuple[str, Issue | None]:
    """The row's decision if it is one the row allows, else '' and an Issue at its line.

    `values` maps each value of the row's question to its group (the boxes of which one may be marked)."""
    decision = decisions.get(row)
    if not decision:
        return "", None
    allowed = _allowed(row, decision, values)
    if allowed is None:
        return decision, None
    line = decisions.by_key[row.key][1]
    col = COLUMNS.index("decision") + 1
    where = row.box or row.question or row.reason
    return "", Issue(decisions.path, line, col, ERROR, f"decision '{decision}' for {where} ({allowed})")


def _allowed(row: ReviewRow, decision: str, values: dict[str, str]) -> str | None:
    """None when the decision suits the row, else what it expects."""
    if row.about == "box":
        return None if decision in (MARKED, EMPTY) else f"expected {MARKED} or {EMPTY}"
    if row.about == "page":
        return None if decision == SKIP else f"expected {SKIP}"
    if decision == NONE:
        return None
    chosen = decision.split("|")
    unknown = [value for value in chosen if value not in values]
    if unknown:
        return f"expected '{NONE}' or values of this question joined by '|': {', '.join(sorted(values))}"
    return _two_in_a_group(chosen, values)


def _two_in_a_group(chosen: list[str], values: dict[str, str]) -> str | None:
    """What is wrong when a decision gives two values where the sheet allows one (two scores, a row's two
    places); None when it keeps the sheet's rule. Such a decision would score as a guess."""
    by_group: dict[str, list[str]] = {}
    for value in dict.fromkeys(chosen):  # a value given twice is still one mark
        by_group.setdefault(values[value], []).append(value)
    for members in by_group.values():
        if len(members) > 1:
            return f"{' and '.join(members)} cannot both be marked: give one of them"
    return None


def decided_values(decision: str) -> frozenset[str]:
    """The values a question decision takes ('none': nothing marked)."""
    return frozenset() if decision == NONE else frozenset(decision.split("|"))


def with_decision(row: ReviewRow, decision: str) -> ReviewRow:
    return replace(row, decision=decision)


def review_csv(rows: list[ReviewRow]) -> str:
    """review.csv's text: one line per place, decisions kept."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([getattr(row, column) for column in COLUMNS])
    return out.getvalue()
