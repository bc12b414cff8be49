"""A question as printed in one version: its number, lettering, layout and key answer.

Each kind's `lay_out` (quizgen/kinds/) shuffles what that kind shows (options,
columns, items) with the version's random generator, and records the answer in
the version's own lettering, so the handout and its key cannot disagree. This
module holds the records they fill and the helpers they share.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from quizgen.model import OPTION_LETTERS, Article, Question

LETTERS = OPTION_LETTERS
COMPACT_FOUR = 18  # options up to this many characters print four to a row
COMPACT_TWO = 38  # ... and up to this many, two to a row
LINES_PER_ESSAY_POINT = 2  # ruled lines an essay gets per point, so space follows the marks


@dataclass(frozen=True)
class Choice:
    """A lettered option (multiple choice/select) or a lettered right-hand item (matching)."""

    letter: str
    text: str
    correct: bool = False


@dataclass(frozen=True)
class MatchRow:
    """A numbered left-hand item of a matching question and the letter that answers it."""

    number: int
    text: str
    letter: str


@dataclass(frozen=True)
class Slot:
    """An ordering item as printed, with its place in the correct order."""

    text: str
    date: str
    position: int


@dataclass(frozen=True)
class Segment:
    """A piece of cloze text followed by a blank (blank 0: text only)."""

    text: str
    blank: int = 0
    hint: str = ""
    answer: str = ""


@dataclass(frozen=True)
class SourceRef:
    """A source passage with the article it comes from, for keys and study guides."""

    text: str
    title: str
    author: str


@dataclass(frozen=True)
class PrintedQuestion:
    """Everything a template needs to print one question and its answer."""

    number: int
    question: Question
    points: int
    answer: str  # compact, in this version's lettering: what the key's grid shows
    choices: tuple[Choice, ...] = ()
    rows: tuple[MatchRow, ...] = ()
    slots: tuple[Slot, ...] = ()
    segments: tuple[Segment, ...] = ()
    per_row: int = 1  # options per printed row (multiple choice/select)
    lines: int = 0  # ruled lines to write on (short answer, essay)
    sources: tuple[SourceRef, ...] = ()

    @property
    def kind(self) -> str:
        return self.question.kind


def source_refs(question: Question, articles: dict[str, Article]) -> tuple[SourceRef, ...]:
    """The question's passages with their article's title and author."""
    refs = []
    for passage in question.source:
        article = articles.get(passage.article)
        refs.append(
            SourceRef(passage.text, article.title if article else passage.article, article.author if article else "")
        )
    return tuple(refs)


def shuffled_copy(items: list, rng: random.Random, avoid_identity: bool = False) -> list:
    """A shuffled copy; with avoid_identity, never the original order (when there are 2+ items)."""
    result = list(items)
    for _ in range(10):
        rng.shuffle(result)
        if not avoid_identity or result != items or len(items) < 2:
            return result
    return result[1:] + result[:1]  # ten shuffles that all gave the original order: rotate it away


def per_row(options: list[str]) -> int:
    """How many options fit on one row: short options are laid out compactly."""
    longest = max(len(option) for option in options)
    if longest <= COMPACT_FOUR and len(options) % 4 in (0, 3):
        return 4
    return 2 if longest <= COMPACT_TWO else 1


def choices(right: tuple[str, ...], wrong: tuple[str, ...], rng: random.Random) -> tuple[Choice, ...]:
    options = [(text, True) for text in right] + [(text, False) for text in wrong]
    return tuple(Choice(LETTERS[i], text, ok) for i, (text, ok) in enumerate(shuffled_copy(options, rng)))
