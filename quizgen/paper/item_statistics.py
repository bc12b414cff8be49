"""The accumulated item statistics: content/item-statistics.yaml, one entry per question and sitting.

`quizgen analyze --record` adds a sitting; `quizgen stats` and `quizgen validate`
read the file. It lives beside the banks, never inside them: the banks are
curated text, these are observations. A sitting is keyed by its id (the quiz
and a digest of its class set's layout.json), so recording the same sitting
again replaces its figures instead of counting them twice. The file is checked
like a bank when read: located errors, unknown keys refused. See docs/grading.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from quizgen.errors import ContentError, Issue
from quizgen.load.fields import Report, check_mapping, open_report
from quizgen.load.schema import SLUG, Field, check_int_between, check_number, type_name
from quizgen.write import write_atomic

if TYPE_CHECKING:  # validate and stats read the file without loading numpy
    from quizgen.paper.analysis import Analysis

STATISTICS_FILE = "item-statistics.yaml"
QUESTION_UID = re.compile(rf"{SLUG.pattern}/{SLUG.pattern}")
HEADER = (
    "# Observed item statistics: one entry per question (bank/id) and sitting, written by\n"
    "# `quizgen analyze --record` (see docs/grading.md, 'Item analysis'). Not part of the banks.\n"
)
DIGITS = 4  # decimals kept: finer than any class can measure


def _between(low: float, high: float):
    def check(value: Any, raw: str | None) -> float:
        number = check_number(value, raw)
        if not low <= number <= high:
            raise ValueError(f"{value} is out of range")
        return number

    return check


SITTING_FIELDS = (
    Field(
        "students",
        "number",
        True,
        description="the students of the sitting",
        checker=check_int_between(1, None),
        expected="a whole number of at least 1",
    ),
    Field("difficulty", "number", True, checker=_between(0, 1), expected="the share right, 0 to 1"),
    Field("discrimination", "number", checker=_between(-1, 1), expected="a correlation, -1 to 1"),
)


@dataclass(frozen=True)
class Observation:
    """One question's figures in one sitting."""

    students: int
    difficulty: float
    discrimination: float | None = None


@dataclass(frozen=True)
class Observed:
    """One question's figures over every recorded sitting."""

    sittings: int
    students: int
    difficulty: float  # the share right over all students of all sittings


Statistics = dict[str, dict[str, Observation]]  # question uid -> sitting id -> its figures


def statistics_path(content_dir: Path) -> Path:
    return content_dir / STATISTICS_FILE


def read_statistics(content_dir: Path, issues: list[Issue]) -> Statistics:
    """The recorded statistics (empty when there is no file); problems are added to `issues`."""
    path = statistics_path(content_dir)
    if not path.exists():
        return {}
    report = open_report(path, "item statistics: ")
    if report.doc is None:
        issues += report.issues
        return {}
    found = _statistics_from(report)
    issues += report.issues
    return found


def _statistics_from(report: Report) -> Statistics:
    data = report.doc.data
    if data is None:
        return {}
    if not isinstance(data, dict):
        report.add((), f"item statistics: the file is a {type_name(data)} (expected a mapping of bank/id to sittings)")
        return {}
    found: Statistics = {}
    for uid, sittings in data.items():
        if not isinstance(uid, str) or not QUESTION_UID.fullmatch(uid):
            report.add(
                (uid,),
                f"item statistics: '{uid}' is not a question's bank/id (e.g. ni-2002/treaty-signed)",
                at_key=True,
            )
            continue
        if not isinstance(sittings, dict) or not sittings:
            report.add(
                (uid,), f"item statistics: '{uid}' is a {type_name(sittings)} (expected a mapping of sitting ids)"
            )
            continue
        figures = _sittings_of(uid, sittings, report)
        if figures:
            found[uid] = figures
    return found


def _sittings_of(uid: str, sittings: dict, report: Report) -> dict[str, Observation]:
    found = {}
    for sitting, figures in sittings.items():
        label = f"item statistics: '{uid}' sitting '{sitting}': "
        if not isinstance(sitting, str) or not SLUG.fullmatch(sitting):
            report.add((uid, sitting), f"{label}the sitting id is not a slug", at_key=True)
            continue
        values = check_mapping(figures, (uid, sitting), SITTING_FIELDS, report, label)
        if values is not None:
            found[sitting] = Observation(values["students"], values["difficulty"], values.get("discrimination"))
    return found


def load_statistics(content_dir: Path) -> Statistics:
    """The recorded statistics, or ContentError with every problem in the file."""
    issues: list[Issue] = []
    found = read_statistics(content_dir, issues)
    if any(issue.is_error for issue in issues):
        raise ContentError(issues)
    return found


def with_sitting(statistics: Statistics, analysis: Analysis) -> Statistics:
    """The statistics with this sitting's figures in (replacing an earlier recording of the same sitting)."""
    updated = {uid: dict(sittings) for uid, sittings in statistics.items()}
    for item in analysis.items:
        discrimination = None if item.discrimination is None else round(item.discrimination, DIGITS)
        figures = Observation(analysis.students, round(item.difficulty, DIGITS), discrimination)
        updated.setdefault(item.question, {})[analysis.sitting] = figures
    return updated


def dump_statistics(statistics: Statistics) -> str:
    """The file's text: questions and sittings sorted, so a recording changes only its own lines."""
    data = {
        uid: {sitting: _plain(figures) for sitting, figures in sorted(statistics[uid].items())}
        for uid in sorted(statistics)
    }
    return HEADER + (yaml.safe_dump(data, sort_keys=False, allow_unicode=True) if data else "{}\n")


def _plain(figures: Observation) -> dict:
    plain = {"students": figures.students, "difficulty": figures.difficulty}
    if figures.discrimination is not None:
        plain["discrimination"] = figures.discrimination
    return plain


def record(content_dir: Path, analysis: Analysis) -> Path:
    """Add the sitting to content/item-statistics.yaml, written atomically; ContentError if the file is broken."""
    statistics = load_statistics(content_dir)
    path = statistics_path(content_dir)
    write_atomic(path, dump_statistics(with_sitting(statistics, analysis)).encode("utf-8"))
    return path


def observed(statistics: Statistics) -> dict[str, Observed]:
    """Each question's share right over every sitting, weighted by the sitting's students."""
    found = {}
    for uid, sittings in statistics.items():
        students = sum(figures.students for figures in sittings.values())
        right = sum(figures.students * figures.difficulty for figures in sittings.values())
        found[uid] = Observed(len(sittings), students, right / students)
    return found
