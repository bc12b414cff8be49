"""Essay: a written answer, marked against key points."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace

from quizgen.draw.layout import LINES_PER_ESSAY_POINT, PrintedQuestion
from quizgen.kinds import response as r
from quizgen.kinds.base import Kind, Located, Option, Problem, Text, prompt_shown
from quizgen.load.schema import Field
from quizgen.model import Question
from quizgen.render.anki_html import NoteFields, element, text


@dataclass(frozen=True, kw_only=True)
class Essay(Question):
    key_points: tuple[str, ...]


class EssayKind(Kind):
    name = "essay"
    order = 9
    record = Essay
    abbreviation = "ESS"
    recall = True
    base_points = 2  # per key point
    strings = {"title": "Essay", "directions": "Answer in full sentences; the points show how much to write."}
    fields = (Field("key_points", "text_list", True, min_items=2, description="what a model answer covers"),)

    def points(self, values: dict) -> int:
        return self.base_points * len(values["key_points"])

    def check(self, q: dict) -> Iterator[Problem]:
        return iter(())

    def source_answers(self, q: Essay) -> list[tuple[str, tuple[str, ...]]]:
        return []  # key points paraphrase an argument; their passages are checked verbatim, not word by word

    def answers(self, q: Essay) -> list[str]:
        return []  # a key point is a line of argument, not a term another question could print

    def shown(self, q: Essay) -> list[Located]:
        return prompt_shown(q)

    def options(self, q: Essay) -> list[Option]:
        return []

    def self_leaks(self, q: Essay) -> Iterator[str]:
        return iter(())

    def plain_answer(self, q: Essay, t: Text) -> str:
        return "; ".join(q.key_points)

    def lay_out(self, q: Essay, base: PrintedQuestion, rng: random.Random, t: Text) -> PrintedQuestion:
        lines = max(6, LINES_PER_ESSAY_POINT * base.points)
        return replace(base, lines=lines, answer=t("answer.key_points", count=len(q.key_points)))

    def anki_fields(self, q: Essay, t: Text) -> NoteFields:
        points = "".join(element("li", text(point)) for point in q.key_points)
        return NoteFields(
            "essay",
            {
                "Prompt": text(q.prompt),
                "Key points": element("ul", points, "qz-points"),
                "Explanation": text(q.explanation),
            },
        )

    def response(self, q: Essay) -> r.Response:
        return r.Open(q.key_points)

    def practice_record(self, q: Essay) -> dict:
        return {"key_points": list(q.key_points)}


KIND = EssayKind()
