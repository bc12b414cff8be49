"""The small, fixed HTML that Anki fields are made of: escaped bank text, lettered items, repeatable shuffles.

Every piece of bank text passes through `text()` (HTML-escaped) before it
reaches a field; the only markup in a field is the structure built here
(lists, a table, quotes), so raw HTML from a bank never reaches a card. Orders
shown on a card front are shuffled with a `random.Random` seeded from the
question's uid, so every build shuffles them the same way.
"""

from __future__ import annotations

import _random
import hashlib
import html
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from quizgen.model import OPTION_LETTERS, Question

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class NoteFields:
    """The note type (a key of anki.NOTE_TYPES) and the field values by field name."""

    note_type: str
    fields: dict[str, str]


def text(value: str) -> str:
    """Bank text as HTML: escaped, and `[` encoded so Anki never reads `[sound:...]`."""
    # Much bank text has none of these characters; checking first halves the time of a large deck.
    if "&" in value or "<" in value or ">" in value or '"' in value or "'" in value or "[" in value:
        return html.escape(value).replace("[", "&#91;")
    return value


def element(tag: str, inner: str, css_class: str = "") -> str:
    """One element around already-safe HTML; the class is one of ours, never bank text."""
    if css_class:
        return f'<{tag} class="{css_class}">{inner}</{tag}>'
    return f"<{tag}>{inner}</{tag}>"


def lettered(letter: str, inner: str) -> str:
    return _letter_box(letter) + inner


@cache  # a few letters and numbers, boxed for every option of a deck
def _letter_box(letter: str) -> str:
    # The space sits inside the letter's box: the hanging indent in the CSS then lines
    # wrapped text up under the first line's, and plain-text copies still read "A July 2001".
    return element("span", f"{letter} ", "qz-letter")


# random.Random's C base class, which random.Random(seed) seeds from a whole number as it is (the Python
# layer above adds only checks of the seed's type): a deck seeds thousands of them.
_MersenneTwister = _random.Random


def shuffled(items: Sequence, uid: str, avoid_given_order: bool = False) -> list:
    """`items` in a repeatable order drawn from the question's uid."""
    seed = int.from_bytes(hashlib.sha256(f"quizgen:{uid}".encode()).digest()[:8], "big")
    order = list(items)
    # Fisher-Yates on the generator's bits, exactly as random.shuffle draws them today (a test holds
    # them equal, and to fixed orders): Python keeps the seeding and the bits stable across versions,
    # not shuffle() itself, and a changed order would update every student's note.
    getrandbits = _MersenneTwister(seed).getrandbits
    for i in range(len(order) - 1, 0, -1):
        bits = (i + 1).bit_length()
        j = getrandbits(bits)
        while j > i:  # an index past the end is drawn again (an unbiased choice)
            j = getrandbits(bits)
        order[i], order[j] = order[j], order[i]
    # A "shuffled" list that happens to be the answer would give the answer away.
    if avoid_given_order and len(order) > 1 and order == list(items):
        order = order[1:] + order[:1]
    return order


def letters(count: int) -> str:
    return OPTION_LETTERS[:count]


def readable_date(date: str) -> str:
    """'2001' -> '2001', '2002-08' -> 'Aug 2002', '2001-07-20' -> '20 Jul 2001'."""
    parts = date.split("-")
    if len(parts) == 1:
        return date
    month = MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


def choice_fields(question: Question, answers: tuple[str, ...], options: list[str], instruction: str) -> NoteFields:
    """The fields of a lettered-options note (one or several right answers)."""
    order = shuffled(options, question.uid)
    shown = [(option, lettered(mark, text(option))) for mark, option in zip(letters(len(order)), order, strict=True)]
    items = [element("li", label, "qz-correct" if option in answers else "") for option, label in shown]
    right = [label for option, label in shown if option in answers]
    return NoteFields(
        "choice",
        {
            "Prompt": text(question.prompt),
            "Instruction": instruction,
            "Options": element("ul", "".join(items), "qz-options"),
            "Answer": "<br>".join(right),
            "Explanation": text(question.explanation),
        },
    )


def basic_fields(question: Question, instruction: str, answer: str, details: str) -> NoteFields:
    """The fields of a question-and-answer note."""
    fields = {"Prompt": text(question.prompt), "Instruction": instruction, "Answer": answer, "Details": details}
    return NoteFields("basic", {**fields, "Explanation": text(question.explanation)})
