"""What each question kind puts into the fields of its Anki note, and the note's tags.

Every piece of bank text passes through `text()` (HTML-escaped) before it
reaches a field; the only markup in a field is the small, fixed structure
built here (lists, a table, quotes), so raw HTML from a bank never reaches a
card. Orders shown on a card front (options, matching choices, ordering
events) are shuffled with a `random.Random` seeded from the question's uid,
so every build shuffles them the same way.
"""

from __future__ import annotations

import hashlib
import html
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from quizgen.draw.select import question_articles
from quizgen.model import (
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
    number_range,
)

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
    attributes = f' class="{css_class}"' if css_class else ""
    return f"<{tag}{attributes}>{inner}</{tag}>"


def lettered(letter: str, inner: str) -> str:
    # The space sits inside the letter's box: the hanging indent in the CSS then lines
    # wrapped text up under the first line's, and plain-text copies still read "A July 2001".
    return element("span", f"{letter} ", "qz-letter") + inner


def shuffled(items: Sequence, uid: str, avoid_given_order: bool = False) -> list:
    """`items` in a repeatable order drawn from the question's uid."""
    seed = int.from_bytes(hashlib.sha256(f"quizgen:{uid}".encode()).digest()[:8], "big")
    order = list(items)
    random.Random(seed).shuffle(order)
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


@cache  # a handful of articles, cited by thousands of notes
def citation(article: Article) -> str:
    return (
        f"{text(article.author)}, {element('cite', text(article.title))} ({text(article.outlet)}, {text(article.date)})"
    )


def common_fields(question: Question, articles: dict[str, Article]) -> dict[str, str]:
    """Source passages, their articles and the question's reference: on the back of every card."""
    cited = dict.fromkeys(passage.article for passage in question.source)
    return {
        "Source": "".join(element("blockquote", text(p.text), "qz-passage") for p in question.source),
        "Article": "".join(element("div", citation(articles[a]), "qz-cite") for a in cited),
        "Reference": text(question.uid),
    }


def _choice(question: Question, answers: tuple[str, ...], options: list[str], instruction: str) -> NoteFields:
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


def multiple_choice(q: MultipleChoice) -> NoteFields:
    return _choice(q, (q.answer,), [q.answer, *q.distractors], "Choose one answer.")


def multiple_select(q: MultipleSelect) -> NoteFields:
    return _choice(q, q.answers, [*q.answers, *q.distractors], "Choose all that apply.")


def _basic(q: Question, instruction: str, answer: str, details: str) -> NoteFields:
    fields = {"Prompt": text(q.prompt), "Instruction": instruction, "Answer": answer, "Details": details}
    return NoteFields("basic", {**fields, "Explanation": text(q.explanation)})


def true_false(q: TrueFalse) -> NoteFields:
    details = f"Correct statement: {text(q.correction)}" if q.correction else ""
    return _basic(q, "True or false?", "True" if q.answer else "False", details)


def short_answer(q: ShortAnswer) -> NoteFields:
    details = f"Also accepted: {', '.join(text(a) for a in q.accept)}" if q.accept else ""
    return _basic(q, "Answer in a few words.", text(q.answer), details)


def numeric(q: Numeric) -> NoteFields:
    unit = f" {text(q.unit)}" if q.unit else ""
    instruction = f"Give the number, in {text(q.unit)}." if q.unit else "Give the number."
    details = []
    if q.tolerance:
        low, high = number_range(q.answer, q.tolerance)
        details.append(f"Accepted: {low} to {high}{unit}")
    if q.accept:
        details.append(f"The text writes: {', '.join(text(a) for a in q.accept)}")
    return _basic(q, instruction, f"{q.answer_text}{unit}", "<br>".join(details))


def cloze(q: Cloze) -> NoteFields:
    # Escaping leaves Anki's {{cN::answer::hint}} syntax intact: it has no character html.escape changes.
    return NoteFields("cloze", {"Text": text(q.prompt), "Extra": text(q.explanation)})


def matching(q: Matching) -> NoteFields:
    rights = shuffled([pair.right for pair in q.pairs], q.uid, avoid_given_order=True)
    right_label = {right: lettered(mark, text(right)) for mark, right in zip(letters(len(rights)), rights, strict=True)}
    left_labels = [lettered(str(i), text(pair.left)) for i, pair in enumerate(q.pairs, 1)]
    items = [element("li", label) for label in left_labels]
    choices = [element("li", right_label[right]) for right in rights]
    rows = [
        element("tr", element("td", left) + element("td", right_label[pair.right]))
        for left, pair in zip(left_labels, q.pairs, strict=True)
    ]
    return NoteFields(
        "matching",
        {
            "Prompt": text(q.prompt),
            "Items": element("ul", "".join(items), "qz-items"),
            "Choices": element("ul", "".join(choices), "qz-choices"),
            "Pairs": element("table", "".join(rows), "qz-pairs"),
            "Explanation": text(q.explanation),
        },
    )


def ordering(q: Ordering) -> NoteFields:
    events = shuffled(list(q.items), q.uid, avoid_given_order=True)
    label = {event: lettered(mark, text(event.text)) for mark, event in zip(letters(len(events)), events, strict=True)}
    shown = [element("li", label[event]) for event in events]
    order = [element("li", element("span", f"{readable_date(e.date)} ", "qz-date") + label[e]) for e in q.items]
    return NoteFields(
        "ordering",
        {
            "Prompt": text(q.prompt),
            "Events": element("ul", "".join(shown), "qz-events"),
            "Order": element("ol", "".join(order), "qz-order"),
            "Explanation": text(q.explanation),
        },
    )


def essay(q: Essay) -> NoteFields:
    points = "".join(element("li", text(point)) for point in q.key_points)
    return NoteFields(
        "essay",
        {
            "Prompt": text(q.prompt),
            "Key points": element("ul", points, "qz-points"),
            "Explanation": text(q.explanation),
        },
    )


FIELD_BUILDERS: dict[str, Callable] = {
    "multiple_choice": multiple_choice,
    "multiple_select": multiple_select,
    "true_false": true_false,
    "short_answer": short_answer,
    "numeric": numeric,
    "cloze": cloze,
    "matching": matching,
    "ordering": ordering,
    "essay": essay,
}


def note_fields(question: Question, articles: dict[str, Article]) -> NoteFields:
    """The note type and every field of this question's note."""
    built = FIELD_BUILDERS[question.kind](question)
    built.fields.update(common_fields(question, articles))  # a fresh dict, made for this note
    return built


def tag_part(value: str) -> str:
    """Anki tags cannot hold spaces; '::' would add a level to the hierarchy."""
    if value.replace("-", "").replace("_", "").isalnum():  # a slug, as ids and vocabulary tags are
        return value
    return "_".join(value.split()).replace("::", ":")


def note_tags(question: Question) -> list[str]:
    """The kind, article(s), bank, difficulty and topic tags, under `quizgen::`."""
    articles = tuple(sorted(question_articles(question)))
    return list(_tags(question.kind, articles, question.bank, question.difficulty, question.tags))


@cache  # few combinations, shared by thousands of notes
def _tags(kind: str, articles: tuple[str, ...], bank: str, difficulty: int, tags: tuple[str, ...]) -> tuple[str, ...]:
    return (
        f"quizgen::kind::{kind}",
        *(f"quizgen::article::{tag_part(article)}" for article in articles),
        f"quizgen::bank::{tag_part(bank)}",
        f"quizgen::difficulty::{difficulty}",
        *(f"quizgen::{tag_part(tag)}" for tag in tags),
    )
