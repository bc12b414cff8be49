"""True or false: a statement, and for a false one the statement made true."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace

from quizgen.check.sources import normalize
from quizgen.draw.layout import PrintedQuestion
from quizgen.kinds import response as r
from quizgen.kinds.base import Kind, Located, Option, Problem, Text, prompt_shown
from quizgen.load.schema import Field
from quizgen.model import Question
from quizgen.render.anki_html import NoteFields, basic_fields, text


@dataclass(frozen=True, kw_only=True)
class TrueFalse(Question):
    answer: bool
    correction: str = ""


class TrueFalseKind(Kind):
    name = "true_false"
    order = 3
    record = TrueFalse
    abbreviation = "TF"
    recall = False
    base_points = 1
    strings = {"title": "True or false", "directions": "Circle True or False."}
    schema_rules = {"if": {"properties": {"answer": {"const": False}}}, "then": {"required": ["correction"]}}
    fields = (
        Field("answer", "bool", True, description="true or false"),
        Field("correction", "text", description="the statement made true (required when false)"),
    )

    def check(self, q: dict) -> Iterator[Problem]:
        if q["answer"] is False and not q.get("correction"):
            yield ("answer",), "a false statement needs a 'correction' (the statement made true)"
        if q["answer"] is True and q.get("correction"):
            yield ("correction",), "a true statement has a 'correction' (only false statements are corrected)"

    def source_answers(self, q: TrueFalse) -> list[tuple[str, tuple[str, ...]]]:
        return []  # the passage supports the statement or its correction; no single word must appear

    def answers(self, q: TrueFalse) -> list[str]:
        return [q.correction] if q.correction else []

    def shown(self, q: TrueFalse) -> list[Located]:
        return prompt_shown(q)

    def options(self, q: TrueFalse) -> list[Option]:
        return []

    def self_leaks(self, q: TrueFalse) -> Iterator[str]:
        if q.correction and normalize(q.correction) == normalize(q.prompt):
            yield "the correction repeats the false statement"

    def plain_answer(self, q: TrueFalse, t: Text) -> str:
        return t("answer.true") if q.answer else t("answer.false_because", correction=q.correction).strip()

    def lay_out(self, q: TrueFalse, base: PrintedQuestion, rng: random.Random, t: Text) -> PrintedQuestion:
        return replace(base, answer=t("answer.true") if q.answer else t("answer.false"))

    def anki_fields(self, q: TrueFalse, t: Text) -> NoteFields:
        details = text(t("anki.correct_statement", correction=q.correction)) if q.correction else ""
        answer = t("answer.true") if q.answer else t("answer.false")
        return basic_fields(q, text(t("anki.true_false")), text(answer), details)

    def response(self, q: TrueFalse) -> r.Response:
        return r.Verdict(q.answer, q.correction)

    def practice_record(self, q: TrueFalse) -> dict:
        return {"answer": q.answer, "correction": q.correction}


KIND = TrueFalseKind()
