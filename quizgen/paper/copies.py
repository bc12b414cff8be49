"""One copy of a quiz per student: question and option order drawn from the quiz seed and the student id.

A copy's random generator is seeded with `<seed>:student:<id>` (anonymous
copies: `<seed>:copy:<number>`), never from the other students, so a copy is
reprinted identically and a student added to the roster later changes nobody
else's copy. The questions are laid out by the kinds' `lay_out`, as for the
versions of `quizgen build`, so the lettering on the handout, the answer
sheet and the key is one and the same.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from quizgen.draw.layout import PrintedQuestion
from quizgen.draw.versions import QuizVersion, SharedDraw, ordered_version, shared_draw
from quizgen.kinds.base import Text
from quizgen.load.quizzes import QuizDefinition
from quizgen.model import Content
from quizgen.paper.roster import Student

ANONYMOUS = Student("", "")  # --copies N: the student writes a name on the sheet
MAX_REDRAWS = 50  # draws tried to give a copy an order no earlier copy has


@dataclass(frozen=True)
class Copy:
    """A student's copy: its number in the set (from 1), the student, and the questions as printed."""

    number: int
    student: Student
    version: QuizVersion

    @property
    def questions(self) -> list[PrintedQuestion]:
        return self.version.questions


def anonymous(count: int) -> list[Student]:
    """`count` students without id or name (copies numbered 1 to count)."""
    return [ANONYMOUS] * count


def make_copies(quiz: QuizDefinition, content: Content, students: list[Student], t: Text) -> list[Copy]:
    """One copy per student, in roster order; no two copies print the same order.

    Two orders only meet in a small quiz, by chance: the later copy (in roster
    order) is drawn again from `<seed>:student:<id>:<n>`.
    """
    shared = shared_draw(quiz, content)
    copies: list[Copy] = []
    seen: set[tuple] = set()
    for number, student in enumerate(students, start=1):
        copy = _unseen_copy(shared, number, student, t, seen)
        seen.add(signature(copy))
        copies.append(copy)
    return copies


def _unseen_copy(shared: SharedDraw, number: int, student: Student, t: Text, seen: set[tuple]) -> Copy:
    seed = copy_seed(shared.quiz, number, student)
    copy = Copy(number, student, ordered_version(shared, number, random.Random(seed), t))
    for redraw in range(1, MAX_REDRAWS + 1):
        if signature(copy) not in seen:
            break
        copy = Copy(number, student, ordered_version(shared, number, random.Random(f"{seed}:{redraw}"), t))
    return copy  # a quiz too small for this many orders: the copy repeats one (its name and id still differ)


def copy_seed(quiz: QuizDefinition, number: int, student: Student) -> str:
    """What seeds a copy's order: the quiz seed with the student id (or the copy number when anonymous)."""
    return f"{quiz.seed}:student:{student.id}" if student.id else f"{quiz.seed}:copy:{number}"


def signature(copy: Copy) -> tuple:
    """What a student sees of a copy's order: each question with its options or items in printed order."""
    return tuple(
        (
            q.question.uid,
            tuple(c.text for c in q.choices),
            tuple(r.text for r in q.rows),
            tuple(s.text for s in q.slots),
        )
        for q in copy.questions
    )
