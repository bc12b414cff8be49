"""Typed, immutable records for validated content. No I/O here.

Everything downstream (selection, PDF, Anki, practice pages) receives these
records, never raw YAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

KINDS = (
    "multiple_choice",
    "multiple_select",
    "true_false",
    "short_answer",
    "numeric",
    "cloze",
    "matching",
    "ordering",
    "essay",
)

# Options, matching choices and ordering events are lettered, on paper, cards and pages alike.
OPTION_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# What each kind is called where people read it: section titles, filters, labels.
KIND_TITLES = {
    "multiple_choice": "Multiple choice",
    "multiple_select": "Multiple select",
    "true_false": "True or false",
    "short_answer": "Short answer",
    "numeric": "Numbers",
    "cloze": "Fill in the blanks",
    "matching": "Matching",
    "ordering": "Chronological order",
    "essay": "Essay",
}

CLOZE_DELETION = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    author: str
    outlet: str
    date: str
    file: str


@dataclass(frozen=True)
class Passage:
    """A verbatim passage of an article, quoted as the support for an answer."""

    article: str
    text: str


@dataclass(frozen=True)
class Pair:
    left: str
    right: str


@dataclass(frozen=True)
class Event:
    """One item of an ordering question: what happened and when (YYYY[-MM[-DD]])."""

    text: str
    date: str


@dataclass(frozen=True, kw_only=True)
class Question:
    """Fields every kind shares; the subclasses add what the kind needs."""

    bank: str
    id: str
    kind: str
    prompt: str
    source: tuple[Passage, ...]
    tags: tuple[str, ...]
    difficulty: int = 2
    points: int = 1
    explanation: str = ""

    @property
    def uid(self) -> str:
        """Globally unique and stable: the bank id and the question id."""
        return f"{self.bank}/{self.id}"


@dataclass(frozen=True, kw_only=True)
class MultipleChoice(Question):
    answer: str
    distractors: tuple[str, ...]
    accept: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class MultipleSelect(Question):
    answers: tuple[str, ...]
    distractors: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class TrueFalse(Question):
    answer: bool
    correction: str = ""


@dataclass(frozen=True, kw_only=True)
class ShortAnswer(Question):
    answer: str
    accept: tuple[str, ...] = ()


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


@dataclass(frozen=True, kw_only=True)
class Cloze(Question):
    @property
    def deletions(self) -> list[tuple[int, str, str]]:
        """(number, answer, hint) for each {{cN::answer::hint}} in the prompt."""
        return [(int(n), text, hint or "") for n, text, hint in CLOZE_DELETION.findall(self.prompt)]

    @property
    def card_numbers(self) -> list[int]:
        return sorted({number for number, _, _ in self.deletions})


@dataclass(frozen=True, kw_only=True)
class Matching(Question):
    pairs: tuple[Pair, ...]


@dataclass(frozen=True, kw_only=True)
class Ordering(Question):
    items: tuple[Event, ...]  # in the correct chronological order


@dataclass(frozen=True, kw_only=True)
class Essay(Question):
    key_points: tuple[str, ...]


QUESTION_CLASSES: dict[str, type[Question]] = {
    "multiple_choice": MultipleChoice,
    "multiple_select": MultipleSelect,
    "true_false": TrueFalse,
    "short_answer": ShortAnswer,
    "numeric": Numeric,
    "cloze": Cloze,
    "matching": Matching,
    "ordering": Ordering,
    "essay": Essay,
}


@dataclass(frozen=True)
class Bank:
    id: str
    title: str
    path: str
    questions: tuple[Question, ...]
    article: str = ""
    description: str = ""


@dataclass(frozen=True)
class Content:
    """Everything validated from a content directory."""

    articles: dict[str, Article]
    banks: tuple[Bank, ...]
    tags: dict[str, str] = field(default_factory=dict)

    def bank(self, bank_id: str) -> Bank:
        return next(bank for bank in self.banks if bank.id == bank_id)

    @property
    def questions(self) -> list[Question]:
        return [question for bank in self.banks for question in bank.questions]


def format_number(value: float) -> str:
    """A number as a key prints it, exactly: 10.7 -> '10.7', 700.0 -> '700', 2001.125 -> '2001.125'."""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))  # the shortest text that reads back as this float: never rounded


def number_range(value: float, tolerance: float) -> tuple[str, str]:
    """The lowest and highest accepted answers, in decimal: 10.7 ± 0.05 -> ('10.65', '10.75')."""
    centre, spread = Decimal(format_number(value)), Decimal(format_number(tolerance))
    return _plain_decimal(centre - spread), _plain_decimal(centre + spread)


def _plain_decimal(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def cloze_visible_text(prompt: str) -> str:
    """The cloze text with every deletion replaced by its answer (the full sentence)."""
    return CLOZE_DELETION.sub(lambda m: m.group(2), prompt)
