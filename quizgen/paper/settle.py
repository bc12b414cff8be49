"""Settling what each copy answered: box readings, the rules of groups, and the teacher's decisions.

For every question of every scanned copy, the values read as marked, and the
review rows for every place that would need a guess. A question with a row not
yet decided is under review: it scores nothing until the teacher settles it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from quizgen.errors import Issue
from quizgen.kinds import response as r
from quizgen.paper.review import MARKED, Decisions, ReviewRow, decided_values, evidence, settle_row, sheet_tag
from quizgen.paper.scan.marks import CROSSED, FILLED, UNCLEAR, outlined
from quizgen.paper.scan.marks import EMPTY as READ_EMPTY
from quizgen.paper.scan.reading import ReadPage
from quizgen.paper.sheetset import SheetBox, SheetCopy

# Whether a form's sheet row must carry a mark: the teacher's score for written answers always does;
# a choice left blank is an answer (nothing chosen) and scores 0.
NEEDS_A_MARK = {
    r.OneOf: False,
    r.AnyOf: False,
    r.Verdict: False,
    r.Number: False,
    r.Pairs: False,
    r.Order: False,
    r.Typed: True,
    r.Gaps: True,
    r.Open: True,
}


@dataclass
class Settled:
    """One copy's answer to one question: the values taken as marked, and the rows about it."""

    copy: str
    question: str
    marked: frozenset[str]
    rows: list[ReviewRow] = field(default_factory=list)
    decided: bool = False  # the teacher gave the question's values outright: its box rows no longer count

    @property
    def pending(self) -> bool:
        return not self.decided and any(not row.decision for row in self.rows)


@dataclass
class Crops:
    """The pictures review rows point to: path under the output folder -> image (grey; colour when a box is framed)."""

    images: dict[str, object] = field(default_factory=dict)

    def add(self, name: str, image) -> str:
        path = f"review/{name}.png"
        self.images[path] = image
        return path


def settle_copy(
    copy: SheetCopy,
    questions: list[str],
    forms: dict[str, r.Response],
    pages: dict[int, list[ReadPage]],
    decisions: Decisions,
    crops: Crops,
    issues: list[Issue],
) -> list[Settled]:
    """Every question of a scanned copy, settled as far as the scan and the decisions allow."""
    settled = []
    for question in questions:
        boxes = [box for box in copy.boxes if box.question == question]
        needs_mark = NEEDS_A_MARK[type(forms[question])]
        settled.append(_settle(copy, question, boxes, needs_mark, pages, decisions, crops, issues))
    return settled


def _settle(copy, question, boxes, needs_mark, pages, decisions, crops, issues) -> Settled:
    values = {box.value: box.group for box in boxes}
    result = Settled(copy.copy, question, frozenset())
    crop_path = ""
    question_problem = ""
    marked: set[str] = set()
    for index in sorted({box.page for box in boxes}):
        reads = pages.get(index, [])
        if not reads:
            question_problem = f"page {index + 1} of this copy was not scanned"
            continue
        chosen, differ = _one_reading(reads, boxes, index)
        crop_path = crop_path or crops.add(_crop_name(copy, question), chosen.crops[question])
        if differ:
            question_problem = f"scanned twice and read differently ({', '.join(read.where for read in reads)})"
        for box in (b for b in boxes if b.page == index):
            state = chosen.readings[box.id].state
            if state == FILLED:
                marked.add(box.value)
            elif state == UNCLEAR:
                spots = [b.spot for b in boxes if b.page == index]
                framed = outlined(chosen.crops[question], spots, box.spot)
                path = crops.add(f"{_crop_name(copy, question)}-{box.id}", framed)
                reason = f"unclear mark (darkness {chosen.readings[box.id].darkness:.2f})"
                row = _row(copy, question, box.id, reason, path, evidence(sheet_tag(copy), [framed]))
                row = settle_row(row, decisions, values, issues)
                result.rows.append(row)
                if row.decision == MARKED:
                    marked.add(box.value)
    if not question_problem:
        question_problem = _group_problem(boxes, marked) or ("no score box ticked" if needs_mark and not marked else "")
    if question_problem:
        seen = evidence(sheet_tag(copy), _question_pictures(question, pages))
        row = settle_row(_row(copy, question, "", question_problem, crop_path, seen), decisions, values, issues)
        result.rows.append(row)
        if row.decision:
            marked, result.decided = set(decided_values(row.decision)), True
    result.marked = frozenset(marked)
    return result


def _question_pictures(question: str, pages: dict[int, list[ReadPage]]) -> list:
    """What a question decision is made on: the question's place in every scan of its pages; when none of
    them was scanned, every question's place in the copy's scanned pages (this copy's scan, not another)."""
    reads = [read for index in sorted(pages) for read in pages[index]]
    own = [read.crops[question] for read in reads if question in read.crops]
    pictures = own or [read.crops[name] for read in reads for name in sorted(read.crops)]
    return sorted(pictures, key=_pixels)  # the same scans given in another order are the same evidence


def _pixels(image) -> bytes:
    return hashlib.sha256(image.tobytes()).digest()


def _one_reading(reads: list[ReadPage], boxes: list[SheetBox], index: int) -> tuple[ReadPage, bool]:
    """The reading to use for a page, and whether several scans of it disagree on these boxes."""
    ids = [box.id for box in boxes if box.page == index]
    states = {tuple(_meaning(read.readings[i].state) for i in ids) for read in reads}
    return reads[0], len(states) > 1


def _meaning(state: str) -> str:
    return READ_EMPTY if state == CROSSED else state


def _group_problem(boxes: list[SheetBox], marked: set[str]) -> str:
    groups: dict[str, list[SheetBox]] = {}
    for box in boxes:
        if box.value in marked:
            groups.setdefault(box.group, []).append(box)
    for members in groups.values():
        if len(members) > 1:
            return f"two marks where one is allowed ({', '.join(box.id for box in members)})"
    return ""


def _row(copy: SheetCopy, question: str, box: str, reason: str, crop: str, seen: str) -> ReviewRow:
    return ReviewRow(copy.student, copy.copy, question, box, reason, crop, evidence=seen)


def _crop_name(copy: SheetCopy, question: str) -> str:
    return f"copy-{copy.copy}-{question.replace('/', '-')}"
