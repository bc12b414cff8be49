"""The teacher's key of a class set: one compact table, a row per copy and a column per printed number.

Choice, true/false, matching, ordering and numeric cells show the answer in
that copy's own lettering (PrintedQuestion.answer, as the copy's handout key
would); written answers show `W<points>`, and their accepted answers are
listed once below the table, since they do not change from copy to copy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import jinja2

from quizgen.draw.layout import PrintedQuestion
from quizgen.kinds import kind_of
from quizgen.kinds import response as r
from quizgen.kinds.base import Text
from quizgen.load.quizzes import QuizDefinition
from quizgen.paper.sheet import AnswerSheet
from quizgen.render.templates import render

KEY_TABLE_TEMPLATE = "sheets/key_table.html"
WRITTEN = ""


@dataclass(frozen=True)
class Written:
    """A written question of the set, with the answer the teacher grades against."""

    question: str
    answer: str
    points: int
    ref: int  # its number in the list, shown in the table as W<ref>


def _shown(response: r.Response, q: PrintedQuestion, t: Text) -> str:
    return q.answer


def _written(response: r.Response, q: PrintedQuestion, t: Text) -> str:
    return WRITTEN  # replaced by the question's number in the list of written answers


CELLS: dict[type, Callable[..., str]] = {
    r.OneOf: _shown,
    r.AnyOf: _shown,
    r.Verdict: _shown,
    r.Typed: _written,
    r.Number: _shown,
    r.Gaps: _written,
    r.Pairs: _shown,
    r.Order: _shown,
    r.Open: _written,
}


def cell(q: PrintedQuestion, t: Text) -> str:
    """What the key table shows of one question on one copy."""
    return r.dispatch(CELLS, kind_of(q.question).response(q.question), q, t)


def written_answers(sheets: list[AnswerSheet], t: Text) -> list[Written]:
    """Every written question of the set once, in the order they are first met."""
    seen: dict[str, Written] = {}
    for sheet in sheets:
        for q in sheet.copy.questions:
            if cell(q, t) == WRITTEN and q.question.uid not in seen:
                answer = kind_of(q.question).plain_answer(q.question, t)
                seen[q.question.uid] = Written(q.question.uid, answer, q.points, len(seen) + 1)
    return list(seen.values())


def table_rows(sheets: list[AnswerSheet], written: list[Written], t: Text) -> list[tuple]:
    """(copy, cells) per copy: the answer in the copy's lettering, or W<n> for written answer n."""
    ref = {w.question: t("keytable.written", ref=w.ref) for w in written}
    return [(sheet.copy, [cell(q, t) or ref[q.question.uid] for q in sheet.copy.questions]) for sheet in sheets]


def render_key_table(env: jinja2.Environment, quiz: QuizDefinition, sheets: list[AnswerSheet]) -> str:
    """The key table's HTML (rendered to key-table.pdf)."""
    from quizgen.render.handouts import PageSetup

    t = env.globals["t"]
    written = written_answers(sheets, t)
    rows = table_rows(sheets, written, t)
    numbers = max((len(cells) for _, cells in rows), default=0)
    page = PageSetup(quiz.paper or PageSetup.paper)
    return render(
        env, KEY_TABLE_TEMPLATE, quiz=quiz, rows=rows, numbers=range(1, numbers + 1), written=written, page=page
    )
