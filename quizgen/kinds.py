"""Checks that only make sense for one question kind, and record building per kind.

Each check takes the cleaned values of a question and yields (key, message)
pairs; the caller adds the question id and the location.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from quizgen.load.schema import DEFAULT_POINTS
from quizgen.model import CLOZE_DELETION, OPTION_LETTERS, QUESTION_CLASSES, Event, Pair, Passage, Question

Problem = tuple[tuple, str]  # (path below the question, message)


def fold(text: str) -> str:
    """Compare options as a reader would: case and surrounding space ignored."""
    return " ".join(text.casefold().split())


def _duplicates(values: tuple[str, ...]) -> list[int]:
    seen: set[str] = set()
    repeats = []
    for i, value in enumerate(values):
        if fold(value) in seen:
            repeats.append(i)
        seen.add(fold(value))
    return repeats


def _distinct(key: str, values: tuple[str, ...], what: str) -> Iterator[Problem]:
    for i in _duplicates(values):
        yield (key, i), f"{what} '{values[i]}' is listed twice ({what}s must be distinct)"


MAX_OPTIONS = len(OPTION_LETTERS)  # printed and shown lettered A to Z


def _at_most_lettered(key: str, count: int, what: str) -> Iterator[Problem]:
    if count > MAX_OPTIONS:
        yield (key,), f"has {count} {what} (expected at most {MAX_OPTIONS}: they are lettered A to Z)"


def check_multiple_choice(q: dict) -> Iterator[Problem]:
    yield from _at_most_lettered("distractors", 1 + len(q["distractors"]), "options")
    yield from _distinct("distractors", q["distractors"], "distractor")
    for i, distractor in enumerate(q["distractors"]):
        if fold(distractor) == fold(q["answer"]):
            yield (
                ("distractors", i),
                f"answer '{q['answer']}' is also listed as a distractor (the answer must not be a distractor)",
            )
    for i, spelling in enumerate(q.get("accept", ())):
        if fold(spelling) in {fold(d) for d in q["distractors"]}:
            yield ("accept", i), f"accepted spelling '{spelling}' is also a distractor (a distractor must be wrong)"


def check_multiple_select(q: dict) -> Iterator[Problem]:
    yield from _at_most_lettered("distractors", len(q["answers"]) + len(q["distractors"]), "options")
    yield from _distinct("answers", q["answers"], "answer")
    yield from _distinct("distractors", q["distractors"], "distractor")
    answers = {fold(a) for a in q["answers"]}
    for i, distractor in enumerate(q["distractors"]):
        if fold(distractor) in answers:
            yield ("distractors", i), f"'{distractor}' is both an answer and a distractor (options must be distinct)"


def check_true_false(q: dict) -> Iterator[Problem]:
    if q["answer"] is False and not q.get("correction"):
        yield ("answer",), "a false statement needs a 'correction' (the statement made true)"
    if q["answer"] is True and q.get("correction"):
        yield ("correction",), "a true statement has a 'correction' (only false statements are corrected)"


def check_short_answer(q: dict) -> Iterator[Problem]:
    yield from _distinct("accept", (q["answer"],) + q.get("accept", ()), "accepted answer")


def check_numeric(q: dict) -> Iterator[Problem]:
    if q.get("tolerance", 0.0) < 0:
        yield ("tolerance",), f"tolerance {q['tolerance']:g} is negative (expected a number >= 0)"


_OPENERS = re.compile(r"\{\{")


def check_cloze(q: dict) -> Iterator[Problem]:
    prompt = q["prompt"]
    deletions = CLOZE_DELETION.findall(prompt)
    if not deletions:
        yield ("prompt",), "cloze has no deletion (expected at least one {{c1::answer}})"
        return
    if len(_OPENERS.findall(prompt)) != len(deletions):
        yield ("prompt",), "cloze has a malformed deletion (expected {{cN::answer}} or {{cN::answer::hint}})"
    for number, text, _ in deletions:
        if not text.strip():
            yield ("prompt",), f"cloze deletion c{number} is empty (expected the hidden text)"
    numbers = sorted({int(number) for number, _, _ in deletions})
    if numbers != list(range(1, len(numbers) + 1)):
        found = ", ".join(f"c{n}" for n in numbers)
        yield ("prompt",), f"cloze deletions are numbered {found} (expected c1, c2, ... without gaps)"


def check_matching(q: dict) -> Iterator[Problem]:
    yield from _at_most_lettered("pairs", len(q["pairs"]), "pairs")
    yield from _distinct("pairs", tuple(p["left"] for p in q["pairs"]), "left item")
    yield from _distinct("pairs", tuple(p["right"] for p in q["pairs"]), "right item")


def check_ordering(q: dict) -> Iterator[Problem]:
    items = q["items"]
    yield from _at_most_lettered("items", len(items), "events")
    yield from _distinct("items", tuple(item["text"] for item in items), "event")
    for i in range(1, len(items)):
        before, after = items[i - 1]["date"], items[i]["date"]
        if after.startswith(before) or before.startswith(after):
            yield (
                ("items", i, "date"),
                (
                    f"dates {before} and {after} overlap, so their order is ambiguous "
                    "(expected dates of the same precision or in different periods)"
                ),
            )
        elif after < before:
            yield (
                ("items", i, "date"),
                (f"date {after} comes before {before} (expected items in chronological order, earliest first)"),
            )


KIND_CHECKS = {
    "multiple_choice": check_multiple_choice,
    "multiple_select": check_multiple_select,
    "true_false": check_true_false,
    "short_answer": check_short_answer,
    "numeric": check_numeric,
    "cloze": check_cloze,
    "matching": check_matching,
    "ordering": check_ordering,
    "essay": lambda q: iter(()),
}


def default_points(kind: str, q: dict) -> int:
    """Points when the bank gives none: per deletion, pair or key point where that is fairer."""
    base = DEFAULT_POINTS[kind]
    if kind == "cloze":
        return base * len({n for n, _, _ in CLOZE_DELETION.findall(q["prompt"])})
    if kind == "matching":
        return base * len(q["pairs"])
    if kind == "essay":
        return base * len(q["key_points"])
    return base


def build_question(bank_id: str, default_article: str, q: dict) -> Question:
    """Turn cleaned values into the kind's frozen record."""
    values = dict(q)
    values["source"] = tuple(Passage(article or default_article, text) for article, text in q["source"])
    values["tags"] = tuple(q["tags"])
    values.setdefault("points", default_points(q["kind"], q))
    if "pairs" in values:
        values["pairs"] = tuple(Pair(p["left"], p["right"]) for p in q["pairs"])
    if "items" in values:
        values["items"] = tuple(Event(item["text"], item["date"]) for item in q["items"])
    return QUESTION_CLASSES[q["kind"]](bank=bank_id, **values)
