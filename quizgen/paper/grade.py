"""Scoring a copy's read answers against its key, with the documented partial credit (docs/grading.md).

Each response form has one scorer in `SCORERS` (never a kind by name). A scorer
gets the values read as marked, the key's right values and points, and the
question's rule (`partial`, the default, or `all_or_nothing`, set per kind in the
quiz file's `scoring:`), and returns the points earned. Nothing here reads
pixels or writes files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from quizgen.kinds import response as r

PARTIAL, ALL_OR_NOTHING = "partial", "all_or_nothing"
MAX_DECIMALS = 6  # a numeric grid's fixed point: found from the key's digits and the exact answer


@dataclass(frozen=True)
class Answer:
    """What one copy answered to one question and what its key says (values as in layout.json)."""

    marked: frozenset[str]
    right: frozenset[str]
    points: float
    rule: str = PARTIAL


def score(response: r.Response, answer: Answer) -> float:
    """The points earned, rounded to hundredths; never below 0 nor above the question's points."""
    earned = r.dispatch(SCORERS, response, answer)
    return round(min(max(earned, 0.0), answer.points), 2)


def _single(response: r.Response, answer: Answer) -> float:
    """One right box (a choice or a verdict): all the points for it alone."""
    return answer.points if answer.marked == answer.right else 0.0


def _several(response: r.AnyOf, answer: Answer) -> float:
    """Multiple select: (right marks - wrong marks) / right boxes, floored at 0; or all or nothing."""
    if answer.rule == ALL_OR_NOTHING or not answer.right:
        return _single(response, answer)
    hits = len(answer.marked & answer.right)
    misses = len(answer.marked - answer.right)
    return answer.points * max(hits - misses, 0) / len(answer.right)


def _items(response: r.Response, answer: Answer) -> float:
    """Matching and ordering: a share of the points per item placed right; or all or nothing."""
    if answer.rule == ALL_OR_NOTHING or not answer.right:
        return _single(response, answer)
    return answer.points * len(answer.marked & answer.right) / len(answer.right)


def _number(response: r.Number, answer: Answer) -> float:
    """A numeric grid: all the points within the tolerance, else none (a number is not right in part)."""
    if answer.marked == answer.right:
        return answer.points
    given = grid_number(answer.marked, decimals_of(answer.right, response.value))
    if given is None:
        return 0.0
    return answer.points if abs(given - response.value) <= response.tolerance + 1e-9 else 0.0


def _score_boxes(response: r.Response, answer: Answer) -> float:
    """Written answers: the teacher ticked one score box (0 .. points); its value is the score."""
    values = [float(value) for value in answer.marked if _is_number(value)]
    return values[0] if len(values) == 1 else 0.0


SCORERS: dict[type, Callable[[r.Response, Answer], float]] = {
    r.OneOf: _single,
    r.Verdict: _single,
    r.AnyOf: _several,
    r.Pairs: _items,
    r.Order: _items,
    r.Number: _number,
    r.Typed: _score_boxes,
    r.Gaps: _score_boxes,
    r.Open: _score_boxes,
}


def grid_digits(values: frozenset[str]) -> tuple[str, bool] | None:
    """The digits a grid reads, left to right, and whether the minus sign is marked; None if a digit is missing."""
    digits: dict[int, str] = {}
    negative = False
    for value in values:
        name, _, mark = value.partition("=")
        if name == "sign":
            negative = mark == "-"
        elif name.startswith("d") and name[1:].isdigit() and mark.isdigit():
            digits[int(name[1:])] = mark
    if not digits or sorted(digits) != list(range(min(digits), min(digits) + len(digits))):
        return None
    return "".join(digits[index] for index in sorted(digits)), negative


def decimals_of(right: frozenset[str], value: float) -> int:
    """Where the grid's fixed decimal point is: the number of decimals that turns the key's digits into the answer."""
    read = grid_digits(right)
    if read is None:
        return 0
    digits, negative = read
    for decimals in range(MAX_DECIMALS + 1):
        number = int(digits) / 10**decimals
        if abs((-number if negative else number) - value) < 1e-9:
            return decimals
    return 0


def grid_number(marked: frozenset[str], decimals: int) -> float | None:
    """The number a grid's marks spell (None when a digit column is left empty)."""
    read = grid_digits(marked)
    if read is None:
        return None
    digits, negative = read
    number = int(digits) / 10**decimals
    return -number if negative else number


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True
