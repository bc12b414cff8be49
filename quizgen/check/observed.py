"""Observed difficulty (content/item-statistics.yaml) beside the declared one, and the warnings where they part.

The declared scale (docs/difficulty-scale.md) says what a student must do; the
observed share right says how a class fared. They measure different things,
so only a strong disagreement on a large enough sample is worth a warning:

- share right 0.75 or more reads as level 1, 0.40 to under 0.75 as level 2, under 0.40 as level 3;
- a warning when the observed level is two steps from the declared one (declared 1 and under
  0.40 right, or declared 3 and 0.75 or more right), over at least MIN_STUDENTS answers.
"""

from __future__ import annotations

from pathlib import Path

from quizgen.errors import WARNING, Issue
from quizgen.load.yamlio import YamlProblem, parse, read_text
from quizgen.model import Content, Question
from quizgen.paper.item_statistics import STATISTICS_FILE, Observed, observed, read_statistics

EASY_FROM = 0.75  # a share right of at least this reads as level 1
HARD_BELOW = 0.40  # a share right under this reads as level 3
MIN_STUDENTS = 30  # fewer answers than this say too little to warn about
STRONG = 2  # levels apart before validate warns


def observed_level(share_right: float) -> int:
    """The declared scale's level (1 easy .. 3 hard) that an observed share right reads as."""
    if share_right >= EASY_FROM:
        return 1
    return 2 if share_right >= HARD_BELOW else 3


def disagrees(question: Question, seen: Observed) -> bool:
    """Whether declared and observed difficulty part strongly, on enough answers to say so."""
    return seen.students >= MIN_STUDENTS and abs(observed_level(seen.difficulty) - question.difficulty) >= STRONG


def difficulty_warnings(content: Content, seen: dict[str, Observed]) -> list[Issue]:
    """A warning at each question's `difficulty:` (else its `id:`) where the classes disagree strongly."""
    warnings = []
    for bank in content.banks:
        parting = [q for q in bank.questions if q.uid in seen and disagrees(q, seen[q.uid])]
        if parting:
            places = _question_places(Path(bank.path))
            for question in parting:
                line, col = places.get(question.id, (1, 1))
                warnings.append(Issue(bank.path, line, col, WARNING, _message(question, seen[question.uid])))
    return warnings


def _message(question: Question, seen: Observed) -> str:
    sittings = f"{seen.sittings} sitting{'s' if seen.sittings != 1 else ''}"
    return (
        f"question '{question.id}': declared difficulty {question.difficulty}, but {seen.difficulty:.0%} of "
        f"{seen.students} students got it right over {sittings} (reads as {observed_level(seen.difficulty)}; "
        f"see {STATISTICS_FILE} and docs/grading.md)"
    )


def _question_places(path: Path) -> dict[str, tuple[int, int]]:
    """Where each question's `difficulty:` value stands in its bank (its `id:` when it declares none)."""
    try:
        doc = parse(read_text(path))
    except (YamlProblem, OSError):  # the bank loaded a moment ago; changed since: point at its top
        return {}
    places = {}
    for index, question in enumerate(doc.data.get("questions", [])):
        if isinstance(question, dict) and "id" in question:
            key = "difficulty" if "difficulty" in question else "id"
            places[question["id"]] = doc.where(("questions", index, key))
    return places


def statistics_issues(content_dir: Path, content: Content | None) -> list[Issue]:
    """What validate says of the statistics file: its own problems, then where classes disagree with a bank."""
    issues: list[Issue] = []
    statistics = read_statistics(content_dir, issues)
    if content is not None and statistics:
        issues += difficulty_warnings(content, observed(statistics))
    return issues
