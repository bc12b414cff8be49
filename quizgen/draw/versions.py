"""Versions of a quiz: the draw, then a seeded question and option order per version.

Each version gets its own `random.Random` derived from the quiz seed and the
version number, and gives the same order every time it is built (its order
also avoids those of the versions before it, so it is built after them). Sections (one per kind) keep a fixed order; the questions
inside them, and the options inside the questions, are shuffled. Only when
that cannot give a version an order of its own (one question of each kind,
say) do the sections change places too.

Reading sets come after the kind sections, one section each: its excerpt,
then its questions in bank order (only their options are shuffled), so the
excerpt is printed once with its questions right after it in every version.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from quizgen.check.leaks import Giveaways
from quizgen.draw.fit import QuizSelectionError, check_fits, selected_sets
from quizgen.draw.layout import PrintedQuestion, source_refs
from quizgen.draw.select import draw, select
from quizgen.errors import ERROR, Issue, QuizgenError
from quizgen.kinds import KIND_NAMES, kind_of
from quizgen.kinds.base import Text
from quizgen.load.quizzes import LoadedQuiz, QuizDefinition
from quizgen.model import Article, Content, Question, ReadingSet
from quizgen.render.catalogue import english_text

SHUFFLE_TRIES = 20  # re-shuffles allowed to make a version's order differ from earlier ones


@dataclass(frozen=True)
class Section:
    """The questions of one kind, or of one reading set (then `reading` and `title` are set), with their points."""

    kind: str
    number: int
    questions: tuple[PrintedQuestion, ...]
    reading: ReadingSet | None = None
    title: str = ""  # a reading's heading: its title, or its article's

    @property
    def excerpt(self) -> str:
        return self.reading.excerpt if self.reading else ""

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
    shared = shared_draw(quiz, content)
    versions: list[QuizVersion] = []
    orders: list[list[str]] = []
    for number in range(1, quiz.versions + 1):
        rng = random.Random(f"{quiz.seed}:version:{number}")
        versions.append(ordered_version(shared, number, rng, t, orders))
        orders.append(question_order(versions[-1]))
    return versions


@dataclass(frozen=True)
class SharedDraw:
    """What every version of a quiz starts from: its pool, reading sets and give-aways, and the shared draw."""

    quiz: QuizDefinition
    content: Content
    pool: list[Question]
    readings: list[tuple[str, ReadingSet]]
    giveaways: Giveaways
    drawn: tuple[list[Question], Drawn]


def shared_draw(quiz: QuizDefinition, content: Content) -> SharedDraw:
    """The quiz's pool and the draw its versions share (a parallel quiz draws again per version)."""
    pool, readings, giveaways = _pool(quiz, content)
    drawn = draw_quiz(quiz, pool, readings, content, random.Random(f"{quiz.seed}:draw"), giveaways)
    return SharedDraw(quiz, content, pool, readings, giveaways, drawn)


def ordered_version(
    shared: SharedDraw, number: int, rng: random.Random, t: Text, earlier: list[list[str]] = ()
) -> QuizVersion:
    """Version `number`: its questions and option order from `rng`, its order unlike `earlier` when it can be."""
    quiz, content = shared.quiz, shared.content
    if quiz.parallel:
        questions, sets = draw_quiz(quiz, shared.pool, shared.readings, content, rng, shared.giveaways)
    else:
        questions, sets = shared.drawn
    grouped = _shuffled_sections(list(questions), rng, list(earlier))
    return QuizVersion(quiz, number, _number_sections(quiz, grouped, sets, rng, content, t))


def question_order(version: QuizVersion) -> list[str]:
    """The uids of a version's questions in printed order (reading sets excluded: their order is fixed)."""
    return [q.question.uid for section in version.sections if not section.reading for q in section.questions]


def _pool(quiz: QuizDefinition, content: Content) -> tuple[list[Question], list[tuple[str, ReadingSet]], Giveaways]:
    """What a quiz draws from: the selected questions (a reading set's whole), its sets, their give-aways."""
    check_fits(quiz, content)
    pool = select(content, quiz.selection)
    readings = selected_sets(content, pool)
    pool = [q for q in pool if not q.set] + [q for bank, r in readings for q in content.bank(bank).set_questions(r.id)]
    return pool, readings, Giveaways(pool, content.excerpts())


Drawn = list[tuple[ReadingSet, list[Question]]]  # reading sets with their questions, in bank order


def draw_quiz(
    quiz: QuizDefinition,
    pool: list[Question],
    readings: list[tuple[str, ReadingSet]],
    content: Content,
    rng: random.Random,
    giveaways: Giveaways,
) -> tuple[list[Question], Drawn]:
    """The reading sets first, then the questions outside sets, none giving away another's answer."""
    sets = draw_sets(quiz, readings, content, rng, giveaways)
    in_sets = [q for _, questions in sets for q in questions]
    standalone = [q for q in pool if not q.set]
    if quiz.sets and quiz.count is None and not quiz.per_kind:
        return [], sets  # `sets:` alone asks for reading sets only
    return draw_questions(quiz, standalone, rng, giveaways, in_sets), sets


