"""Numeric: a number (with its unit and an accepted tolerance), checked against how the text writes it."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from quizgen.draw.layout import PrintedQuestion
from quizgen.kinds import response as r
from quizgen.kinds.base import Kind, Located, Option, Problem, Text, prompt_shown
from quizgen.load.schema import Field
from quizgen.model import Question, format_number, number_range
from quizgen.render.anki_html import NoteFields, basic_fields, text


@dataclass(frozen=True, kw_only=True)
class Numeric(Question):
    answer: float
    unit: str = ""
    tolerance: float = 0.0
    accept: tuple[str, ...] = ()

    @property
    def answer_text(self) -> str:
        """The number as a person writes it: 10.7, 700 (never 700.0)."""
        return format_number(self.answer)


def number_spellings(value: float) -> tuple[str, ...]:
    """How a text may write the number: as is, or with thousands separators."""
    plain = format_number(value)
    grouped = f"{value:,.0f}" if float(value).is_integer() else plain
    return (plain, grouped)


# Digits as a text writes them, with optional thousands commas: '9', '10.7', '1,200'. Not '10,7'
# (a decimal comma in some languages: read as words rather than as 107).
_DIGITS = re.compile(r"[-+]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?")


def _as_number(spelling: str) -> float | None:
    """The number a spelling writes in digits ('1,200', '10.7'), or None for words ('nine')."""
    text = spelling.strip()
    return float(text.replace(",", "")) if _DIGITS.fullmatch(text) else None


class NumericKind(Kind):
    name = "numeric"
    order = 5
    record = Numeric
    abbreviation = "NUM"
    recall = True
    base_points = 1
    strings = {"title": "Numbers", "directions": "Write the number in the box."}
    fields = (
        Field("answer", "number", True, description="the value"),
        Field("unit", "text_or_empty", description="what the number counts, e.g. billion US$"),
        Field("tolerance", "number", description="accepted absolute difference (>= 0, default 0)"),
        Field("accept", "text_list", description="how the text writes the number, e.g. five"),
    )

    def check(self, q: dict) -> Iterator[Problem]:
        if q.get("tolerance", 0.0) < 0:
            yield ("tolerance",), f"tolerance {q['tolerance']:g} is negative (expected a number >= 0)"
        for i, spelling in enumerate(q.get("accept", ())):
            written = _as_number(spelling)
            if written is not None and abs(written - q["answer"]) > abs(q.get("tolerance", 0.0)):
                # The card back says "the text writes: 10" for an answer of 9: a typo, not a spelling.
                answer = format_number(q["answer"])
                yield ("accept", i), f"accepted spelling '{spelling}' is another number than the answer {answer}"

    def source_answers(self, q: Numeric) -> list[tuple[str, tuple[str, ...]]]:
        return [(q.answer_text, number_spellings(q.answer) + q.accept)]

    def answers(self, q: Numeric) -> list[str]:
        return [*number_spellings(q.answer), *q.accept]

    def shown(self, q: Numeric) -> list[Located]:
        return prompt_shown(q)

    def options(self, q: Numeric) -> list[Option]:
        return []

    def self_leaks(self, q: Numeric) -> Iterator[str]:
        return iter(())  # a number in its own prompt is usually a different one (a year, a count)

    def plain_answer(self, q: Numeric, t: Text) -> str:
        answer = f"{q.answer_text} {q.unit}".strip()
        return t("answer.within", answer=answer, tolerance=f"{q.tolerance:g}") if q.tolerance else answer

    def lay_out(self, q: Numeric, base: PrintedQuestion, rng: random.Random, t: Text) -> PrintedQuestion:
        return replace(base, answer=f"{q.answer_text} {q.unit}".strip())

    def anki_fields(self, q: Numeric, t: Text) -> NoteFields:
        unit = f" {text(q.unit)}" if q.unit else ""
        instruction = text(t("anki.number_in", unit=q.unit) if q.unit else t("anki.number"))
        details = []
        if q.tolerance:
            low, high = number_range(q.answer, q.tolerance)
            details.append(text(t("anki.accepted_range", low=low, high=high, unit=f" {q.unit}" if q.unit else "")))
        if q.accept:
            details.append(text(t("anki.text_writes", spellings=", ".join(q.accept))))
        return basic_fields(q, instruction, f"{q.answer_text}{unit}", "<br>".join(details))

    def response(self, q: Numeric) -> r.Response:
        return r.Number(q.answer, q.tolerance, q.unit)

    def practice_record(self, q: Numeric) -> dict:
        return {"answer": q.answer, "answer_text": q.answer_text, "unit": q.unit, "tolerance": q.tolerance}


KIND = NumericKind()
