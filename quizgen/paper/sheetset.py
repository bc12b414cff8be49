"""What grading reads of a class set: layout.json, key.csv and roster.csv from the folder `quizgen sheets` wrote.

Typed records for the grading side, read with quizgen/paper/layout_file.py
(the format's one definition, documented in docs/grading.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from quizgen.errors import ContentError
from quizgen.paper.layout_file import layout_issue, read_key, read_layout, split_values
from quizgen.paper.scan.marks import Spot
from quizgen.paper.scan.qr import code_tag
from quizgen.paper.scan.register import PageShape


@dataclass(frozen=True)
class SheetBox:
    """A box to mark: its id (unique in its copy), question (bank/id), value, group and place."""

    id: str
    question: str
    value: str
    group: str
    page: int
    spot: Spot
    option: str = ""  # the option it stands for, lettered in the bank's order ("" when not an option)


@dataclass(frozen=True)
class SheetCopy:
    """One student's copy: its number, the student, its answer-sheet pages and boxes."""

    copy: str
    student_id: str
    student_name: str
    pages: tuple[PageShape, ...]
    boxes: tuple[SheetBox, ...]
    qr_texts: tuple[str, ...] = ()  # each page's QR code as printed ("" where layout.json has none)

    @property
    def tag(self) -> str:
        """The tag its pages' QR codes end with ('' for an untagged set): which class set (whom and which key)
        the sheet was printed for."""
        return code_tag(self.qr_texts[0]) if self.qr_texts else ""

    @property
    def student(self) -> str:
        """What names the student in files: the roster id, or `copy-N` for an anonymous copy."""
        return self.student_id or f"copy-{self.copy}"


@dataclass(frozen=True)
class KeyRow:
    """A line of key.csv: the right values of one question on one copy, and its points."""

    copy: str
    question: str
    number: int
    right: frozenset[str]
    points: float


@dataclass(frozen=True)
class SheetSet:
    """A whole class set as grading needs it."""

    quiz: str
    copies: dict[str, SheetCopy]
    key: dict[tuple[str, str], KeyRow]  # (copy, question) -> its key

    def questions_of(self, copy: str) -> list[KeyRow]:
        """A copy's questions in their printed order."""
        rows = [row for (c, _), row in self.key.items() if c == copy]
        return sorted(rows, key=lambda row: row.number)


def read_sheet_set(folder: Path) -> SheetSet:
    """The class set in `folder` (read by layout_file, the format's one definition); ContentError located in
    the file that is missing or not as documented."""
    layout = read_layout(folder)
    try:
        copies = {str(c["copy"]): _copy(c) for c in layout["copies"]}
    except (KeyError, TypeError, ValueError) as exc:
        raise ContentError([layout_issue(folder, f"not a class-set layout ({exc!r} is missing or wrong)")]) from None
    key = {
        (str(row.copy), row.question): KeyRow(
            str(row.copy), row.question, row.number, frozenset(split_values(row.right)), float(row.points)
        )
        for row in read_key(folder)
    }
    return SheetSet(str(layout["quiz"]), copies, key)


def _copy(raw: dict) -> SheetCopy:
    student = raw.get("student") or {}
    pages = tuple(_page(page) for page in raw["pages"])
    boxes = tuple(
        SheetBox(
            str(b["id"]),
            str(b["question"]),
            str(b["value"]),
            str(b["group"]),
            int(b["page"]),
            Spot(float(b["x"]), float(b["y"]), float(b["w"]), float(b["h"])),
            str(b.get("option", "")),
        )
        for b in raw["boxes"]
    )
    qr_texts = tuple(str(page.get("qr") or "") for page in raw["pages"])
    return SheetCopy(
        str(raw["copy"]), str(student.get("id") or ""), str(student.get("name") or ""), pages, boxes, qr_texts
    )


def _page(raw: dict) -> PageShape:
    markers = tuple((float(m["x"]), float(m["y"]), float(m["size"])) for m in raw["markers"])
    qr = raw["qr_box"]
    return PageShape(float(raw["width"]), float(raw["height"]), markers, tuple(float(qr[k]) for k in "xywh"))
