"""Item analysis of one sitting: difficulty, discrimination, option counts, reliability and the flags.

Pure functions on plain data (quizgen.paper.results.Sitting); numpy only. The
definitions are the classical ones, written out in docs/grading.md:

- difficulty: mean score / points (for a right-or-wrong question, the share right);
- discrimination: the corrected point-biserial, i.e. Pearson's r between the
  question's score and the rest of the test (total minus this question), so a
  question is not correlated with itself; None when either does not vary;
- reliability: Cronbach's alpha over the question scores, which is KR-20 when
  every question is scored right or wrong (the report names it so).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from quizgen.paper.results import Sitting

KEY_MAY_BE_WRONG = "key-may-be-wrong"
NEGATIVE_DISCRIMINATION = "negative-discrimination"
UNCHOSEN_DISTRACTOR = "unchosen-distractor"
EVERYONE_RIGHT = "everyone-right"
NOBODY_RIGHT = "nobody-right"
FLAGS = (KEY_MAY_BE_WRONG, NEGATIVE_DISCRIMINATION, UNCHOSEN_DISTRACTOR, EVERYONE_RIGHT, NOBODY_RIGHT)


@dataclass(frozen=True)
class OptionCount:
    """How many students marked one option, in the whole class and in its top third."""

    option: str
    right: bool
    chosen: int
    chosen_top: int


@dataclass(frozen=True)
class ItemStats:
    """The figures and flags of one question."""

    question: str
    points: int
    difficulty: float
    dichotomous: bool
    discrimination: float | None
    options: tuple[OptionCount, ...]  # empty for questions that are not choices
    blank: int  # choice questions: students who marked nothing
    flags: tuple[str, ...]

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


@dataclass(frozen=True)
class Analysis:
    """The whole sitting: every question, the reliability and the totals."""

    quiz: str
    sitting: str
    students: int
    top_group: int
    items: tuple[ItemStats, ...]
    reliability: float | None
    reliability_name: str  # "kr20" or "alpha"
    totals: tuple[float, ...]
    max_total: int
    under_review: int


def difficulty(scores: np.ndarray, points: int) -> float:
    """Mean score over the points: the share right for a question scored right or wrong."""
    return float(np.mean(scores) / points) if points else 0.0


def corrected_point_biserial(item: np.ndarray, totals: np.ndarray) -> float | None:
    """Pearson's r between the item and the rest of the test (total minus the item); None if either is constant."""
    rest = totals - item
    if np.ptp(item) == 0 or np.ptp(rest) == 0:
        return None
    return float(np.corrcoef(item, rest)[0, 1])


def cronbach_alpha(scores: np.ndarray) -> float | None:
    """Cronbach's alpha of a students x items matrix (KR-20 for 0/1 items); None under two items or no spread."""
    items = scores.shape[1]
    total_variance = float(np.var(scores.sum(axis=1)))
    if items < 2 or total_variance == 0:
        return None
    return items / (items - 1) * (1 - float(np.var(scores, axis=0).sum()) / total_variance)


def top_third(totals: np.ndarray) -> np.ndarray:
    """A mask of the top third by total: everyone above a cutoff, the cutoff chosen so the group is as near
    a third of the class as ties allow (the smaller group when two are as near); ties are never split."""
    if len(totals) == 0:
        return np.zeros(0, dtype=bool)
    third = len(totals) / 3
    sizes = {float(cutoff): int(np.sum(totals >= cutoff)) for cutoff in np.unique(totals)}
    cutoff = min(sizes, key=lambda c: (abs(sizes[c] - third), sizes[c]))
    return totals >= cutoff


def analyze(sitting: Sitting) -> Analysis:
    """Every figure and flag of one sitting."""
    scores = np.array(sitting.scores, dtype=float).reshape(len(sitting.students), len(sitting.questions))
    totals = scores.sum(axis=1)
    top = top_third(totals)
    items = tuple(
        _item(sitting, question, scores[:, column], totals, top) for column, question in enumerate(sitting.questions)
    )
    dichotomous = all(item.dichotomous for item in items)
    return Analysis(
        quiz=sitting.quiz,
        sitting=sitting.id,
        students=len(sitting.students),
        top_group=int(top.sum()),
        items=items,
        reliability=cronbach_alpha(scores) if len(sitting.students) else None,
        reliability_name="kr20" if dichotomous else "alpha",
        totals=tuple(float(t) for t in totals),
        max_total=sum(sitting.max_points.values()),
        under_review=sitting.under_review,
    )


def _item(sitting: Sitting, question: str, item: np.ndarray, totals: np.ndarray, top: np.ndarray) -> ItemStats:
    points = sitting.max_points[question]
    share = difficulty(item, points) if len(item) else 0.0
    options = _option_counts(sitting, question, top)
    stats = ItemStats(
        question=question,
        points=points,
        difficulty=share,
        dichotomous=bool(np.all((item == 0) | (item == points))),
        discrimination=corrected_point_biserial(item, totals) if len(item) > 2 else None,
        options=options,
        blank=sum(1 for marked in sitting.marked.get(question, ()) if not marked),
        flags=(),
    )
    return ItemStats(**{**stats.__dict__, "flags": flags_of(stats, sitting.single.get(question, False), item, points)})


def _option_counts(sitting: Sitting, question: str, top: np.ndarray) -> tuple[OptionCount, ...]:
    if question not in sitting.options:
        return ()
    marked = sitting.marked[question]
    key = sitting.keys[question]
    return tuple(
        OptionCount(
            option=option,
            right=option in key,
            chosen=sum(1 for chosen in marked if option in chosen),
            chosen_top=sum(1 for chosen, best in zip(marked, top, strict=True) if best and option in chosen),
        )
        for option in sitting.options[question]
    )


def flags_of(stats: ItemStats, single: bool, item: np.ndarray, points: int) -> tuple[str, ...]:
    """The flags a question raises, in the order of FLAGS."""
    flags = []
    if single and _top_prefers_a_distractor(stats.options):
        flags.append(KEY_MAY_BE_WRONG)
    if stats.discrimination is not None and stats.discrimination < 0:
        flags.append(NEGATIVE_DISCRIMINATION)
    everyone = len(item) > 0 and bool(np.all(item == points))
    # On a question everyone got right every distractor goes unchosen: that flag would say nothing new.
    if not everyone and any(not option.right and option.chosen == 0 for option in stats.options):
        flags.append(UNCHOSEN_DISTRACTOR)
    if everyone:
        flags.append(EVERYONE_RIGHT)
    if len(item) > 0 and bool(np.all(item == 0)):
        flags.append(NOBODY_RIGHT)
    return tuple(flags)


def _top_prefers_a_distractor(options: tuple[OptionCount, ...]) -> bool:
    key = sum(option.chosen_top for option in options if option.right)
    return any(not option.right and option.chosen_top > key for option in options)


def suspect_distractor(stats: ItemStats) -> OptionCount | None:
    """The distractor the top third chose most, when the key may be wrong (what the report names)."""
    if KEY_MAY_BE_WRONG not in stats.flags:
        return None
    return max((option for option in stats.options if not option.right), key=lambda option: option.chosen_top)


def ordered(items: tuple[ItemStats, ...]) -> list[ItemStats]:
    """Flagged questions first (the key first of all), each group in test order."""

    def rank(item: ItemStats) -> int:
        return 0 if KEY_MAY_BE_WRONG in item.flags else 1 if item.flagged else 2

    return sorted(items, key=rank)
