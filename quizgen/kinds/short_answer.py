"""Short answer: a few words, with the other spellings that count as right."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace

from quizgen.check.sources import appears_in, normalize
from quizgen.draw.layout import PrintedQuestion
from quizgen.kinds import response as r
from quizgen.kinds.base import Kind, Located, Option, Problem, Text, distinct, fold, prompt_shown
from quizgen.load.schema import Field
from quizgen.model import Question
from quizgen.render.anki_html import NoteFields, basic_fields, text


@dataclass(frozen=True, kw_only=True)
class ShortAnswer(Question):
    answer: str
    accept: tuple[str, ...] = ()


class ShortAnswerKind(Kind):
    name = "short_answer"
    order = 4
    record = ShortAnswer
    abbreviation = "SA"
    recall = True
    base_points = 2
    strings = {"title": "Short answer", "directions": "Answer in a few words."}
    fields = (
        Field("answer", "text", True, description="the answer, correctly spelt"),
        Field("accept", "text_list", description="other accepted answers, including the text's spellings"),
    )

    def check(self, q: dict) -> Iterator[Problem]:
        # Each problem at its own `accept` item (the answer is not one of them: counting it shifted
        # every position by one, to the item before the repeated one).
        accept = q.get("accept", ())
        for i, spelling in enumerate(accept):
            if fold(spelling) == fold(q["answer"]):
                yield ("accept", i), f"accepted answer '{spelling}' is the answer itself (list only other answers)"
        yield from distinct("accept", accept, "accepted answer")

    def source_answers(self, q: ShortAnswer) -> list[tuple[str, tuple[str, ...]]]:
        return [(q.answer, (q.answer, *q.accept))]

    def answers(self, q: ShortAnswer) -> list[str]:
        return [q.answer, *q.accept]

    def shown(self, q: ShortAnswer) -> list[Located]:
        return prompt_shown(q)

    def options(self, q: ShortAnswer) -> list[Option]:
        return []

    def self_leaks(self, q: ShortAnswer) -> Iterator[str]:
        if appears_in(q.answer, normalize(q.prompt).casefold()):
            yield f"the prompt contains its own answer '{q.answer}'"

    def plain_answer(self, q: ShortAnswer, t: Text) -> str:
        return q.answer

    def lay_out(self, q: ShortAnswer, base: PrintedQuestion, rng: random.Random, t: Text) -> PrintedQuestion:
        return replace(base, answer=q.answer, lines=2)

    def anki_fields(self, q: ShortAnswer, t: Text) -> NoteFields:
        details = text(t("anki.also_accepted", spellings=", ".join(q.accept))) if q.accept else ""
        return basic_fields(q, text(t("anki.short_answer")), text(q.answer), details)

    def response(self, q: ShortAnswer) -> r.Response:
        return r.Typed((q.answer, *q.accept))

    def practice_record(self, q: ShortAnswer) -> dict:
        return {"answer": q.answer, "accept": list(q.accept)}


KIND = ShortAnswerKind()
