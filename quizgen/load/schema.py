"""Field specs and value checkers: the vocabulary the bank, quiz and settings formats are declared in.

Each kind declares its own fields with these (quizgen/kinds/); load/bank_format.py
puts them together into the bank format and its JSON Schema, so the documented
format, the checks and the editor schema cannot drift apart.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DATE = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?")


@dataclass(frozen=True)
class Field:
    """One key of a mapping: its value type, whether it is required, and the least number of items."""

    name: str
    type: str
    required: bool = False
    min_items: int = 0
    description: str = ""
    checker: Callable[[Any, str | None], Any] | None = field(default=None, compare=False)  # instead of the type's
    expected: str = ""  # instead of the type's EXPECTED text


COMMON_FIELDS = (
    Field("id", "slug", True, description="stable slug, unique in its bank; never renamed"),
    Field("kind", "kind", True, description="the question kind"),
    Field("prompt", "text", True, description="the question, statement or cloze text"),
    Field("source", "source", True, description="verbatim passage(s) of the article that support the answer"),
    Field("tags", "tags", True, min_items=1, description="tags from content/tags.yaml"),
    Field("difficulty", "difficulty", description="1 easy .. 3 hard (default 2)"),
    Field("points", "points", description="marks on a printed quiz (default per kind)"),
    Field("explanation", "text", description="why the answer is right"),
)

BANK_FIELDS = (
    Field("bank", "slug", True, description="stable bank id, unique across content/; never renamed"),
    Field("title", "text", True, description="the bank's title"),
    Field("article", "slug", description="default article for plain-string sources"),
    Field("description", "text", description="one line for the teacher"),
    Field("questions", "list", True, min_items=1, description="the questions"),
)

PAIR_FIELDS = (Field("left", "text", True), Field("right", "text", True))
EVENT_FIELDS = (Field("text", "text", True), Field("date", "date", True))
PASSAGE_FIELDS = (Field("article", "slug", True), Field("text", "text", True))

EXPECTED = {
    "slug": "lower-case letters, digits and single hyphens, e.g. treaty-signed",
    "text": "non-empty text",
    "text_or_empty": "text",
    "text_list": "a list of non-empty texts",
    "bool": "true or false",
    "number": "a number",
    "difficulty": "1, 2 or 3",
    "points": "a whole number of at least 1",
    "date": "YYYY, YYYY-MM or YYYY-MM-DD",
    "tags": "a list of tags",
}


# --- value checkers: return the cleaned value or raise ValueError(message) -----


def check_text(value: Any, raw: str | None) -> str:
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("is empty")
        # Quotes copied from the articles carry their `US\$` escape; every reader wants `US$`.
        return value.strip().replace("\\$", "$")
    if value is None:
        raise ValueError("is empty")
    if isinstance(value, (bool, int, float)) and raw is not None:
        return raw  # `answer: 2001` or `answer: yes` means the text as written
    raise ValueError(f"is a {type_name(value)}")


def check_text_or_empty(value: Any, raw: str | None) -> str:
    if value is None or value == "":
        return ""
    return check_text(value, raw)


def check_slug(value: Any, raw: str | None) -> str:
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        raise ValueError(f"'{value}' is not a slug")
    return value


def check_bool(value: Any, raw: str | None) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"'{value}' is not true or false")
    return value


def check_number(value: Any, raw: str | None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"'{value}' is not a number")
    try:
        number = float(value)
    except OverflowError:  # an integer of hundreds of digits
        digits = str(value)
        raise ValueError(f"'{digits[:12]}...' ({len(digits)} digits) is too large") from None
    if not math.isfinite(number):
        raise ValueError(f"'{value}' is not a finite number")
    return number


def check_int_between(low: int, high: int | None) -> Callable[[Any, str | None], int]:
    def check(value: Any, raw: str | None) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"'{value}' is not a whole number")
        if value < low or (high and value > high):
            raise ValueError(f"{value} is out of range")
        return value

    return check


def check_date(value: Any, raw: str | None) -> str:
    text = raw if raw is not None and not isinstance(value, str) else value
    if not isinstance(text, str) or not DATE.fullmatch(text):
        raise ValueError(f"'{text}' is not a date")
    return text


SCALAR_CHECKERS: dict[str, Callable[[Any, str | None], Any]] = {
    "slug": check_slug,
    "text": check_text,
    "text_or_empty": check_text_or_empty,
    "bool": check_bool,
    "number": check_number,
    "difficulty": check_int_between(1, 3),
    "points": check_int_between(1, None),
    "date": check_date,
    "any": lambda value, raw: value,
}


def type_name(value: Any) -> str:
    return {dict: "mapping", list: "list", str: "text", bool: "boolean", int: "number", float: "number"}.get(
        type(value), "empty value" if value is None else type(value).__name__
    )
