"""The answer sheet's geometry: every marker, QR code, label and box at an absolute place, in PDF points.

The sheet is laid out here, in code, and printed by absolutely positioned HTML
(templates/sheets/answer_sheet.html), so layout.json says exactly where each
box prints. Each response form (quizgen/kinds/response.py) has its block of
boxes, by a table over the forms (never over kinds); the values are those of
the copy's printed lettering (PrintedQuestion), so sheet, handout and key agree.

Coordinates are from the page's top left. A box is drawn as a 1 pt outline
inside its rectangle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from quizgen.draw.layout import LETTERS, PrintedQuestion
from quizgen.kinds import kind_of
from quizgen.kinds import response as r
from quizgen.kinds.base import Text
from quizgen.paper.copies import Copy

PAGE_SIZES = {"A4": (595.28, 841.89), "Letter": (612.0, 792.0)}
EDGE = 28.0  # from the paper's edge to a marker (about 10 mm: inside any printer's margin)
MARKER = 20.0
INSET = EDGE + MARKER + 10.0  # where text and boxes may start
QR_SIZE = 62.0
COLUMN_GAP = 20.0
BLOCK_GAP = 9.0
BOX = 11.0  # side of a box: about 3.9 mm
PITCH = 18.0  # from box to box in a row: 7 pt between, room for a cancelling X past the corners
ROW = 16.0  # from row to row in a grid
NUMBER_WIDTH = 24.0  # the question number at a block's left
LETTER_WIDTH = 9.0  # a letter or digit printed left of its box
MAX_DECIMALS = 4
CHOICES_PER_LINE = 7  # option boxes on one line: what the narrowest column (A4) holds
SCORES_PER_LINE = 6  # score boxes on one line


@dataclass(frozen=True)
class Rect:
    """A rectangle in points from the page's top left."""

    x: float
    y: float
    w: float
    h: float

    def moved(self, dx: float, dy: float) -> Rect:
        return replace(self, x=round(self.x + dx, 2), y=round(self.y + dy, 2))

    @property
    def css(self) -> str:
        """Its place as inline CSS (numbers only: safe in a style attribute)."""
        return f"left:{self.x:.2f}pt;top:{self.y:.2f}pt;width:{self.w:.2f}pt;height:{self.h:.2f}pt"


@dataclass(frozen=True)
class Box:
    """A box to mark: its id (unique in the copy), question (bank/id), value, group and place."""

    id: str
    question: str
    value: str
    group: str
    rect: Rect
    # The option it stands for in the bank's order (A: the first listed), the same on every copy
    # however the copy shuffles its letters; "" for boxes that are not options.
    option: str = ""


@dataclass(frozen=True)
class Label:
    """Printed text at a place: `style` is a class of templates/sheets/sheet.css."""

    text: str
    rect: Rect
    style: str = "small"


@dataclass(frozen=True)
class Block:
    """One question's part of the sheet, at (0, 0): its boxes, labels and writing cells, and its right values."""

    height: float
    width: float
    boxes: tuple[Box, ...] = ()
    labels: tuple[Label, ...] = ()
    cells: tuple[Rect, ...] = ()  # light outlines to write a digit in (never read)
    right: tuple[str, ...] = ()
    grid: dict | None = None  # a numeric grid's digits and decimals (layout.json "grids")

    def moved(self, dx: float, dy: float) -> Block:
        boxes = tuple(replace(b, rect=b.rect.moved(dx, dy)) for b in self.boxes)
        labels = tuple(replace(lab, rect=lab.rect.moved(dx, dy)) for lab in self.labels)
        return replace(self, boxes=boxes, labels=labels, cells=tuple(c.moved(dx, dy) for c in self.cells))


@dataclass
class SheetPage:
    """One answer-sheet page: its size, markers, QR code, labels, boxes and writing cells."""

    index: int
    width: float
    height: float
    qr_text: str
    markers: tuple[Rect, ...]
    qr_box: Rect
    qr_path: str
    qr_modules: int
    labels: list[Label] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    cells: list[Rect] = field(default_factory=list)


@dataclass(frozen=True)
class Answer:
    """What the key says of one question on one copy: its number, bank/id, right values and points."""

    number: int
    question: str
    right: tuple[str, ...]
    points: int


@dataclass(frozen=True)
class AnswerSheet:
    """A copy's answer sheet: its pages, the key of each question, and the numeric grids."""

    copy: Copy
    pages: tuple[SheetPage, ...]
    answers: tuple[Answer, ...]
    grids: tuple[dict, ...]


# --- one block per response form -----------------------------------------------------------


