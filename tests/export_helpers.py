"""Helpers the export tests share: the shipped content loaded once, questions with hostile text, and the keys
each response form should come back as, mapped by form (never by kind) like the exports themselves."""

from __future__ import annotations

import dataclasses
from functools import cache

from conftest import CONTENT, SOURCES

from quizgen.kinds import kind_of
from quizgen.kinds import response as r
from quizgen.model import Article, Bank, Content, Question
from quizgen.pipeline import Source, load

# Everything a format must escape: HTML, CDATA's end, GIFT's special characters and Moodle cloze's.
HOSTILE = "<script>alert(1)</script> ]]> ~ = # { } : \\ & {1:SHORTANSWER:=x}"
BANK_PATH = "content/banks/lock.yaml"


@cache
def shipped() -> Content:
    """The curated content of content/, checked against the article texts."""
    return load(Source(CONTENT, SOURCES)).content


def content_of(questions: list[Question]) -> Content:
    """A course of one bank ('lock') holding these questions, citing one article whose title needs escaping."""
    article = Article("a", "A <b>bold</b> title: ]]>", "Ann Author", "outlet", "2002", "a.txt")
    bank = Bank(id="lock", title="Lock / bank", path=BANK_PATH, questions=tuple(questions), article="a")
    return Content(articles={"a": article}, banks=(bank,))


def hostile(question: Question) -> Question:
    """The question with hostile text in its prompt and explanation."""
    return dataclasses.replace(question, prompt=f"{question.prompt} {HOSTILE}", explanation=HOSTILE)


def response(question: Question) -> r.Response:
    return kind_of(question).response(question)
