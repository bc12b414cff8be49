"""Choosing questions: filters shared by quizzes, decks and practice pages, and seeded draws.

Randomness only ever comes from a `random.Random` passed in, so every draw
is reproducible from its seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from quizgen.errors import Problems, QuizgenError
from quizgen.kinds import KIND_NAMES
from quizgen.model import Content, Question


@dataclass(frozen=True)
class Selection:
    """Which questions to use; an empty filter means "any"."""

    banks: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    difficulties: tuple[int, ...] = ()

    def matches(self, question: Question) -> bool:
        return (
            (not self.banks or question.bank in self.banks)
            and (not self.articles or bool(question_articles(question) & set(self.articles)))
            and (not self.tags or bool(set(question.tags) & set(self.tags)))
            and (not self.kinds or question.kind in self.kinds)
            and (not self.difficulties or question.difficulty in self.difficulties)
        )

    def check_against(self, content: Content) -> None:
        """Raise for the filter values that name nothing in the content (a typo selects nothing), all at once."""
        known = {
            "bank": {bank.id for bank in content.banks},
            "article": set(content.articles),
            "tag": set(content.tags),
            "kind": set(KIND_NAMES),
            "difficulty": {1, 2, 3},
        }
        given = {
            "bank": self.banks,
            "article": self.articles,
            "tag": self.tags,
            "kind": self.kinds,
            "difficulty": self.difficulties,
        }
        unknown = [
            f"unknown {name} '{value}' (expected one of: {', '.join(sorted(map(str, known[name])))})"
            for name, values in given.items()
            for value in dict.fromkeys(values)  # a value given twice is reported once
            if value not in known[name]
        ]
        if unknown:
            raise Problems(unknown)


def question_articles(question: Question) -> set[str]:
    """The articles a question quotes."""
    return {passage.article for passage in question.source}


def questions_quoting(content: Content, article_id: str) -> list[Question]:
    """Every question with a passage from this article, in bank order (an article's guide and page)."""
    return [q for q in content.questions if article_id in question_articles(q)]


def select(content: Content, selection: Selection) -> list[Question]:
    """The matching questions, in bank order."""
    selection.check_against(content)
    chosen = [q for q in content.questions if selection.matches(q)]
    if not chosen:
        raise QuizgenError("no question matches the selection")
    return chosen


def draw(questions: list[Question], count: int | None, rng: random.Random) -> list[Question]:
    """`count` questions drawn without replacement (all of them if count is None), in bank order."""
    if count is None or count >= len(questions):
        return list(questions)
    if count < 1:
        raise QuizgenError(f"cannot draw {count} questions (expected at least 1)")
    picked = set(rng.sample(range(len(questions)), count))
    return [q for i, q in enumerate(questions) if i in picked]
