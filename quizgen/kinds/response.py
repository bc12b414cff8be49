"""What a student answers, in one of a few forms that every answer-taking output maps.

A kind declares its question's response once (`Kind.response`). Outputs that
take or score answers (learning-platform exports, answer sheets, grading) map
these forms, not kinds, so a new kind of an existing form reaches all of them
without touching them. The forms follow QTI's interactions: choose one, choose
several, a verdict, typed text, a number, gaps in a text, pairs, an order, and
an open answer graded by hand.

`dispatch(table, response)` is how an output picks its handler; `missing_forms`
is what the tests call to prove an output's table covers every form.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar, Union


@dataclass(frozen=True)
class Choice:
    """An option as the bank gives it, and whether choosing it is right."""

    text: str
    correct: bool


@dataclass(frozen=True)
class OneOf:
    """Choose the one right option (multiple choice). Options in the bank's order: the answer first."""

    options: tuple[Choice, ...]


@dataclass(frozen=True)
class AnyOf:
    """Choose every right option and no wrong one (multiple select)."""

    options: tuple[Choice, ...]


@dataclass(frozen=True)
class Verdict:
    """Say whether a statement is true; `correction` is the statement made true (when false)."""

    answer: bool
    correction: str = ""


@dataclass(frozen=True)
class Typed:
    """Type a short text; any of `accepted` counts, compared as a reader would (case and spaces ignored)."""

    accepted: tuple[str, ...]  # the answer first, then the other spellings


@dataclass(frozen=True)
class Number:
    """Give a number: right within `tolerance` of `value` (`unit` is printed, never typed)."""

    value: float
    tolerance: float = 0.0
    unit: str = ""


@dataclass(frozen=True)
class Gap:
    """A blank in a text: its number (several blanks may share one), its answer and a hint."""

    number: int
    answer: str
    hint: str = ""


@dataclass(frozen=True)
class Gaps:
    """Fill the blanks of a text: `pieces` alternate text (str) and Gap, in reading order."""

    pieces: tuple[str | Gap, ...]

    @property
    def gaps(self) -> tuple[Gap, ...]:
        return tuple(piece for piece in self.pieces if isinstance(piece, Gap))


@dataclass(frozen=True)
class Pair:
    left: str
    right: str


@dataclass(frozen=True)
class Pairs:
    """Match each left item to its right item (matching); every right item is used once."""

    pairs: tuple[Pair, ...]


@dataclass(frozen=True)
class Order:
    """Put the items in order; `items` are in the right order, `labels` what is shown beside each (dates)."""

    items: tuple[str, ...]
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Open:
    """Write an answer that a teacher grades by hand, against the key points."""

    key_points: tuple[str, ...]


Response = Union[OneOf, AnyOf, Verdict, Typed, Number, Gaps, Pairs, Order, Open]  # noqa: UP007 (a runtime value)
FORMS: tuple[type, ...] = (OneOf, AnyOf, Verdict, Typed, Number, Gaps, Pairs, Order, Open)

Result = TypeVar("Result")


def dispatch(table: Mapping[type, Callable[..., Result]], response: Response, *args: object) -> Result:
    """Call the handler an output declares for this response's form."""
    return table[type(response)](response, *args)


def missing_forms(table: Mapping[type, object]) -> list[str]:
    """The forms an output's table leaves out, or names that are not forms (an empty list when it is whole)."""
    missing = [form.__name__ for form in FORMS if form not in table]
    unknown = [getattr(key, "__name__", repr(key)) for key in table if key not in FORMS]
    return missing + [f"{name} (not a form)" for name in unknown]
