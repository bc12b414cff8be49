"""Study guides: every question that quotes an article, with its answer, grouped by tag.

A question is listed once, under its first tag (the bank author's main
classification), in the order of the tag vocabulary; its other tags are shown
beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizgen.draw.layout import Segment, SourceRef, source_refs
from quizgen.draw.select import questions_quoting
from quizgen.kinds import kind_of
from quizgen.kinds.base import Text
from quizgen.kinds.cloze import Cloze, cloze_segments
from quizgen.model import Article, Content, Question
from quizgen.render.catalogue import english_text


@dataclass(frozen=True)
class GuideEntry:
    """One question in a study guide, with its answer in words."""

    number: int
    question: Question
    answer: str
    sources: tuple[SourceRef, ...]
    segments: tuple[Segment, ...] = ()  # cloze text cut at its blanks, to print with the answers filled in


@dataclass(frozen=True)
class TagGroup:
    tag: str
    description: str
    entries: tuple[GuideEntry, ...]


@dataclass(frozen=True)
class StudyGuide:
    article: Article
    groups: tuple[TagGroup, ...]

    @property
    def count(self) -> int:
        return sum(len(group.entries) for group in self.groups)


def study_guides(content: Content, t: Text | None = None) -> list[StudyGuide]:
    """One guide per article that has questions, in registry order; `t` (default: English) words the answers."""
    t = t or english_text
    guides = [study_guide(content, article, t) for article in content.articles.values()]
    return [guide for guide in guides if guide.groups]


def study_guide(content: Content, article: Article, t: Text | None = None) -> StudyGuide:
    """The guide for one article: its questions grouped by first tag."""
    t = t or english_text
    questions = questions_quoting(content, article.id)
    order = list(content.tags)
    tags = sorted({q.tags[0] for q in questions}, key=lambda t: (order.index(t) if t in order else len(order), t))
    groups = []
    number = 1
    for tag in tags:
        entries = []
        for question in (q for q in questions if q.tags[0] == tag):
            refs = source_refs(question, content.articles)
            segments = cloze_segments(question.prompt) if isinstance(question, Cloze) else ()
            entries.append(GuideEntry(number, question, kind_of(question).plain_answer(question, t), refs, segments))
            number += 1
        groups.append(TagGroup(tag, content.tags.get(tag, ""), tuple(entries)))
    return StudyGuide(article, tuple(groups))
