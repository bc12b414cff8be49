"""review.csv: every place grading would have to guess, and the teacher's decisions, read back on a rerun.

A row is about a box (an unclear mark: decide `marked` or `empty`), a
question (two marks where one is allowed, no score ticked, a page not scanned,
a page scanned twice and read differently: decide the question's values, e.g.
`B`, `A|C`, `2`, or `none`), or a page that could not be placed (decide
`skip`). Rows are matched on a rerun by copy, question and box (a page by its
reason), so a decision survives a rescan of other pages.

A decision applies only to the evidence it was made on. Each row records in
`evidence` the tag of its copy's sheet (from the QR code: which class set)
and a short digest of the pixels behind the row (its crops, or the page).
On a rerun a decision whose copy tag is not this set's is an error (the file
is another class set's grading); one whose digest differs from what these
scans show (another scan of the place: scanned again, or an identical class
set's review.csv) is not applied, and the place goes back to review with a
warning. A review.csv without the column (written before it existed) cannot
say what its decisions were made on: they go back to review the same way.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field, replace
from pathlib import Path

from quizgen.errors import ERROR, ContentError, Issue
from quizgen.paper.layout_file import read_set_file

REVIEW_FILE = "review.csv"
COLUMNS = ("student", "copy", "question", "box", "reason", "crop", "decision", "evidence")
REQUIRED = COLUMNS[:-1]  # a review.csv written before `evidence` existed is still read
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
    evidence: str = ""  # "<copy tag>:<digest of the row's pictures>"
    withdrawn: str = field(default="", compare=False)  # why a decision found for it was not applied

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
class Decided:
    """A decision read from review.csv: the value, its line, and the evidence it was made on."""

    decision: str
    line: int
    evidence: str

    @property
    def tag(self) -> str:
        return self.evidence.partition(":")[0]


@dataclass(frozen=True)
class Decisions:
    """The decisions of a previous review.csv, by place; `recorded`: whether the file has the evidence column."""

    by_key: dict[tuple[str, str, str], Decided]
    path: str
    recorded: bool = True

    def get(self, row: ReviewRow) -> str:
        found = self.by_key.get(row.key)
        return found.decision if found else ""


def evidence(tag: str, images) -> str:
    """What a row was decided on: the copy's sheet tag and a short digest of the pictures' pixels."""
    digest = hashlib.sha256()
    for image in images:
        digest.update(f"{image.shape}{image.dtype}".encode())
        digest.update(image.tobytes())
    return f"{tag}:{digest.hexdigest()[:16]}"


def sheet_tag(copy) -> str:
    """A SheetCopy's tag ('' for no copy): which class set its sheet was printed for."""
    return copy.tag if copy is not None else ""


def read_decisions(path: Path) -> Decisions:
    """The decisions in an earlier review.csv (none when there is no file yet)."""
    if not path.exists() and not path.is_symlink():
        return Decisions({}, str(path))
    text = read_set_file(path)  # inside the folder, regular, capped; a spreadsheet's byte-order mark is dropped
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in REQUIRED if column not in (reader.fieldnames or ())]
    if missing:
        message = f"review file lacks the column(s) {', '.join(missing)} (expected {','.join(COLUMNS)})"
        raise ContentError([Issue(str(path), 1, 1, ERROR, message)])
    decisions: dict[tuple[str, str, str], Decided] = {}
    issues: list[Issue] = []
    try:
        for raw in reader:
            line = reader.line_num  # the file's line, not the row's count: a blank line is skipped, not counted
            row = ReviewRow(*((raw.get(column) or "").strip() for column in COLUMNS))
            if row.decision:
                issues += _second_decision(row, decisions.get(row.key), str(path), line)
                decisions.setdefault(row.key, Decided(row.decision, line, row.evidence))
    except csv.Error as exc:  # a cell over csv's field limit, or worse: the file cannot be read as review.csv
        line = reader.line_num + 1  # the line being parsed is not counted yet
        raise ContentError([Issue(str(path), line, 1, ERROR, f"cannot read this line: {exc}")]) from None
    if issues:
        raise ContentError(issues)
    return Decisions(decisions, str(path), "evidence" in (reader.fieldnames or ()))


