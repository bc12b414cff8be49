"""Versions of a quiz: the draw, then a seeded question and option order per version.

Each version gets its own `random.Random` derived from the quiz seed and the
version number, and gives the same order every time it is built (its order
also avoids those of the versions before it, so it is built after them). Sections (one per kind) keep a fixed order; the questions
inside them, and the options inside the questions, are shuffled. Only when
that cannot give a version an order of its own (one question of each kind,
say) do the sections change places too.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from quizgen.check.leaks import Giveaways
from quizgen.draw.layout import PrintedQuestion, source_refs
from quizgen.draw.select import draw, select
from quizgen.errors import QuizgenError
from quizgen.kinds import KIND_NAMES, kind_of
from quizgen.kinds.base import Text
from quizgen.load.quizzes import QuizDefinition, check_fits
from quizgen.model import Article, Content, Question
from quizgen.render.catalogue import english_text

SHUFFLE_TRIES = 20  # re-shuffles allowed to make a version's order differ from earlier ones


@dataclass(frozen=True)
class Section:
    """The questions of one kind, with their points."""

    kind: str
    number: int
    questions: tuple[PrintedQuestion, ...]

    @property
    def points(self) -> int:
        return sum(q.points for q in self.questions)


@dataclass(frozen=True)
class QuizVersion:
    """One printable version: the definition, its number and code, its sections."""

    quiz: QuizDefinition
    number: int
    sections: tuple[Section, ...]

    @property
    def code(self) -> str:
        return version_code(self.number)

    @property
    def questions(self) -> list[PrintedQuestion]:
        return [q for section in self.sections for q in section.questions]

    @property
    def points(self) -> int:
        return sum(section.points for section in self.sections)

    @property
    def file_stem(self) -> str:
        return f"{self.quiz.id}-v{self.number}"


def version_code(number: int) -> str:
    """A, B, ... Z, AA, AB ...: short enough to print in a page corner."""
    code = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        code = chr(ord("A") + rest) + code
    return code


def make_versions(quiz: QuizDefinition, content: Content, t: Text | None = None) -> list[QuizVersion]:
    """Every version of a quiz, reproducible from its seed; `t` (default: English) words the printed answers."""
    t = t or english_text
    check_fits(quiz, content)
    pool = select(content, quiz.selection)
    giveaways = Giveaways(pool)
    shared = draw_questions(quiz, pool, random.Random(f"{quiz.seed}:draw"), giveaways)
    versions: list[QuizVersion] = []
    orders: list[list[str]] = []
    for number in range(1, quiz.versions + 1):
        rng = random.Random(f"{quiz.seed}:version:{number}")
        questions = draw_questions(quiz, pool, rng, giveaways) if quiz.parallel else shared
        grouped = _shuffled_sections(questions, rng, orders)
        orders.append([q.uid for group in grouped for q in group])
        versions.append(QuizVersion(quiz, number, _number_sections(quiz, grouped, rng, content, t)))
    return versions


def draw_questions(
    quiz: QuizDefinition, pool: list[Question], rng: random.Random, giveaways: Giveaways | None = None
) -> list[Question]:
    """The quiz's questions from the pool (per kind, in total, or all), none giving away another's answer."""
    groups = [[q for q in pool if q.kind == kind] for kind, _ in quiz.per_kind] or [pool]
    counts = [count for _, count in quiz.per_kind] or [quiz.count]
    giveaways = giveaways or Giveaways(pool)
    picked: list[Question] = []
    for candidates, count in zip(groups, counts, strict=True):
        chosen = draw(candidates, count, rng)
        picked += _without_leaks(quiz, chosen, candidates, picked, rng, giveaways)
    return picked


def _without_leaks(
    quiz: QuizDefinition,
    chosen: list[Question],
    candidates: list[Question],
    kept: list[Question],
    rng: random.Random,
    giveaways: Giveaways,
) -> list[Question]:
    """The chosen questions, each one that would give away (or be given away by) another replaced.

    Banks are checked for leaks one by one; a quiz across banks (the unit test)
    can still pair, say, a question whose answer is "Zhu Rongji" with another
    bank's prompt that names him. Those are swapped for other questions of the
    same kind, drawn from the same seeded rng, so the draw stays reproducible.
    """
    spares = [q for q in candidates if q not in chosen]
    rng.shuffle(spares)
    result: list[Question] = []
    for question in chosen:
        while not all(giveaways.can_share_a_quiz(question, other) for other in kept + result):
            if not spares:
                raise QuizgenError(
                    f"quiz '{quiz.id}': cannot draw {len(chosen)} {question.kind} question(s) that do not give "
                    "away each other's answers (draw fewer, or from more banks)"
                )
            question = spares.pop()
        result.append(question)
    order = {q.uid: i for i, q in enumerate(candidates)}
    return sorted(result, key=lambda q: order[q.uid])  # bank order, as `draw` gives


def _shuffled_sections(questions: list[Question], rng: random.Random, earlier: list[list[str]]) -> list[list[Question]]:
    """Questions grouped by kind and shuffled, differing from earlier versions' order when it can."""
    groups = [[q for q in questions if q.kind == kind] for kind in KIND_NAMES]
    groups = [group for group in groups if group]
    for attempt in range(2 * SHUFFLE_TRIES):
        for group in groups:
            rng.shuffle(group)
        if attempt >= SHUFFLE_TRIES:
            # Shuffling inside the sections cannot make a new order (say, one question of
            # each kind): only then do the sections themselves change places.
            rng.shuffle(groups)
        if [q.uid for group in groups for q in group] not in earlier:
            break
    return groups


def _number_sections(
    quiz: QuizDefinition, groups: list[list[Question]], rng: random.Random, content: Content, t: Text
) -> tuple[Section, ...]:
    sections = []
    number = 1
    for index, group in enumerate(groups, start=1):
        printed = []
        for question in group:
            points = quiz.points_for(question.kind, question.points)
            printed.append(print_question(question, number, points, rng, content.articles, t))
            number += 1
        sections.append(Section(group[0].kind, index, tuple(printed)))
    return tuple(sections)


def print_question(
    question: Question, number: int, points: int, rng: random.Random, articles: dict[str, Article], t: Text
) -> PrintedQuestion:
    """The question laid out for one version by its kind; `rng` decides its option order."""
    base = PrintedQuestion(number, question, points, "", sources=source_refs(question, articles))
    return kind_of(question).lay_out(question, base, rng, t)
