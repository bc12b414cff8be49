"""Counts of questions by article and kind, tag and difficulty, as text tables."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from quizgen.kinds import KINDS
from quizgen.model import Content

if TYPE_CHECKING:
    from quizgen.paper.item_statistics import Observed


def table(title: str, header: list[str], rows: list[list[object]]) -> str:
    """A plain fixed-width table; the first column left-aligned, numbers right-aligned."""
    cells = [header] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [title]
    for n, row in enumerate(cells):
        parts = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=False)]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def stats_tables(content: Content, observed: dict[str, Observed] | None = None) -> list[str]:
    """Questions per bank x kind, per tag and per difficulty; then observed beside declared difficulty, if recorded."""
    kinds = [kind.abbreviation for kind in KINDS.values()]
    rows = []
    for bank in content.banks:
        counts = Counter(q.kind for q in bank.questions)
        rows.append([bank.id] + [counts[k] for k in KINDS] + [len(bank.questions)])
    totals = Counter(q.kind for q in content.questions)
    rows.append(["total"] + [totals[k] for k in KINDS] + [len(content.questions)])
    per_kind = table("Questions per bank (article) and kind", ["bank"] + kinds + ["all"], rows)
    tags = Counter(tag for q in content.questions for tag in q.tags)
    per_tag = table("Questions per tag", ["tag", "questions"], [[t, tags[t]] for t in content.tags if tags[t]])
    levels = Counter(q.difficulty for q in content.questions)
    per_level = table("Questions per difficulty", ["difficulty", "questions"], [[d, levels[d]] for d in (1, 2, 3)])
    legend = "Kinds: " + ", ".join(f"{kind.abbreviation} {name}" for name, kind in KINDS.items())
    tables = [per_kind, legend, per_tag, per_level]
    return tables + [observed_table(content, observed)] if observed else tables


def observed_table(content: Content, observed: dict[str, Observed]) -> str:
    """Declared difficulty beside the share right over recorded sittings and the level it reads as."""
    from quizgen.check.observed import MIN_STUDENTS, disagrees, observed_level

    rows = []
    for question in content.questions:
        seen = observed.get(question.uid)
        if seen is None:
            continue
        mark = "!" if disagrees(question, seen) else ""
        share = f"{seen.difficulty:.0%}"
        rows.append(
            [
                question.uid,
                question.difficulty,
                share,
                f"{observed_level(seen.difficulty)}{mark}",
                seen.students,
                seen.sittings,
            ]
        )
    title = f"Observed difficulty (content/item-statistics.yaml; ! = two levels apart on {MIN_STUDENTS}+ students)"
    header = ["question", "declared", "right", "reads as", "students", "sittings"]
    return table(title, header, rows) if rows else f"{title}\nno recorded question is in the banks"
