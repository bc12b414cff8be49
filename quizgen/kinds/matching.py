"""Matching: numbered items on the left, each matched to one lettered item on the right."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace

from quizgen.draw.layout import LETTERS, Choice, MatchRow, PrintedQuestion, shuffled_copy
from quizgen.kinds import response as r
from quizgen.kinds.base import Kind, Located, Option, Problem, Text, at_most_lettered, distinct, prompt_shown
from quizgen.load.schema import Field
from quizgen.model import Question
from quizgen.render.anki_html import NoteFields, element, lettered, letters, shuffled, text


@dataclass(frozen=True)
class Pair:
    left: str
    right: str


@dataclass(frozen=True, kw_only=True)
class Matching(Question):
    pairs: tuple[Pair, ...]


class MatchingKind(Kind):
    name = "matching"
    order = 7
    record = Matching
    abbreviation = "MAT"
    recall = False
    base_points = 1  # per pair
    strings = {
        "title": "Matching",
        "directions": "Write the letter of the matching item on the line before each number.",
    }
    fields = (Field("pairs", "pairs", True, min_items=3, description="items to match: {left, right}"),)

    def points(self, values: dict) -> int:
        return self.base_points * len(values["pairs"])

    def check(self, q: dict) -> Iterator[Problem]:
        yield from at_most_lettered("pairs", len(q["pairs"]), "pairs")
        yield from distinct("pairs", tuple(p["left"] for p in q["pairs"]), "left item")
        yield from distinct("pairs", tuple(p["right"] for p in q["pairs"]), "right item")

    def convert(self, values: dict) -> dict:
        return {**values, "pairs": tuple(Pair(p["left"], p["right"]) for p in values["pairs"])}

    def source_answers(self, q: Matching) -> list[tuple[str, tuple[str, ...]]]:
        return []  # both sides are printed; the passages support the pairing, not one word

    def answers(self, q: Matching) -> list[str]:
        return []  # what it asks is the pairing, which no single printed text states

    def shown(self, q: Matching) -> list[Located]:
        lefts = [(("pairs", i, "left"), pair.left) for i, pair in enumerate(q.pairs)]
        rights = [(("pairs", i, "right"), pair.right) for i, pair in enumerate(q.pairs)]
        return prompt_shown(q) + lefts + rights

    def options(self, q: Matching) -> list[Option]:
        return []

    def self_leaks(self, q: Matching) -> Iterator[str]:
        return iter(())

    def plain_answer(self, q: Matching, t: Text) -> str:
        return "; ".join(f"{p.left} = {p.right}" for p in q.pairs)

    def lay_out(self, q: Matching, base: PrintedQuestion, rng: random.Random, t: Text) -> PrintedQuestion:
        lefts = shuffled_copy(list(q.pairs), rng)
        rights = shuffled_copy(lefts, rng, avoid_identity=True)  # never the answer in reading order
        letter_of = {id(pair): LETTERS[i] for i, pair in enumerate(rights)}
        rows = tuple(MatchRow(i, pair.left, letter_of[id(pair)]) for i, pair in enumerate(lefts, start=1))
        shown = tuple(Choice(LETTERS[i], pair.right) for i, pair in enumerate(rights))
        answer = " ".join(f"{row.number}-{row.letter}" for row in rows)
        return replace(base, rows=rows, choices=shown, answer=answer)

    def anki_fields(self, q: Matching, t: Text) -> NoteFields:
        rights = shuffled([pair.right for pair in q.pairs], q.uid, avoid_given_order=True)
        marks = letters(len(rights))
        right_label = {right: lettered(mark, text(right)) for mark, right in zip(marks, rights, strict=True)}
        left_labels = [lettered(str(i), text(pair.left)) for i, pair in enumerate(q.pairs, 1)]
        rows = [
            element("tr", element("td", left) + element("td", right_label[pair.right]))
            for left, pair in zip(left_labels, q.pairs, strict=True)
        ]
        return NoteFields(
            "matching",
            {
                "Prompt": text(q.prompt),
                "Items": element("ul", "".join(element("li", label) for label in left_labels), "qz-items"),
                "Choices": element("ul", "".join(element("li", right_label[r]) for r in rights), "qz-choices"),
                "Pairs": element("table", "".join(rows), "qz-pairs"),
                "Explanation": text(q.explanation),
            },
        )

    def response(self, q: Matching) -> r.Response:
        return r.Pairs(tuple(r.Pair(p.left, p.right) for p in q.pairs))

    def practice_record(self, q: Matching) -> dict:
        return {"pairs": [{"left": p.left, "right": p.right} for p in q.pairs]}


KIND = MatchingKind()
