"""Counts of questions by article and kind, tag and difficulty, as text tables."""

from __future__ import annotations

from collections import Counter

from quizgen.kinds import KINDS
from quizgen.model import Content


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


def stats_tables(content: Content) -> list[str]:
    """Questions per bank x kind, per tag and per difficulty."""
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
    return [per_kind, legend, per_tag, per_level]