def _row_of_boxes(
    prefix: str, question: str, pairs: list[tuple[str, str]], group: Callable[[str], str], x: float, y: float
) -> tuple[list[Box], list[Label]]:
    """Boxes in rows of CHOICES_PER_LINE, each with its label printed just left of it: (label, value) pairs."""
    boxes, labels = [], []
    for i, (text, value) in enumerate(pairs):
        line, place = divmod(i, CHOICES_PER_LINE)
        left, top = x + place * (PITCH + LETTER_WIDTH), y + line * ROW
        labels.append(Label(text, Rect(left, top, LETTER_WIDTH - 1.5, BOX), "letter"))
        rect = Rect(left + LETTER_WIDTH, top, BOX, BOX)
        boxes.append(Box(f"{prefix}.{value}", question, value, group(value), rect))
    return boxes, labels


def _numbered(q: PrintedQuestion, boxes, labels, height: float, width: float, right, **more) -> Block:
    number = Label(f"{q.number}.", Rect(0, 0, NUMBER_WIDTH - 4, BOX), "number")
    return Block(height, width, tuple(boxes), (number, *labels), right=tuple(right), **more)


def _choices(response: r.OneOf | r.AnyOf, q: PrintedQuestion, t: Text, one: bool) -> Block:
    prefix, uid = f"q{q.number}", q.question.uid
    group = (lambda value: prefix) if one else (lambda value: f"{prefix}.{value}")
    pairs = [(c.letter, c.letter) for c in q.choices]
    boxes, labels = _row_of_boxes(prefix, uid, pairs, group, NUMBER_WIDTH, 0)
    bank_letter = {choice.text: LETTERS[i] for i, choice in enumerate(response.options)}
    by_letter = {c.letter: bank_letter[c.text] for c in q.choices}
    boxes = [replace(box, option=by_letter[box.value]) for box in boxes]
    lines = (len(pairs) - 1) // CHOICES_PER_LINE + 1
    width = NUMBER_WIDTH + min(len(pairs), CHOICES_PER_LINE) * (PITCH + LETTER_WIDTH)
    height = (lines - 1) * ROW + BOX
    return _numbered(q, boxes, labels, height, width, [c.letter for c in q.choices if c.correct])


def one_of(response: r.OneOf, q: PrintedQuestion, t: Text) -> Block:
    """One box per printed option (A, B ...); at most one may be marked."""
    return _choices(response, q, t, one=True)


def any_of(response: r.AnyOf, q: PrintedQuestion, t: Text) -> Block:
    """One box per printed option, each its own group."""
    return _choices(response, q, t, one=False)


def verdict(response: r.Verdict, q: PrintedQuestion, t: Text) -> Block:
    """A box for true and one for false, each labelled right of it."""
    prefix, boxes, labels = f"q{q.number}", [], []
    for i, (value, text) in enumerate((("true", t("answer.true")), ("false", t("answer.false")))):
        left = NUMBER_WIDTH + i * 62
        boxes.append(Box(f"{prefix}.{value}", q.question.uid, value, prefix, Rect(left, 0, BOX, BOX)))
        labels.append(Label(text, Rect(left + BOX + 3, 0, 44, BOX), "word"))
    return _numbered(q, boxes, labels, BOX, NUMBER_WIDTH + 124, ["true" if response.answer else "false"])


def _grid(q: PrintedQuestion, items: list[str], columns: list[str], right: list[str]) -> Block:
    """Rows of `items` (numbers), a box per column: the value `item=column`, one group per row."""
    prefix, boxes, labels = f"q{q.number}", [], []
    left = NUMBER_WIDTH + LETTER_WIDTH + 3
    for j, column in enumerate(columns):
        labels.append(Label(column, Rect(left + j * PITCH - 3, 0, BOX + 6, 10), "head"))
    for i, item in enumerate(items):
        y = 12 + i * ROW
        labels.append(Label(item, Rect(NUMBER_WIDTH, y, LETTER_WIDTH, BOX), "letter"))
        for j, column in enumerate(columns):
            value = f"{item}={column}"
            boxes.append(
                Box(f"{prefix}.{value}", q.question.uid, value, f"{prefix}.{item}", Rect(left + j * PITCH, y, BOX, BOX))
            )
    height = 12 + (len(items) - 1) * ROW + BOX
    return _numbered(q, boxes, labels, height, left + len(columns) * PITCH, right)


def pairs(response: r.Pairs, q: PrintedQuestion, t: Text) -> Block:
    """Matching: a row per numbered item, a box per printed letter (`2=B`: item 2 is B)."""
    items = [str(row.number) for row in q.rows]
    return _grid(q, items, [c.letter for c in q.choices], [f"{row.number}={row.letter}" for row in q.rows])


def order(response: r.Order, q: PrintedQuestion, t: Text) -> Block:
    """Ordering: a row per item as printed, a box per position (`2=3`: item 2 is third)."""
    items = [str(i) for i in range(1, len(q.slots) + 1)]
    right = [f"{i}={slot.position}" for i, slot in enumerate(q.slots, start=1)]
    return _grid(q, items, items, right)


