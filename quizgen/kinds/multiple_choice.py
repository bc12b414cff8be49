"""Multiple choice: one right option among distractors of the same type."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace

from quizgen.check.sources import appears_in, normalize
from quizgen.draw.layout import PrintedQuestion, choices, per_row
from quizgen.kinds import response as r
from quizgen.kinds.base import Kind, Located, Option, Problem, Text, at_most_lettered, distinct, fold, prompt_shown
from quizgen.load.schema import Field
from quizgen.model import Question
from quizgen.render.anki_html import NoteFields, choice_fields, text


@dataclass(frozen=True, kw_only=True)
class MultipleChoice(Question):
    answer: str
    distractors: tuple[str, ...]
    accept: tuple[str, ...] = ()


class MultipleChoiceKind(Kind):
    name = "multiple_choice"
    order = 1
    record = MultipleChoice
    abbreviation = "MC"
    recall = False
    base_points = 1
    strings = {"title": "Multiple choice", "directions": "Circle the letter of the one best answer."}
    fields = (
        Field("answer", "text", True, description="the right option"),
        Field("distractors", "text_list", True, min_items=2, description="wrong options of the same type"),
        Field("accept", "text_list", description="other spellings of the answer, e.g. the text's own"),
    )

    def check(self, q: dict) -> Iterator[Problem]:
        yield from at_most_lettered("distractors", 1 + len(q["distractors"]), "options")
        yield from distinct("distractors", q["distractors"], "distractor")
        for i, distractor in enumerate(q["distractors"]):
            if fold(distractor) == fold(q["answer"]):
                yield (
                    ("distractors", i),
                    f"answer '{q['answer']}' is also listed as a distractor (the answer must not be a distractor)",
                )
        wrong = {fold(d) for d in q["distractors"]}
        for i, spelling in enumerate(q.get("accept", ())):
            if fold(spelling) in wrong:
                yield ("accept", i), f"accepted spelling '{spelling}' is also a distractor (a distractor must be wrong)"

    def source_answers(self, q: MultipleChoice) -> list[tuple[str, tuple[str, ...]]]:
        return [(q.answer, (q.answer, *q.accept))]

    def answers(self, q: MultipleChoice) -> list[str]:
        return [q.answer]

    def shown(self, q: MultipleChoice) -> list[Located]:
        return prompt_shown(q)

    def options(self, q: MultipleChoice) -> list[Option]:
        wrong = [Option(text, False, ("distractors", j)) for j, text in enumerate(q.distractors)]
        return [Option(q.answer, True, ("answer",)), *wrong]

    def self_leaks(self, q: MultipleChoice) -> Iterator[str]:
        if appears_in(q.answer, normalize(q.prompt).casefold()):
            yield f"the prompt contains its own answer '{q.answer}'"

    def plain_answer(self, q: MultipleChoice, t: Text) -> str:
        return q.answer

    def lay_out(self, q: MultipleChoice, base: PrintedQuestion, rng: random.Random, t: Text) -> PrintedQuestion:
        shown = choices((q.answer,), q.distractors, rng)
        answer = next(c.letter for c in shown if c.correct)
        return replace(base, choices=shown, answer=answer, per_row=per_row([c.text for c in shown]))

    def anki_fields(self, q: MultipleChoice, t: Text) -> NoteFields:
        return choice_fields(q, (q.answer,), [q.answer, *q.distractors], text(t("anki.choose_one")))

    def response(self, q: MultipleChoice) -> r.Response:
        return r.OneOf((r.Choice(q.answer, True), *(r.Choice(d, False) for d in q.distractors)))

    def practice_record(self, q: MultipleChoice) -> dict:
        return {"answer": q.answer, "options": [q.answer, *q.distractors]}


KIND = MultipleChoiceKind()
