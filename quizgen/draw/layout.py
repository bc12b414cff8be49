"""A question as printed in one version: its number, lettering, layout and key answer.

One small function per kind shuffles what that kind shows (options, columns,
items) with the version's random generator, and records the answer in the
version's own lettering, so the handout and its key cannot disagree.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from quizgen.model import (
    CLOZE_DELETION,
    OPTION_LETTERS,
    Article,
    Cloze,
    Essay,
    Matching,
    MultipleChoice,
    MultipleSelect,
    Numeric,
    Ordering,
    Question,
    ShortAnswer,
    TrueFalse,
)

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


def print_question(
    question: Question, number: int, points: int, rng: random.Random, articles: dict[str, Article]
) -> PrintedQuestion:
    """The question laid out for one version; `rng` decides its option order."""
    base = PrintedQuestion(number, question, points, "", sources=source_refs(question, articles))
    return _LAYOUTS[question.kind](question, base, rng)


def source_refs(question: Question, articles: dict[str, Article]) -> tuple[SourceRef, ...]:
    """The question's passages with their article's title and author."""
    refs = []
    for passage in question.source:
        article = articles.get(passage.article)
        refs.append(
            SourceRef(passage.text, article.title if article else passage.article, article.author if article else "")
        )
    return tuple(refs)


def _shuffled(items: list, rng: random.Random, avoid_identity: bool = False) -> list:
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


def _choices(right: tuple[str, ...], wrong: tuple[str, ...], rng: random.Random) -> tuple[Choice, ...]:
    options = [(text, True) for text in right] + [(text, False) for text in wrong]
    return tuple(Choice(LETTERS[i], text, ok) for i, (text, ok) in enumerate(_shuffled(options, rng)))


def _multiple_choice(q: MultipleChoice, base: PrintedQuestion, rng: random.Random) -> PrintedQuestion:
    choices = _choices((q.answer,), q.distractors, rng)
    answer = next(c.letter for c in choices if c.correct)
    return replace(base, choices=choices, answer=answer, per_row=per_row([c.text for c in choices]))


def _multiple_select(q: MultipleSelect, base: PrintedQuestion, rng: random.Random) -> PrintedQuestion:
    choices = _choices(q.answers, q.distractors, rng)
    answer = ", ".join(c.letter for c in choices if c.correct)
    return replace(base, choices=choices, answer=answer, per_row=per_row([c.text for c in choices]))


def _true_false(q: TrueFalse, base: PrintedQuestion, rng: random.Random) -> PrintedQuestion:
    return replace(base, answer="True" if q.answer else "False")


def _short_answer(q: ShortAnswer, base: PrintedQuestion, rng: random.Random) -> PrintedQuestion:
    return replace(base, answer=q.answer, lines=2)


def _numeric(q: Numeric, base: PrintedQuestion, rng: random.Random) -> PrintedQuestion:
    return replace(base, answer=f"{q.answer_text} {q.unit}".strip())


def _cloze(q: Cloze, base: PrintedQuestion, rng: random.Random) -> PrintedQuestion:
    segments = cloze_segments(q.prompt)
    blanks = [s for s in segments if s.blank]
    answer = "; ".join(f"({s.blank}) {s.answer}" for s in blanks)
    return replace(base, segments=segments, answer=answer)


def cloze_segments(prompt: str) -> tuple[Segment, ...]:
    """The cloze text cut at its deletions; blanks numbered in reading order from 1."""
    segments = []
    position = 0
    for blank, match in enumerate(CLOZE_DELETION.finditer(prompt), start=1):
        segments.append(Segment(prompt[position : match.start()], blank, match.group(3) or "", match.group(2)))
        position = match.end()
    segments.append(Segment(prompt[position:]))
    return tuple(segments)


def _matching(q: Matching, base: PrintedQuestion, rng: random.Random) -> PrintedQuestion:
    lefts = _shuffled(list(q.pairs), rng)
    rights = _shuffled(lefts, rng, avoid_identity=True)  # never the answer in reading order
    letter_of = {id(pair): LETTERS[i] for i, pair in enumerate(rights)}
    rows = tuple(MatchRow(i, pair.left, letter_of[id(pair)]) for i, pair in enumerate(lefts, start=1))
    choices = tuple(Choice(LETTERS[i], pair.right) for i, pair in enumerate(rights))
    answer = " ".join(f"{row.number}-{row.letter}" for row in rows)
    return replace(base, rows=rows, choices=choices, answer=answer)


def _ordering(q: Ordering, base: PrintedQuestion, rng: random.Random) -> PrintedQuestion:
    positions = {id(event): i for i, event in enumerate(q.items, start=1)}
    shown = _shuffled(list(q.items), rng, avoid_identity=True)  # never already in order
    slots = tuple(Slot(event.text, event.date, positions[id(event)]) for event in shown)
    return replace(base, slots=slots, answer=", ".join(str(slot.position) for slot in slots))


def _essay(q: Essay, base: PrintedQuestion, rng: random.Random) -> PrintedQuestion:
    lines = max(6, LINES_PER_ESSAY_POINT * base.points)
    return replace(base, lines=lines, answer=f"{len(q.key_points)} key points")


_LAYOUTS = {
    "multiple_choice": _multiple_choice,
    "multiple_select": _multiple_select,
    "true_false": _true_false,
    "short_answer": _short_answer,
    "numeric": _numeric,
    "cloze": _cloze,
    "matching": _matching,
    "ordering": _ordering,
    "essay": _essay,
}


def plain_answer(question: Question) -> str:
    """The answer in words, independent of any version's lettering (study guides)."""
    return _PLAIN[question.kind](question)


def _plain_numeric(q: Numeric) -> str:
    text = f"{q.answer_text} {q.unit}".strip()
    return text + (f" (within {q.tolerance:g})" if q.tolerance else "")


_PLAIN = {
    "multiple_choice": lambda q: q.answer,
    "multiple_select": lambda q: "; ".join(q.answers),
    "true_false": lambda q: "True" if q.answer else f"False. {q.correction}".strip(),
    "short_answer": lambda q: q.answer,
    "numeric": _plain_numeric,
    "cloze": lambda q: "; ".join(f"({i}) {s.answer}" for i, s in enumerate(cloze_segments(q.prompt)[:-1], 1)),
    "matching": lambda q: "; ".join(f"{p.left} = {p.right}" for p in q.pairs),
    "ordering": lambda q: "; ".join(f"{e.text} ({e.date})" for e in q.items),
    "essay": lambda q: "; ".join(q.key_points),
}
