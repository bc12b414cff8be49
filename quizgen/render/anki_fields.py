"""What each question puts into the fields of its Anki note, and the note's tags.

Each kind fills its own fields (its `anki_fields`, with the escaped HTML of
render/anki_html.py); the fields every note type shares (source passages,
their articles, the reference) and the tags are made here.
"""

from __future__ import annotations

from functools import cache

from quizgen.draw.select import question_articles
from quizgen.kinds import kind_of
from quizgen.kinds.base import Text
from quizgen.model import Article, Passage, Question
from quizgen.render.anki_html import NoteFields, element, text
from quizgen.render.catalogue import english_text


def _cited(article: Article) -> str:
    return _cited_html(article.author, article.title, article.outlet, article.date)


@cache  # a handful of articles, cited by thousands of notes (keyed by its texts: a str keeps its hash)
def _cited_html(author: str, title: str, outlet: str, date: str) -> str:
    cited = f"{text(author)}, {element('cite', text(title))} ({text(outlet)}, {text(date)})"
    return element("div", cited, "qz-cite")


def _quoted(passage: Passage) -> str:
    return element("blockquote", text(passage.text), "qz-passage")


def common_fields(question: Question, articles: dict[str, Article]) -> dict[str, str]:
    """Source passages, their articles and the question's reference: on the back of every card."""
    source = question.source
    if len(source) == 1:  # most questions quote one passage: its article, without the search for repeats
        return {
            "Source": _quoted(source[0]),
            "Article": _cited(articles[source[0].article]),
            "Reference": text(question.uid),
        }
    cited = dict.fromkeys([passage.article for passage in source])
    return {
        "Source": "".join([_quoted(passage) for passage in source]),
        "Article": "".join([_cited(articles[a]) for a in cited]),
        "Reference": text(question.uid),
    }


# The field the front of each card shows first: the cloze note type's is Text, every other's Prompt.
PROMPT_FIELDS = ("Prompt", "Text")


def note_fields(
    question: Question, articles: dict[str, Article], t: Text | None = None, excerpt: str = ""
) -> NoteFields:
    """The note type and every field of this question's note, worded by `t` (default: English); a reading
    set's `excerpt` leads its prompt."""
    built = kind_of(question).anki_fields(question, t or english_text)
    built.fields.update(common_fields(question, articles))  # a fresh dict, made for this note
    if excerpt:
        name = next(name for name in PROMPT_FIELDS if name in built.fields)
        built.fields[name] = excerpt_html(excerpt) + built.fields[name]
    return built


def excerpt_html(excerpt: str) -> str:
    """A reading set's excerpt as a quotation, braces encoded so no `{{c1::` in it can become a cloze.

    It goes into the existing prompt field with the existing passage class, since a new field or
    style would change the note types, and every student's deck would stop taking updates."""
    escaped = text(excerpt).replace("{", "&#123;").replace("}", "&#125;")
    return element("blockquote", escaped, "qz-passage qz-excerpt")


def tag_part(value: str) -> str:
    """Anki tags cannot hold spaces; '::' would add a level to the hierarchy."""
    if value.replace("-", "").replace("_", "").isalnum():  # a slug, as ids and vocabulary tags are
        return value
    return "_".join(value.split()).replace("::", ":")


def note_tags(question: Question) -> tuple[str, ...]:
    """The kind, article(s), bank, difficulty and topic tags, under `quizgen::`."""
    source = question.source
    articles = (source[0].article,) if len(source) == 1 else tuple(sorted(question_articles(question)))
    # The cached tuple itself: notes with the same tags share it (a deck holds thousands).
    return _tags(question.kind, articles, question.bank, question.difficulty, question.tags)


@cache  # few combinations, shared by thousands of notes
def _tags(kind: str, articles: tuple[str, ...], bank: str, difficulty: int, tags: tuple[str, ...]) -> tuple[str, ...]:
    return (
        f"quizgen::kind::{kind}",
        *(f"quizgen::article::{tag_part(article)}" for article in articles),
        f"quizgen::bank::{tag_part(bank)}",
        f"quizgen::difficulty::{difficulty}",
        *(f"quizgen::{tag_part(tag)}" for tag in tags),
    )