def number(response: r.Number, q: PrintedQuestion, t: Text) -> Block:
    """A digit grid: a column of boxes 0-9 per digit (`d2=7`), a fixed decimal point, a sign box if negative."""
    digits, decimals = grid_size(response.value, response.tolerance)
    signed = response.value < 0
    prefix, uid, boxes, labels, cells = f"q{q.number}", q.question.uid, [], [], []
    left = NUMBER_WIDTH + LETTER_WIDTH + 3 + (PITCH if signed else 0)
    if signed:
        boxes.append(Box(f"{prefix}.sign=-", uid, "sign=-", f"{prefix}.sign", Rect(left - PITCH, 16, BOX, BOX)))
        labels.append(Label("−", Rect(left - PITCH - LETTER_WIDTH, 16, LETTER_WIDTH, BOX), "letter"))
    for d in range(1, digits + 1):
        x = left + (d - 1) * PITCH
        cells.append(Rect(x - 2, 0, BOX + 4, 13))
        for digit in range(10):
            value = f"d{d}={digit}"
            boxes.append(Box(f"{prefix}.{value}", uid, value, f"{prefix}.d{d}", Rect(x, 16 + digit * ROW, BOX, BOX)))
    for digit in range(10):
        labels.append(Label(str(digit), Rect(NUMBER_WIDTH, 16 + digit * ROW, LETTER_WIDTH, BOX), "letter"))
    if decimals:
        point_x = left + (digits - decimals) * PITCH - (PITCH - BOX) / 2 - 3
        labels.append(Label(".", Rect(point_x, 0, 6, 13), "point"))
    if response.unit:
        labels.append(Label(response.unit, Rect(left + digits * PITCH, 0, 60, 13), "word"))
    right = ([] if response.value >= 0 else ["sign=-"]) + exact_digits(response.value, digits, decimals)
    grid = {"question": uid, "number": q.number, "digits": digits, "decimals": decimals, "signed": signed}
    grid |= {"value": response.value, "tolerance": response.tolerance}
    block = _numbered(q, boxes, labels, 16 + 9 * ROW + BOX, left + digits * PITCH + 40, right, grid=grid)
    return replace(block, cells=tuple(cells))


def grid_size(value: float, tolerance: float) -> tuple[int, int]:
    """(digits, decimals) of a numeric grid: the decimals of the answer and of the tolerance, and one
    integer digit more than the largest accepted number needs, so the grid does not tell the answer's size."""
    decimals = min(max(_decimals(value), _decimals(tolerance)), MAX_DECIMALS)
    largest = int(abs(value) + tolerance)
    whole = len(str(largest)) if largest else 0  # 0.25: one integer column, the spare one
    return whole + 1 + decimals, decimals


def _decimals(number: float) -> int:
    exponent = Decimal(repr(float(number))).normalize().as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


def exact_digits(value: float, digits: int, decimals: int) -> list[str]:
    """The grid's values for the exact answer: every digit, leading zeros included (`d1=0`, `d2=7` ...)."""
    text = f"{abs(value):.{decimals}f}".replace(".", "").rjust(digits, "0")
    return [f"d{i}={digit}" for i, digit in enumerate(text, start=1)]


def score(response: r.Typed | r.Gaps | r.Open, q: PrintedQuestion, t: Text) -> Block:
    """A written answer: score boxes 0 ... points, which the teacher ticks after marking (`s2`: 2 points)."""
    prefix, labels, boxes = f"q{q.number}", [], []
    per_line = SCORES_PER_LINE
    for p in range(q.points + 1):
        line, place = divmod(p, per_line)
        left = NUMBER_WIDTH + place * (PITCH + LETTER_WIDTH + 4)
        y = 12 + line * ROW
        labels.append(Label(str(p), Rect(left, y, LETTER_WIDTH + 2.5, BOX), "letter"))
        rect = Rect(left + LETTER_WIDTH + 4, y, BOX, BOX)
        boxes.append(Box(f"{prefix}.s{p}", q.question.uid, str(p), f"{prefix}.score", rect))
    labels.append(Label(t("sheet.teacher_scores"), Rect(NUMBER_WIDTH, 0, 200, 10), "note"))
    lines = q.points // per_line + 1
    height = 12 + (lines - 1) * ROW + BOX
    width = NUMBER_WIDTH + min(q.points + 1, per_line) * (PITCH + LETTER_WIDTH + 4)
    return _numbered(q, boxes, labels, height, max(width, 200), [str(q.points)])


BLOCKS: dict[type, Callable[..., Block]] = {
    r.OneOf: one_of,
    r.AnyOf: any_of,
    r.Verdict: verdict,
    r.Typed: score,
    r.Number: number,
    r.Gaps: score,
    r.Pairs: pairs,
    r.Order: order,
    r.Open: score,
}


def answered_on_sheet(question) -> bool:
    """Whether the student marks this question's answer on the sheet (not a score row the teacher ticks)."""
    return BLOCKS[type(kind_of(question).response(question))] is not score


def block_of(q: PrintedQuestion, t: Text) -> Block:
    """The boxes of one printed question, by its response form."""
    return r.dispatch(BLOCKS, kind_of(q.question).response(q.question), q, t)
