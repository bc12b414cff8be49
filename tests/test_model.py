"""Numbers print exactly as they are: a key never shows a rounded answer."""

from __future__ import annotations

import pytest

from quizgen.model import format_number, number_range


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (10.7, "10.7"),
        (700.0, "700"),
        (2001.125, "2001.125"),
        (12345.67, "12345.67"),
        (1234567.5, "1234567.5"),
        (-3.0, "-3"),
    ],
)
def test_numbers_are_never_rounded(value, shown):
    assert format_number(value) == shown


def test_accepted_ranges_are_exact_decimals():
    assert number_range(10.7, 0.05) == ("10.65", "10.75")  # not 10.649999999999999
    assert number_range(2001.125, 0.0001) == ("2001.1249", "2001.1251")
    assert number_range(700, 0) == ("700", "700")
