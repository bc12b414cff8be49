"""Field specs and value checkers: the vocabulary the bank, quiz and settings formats are declared in.

Each kind declares its own fields with these (quizgen/kinds/); load/bank_format.py
puts them together into the bank format and its JSON Schema, so the documented
format, the checks and the editor schema cannot drift apart.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
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

    # Worked out once per spec (a frozen dataclass keeps no state, but cached_property writes
    # past it): each spec is met again for every question of a bank.
    @cached_property
    def limit(self) -> int | None:
        """The most characters a value of this field may have (None: not a text field)."""
        return max_chars(self)

    @cached_property
    def plain_text(self) -> bool:
        """A text field checked as every text is (no checker of its own): what check_value's fast path serves."""
        return self.type == "text" and self.checker is None

    @cached_property
    def item(self) -> Field:
        """The spec of one item of a list of texts: a text under the list's name (so its limit)."""
        return Field(self.name, "text")


COMMON_FIELDS = (
    Field("id", "slug", True, description="stable slug, unique in its bank; never renamed"),
    Field("kind", "kind", True, description="the question kind"),
    Field("prompt", "text", True, description="the question, statement or cloze text"),
    Field("source", "source", True, description="verbatim passage(s) of the article that support the answer"),
    Field("tags", "tags", True, min_items=1, description="tags from content/tags.yaml"),
    Field("difficulty", "difficulty", description="1 easy .. 3 hard (default 2)"),
    Field("points", "points", description="marks on a printed quiz (default per kind)"),
    Field("explanation", "text", description="why the answer is right"),
    Field("set", "slug", description="the reading set (under 'sets:') this question belongs to"),
)

BANK_FIELDS = (
    Field("bank", "slug", True, description="stable bank id, unique across content/; never renamed"),
    Field("title", "text", True, description="the bank's title"),
    Field("article", "slug", description="default article for plain-string sources"),
    Field("description", "text", description="one line for the teacher"),
    Field("sets", "list", min_items=1, description="reading sets: an excerpt printed once, with its questions"),
    Field("questions", "list", True, min_items=1, description="the questions"),
    Field("retired", "list", min_items=1, description="released questions withdrawn from students' decks"),
)
RETIRED_FIELDS = (
    Field("id", "slug", True, description="the id of a released question, no longer under 'questions:'"),
    Field("reason", "text", description="why it was withdrawn: shown on the students' cards"),
)
SET_FIELDS = (
    Field("id", "slug", True, description="stable slug, unique in its bank; questions join with 'set: <id>'"),
    Field("title", "text", description="printed in the reading's heading (default: the article's title)"),
    Field("excerpt", "text", True, description="a verbatim passage of the article, at most 250 words"),
    Field("article", "slug", description="the article quoted (default: the bank's article)"),
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
    "date": "YYYY, YYYY-MM or YYYY-MM-DD, a real date",
    "tags": "a list of tags",
}

# Length caps (docs/bank-format.md, "Limits"): generous, so only a pasted article or a runaway
# value meets them; they keep a stray paste from becoming a 40-page handout or an unusable card.
MAX_SLUG_CHARS = 80
MAX_SHORT_TEXT_CHARS = 300  # an option, answer, tag, title, unit, pair side
MAX_LONG_TEXT_CHARS = 2000  # a prompt, explanation, correction, passage, key point, instructions
LONG_TEXT_FIELDS = frozenset(
    {"prompt", "explanation", "correction", "source", "text", "key_points", "instructions", "description"}
)
MAX_EXCERPT_CHARS = 4000  # a reading set's excerpt: 250 words of the articles stay well under it
MAX_NUMBER_DIGITS = 15  # a float keeps 15 significant digits exactly; more would print changed


def max_chars(spec: Field) -> int | None:
    """The most characters a value of this field may have (None: not a text field)."""
    if spec.type == "slug":
        return MAX_SLUG_CHARS
    if spec.name == "excerpt":
        return MAX_EXCERPT_CHARS
    if spec.type in ("text", "text_or_empty", "text_list", "tags"):
        return MAX_LONG_TEXT_CHARS if spec.name in LONG_TEXT_FIELDS else MAX_SHORT_TEXT_CHARS
    return None


class ControlCharacter(ValueError):
    """A text holding a control character; carries it, so the message can point at it."""

    def __init__(self, char: str):
        super().__init__(
            f"contains the control character U+{ord(char):04X} (remove it; only tab and newline are allowed)"
        )
        self.char = char


# C0 controls but tab and newline, DEL, and C1 controls: invisible in an editor, and Anki refuses
# a deck whose field holds U+001F (its field separator). Also the bidirectional embeddings, overrides
# and isolates (U+202A-U+202E, U+2066-U+2069): invisible too, they reorder what follows, so a printed
# key could read 'false' where the bank's text is 'eslaf' ("Trojan Source").
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
YAML_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # those YAML cannot parse when written raw


def refuse_controls(text: str) -> str:
    """The text, unless it holds a control character (ControlCharacter)."""
    if text.isprintable():  # (one C loop) no control at all: nearly every value; a tab or newline is looked at
        return text
    found = CONTROL.search(text)
    if found:
        raise ControlCharacter(found.group())
    return text


# --- value checkers: return the cleaned value or raise ValueError(message) -----


def unescaped(text: str) -> str:
    """Quotes copied from the articles carry their `US\\$` escape; every reader wants `US$`."""
    return text.replace("\\$", "$") if "\\" in text else text


def check_text(value: Any, raw: str | None) -> str:
    if isinstance(value, str):
        refuse_controls(value)  # before strip(), which would drop U+001C..U+001F at the ends
        value = value.strip()
        if not value:
            raise ValueError("is empty")
        return unescaped(value)
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
    if isinstance(value, str):
        refuse_controls(value)
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
    _refuse_inexact(value, number)
    return number


def _refuse_inexact(value: int | float, number: float) -> None:
    """Refuse a number the record (a float) cannot hold exactly, as it would print changed."""
    if isinstance(value, int) and number != value:
        raise ValueError(
            f"{value} cannot be kept exactly: whole numbers above 2^53 (9007199254740992) would print as {int(number)}"
        )
    digits = len(repr(number).split("e")[0].replace("-", "").replace(".", "").strip("0"))
    if isinstance(value, float) and digits > MAX_NUMBER_DIGITS:
        raise ValueError(f"{value!r} has {digits} significant digits (at most {MAX_NUMBER_DIGITS} are kept exactly)")


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
    if isinstance(text, str):
        refuse_controls(text)
    match = DATE.fullmatch(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"'{text}' is not a date")
    year, month, day = match.groups()
    if day and int(day) > calendar.monthrange(int(year), int(month))[1]:
        raise ValueError(f"'{text}' is not a date: {calendar.month_name[int(month)]} {year} has no day {int(day)}")
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