def draw_sets(
    quiz: QuizDefinition,
    readings: list[tuple[str, ReadingSet]],
    content: Content,
    rng: random.Random,
    giveaways: Giveaways,
) -> Drawn:
    """`quiz.sets` reading sets, each whole, none giving away another's answers (its excerpt included)."""
    if not quiz.sets:
        return []  # and the rng untouched: quizzes without sets draw as they always did
    order = {key: i for i, key in enumerate(readings)}
    candidates = list(readings)
    rng.shuffle(candidates)
    chosen: list[tuple[tuple[str, ReadingSet], list[Question]]] = []
    for bank, reading in candidates:
        if len(chosen) == quiz.sets:
            break
        questions = content.bank(bank).set_questions(reading.id)
        kept = [q for _, members in chosen for q in members]
        if all(giveaways.can_share_a_quiz(q, other) for q in questions for other in kept):
            chosen.append(((bank, reading), questions))
    if len(chosen) < quiz.sets:
        raise QuizgenError(
            f"quiz '{quiz.id}': cannot draw {quiz.sets} reading sets that do not give away each other's answers "
            "(draw fewer sets, or from more banks)"
        )
    return [(reading, questions) for (_, reading), questions in sorted(chosen, key=lambda c: order[c[0]])]


def draw_questions(
    quiz: QuizDefinition,
    pool: list[Question],
    rng: random.Random,
    giveaways: Giveaways | None = None,
    shown: list[Question] | None = None,
) -> list[Question]:
    """The quiz's questions from the pool (per kind, in total, or all), none giving away another's answer
    (nor one of `shown`, the questions of the reading sets already drawn)."""
    groups = [[q for q in pool if q.kind == kind] for kind, _ in quiz.per_kind] or [pool]
    counts = [count for _, count in quiz.per_kind] or [quiz.count]
    giveaways = giveaways or Giveaways(pool)
    picked: list[Question] = []
    for candidates, count in zip(groups, counts, strict=True):
        chosen = draw(candidates, count, rng)
        picked += _without_leaks(quiz, chosen, candidates, (shown or []) + picked, rng, giveaways)
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
    quiz: QuizDefinition,
    groups: list[list[Question]],
    sets: Drawn,
    rng: random.Random,
    content: Content,
    t: Text,
) -> tuple[Section, ...]:
    sections = []
    number = 1
    for index, group in enumerate(groups + [questions for _, questions in sets], start=1):
        printed = []
        for question in group:
            points = quiz.points_for(question.kind, question.points)
            printed.append(print_question(question, number, points, rng, content.articles, t))
            number += 1
        if index <= len(groups):
            sections.append(Section(group[0].kind, index, tuple(printed)))
        else:
            reading = sets[index - len(groups) - 1][0]
            title = reading.title or content.articles[reading.article].title
            sections.append(Section("reading", index, tuple(printed), reading, title))
    return tuple(sections)


def print_question(
    question: Question, number: int, points: int, rng: random.Random, articles: dict[str, Article], t: Text
) -> PrintedQuestion:
    """The question laid out for one version by its kind; `rng` decides its option order."""
    base = PrintedQuestion(number, question, points, "", sources=source_refs(question, articles))
    return kind_of(question).lay_out(question, base, rng, t)


def fit_problems(loaded: LoadedQuiz, content: Content) -> list[Issue]:
    """What stops a well-formed quiz from being drawn from this content, located in its file.

    Only the draw runs (names, counts, a draw where no question gives another away):
    checking a quiz never lays out its versions."""
    quiz = loaded.definition
    try:
        pool, readings, giveaways = _pool(quiz, content)
        draw_quiz(quiz, pool, readings, content, random.Random(f"{quiz.seed}:draw"), giveaways)
        for number in range(1, quiz.versions + 1) if quiz.parallel else ():
            draw_quiz(quiz, pool, readings, content, random.Random(f"{quiz.seed}:version:{number}"), giveaways)
    except QuizgenError as exc:
        return quiz_issues(loaded, exc)
    return []


def versions_of(loaded: LoadedQuiz, content: Content, t: Text | None = None) -> tuple[list[QuizVersion], list[Issue]]:
    """Every version of a quiz file's quiz, worded by `t` (default: English), or the located reason it
    cannot be drawn."""
    try:
        return make_versions(loaded.definition, content, t), []
    except QuizgenError as exc:
        return [], quiz_issues(loaded, exc)


def quiz_issues(loaded: LoadedQuiz, exc: QuizgenError) -> list[Issue]:
    """Each draw problem at the key at fault (`draw` when no single key is)."""
    problems = exc.problems if isinstance(exc, QuizSelectionError) else ((str(exc), ("draw",)),)
    return [
        Issue(loaded.definition.path, *loaded.report.doc.where(where), ERROR, message) for message, where in problems
    ]
