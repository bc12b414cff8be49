"""Multiple select: several right options among distractors; the student marks every right one."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace

from quizgen.draw.layout import PrintedQuestion, choices, per_row
from quizgen.kinds import response as r
from quizgen.kinds.base import Kind, Located, Option, Problem, Text, at_most_lettered, distinct, fold, prompt_shown
from quizgen.load.schema import Field
from quizgen.model import Question
from quizgen.render.anki_html import NoteFields, choice_fields, text


@dataclass(frozen=True, kw_only=True)
class MultipleSelect(Question):
    answers: tuple[str, ...]
    distractors: tuple[str, ...]


class MultipleSelectKind(Kind):
    name = "multiple_select"
    order = 2
    record = MultipleSelect
    abbreviation = "MS"
    recall = False
    base_points = 2
    strings = {"title": "Multiple select", "directions": "Mark every correct option: there is more than one."}
    fields = (
        Field("answers", "text_list", True, min_items=2, description="the right options"),
        Field("distractors", "text_list", True, min_items=2, description="wrong options"),
    )

    def check(self, q: dict) -> Iterator[Problem]:
        yield from at_most_lettered("distractors", len(q["answers"]) + len(q["distractors"]), "options")
        yield from distinct("answers", q["answers"], "answer")
        yield from distinct("distractors", q["distractors"], "distractor")
        answers = {fold(a) for a in q["answers"]}
        for i, distractor in enumerate(q["distractors"]):
            if fold(distractor) in answers:
                yield (
                    ("distractors", i),
                    f"'{distractor}' is both an answer and a distractor (options must be distinct)",
                )

    def source_answers(self, q: MultipleSelect) -> list[tuple[str, tuple[str, ...]]]:
        return [(answer, (answer,)) for answer in q.answers]

    def answers(self, q: MultipleSelect) -> list[str]:
        return list(q.answers)

    def shown(self, q: MultipleSelect) -> list[Located]:
        return prompt_shown(q)

    def options(self, q: MultipleSelect) -> list[Option]:
        right = [Option(text, True, ("answers", k)) for k, text in enumerate(q.answers)]
        return right + [Option(text, False, ("distractors", j)) for j, text in enumerate(q.distractors)]

    def self_leaks(self, q: MultipleSelect) -> Iterator[str]:
        return iter(())  # every option is shown by design; a prompt naming one is for a reviewer, not a check

    def plain_answer(self, q: MultipleSelect, t: Text) -> str:
        return "; ".join(q.answers)

    def lay_out(self, q: MultipleSelect, base: PrintedQuestion, rng: random.Random, t: Text) -> PrintedQuestion:
        shown = choices(q.answers, q.distractors, rng)
        answer = ", ".join(c.letter for c in shown if c.correct)
        return replace(base, choices=shown, answer=answer, per_row=per_row([c.text for c in shown]))

    def anki_fields(self, q: MultipleSelect, t: Text) -> NoteFields:
        return choice_fields(q, q.answers, [*q.answers, *q.distractors], text(t("anki.choose_all")))

    def response(self, q: MultipleSelect) -> r.Response:
        return r.AnyOf((*(r.Choice(a, True) for a in q.answers), *(r.Choice(d, False) for d in q.distractors)))

    def practice_record(self, q: MultipleSelect) -> dict:
        return {"answers": list(q.answers), "options": [*q.answers, *q.distractors]}


KIND = MultipleSelectKind()
