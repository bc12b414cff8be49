"""A copy's answer sheet as pages: corner markers, the QR code, the header, and the question blocks in columns.

The blocks (quizgen/paper/sheet.py) flow down two columns, then onto another
page, each page with its own markers and its own QR code
`quizgen:<quiz id>:<copy>:<page index>`, so a scanner can register and name
every page on its own. The code ends with `:<tag>`, a digest of
the student and the copy's key, so a sheet of another class set of the same quiz
(another class, a redrawn set) is told apart rather than graded against the
wrong key.
"""

from __future__ import annotations

import hashlib
import json

import segno

from quizgen.draw.layout import PrintedQuestion
from quizgen.errors import QuizgenError
from quizgen.kinds.base import Text
from quizgen.paper.copies import Copy
from quizgen.paper.sheet import (
    BLOCK_GAP,
    COLUMN_GAP,
    EDGE,
    INSET,
    MARKER,
    PAGE_SIZES,
    QR_SIZE,
    Answer,
    AnswerSheet,
    Block,
    Label,
    Rect,
    SheetPage,
    block_of,
)

FIRST_BODY_TOP = 150.0  # below the header and the instructions
BODY_TOP = 104.0  # later pages: the header only
QR_PREFIX = "quizgen"


def qr_text(quiz_id: str, copy: int, page: int, tag: str = "") -> str:
    """The text of a sheet page's QR code: `quizgen:<quiz id>:<copy>:<page index from 0>[:<tag>]`."""
    text = f"{QR_PREFIX}:{quiz_id}:{copy}:{page}"
    return f"{text}:{tag}" if tag else text


def copy_tag(student_id: str, answers: tuple[Answer, ...]) -> str:
    """A short digest of whom a copy is for and of its key: equal tags mean the same sheet and the same key."""
    data = json.dumps([student_id, [[a.question, list(a.right), a.points] for a in answers]])
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:8]


def answer_sheet(copy: Copy, paper: str, t: Text) -> AnswerSheet:
    """The answer sheet of one copy, on as many pages as its questions need."""
    width, height = PAGE_SIZES.get(paper, PAGE_SIZES["A4"])
    placed = _flow([(q, block_of(q, t)) for q in copy.questions], width, height)
    count = max(page for page, _ in placed) + 1 if placed else 1
    blocks = [block for _, block in placed]
    answers = tuple(
        Answer(q.number, q.question.uid, tuple(sorted(block.right)), q.points)
        for q, block in zip(copy.questions, blocks, strict=True)
    )
    tag = copy_tag(copy.student.id, answers)
    pages = [_page(copy, index, count, width, height, t, tag) for index in range(count)]
    for index, block in placed:
        pages[index].boxes += block.boxes
        pages[index].labels += block.labels
        pages[index].cells += block.cells
    grids = tuple(block.grid for block in blocks if block.grid)
    return AnswerSheet(copy, tuple(pages), answers, grids)


def _flow(blocks: list[tuple[PrintedQuestion, Block]], width: float, height: float) -> list[tuple[int, Block]]:
    """Each block with its page index, moved to its place: down the left column, the right, the next page."""
    column_width = (width - 2 * INSET - COLUMN_GAP) / 2
    bottom = height - INSET
    page, column, y = 0, 0, FIRST_BODY_TOP
    placed = []
    for q, block in blocks:
        if block.width > column_width or block.height > bottom - BODY_TOP:
            raise QuizgenError(
                f"question {q.question.uid}: its boxes ({block.width:.0f} x {block.height:.0f} pt) do not fit in a"
                f" column of the answer sheet ({column_width:.0f} x {bottom - BODY_TOP:.0f} pt): give it fewer"
                " options, items or points"
            )
        if y + block.height > bottom and y > _top(page):
            page, column = (page, 1) if column == 0 else (page + 1, 0)
            y = _top(page)
        x = INSET + column * (column_width + COLUMN_GAP)
        placed.append((page, block.moved(x, y)))
        y += block.height + BLOCK_GAP
    return placed


def _top(page: int) -> float:
    return FIRST_BODY_TOP if page == 0 else BODY_TOP


def _page(copy: Copy, index: int, count: int, width: float, height: float, t: Text, tag: str) -> SheetPage:
    """A page with its markers, QR code and header (title, copy, student; on the first, the instructions)."""
    quiz = copy.version.quiz
    text = qr_text(quiz.id, copy.number, index, tag)
    path, modules = qr_path(text)
    qr_box = Rect(round(width - INSET - QR_SIZE, 2), EDGE, QR_SIZE, QR_SIZE)
    page = SheetPage(index, width, height, text, markers(width, height), qr_box, path, modules)
    page.labels += _header(copy, index, count, width, t)
    return page


def markers(width: float, height: float) -> tuple[Rect, ...]:
    """The four corner squares: top left, top right, bottom right, bottom left."""
    far_x, far_y = round(width - EDGE - MARKER, 2), round(height - EDGE - MARKER, 2)
    return tuple(Rect(x, y, MARKER, MARKER) for x, y in ((EDGE, EDGE), (far_x, EDGE), (far_x, far_y), (EDGE, far_y)))


def _header(copy: Copy, index: int, count: int, width: float, t: Text) -> list[Label]:
    text_width = width - 2 * INSET - QR_SIZE - 14
    student = copy.student
    labels = [
        Label(copy.version.quiz.title, Rect(INSET, EDGE, text_width, 15), "title"),
        Label(
            t("sheet.heading", copy=copy.number, page=index + 1, pages=count),
            Rect(INSET, EDGE + 17, text_width, 12),
            "small",
        ),
    ]
    if student.id:
        who = _cut_to(t("sheet.student", name=student.name, id=student.id), text_width, STUDENT_POINTS)
        labels.append(Label(who, Rect(INSET, EDGE + 33, text_width, 14), "student"))
    else:
        labels.append(Label(t("sheet.write_name"), Rect(INSET, EDGE + 33, text_width, 14), "write-name"))
    if index == 0:
        labels.append(Label(t("sheet.instructions"), Rect(INSET, EDGE + 66, width - 2 * INSET, 48), "instructions"))
    return labels


STUDENT_POINTS = 11  # the student line's type size (sheet.css .sh-student)
# A generous average width of a bold Latin letter, as a share of the type size: a text of this many
# letters fits its box (a wider one would be clipped at the box, mid-letter and without a sign).
LETTER_WIDTH = 0.62


def _cut_to(text: str, width: float, points: float) -> str:
    """The text, or its start and '…' when it would not fit `width` at `points` (the id leads the line)."""
    room = int(width / (points * LETTER_WIDTH))
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"


def qr_path(text: str) -> tuple[str, int]:
    """An SVG path of the QR code's dark modules (one unit per module) and its size in modules."""
    code = segno.make(text, error="m", micro=False)
    matrix = code.matrix
    parts = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                parts.append(f"M{start} {y}h{x - start}v1h{start - x}z")
            else:
                x += 1
    return "".join(parts), len(matrix)
