"""Typed, immutable records for validated content. No I/O here.

Everything downstream (selection, PDF, Anki, practice pages) receives these
records, never raw YAML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

# Options, matching choices and ordering events are lettered, on paper, cards and pages alike.
OPTION_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DEFAULT_COURSE = "Course"


@dataclass(frozen=True)
class CourseSettings:
    """What quizgen.yaml says, with the defaults filled in."""

    course: str = DEFAULT_COURSE
    deck_name: str = DEFAULT_COURSE
    deck_file: str = "course.apkg"
    language: str = "en"
    paper: str = "A4"
    sources: str = ""  # relative to the content folder; "" when not given

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

    @property
    def uid(self) -> str:
        """Globally unique and stable: the bank id and the question id."""
        return f"{self.bank}/{self.id}"


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
    settings: CourseSettings = field(default_factory=lambda: CourseSettings())

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
