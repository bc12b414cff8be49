"""Typed, immutable records for validated content. No I/O here.

Everything downstream (selection, PDF, Anki, practice pages) receives these
records, never raw YAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path

# Options, matching choices and ordering events are lettered, on paper, cards and pages alike.
OPTION_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DEFAULT_COURSE = "Course"


# A BCP 47-like language code: en, pt-BR, zh-Hant (it also names a catalogue file, so it never holds a path).
LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")


def canonical_language(code: str) -> str:
    """A language code in the case BCP 47 recommends (RFC 5646, 2.1.1): 'EN' -> 'en', 'pt-br' -> 'pt-BR',
    'zh-hant-tw' -> 'zh-Hant-TW'. Language codes ignore case, and one spelling finds one catalogue."""
    first, *rest = code.split("-")
    parts = [first.lower()]
    private = False  # after a singleton (x-..., an extension) every subtag is lower case
    for part in rest:
        private = private or len(part) == 1
        if not private and len(part) == 2 and part.isalpha():  # a region
            parts.append(part.upper())
        elif not private and len(part) == 4 and part.isalpha():  # a script (variants have 5 to 8 letters)
            parts.append(part.title())
        else:
            parts.append(part.lower())
    return "-".join(parts)


@dataclass(frozen=True)
class CourseSettings:
    """What quizgen.yaml says, with the defaults filled in."""

    course: str = DEFAULT_COURSE
    deck_name: str = DEFAULT_COURSE
    deck_file: str = "course.apkg"
    language: str = "en"
    paper: str = "A4"
    sources: str = ""  # relative to the content folder; "" when not given
    # Where `language:` is written (file, line, column), so a language with no catalogue is reported there.
    language_at: tuple[str, int, int] = ("", 0, 0)
    sources_at: tuple[int, int] = (1, 1)  # where `sources:` is written, for a directory that is not there

    def sources_dir(self, content_dir: Path) -> Path | None:
        return (content_dir / self.sources).resolve() if self.sources else None


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


@dataclass(frozen=True, kw_only=True)
class Question:
    """Fields every kind shares; each kind's record (quizgen/kinds/) adds what it needs."""

    bank: str
    id: str
    kind: str
    prompt: str
    source: tuple[Passage, ...]
    tags: tuple[str, ...]
    difficulty: int = 2
    points: int = 1
    explanation: str = ""
    set: str = ""  # the id of its bank's reading set, "" when it stands alone

    @cached_property  # asked for several times per question by every output (a deck: seven)
    def uid(self) -> str:
        """Globally unique and stable: the bank id and the question id (a changed copy: dataclasses.replace)."""
        return f"{self.bank}/{self.id}"


@dataclass(frozen=True)
class ReadingSet:
    """A verbatim excerpt of an article, printed once, with the questions that are answered from it."""

    id: str
    title: str  # "" when the article's title heads it
    excerpt: str
    article: str


@dataclass(frozen=True)
class Retired:
    """A released question withdrawn from its bank (`retired:`): students' notes say so, and why."""

    id: str
    reason: str = ""


@dataclass(frozen=True)
class Bank:
    id: str
    title: str
    path: str
    questions: tuple[Question, ...]
    article: str = ""
    description: str = ""
    sets: tuple[ReadingSet, ...] = ()
    retired: tuple[Retired, ...] = ()

    def reading_set(self, set_id: str) -> ReadingSet:
        return next(reading for reading in self.sets if reading.id == set_id)

    def set_questions(self, set_id: str) -> list[Question]:
        """The questions of one reading set, in bank order."""
        return [question for question in self.questions if question.set == set_id]


@dataclass(frozen=True)
class Content:
    """Everything validated from a content directory."""

    articles: dict[str, Article]
    banks: tuple[Bank, ...]
    tags: dict[str, str] = field(default_factory=dict)
    settings: CourseSettings = field(default_factory=lambda: CourseSettings())

    def bank(self, bank_id: str) -> Bank:
        return next(bank for bank in self.banks if bank.id == bank_id)

    @property
    def questions(self) -> list[Question]:
        return [question for bank in self.banks for question in bank.questions]

    def reading_set_of(self, question: Question) -> ReadingSet | None:
        """The reading set a question belongs to (None when it stands alone)."""
        return self.bank(question.bank).reading_set(question.set) if question.set else None

    def excerpts(self) -> dict[tuple[str, str], str]:
        """Every reading set's excerpt, by (bank id, set id): the text printed with its questions."""
        return {(bank.id, reading.id): reading.excerpt for bank in self.banks for reading in bank.sets}


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
