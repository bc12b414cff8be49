"""What a question kind declares, once: its record, fields, checks, points, the texts checks read, its answer.

Every table about kinds (the bank format, the JSON Schema, default points,
the source and give-away checks, printed layouts, Anki fields, practice-page
records, stats columns) is derived from these declarations. A kind that leaves
out any part fails at import time, so no check can silently skip a new kind.
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from quizgen.load.schema import Field
from quizgen.model import OPTION_LETTERS, Passage, Question

if TYPE_CHECKING:
    from quizgen.draw.layout import PrintedQuestion
    from quizgen.kinds.response import Response
    from quizgen.render.anki_fields import NoteFields

# (path below the question, message), or with the piece of the value at fault, to be located where it is written
Problem = tuple[tuple, str] | tuple[tuple, str, str]
Text = Callable[..., str]  # a catalogue's text(key, **params): what a student reads, in the course's language


class Option(NamedTuple):
    """A printed option of a choice question: its text, whether it is right, and its field."""

    text: str
    correct: bool
    field: tuple  # ("answer",), ("answers", k) or ("distractors", j), under the question


Located = tuple[tuple, str]  # (path below the question, text a student reads there)

# The English texts every kind declares; other languages translate them in their catalogue.
KIND_STRING_KEYS = ("title", "directions")


class Kind(ABC):
    """One kind of question. Subclasses set the class attributes and implement every method."""

    name: ClassVar[str]  # the value of `kind:` in a bank
    order: ClassVar[int]  # where its section comes on a handout, and its column in tables
    record: ClassVar[type[Question]]
    abbreviation: ClassVar[str]  # a column of `quizgen stats`
    fields: ClassVar[tuple[Field, ...]]  # the keys this kind adds to the common ones
    base_points: ClassVar[int]  # points on a printed quiz when the bank gives none (see `points`)
    strings: ClassVar[dict[str, str]]  # English: the title and the printed directions
    recall: ClassVar[bool]  # the student writes the answer (True) or picks it among printed options (False)
    schema_rules: ClassVar[dict] = {}  # JSON Schema rules beyond the fields (editors only; `check` enforces them)

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        declared = ("name", "order", "record", "abbreviation", "fields", "base_points", "strings", "recall")
        missing = [name for name in declared if not hasattr(cls, name)]
        if missing:
            raise TypeError(f"kind {cls.__name__} does not declare {', '.join(missing)}")
        if set(cls.strings) != set(KIND_STRING_KEYS):
            raise TypeError(f"kind {cls.name} must declare exactly the strings {', '.join(KIND_STRING_KEYS)}")

    # --- the bank format -------------------------------------------------------------

    def points(self, values: dict) -> int:
        """Points when the bank gives none; kinds made of parts count each part."""
        return self.base_points

    @abstractmethod
    def check(self, values: dict) -> Iterator[Problem]:
        """What is wrong with a question's cleaned values beyond their types."""

    def build(self, bank_id: str, default_article: str, values: dict) -> Question:
        """The kind's frozen record from cleaned values."""
        values = dict(values)
        values["source"] = tuple(Passage(article or default_article, text) for article, text in values["source"])
        values["tags"] = tuple(values["tags"])
        values.setdefault("points", self.points(values))
        return self.record(bank=bank_id, **self.convert(values))

    def convert(self, values: dict) -> dict:
        """Turn nested cleaned values (pairs, events) into records; most kinds have none."""
        return values

    # --- what the source and give-away checks read -----------------------------------

    @abstractmethod
    def source_answers(self, question: Question) -> list[tuple[str, tuple[str, ...]]]:
        """Each answer that a source passage must state, with the spellings that count as it."""

    @abstractmethod
    def answers(self, question: Question) -> list[str]:
        """The answers that would give the question away if printed elsewhere in a quiz."""

    @abstractmethod
    def shown(self, question: Question) -> list[Located]:
        """What a student reads of the question as given (not the options to choose from), by field."""

    @abstractmethod
    def options(self, question: Question) -> list[Option]:
        """The options a student chooses from (none for kinds where the answer is written or matched)."""

    @abstractmethod
    def self_leaks(self, question: Question) -> Iterator[str]:
        """How the question, as a student sees it, prints its own answer."""

    # --- answers and outputs ----------------------------------------------------------

    @abstractmethod
    def response(self, question: Question) -> Response:
        """What a student answers, in one of the forms of quizgen/kinds/response.py (exports, sheets, grading)."""

    @abstractmethod
    def plain_answer(self, question: Question, t: Text) -> str:
        """The answer in words, independent of any version's lettering (study guides), worded by `t`."""

    @abstractmethod
    def lay_out(self, question: Question, base: PrintedQuestion, rng: random.Random, t: Text) -> PrintedQuestion:
        """The question as printed in one version: `rng` shuffles what it shows; the key uses its lettering;
        `t` words the printed answer."""

    @abstractmethod
    def anki_fields(self, question: Question, t: Text) -> NoteFields:
        """The Anki note type and the fields this question fills (the source fields are added by the deck);
        `t` words the instructions and labels."""

    @abstractmethod
    def practice_record(self, question: Question) -> dict:
        """What the practice page's script needs of this kind, as plain JSON data."""


# --- helpers the kinds' checks share ---------------------------------------------------

MAX_OPTIONS = len(OPTION_LETTERS)  # printed and shown lettered A to Z


def fold(text: str) -> str:
    """Compare options as a reader would: case and surrounding space ignored."""
    return " ".join(text.casefold().split())


def distinct(key: str, values: tuple[str, ...], what: str) -> Iterator[Problem]:
    """A problem for each value that repeats an earlier one (as a reader compares them)."""
    seen: set[str] = set()
    for i, value in enumerate(values):
        if fold(value) in seen:
            yield (key, i), f"{what} '{value}' is listed twice ({what}s must be distinct)"
        seen.add(fold(value))


def at_most_lettered(key: str, count: int, what: str) -> Iterator[Problem]:
    """A problem when there are more items than letters to print them with."""
    if count > MAX_OPTIONS:
        yield (key,), f"has {count} {what} (expected at most {MAX_OPTIONS}: they are lettered A to Z)"


def prompt_shown(question: Question) -> list[Located]:
    return [(("prompt",), question.prompt)]


def listed(key: str, values: tuple[str, ...]) -> list[Located]:
    return [((key, i), value) for i, value in enumerate(values)]
