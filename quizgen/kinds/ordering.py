"""Ordering: events to put in chronological order, each with the date that decides its place."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace

from quizgen.draw.layout import PrintedQuestion, Slot, shuffled_copy
from quizgen.kinds import response as r
from quizgen.kinds.base import Kind, Located, Option, Problem, Text, at_most_lettered, distinct, prompt_shown
from quizgen.load.schema import Field
from quizgen.model import Question
from quizgen.render.anki_html import NoteFields, element, lettered, letters, readable_date, shuffled, text


@dataclass(frozen=True)
class Event:
    """One item of an ordering question: what happened and when (YYYY[-MM[-DD]])."""

    text: str
    date: str


@dataclass(frozen=True, kw_only=True)
class Ordering(Question):
    items: tuple[Event, ...]  # in the correct chronological order


class OrderingKind(Kind):
    name = "ordering"
    order = 8
    record = Ordering
    abbreviation = "ORD"
    recall = False
    base_points = 2
    strings = {
        "title": "Chronological order",
        "directions": "Number the events in the boxes from 1 (earliest) onwards.",
    }
    fields = (Field("items", "events", True, min_items=3, description="events in chronological order: {text, date}"),)

    def check(self, q: dict) -> Iterator[Problem]:
        items = q["items"]
        yield from at_most_lettered("items", len(items), "events")
        yield from distinct("items", tuple(item["text"] for item in items), "event")
        for i in range(1, len(items)):
            before, after = items[i - 1]["date"], items[i]["date"]
            if after.startswith(before) or before.startswith(after):
                yield (
                    ("items", i, "date"),
                    f"dates {before} and {after} overlap, so their order is ambiguous "
                    "(expected dates of the same precision or in different periods)",
                )
            elif after < before:
                yield (
                    ("items", i, "date"),
                    f"date {after} comes before {before} (expected items in chronological order, earliest first)",
                )

    def convert(self, values: dict) -> dict:
        return {**values, "items": tuple(Event(item["text"], item["date"]) for item in values["items"])}

    def source_answers(self, q: Ordering) -> list[tuple[str, tuple[str, ...]]]:
        return []  # the passages date the events; the order is the answer, not a word

    def answers(self, q: Ordering) -> list[str]:
        return []  # the order is never printed; dates are not shown to students

    def shown(self, q: Ordering) -> list[Located]:
        return prompt_shown(q) + [(("items", i, "text"), item.text) for i, item in enumerate(q.items)]

    def options(self, q: Ordering) -> list[Option]:
        return []

    def self_leaks(self, q: Ordering) -> Iterator[str]:
        return iter(())

    def plain_answer(self, q: Ordering, t: Text) -> str:
        return "; ".join(f"{e.text} ({e.date})" for e in q.items)

    def lay_out(self, q: Ordering, base: PrintedQuestion, rng: random.Random, t: Text) -> PrintedQuestion:
        positions = {id(event): i for i, event in enumerate(q.items, start=1)}
        shown = shuffled_copy(list(q.items), rng, avoid_identity=True)  # never already in order
        slots = tuple(Slot(event.text, event.date, positions[id(event)]) for event in shown)
        return replace(base, slots=slots, answer=", ".join(str(slot.position) for slot in slots))

    def anki_fields(self, q: Ordering, t: Text) -> NoteFields:
        events = shuffled(list(q.items), q.uid, avoid_given_order=True)
        marks = letters(len(events))
        label = {event: lettered(mark, text(event.text)) for mark, event in zip(marks, events, strict=True)}
        shown = [element("li", label[event]) for event in events]
        order = [element("li", element("span", f"{readable_date(e.date)} ", "qz-date") + label[e]) for e in q.items]
        return NoteFields(
            "ordering",
            {
                "Prompt": text(q.prompt),
                "Events": element("ul", "".join(shown), "qz-events"),
                "Order": element("ol", "".join(order), "qz-order"),
                "Explanation": text(q.explanation),
            },
        )

    def response(self, q: Ordering) -> r.Response:
        return r.Order(tuple(e.text for e in q.items), tuple(e.date for e in q.items))

    def practice_record(self, q: Ordering) -> dict:
        return {"items": [{"text": e.text, "date": e.date} for e in q.items]}


KIND = OrderingKind()
