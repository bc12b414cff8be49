"""Cloze: a sentence with deletions {{cN::answer}} or {{cN::answer::hint}}, one card or blank per number.

The deletions are found by a scanner that moves forward only, so a prompt of
any shape is read in time linear in its length (a backtracking regular
expression took minutes on a few kilobytes of repeated `{{c1::`).
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from quizgen.check.sources import appears_in, normalize
from quizgen.draw.layout import PrintedQuestion, Segment
from quizgen.kinds import response as r
from quizgen.kinds.base import Kind, Located, Option, Problem, Text
from quizgen.model import Question
from quizgen.render.anki_html import NoteFields, text

OPEN, CLOSE, SEPARATOR = "{{c", "}}", "::"
# What is left of a prompt once its well-formed deletions are taken out must not look like one:
# `{c2::x}`, `{{ c1::x}}`, a stray `{{` or `}}`, `c3::`. Each alternative reads a bounded stretch.
_LOOKS_LIKE_DELETION = re.compile(r"\{+\s*c\d{1,3}\s*:[^}]{0,40}\}{0,2}|\bc\d{1,3}::[^}]{0,40}\}{0,2}|\{\{|\}\}")


class Deletion(NamedTuple):
    number: int
    answer: str
    hint: str
    start: int  # where `{{c` begins in the prompt
    end: int  # just after the closing `}}`


@functools.lru_cache(maxsize=1 << 14)  # a prompt is read by the checks, the points, the draw and every output
def find_deletions(prompt: str) -> tuple[Deletion, ...]:
    """Every well-formed {{cN::answer[::hint]}}, left to right."""
    found: list[Deletion] = []
    position = 0
    while (start := prompt.find(OPEN, position)) != -1:
        digits_end = start + len(OPEN)
        while digits_end < len(prompt) and prompt[digits_end].isascii() and prompt[digits_end].isdigit():
            digits_end += 1
        if digits_end == start + len(OPEN) or not prompt.startswith(SEPARATOR, digits_end):
            position = start + 1
            continue
        body_start = digits_end + len(SEPARATOR)
        close = prompt.find(CLOSE, body_start)
        if close == -1:
            break  # no deletion can close after this point
        answer, _, hint = prompt[body_start:close].partition(SEPARATOR)
        found.append(Deletion(int(prompt[start + len(OPEN) : digits_end]), answer, hint, start, close + len(CLOSE)))
        position = close + len(CLOSE)
    return tuple(found)


def outside_deletions(prompt: str, deletions: Sequence[Deletion]) -> str:
    """The prompt with its deletions cut out (each replaced by a space)."""
    pieces, position = [], 0
    for deletion in deletions:
        pieces.append(prompt[position : deletion.start])
        position = deletion.end
    pieces.append(prompt[position:])
    return " ".join(pieces)


def filled(prompt: str, blank: int | None = None) -> str:
    """The text with every deletion showing its answer, except number `blank`, shown as [...]."""
    pieces, position = [], 0
    for deletion in find_deletions(prompt):
        pieces.append(prompt[position : deletion.start])
        pieces.append("[...]" if deletion.number == blank else deletion.answer)
        position = deletion.end
    pieces.append(prompt[position:])
    return "".join(pieces)


def cloze_segments(prompt: str) -> tuple[Segment, ...]:
    """The text cut at its deletions; blanks numbered in reading order from 1."""
    segments, position = [], 0
    for blank, deletion in enumerate(find_deletions(prompt), start=1):
        segments.append(Segment(prompt[position : deletion.start], blank, deletion.hint, deletion.answer))
        position = deletion.end
    segments.append(Segment(prompt[position:]))
    return tuple(segments)


@dataclass(frozen=True, kw_only=True)
class Cloze(Question):
    @property
    def deletions(self) -> list[tuple[int, str, str]]:
        """(number, answer, hint) for each deletion in the prompt."""
        return [(d.number, d.answer, d.hint) for d in find_deletions(self.prompt)]

    @functools.cached_property  # asked for by the deck and by the release guards: the prompt is parsed once
    def card_numbers(self) -> tuple[int, ...]:
        """The deletion numbers, each once, in order: one card each."""
        return tuple(sorted({number for number, _, _ in self.deletions}))


class ClozeKind(Kind):
    name = "cloze"
    order = 6
    record = Cloze
    abbreviation = "CLZ"
    recall = True
    base_points = 1  # per deletion
    strings = {"title": "Fill in the blanks", "directions": "Write the missing word or words on each numbered blank."}
    fields = ()

    def points(self, values: dict) -> int:
        return self.base_points * len({d.number for d in find_deletions(values["prompt"])})

    def check(self, q: dict) -> Iterator[Problem]:
        prompt = q["prompt"]
        deletions = find_deletions(prompt)
        malformed = _LOOKS_LIKE_DELETION.search(outside_deletions(prompt, deletions))
        if malformed:
            yield (
                ("prompt",),
                f"cloze has a malformed deletion '{malformed.group(0)}' "
                "(expected {{cN::answer}} or {{cN::answer::hint}}, with two braces on each side)",
                malformed.group(0),
            )
        if not deletions:
            if not malformed:
                yield ("prompt",), "cloze has no deletion (expected at least one {{c1::answer}})"
            return
        for deletion in deletions:
            inner = f"{deletion.answer}{SEPARATOR}{deletion.hint}"
            if not deletion.answer.strip():
                yield (
                    ("prompt",),
                    f"cloze deletion c{deletion.number} is empty (expected the hidden text)",
                    f"{{{{c{deletion.number}::",
                )
            elif "{" in inner or "}" in inner:
                yield ("prompt",), f"cloze deletion c{deletion.number} contains a brace (deletions cannot nest)"
        numbers = sorted({d.number for d in deletions})
        if numbers != list(range(1, len(numbers) + 1)):
            found = ", ".join(f"c{n}" for n in numbers)
            yield ("prompt",), f"cloze deletions are numbered {found} (expected c1, c2, ... without gaps)"

    def source_answers(self, q: Cloze) -> list[tuple[str, tuple[str, ...]]]:
        return [(answer, (answer,)) for _, answer, _ in q.deletions]

    def answers(self, q: Cloze) -> list[str]:
        return [answer for _, answer, _ in q.deletions]

    def shown(self, q: Cloze) -> list[Located]:
        # On paper every blank is empty: what shows is the text around them.
        return [(("prompt",), outside_deletions(q.prompt, find_deletions(q.prompt))), *_hints(q)]

    def options(self, q: Cloze) -> list[Option]:
        return []

    def self_leaks(self, q: Cloze) -> Iterator[str]:
        for number in q.card_numbers:
            # What the card for cN shows: the other deletions filled in, cN blanked.
            shown = normalize(filled(q.prompt, blank=number)).casefold()
            for n, answer, _ in q.deletions:
                if n == number and appears_in(answer, shown):
                    yield f"cloze card c{number} shows its hidden text '{answer}' elsewhere in the sentence"

    def plain_answer(self, q: Cloze, t: Text) -> str:
        return "; ".join(f"({i}) {s.answer}" for i, s in enumerate(cloze_segments(q.prompt)[:-1], 1))

    def lay_out(self, q: Cloze, base: PrintedQuestion, rng: random.Random, t: Text) -> PrintedQuestion:
        segments = cloze_segments(q.prompt)
        answer = "; ".join(f"({s.blank}) {s.answer}" for s in segments if s.blank)
        return replace(base, segments=segments, answer=answer)

    def anki_fields(self, q: Cloze, t: Text) -> NoteFields:
        # Escaping leaves Anki's {{cN::answer::hint}} syntax intact: it has no character html.escape changes.
        return NoteFields("cloze", {"Text": text(q.prompt), "Extra": text(q.explanation)})

    def response(self, q: Cloze) -> r.Response:
        pieces: list[str | r.Gap] = []
        position = 0
        for deletion in find_deletions(q.prompt):
            pieces += [q.prompt[position : deletion.start], r.Gap(deletion.number, deletion.answer, deletion.hint)]
            position = deletion.end
        return r.Gaps(tuple(piece for piece in (*pieces, q.prompt[position:]) if piece != ""))

    def practice_record(self, q: Cloze) -> dict:
        # The page gets the text already cut into pieces, so it never parses the markup itself.
        pieces: list[dict] = []
        position = 0
        for deletion in find_deletions(q.prompt):
            if deletion.start > position:
                pieces.append({"text": q.prompt[position : deletion.start]})
            pieces.append({"blank": deletion.number, "answer": deletion.answer, "hint": deletion.hint})
            position = deletion.end
        if position < len(q.prompt):
            pieces.append({"text": q.prompt[position:]})
        return {"segments": pieces, "full_text": filled(q.prompt)}


def _hints(q: Cloze) -> list[Located]:
    return [(("prompt",), hint) for _, _, hint in q.deletions if hint]


KIND = ClozeKind()