def _second_decision(row: ReviewRow, first: Decided | None, path: str, line: int) -> list[Issue]:
    """An error when a row decides a place an earlier row already decided otherwise (a row copied, then edited):
    which of the two the teacher meant cannot be told, and taking either would score a guess."""
    if first is None or first.decision == row.decision:  # the same decision twice is one (the first row's evidence)
        return []
    message = (
        f"decision '{shown(row.decision)}' for copy {shown(row.copy)} ({shown(row.box or row.question or row.reason)}),"
        f" but line {first.line} decides the same place '{shown(first.decision)}': keep one of the two rows"
    )
    return [Issue(path, line, COLUMNS.index("decision") + 1, ERROR, message)]


def shown(value: str, limit: int = 60) -> str:
    """A value read from a file, for a message: control characters escaped (a terminal would act on them), a
    long one cut short (a 100,000-character cell would bury every other message)."""
    text = "".join(char if char.isprintable() else repr(char)[1:-1] for char in value)
    return f"{text[:limit]}…" if len(text) > limit else text


def settle_row(row: ReviewRow, decisions: Decisions, values: dict[str, str], issues: list[Issue]) -> ReviewRow:
    """The row with its decision when that was made on this row's evidence and is one the row allows; else
    the row undecided: `withdrawn` says why a decision made on other evidence is not applied, and a decision
    the row does not allow is an error added to `issues`."""
    found = decisions.by_key.get(row.key)
    if found is None:
        return row
    withdrawn = _not_made_on(row, found, decisions.recorded)
    if withdrawn:
        return replace(row, reason=_noting_earlier(row, found), withdrawn=withdrawn)
    decision, issue = check_decision(row, decisions, values)
    if issue is not None:
        issues.append(issue)
    return replace(row, decision=decision)


def check_decision(row: ReviewRow, decisions: Decisions, values: dict[str, str]) -> tuple[str, Issue | None]:
    """The row's decision if it is one the row allows, else '' and an Issue at its line.

    `values` maps each value of the row's question to its group (the boxes of which one may be marked)."""
    decision = decisions.get(row)
    if not decision:
        return "", None
    allowed = _allowed(row, decision, values)
    if allowed is None:
        return decision, None
    line = decisions.by_key[row.key].line
    col = COLUMNS.index("decision") + 1
    where = row.box or row.question or row.reason
    return "", Issue(decisions.path, line, col, ERROR, f"decision '{shown(decision)}' for {where} ({allowed})")


def _noting_earlier(row: ReviewRow, found: Decided) -> str:
    """The row's reason, naming the decision not applied, so the teacher finds it in the file, not only in a
    warning long scrolled away. A page row's reason is its key, so it stays as it is (its decision is 'skip')."""
    if not row.question:
        return row.reason
    return f"{row.reason} [decided '{shown(found.decision)}' before, on other evidence: not applied, decide again]"


def _not_made_on(row: ReviewRow, found: Decided, recorded: bool) -> str:
    """Why a decision cannot be taken as made on this row's evidence ('' when it was)."""
    what = (
        f"decision '{shown(found.decision)}' for copy {row.copy} ({row.box or row.question or row.reason}) not applied"
    )
    if not recorded:
        return (
            f"{what}: this review.csv has no evidence column (written by an earlier quizgen), so nothing says it"
            " was decided on these scans; look at the crop and decide it again"
        )
    if not found.evidence:  # emptied by hand, or the row cut short: not "another scan", which would mislead
        return (
            f"{what}: its evidence cell in review.csv is empty (edited, or the row cut short?), so nothing says"
            " it was decided on these scans; look at the crop and decide it again"
        )
    if found.evidence != row.evidence:
        return (
            f"{what}: it was decided on another scan of this place (scanned again, or another class's"
            " review.csv?); look at the crop and decide it again"
        )
    return ""


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


def review_csv(rows: list[ReviewRow]) -> str:
    """review.csv's text: one line per place, decisions kept."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([getattr(row, column) for column in COLUMNS])
    return out.getvalue()
