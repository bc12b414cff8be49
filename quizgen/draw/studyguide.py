"""Study guides: every question that quotes an article, with its answer, grouped by tag.

A question is listed once, under its first tag (the bank author's main
classification), in the order of the tag vocabulary; its other tags are shown
beside it. The questions of a reading set come after the tag groups instead,
under their set's excerpt, in bank order.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizgen.draw.layout import Segment, SourceRef, source_refs
from quizgen.draw.select import questions_quoting
from quizgen.kinds import kind_of
from quizgen.kinds.base import Text
from quizgen.kinds.cloze import Cloze, cloze_segments
from quizgen.model import Article, Content, Question, ReadingSet
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
class ReadingGroup:
    """A reading set in a guide: its heading, its excerpt, then its questions."""

    title: str
    excerpt: str
    entries: tuple[GuideEntry, ...]


@dataclass(frozen=True)
class StudyGuide:
    article: Article
    groups: tuple[TagGroup, ...]
    readings: tuple[ReadingGroup, ...] = ()

    @property
    def count(self) -> int:
        return sum(len(group.entries) for group in self.groups + self.readings)


def study_guides(content: Content, t: Text | None = None) -> list[StudyGuide]:
    """One guide per article that has questions, in registry order; `t` (default: English) words the answers."""
    t = t or english_text
    guides = [study_guide(content, article, t) for article in content.articles.values()]
    return [guide for guide in guides if guide.groups or guide.readings]


def study_guide(content: Content, article: Article, t: Text | None = None) -> StudyGuide:
    """The guide for one article: its questions grouped by first tag."""
    t = t or english_text
    quoting = questions_quoting(content, article.id)
    questions = [q for q in quoting if not q.set]
    order = list(content.tags)
    tags = sorted({q.tags[0] for q in questions}, key=lambda t: (order.index(t) if t in order else len(order), t))
    groups = []
    number = 1
    for tag in tags:
        entries = []
        for question in (q for q in questions if q.tags[0] == tag):
            entries.append(_entry(number, question, content, t))
            number += 1
        groups.append(TagGroup(tag, content.tags.get(tag, ""), tuple(entries)))
    readings = []
    for reading, members in _reading_sets(content, quoting):
        readings.append(
            ReadingGroup(
                reading.title or article.title,
                reading.excerpt,
                tuple(_entry(number + i, question, content, t) for i, question in enumerate(members)),
            )
        )
        number += len(members)
    return StudyGuide(article, tuple(groups), tuple(readings))


def _entry(number: int, question: Question, content: Content, t: Text) -> GuideEntry:
    refs = source_refs(question, content.articles)
    segments = cloze_segments(question.prompt) if isinstance(question, Cloze) else ()
    return GuideEntry(number, question, kind_of(question).plain_answer(question, t), refs, segments)


def _reading_sets(content: Content, questions: list[Question]) -> list[tuple[ReadingSet, list[Question]]]:
    """The reading sets these questions belong to, each with its questions in bank order."""
    keys = dict.fromkeys((q.bank, q.set) for q in questions if q.set)
    return [
        (content.bank(bank).reading_set(set_id), [q for q in questions if (q.bank, q.set) == (bank, set_id)])
        for bank, set_id in keys
    ]
