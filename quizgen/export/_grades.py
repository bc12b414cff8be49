"""Moodle's grades for an answer: only a fixed list of fractions is accepted, by both Moodle XML and GIFT import.

Moodle's importer (question/format.php, `match_grade_options`) refuses a
fraction that is not within 0.00001 of one of these, and a multiple-answer
question whose positive fractions, rounded to two places, do not add up to 1.
So 3 right options get 33.33333 % each (99.99999 in all, which rounds to 100).
"""

from __future__ import annotations

# Percentages as Moodle writes them (question_bank::fraction_options_full), highest first.
MOODLE_PERCENTS = (
    "100",
    "90",
    "83.33333",
    "80",
    "75",
    "70",
    "66.66667",
    "60",
    "50",
    "40",
    "33.33333",
    "30",
    "25",
    "20",
    "16.66667",
    "14.28571",
    "12.5",
    "11.11111",
    "10",
    "5",
)
TOLERANCE = 0.00001 * 100  # Moodle's, on fractions; these are percentages


def share_of(count: int) -> str | None:
    """The Moodle percentage that is 1/count of 100 (e.g. 3 -> '33.33333'), or None when the list lacks it."""
    wanted = 100 / count
    return next((percent for percent in MOODLE_PERCENTS if abs(float(percent) - wanted) < TOLERANCE), None)


def penalty_for(count: int) -> str:
    """The penalty for one of `count` wrong options: 1/count of 100, or the smallest listed grade above it,
    so that ticking every option never scores above zero."""
    exact = share_of(count)
    if exact is not None:
        return f"-{exact}"
    wanted = 100 / count
    return f"-{min((p for p in MOODLE_PERCENTS if float(p) >= wanted), key=float)}"


def sums_to_100(percents: list[str]) -> bool:
    """Moodle's own check of a multiple-answer question: the positive fractions, rounded to 2 places, are 1."""
    return round(sum(float(p) for p in percents if float(p) > 0) / 100, 2) == 1
