"""Can the content supply what a quiz asks for? Counting only: no draw, no layout."""

from __future__ import annotations

from quizgen.draw.select import Selection, select
from quizgen.errors import QuizgenError
from quizgen.kinds import KIND_NAMES
from quizgen.load.quizzes import QuizDefinition
from quizgen.model import Content, Question, ReadingSet


class QuizSelectionError(QuizgenError):
    """The content cannot supply what a quiz asks for; `where` is the key at fault, `problems` every
    (message, where) found (the first is this one's)."""

    def __init__(self, message: str, where: tuple, problems: tuple[tuple[str, tuple], ...] = ()):
        super().__init__(message)
        self.where = where
        self.problems = problems or ((message, where),)


def check_fits(quiz: QuizDefinition, content: Content) -> None:
    """Raise QuizSelectionError unless the content has enough matching questions (with every shortfall)."""
    problems = fit_problems(quiz, content)
    if problems:
        raise QuizSelectionError(*problems[0], problems=tuple(problems))


def fit_problems(quiz: QuizDefinition, content: Content) -> list[tuple[str, tuple]]:
    """Each (message, key at fault) that keeps the content from supplying the quiz; all, not the first."""
    problems = []
    for name in ("banks", "articles", "tags", "kinds", "difficulties"):
        # One value at a time, so each problem points at the value that names nothing.
        for i, value in enumerate(getattr(quiz.selection, name)):
            try:
                Selection(**{name: (value,)}).check_against(content)
            except QuizgenError as exc:
                problems.append((f"draw: {exc}", ("draw", name, i)))
    if problems:
        return problems  # what the selection would hold means little while it names something unknown
    try:
        pool = select(content, quiz.selection)
    except QuizgenError as exc:
        return [(f"draw: {exc}", ("draw",))]
    sets = len(selected_sets(content, pool))
    if quiz.sets > sets:
        problems.append((f"sets: {quiz.sets} reading set(s) wanted but the selection has {sets}", ("sets",)))
    pool = [q for q in pool if not q.set]  # set questions come only with their sets
    available = {kind: sum(1 for q in pool if q.kind == kind) for kind in KIND_NAMES}
    for kind, wanted in quiz.per_kind:
        if wanted > available[kind]:
            message = f"per_kind: {wanted} {kind} question(s) wanted but the selection has {available[kind]}"
            problems.append((message, ("per_kind", kind)))
    if quiz.count is not None and quiz.count > len(pool):
        problems.append((f"count: {quiz.count} questions wanted but the selection has {len(pool)}", ("count",)))
    return problems


def selected_sets(content: Content, pool: list[Question]) -> list[tuple[str, ReadingSet]]:
    """(bank id, set) for each reading set with a question in the selection, in bank order: a set
    comes whole, as its author wrote it for its excerpt."""
    touched = {(q.bank, q.set) for q in pool if q.set}
    return [(bank.id, reading) for bank in content.banks for reading in bank.sets if (bank.id, reading.id) in touched]
