"""Can the content supply what a quiz asks for? Counting only: no draw, no layout."""

from __future__ import annotations

from quizgen.draw.select import Selection, select
from quizgen.errors import QuizgenError
from quizgen.kinds import KIND_NAMES
from quizgen.load.quizzes import QuizDefinition
from quizgen.model import Content, Question, ReadingSet


class QuizSelectionError(QuizgenError):
    """The content cannot supply what a quiz asks for; `where` is the key at fault."""

    def __init__(self, message: str, where: tuple):
        super().__init__(message)
        self.where = where


def check_fits(quiz: QuizDefinition, content: Content) -> None:
    """Raise QuizSelectionError unless the content has enough matching questions."""
    for name in ("banks", "articles", "tags", "kinds", "difficulties"):
        # One filter at a time, so the error can point at the key that names nothing.
        try:
            Selection(**{name: getattr(quiz.selection, name)}).check_against(content)
        except QuizgenError as exc:
            raise QuizSelectionError(f"draw: {exc}", ("draw", name)) from None
    try:
        pool = select(content, quiz.selection)
    except QuizgenError as exc:
        raise QuizSelectionError(f"draw: {exc}", ("draw",)) from None
    sets = len(selected_sets(content, pool))
    if quiz.sets > sets:
        raise QuizSelectionError(f"sets: {quiz.sets} reading set(s) wanted but the selection has {sets}", ("sets",))
    pool = [q for q in pool if not q.set]  # set questions come only with their sets
    available = {kind: sum(1 for q in pool if q.kind == kind) for kind in KIND_NAMES}
    for kind, wanted in quiz.per_kind:
        if wanted > available[kind]:
            message = f"per_kind: {wanted} {kind} question(s) wanted but the selection has {available[kind]}"
            raise QuizSelectionError(message, ("per_kind", kind))
    if quiz.count is not None and quiz.count > len(pool):
        raise QuizSelectionError(f"count: {quiz.count} questions wanted but the selection has {len(pool)}", ("count",))


def selected_sets(content: Content, pool: list[Question]) -> list[tuple[str, ReadingSet]]:
    """(bank id, set) for each reading set with a question in the selection, in bank order: a set
    comes whole, as its author wrote it for its excerpt."""
    touched = {(q.bank, q.set) for q in pool if q.set}
    return [(bank.id, reading) for bank in content.banks for reading in bank.sets if (bank.id, reading.id) in touched]
