"""The item-analysis report: HTML (templates/analysis/report.html) and its PDF, plots drawn as inline SVG.

The figures come from quizgen.paper.analysis; this module lays them out as
plain records (bars, points, axes in SVG units) that the sandboxed template
draws, so no markup is built here. Flagged questions come first, the ones
whose key may be wrong first of all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from quizgen.errors import ContentError, Issue, QuizgenError
from quizgen.paper.analysis import (
    EVERYONE_RIGHT,
    KEY_MAY_BE_WRONG,
    NEGATIVE_DISCRIMINATION,
    NOBODY_RIGHT,
    UNCHOSEN_DISTRACTOR,
    Analysis,
    ItemStats,
    ordered,
    suspect_distractor,
)

REPORT_HTML = "item-analysis.html"
REPORT_PDF = "item-analysis.pdf"
FLAG_TEXTS = {
    KEY_MAY_BE_WRONG: "analysis.flag_key",
    NEGATIVE_DISCRIMINATION: "analysis.flag_negative",
    UNCHOSEN_DISTRACTOR: "analysis.flag_unchosen",
    EVERYONE_RIGHT: "analysis.flag_everyone",
    NOBODY_RIGHT: "analysis.flag_nobody",
}
BAR_WIDTH = 150.0  # SVG units for 100 % of the class
ROW = 22.0  # one option: its class bar and its top-third bar


@dataclass(frozen=True)
class OptionBar:
    """One option's two bars (whole class, top third), in SVG units."""

    y: float
    option: str
    right: bool
    width: float
    top_width: float
    chosen: int
    chosen_top: int


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str
    flagged: bool


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    w: float
    h: float
    label: str
    count: int


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class ItemView:
    """What the template shows of one question."""

    number: int  # its place in the test (the order of scores.csv)
    stats: ItemStats
    flags: tuple[str, ...]  # the texts, from the catalogue
    suspect: str  # the key-may-be-wrong sentence, "" when none
    bars: tuple[OptionBar, ...]
    height: float


def item_views(analysis: Analysis, t) -> list[ItemView]:
    """The questions in report order (flagged first), each with its flag texts and option bars."""
    numbers = {item.question: n for n, item in enumerate(analysis.items, start=1)}
    return [_view(item, numbers[item.question], analysis, t) for item in ordered(analysis.items)]


def _view(item: ItemStats, number: int, analysis: Analysis, t) -> ItemView:
    unchosen = ", ".join(o.option for o in item.options if not o.right and o.chosen == 0)
    flags = tuple(
        t(FLAG_TEXTS[flag], options=unchosen) if flag == UNCHOSEN_DISTRACTOR else t(FLAG_TEXTS[flag])
        for flag in item.flags
    )
    bars = tuple(
        OptionBar(
            y=row * ROW,
            option=option.option,
            right=option.right,
            width=BAR_WIDTH * option.chosen / max(analysis.students, 1),
            top_width=BAR_WIDTH * option.chosen_top / max(analysis.top_group, 1),
            chosen=option.chosen,
            chosen_top=option.chosen_top,
        )
        for row, option in enumerate(item.options)
    )
    return ItemView(number, item, flags, _suspect_sentence(item, t), bars, ROW * len(bars))


def _suspect_sentence(item: ItemStats, t) -> str:
    suspect = suspect_distractor(item)
    if suspect is None:
        return ""
    keys = [o for o in item.options if o.right]
    return t(
        "analysis.key_alarm_detail",
        chose=suspect.chosen_top,
        option=suspect.option,
        key_chose=sum(o.chosen_top for o in keys),
        key=", ".join(o.option for o in keys),
    )


# The scatter: difficulty 0..1 across, discrimination -1..1 up, inside a frame of PLOT units.
PLOT_W, PLOT_H, MARGIN = 300.0, 200.0, 40.0


def scatter(analysis: Analysis) -> tuple[list[Dot], list[Tick], list[Tick], float]:
    """(dots, x ticks, y ticks, the y of r = 0) of the difficulty x discrimination plot."""
    dots = [
        Dot(MARGIN + PLOT_W * item.difficulty, _y_of(item.discrimination), str(n), item.flagged)
        for n, item in enumerate(analysis.items, start=1)
        if item.discrimination is not None
    ]
    x_ticks = [Tick(MARGIN + PLOT_W * share, f"{share:.1f}") for share in (0, 0.25, 0.5, 0.75, 1)]
    y_ticks = [Tick(_y_of(r), f"{r:+.1f}" if r else "0") for r in (-1, -0.5, 0, 0.5, 1)]
    return dots, x_ticks, y_ticks, _y_of(0)


def _y_of(r: float) -> float:
    return MARGIN / 2 + PLOT_H * (1 - r) / 2


def distribution(analysis: Analysis) -> tuple[list[Column], float]:
    """The histogram of totals: one column per point (or per few points on a long test), and the tallest count."""
    top = max(analysis.max_total, math.ceil(max(analysis.totals, default=0)), 1)
    width = max(1, math.ceil((top + 1) / 25))
    counts = [0] * (top // width + 1)
    for total in analysis.totals:
        counts[int(total) // width] += 1
    tallest = max(counts + [1])
    step = PLOT_W / len(counts)
    columns = [
        Column(
            MARGIN + i * step,
            MARGIN / 2 + PLOT_H * (1 - count / tallest) * 0.8 + PLOT_H * 0.2,
            step * 0.9,
            PLOT_H * 0.8 * count / tallest,
            str(i * width) if width == 1 else f"{i * width}–{i * width + width - 1}",
            count,
        )
        for i, count in enumerate(counts)
    ]
    return columns, tallest


def render_report(analysis: Analysis, env) -> str:
    """The report's HTML, from the sandboxed environment `env` (quizgen.render.templates.make_env)."""
    from quizgen.render.templates import render

    t = env.globals["t"]
    items = item_views(analysis, t)
    dots, x_ticks, y_ticks, zero = scatter(analysis)
    columns, tallest = distribution(analysis)
    return render(
        env,
        "analysis/report.html",
        analysis=analysis,
        flagged=[view for view in items if view.stats.flagged],
        others=[view for view in items if not view.stats.flagged],
        mean_total=f"{sum(analysis.totals) / max(len(analysis.totals), 1):.1f}",
        reliability="" if analysis.reliability is None else f"{analysis.reliability:.2f}",
        plot={"w": PLOT_W, "h": PLOT_H, "margin": MARGIN, "bar": BAR_WIDTH, "row": ROW},
        dots=dots,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        zero=zero,
        columns=columns,
        tallest=tallest,
    )


@dataclass(frozen=True)
class Analyzed:
    """What `quizgen analyze` did: the analysis, the files written and the warnings met."""

    analysis: Analysis
    paths: tuple[Path, ...]
    warnings: tuple[Issue, ...]


def analyze_sitting(
    sheets_dir: Path, grade_dir: Path, output_dir: Path, content_dir: Path, templates_dir: Path | None, record: bool
) -> Analyzed:
    """Read the sitting, analyze it, render the report (HTML and PDF) and write both; with `record`, add it to
    content/item-statistics.yaml. Everything is checked before anything is written."""
    from quizgen.load.settings import load_settings
    from quizgen.paper.analysis import analyze
    from quizgen.paper.item_statistics import load_statistics
    from quizgen.paper.item_statistics import record as record_sitting
    from quizgen.paper.results import read_sitting
    from quizgen.render.catalogue import load_catalogue
    from quizgen.render.pdf import render_pdfs
    from quizgen.render.templates import make_env, template_dirs
    from quizgen.write import Writer

    sitting = read_sitting(sheets_dir, grade_dir)
    analysis = analyze(sitting)
    if record:
        if analysis.under_review:
            raise QuizgenError(
                f"not recorded: {analysis.under_review} answer(s) in {grade_dir / 'responses.csv'} are still under "
                "review; settle review.csv and grade again first"
            )
        load_statistics(content_dir)  # a broken statistics file stops the command before the report is written
    settings_issues: list[Issue] = []
    language = load_settings(content_dir, settings_issues).language
    if any(issue.is_error for issue in settings_issues):
        raise ContentError(settings_issues)
    dirs = template_dirs(templates_dir)
    env = make_env(templates_dir, load_catalogue(language, dirs))
    html = render_report(analysis, env)
    pdf = render_pdfs([html], dirs)[0]
    paths = Writer(output_dir).write_all([(REPORT_HTML, html), (REPORT_PDF, pdf)])
    if record:
        paths.append(record_sitting(content_dir, analysis))
    warnings = tuple(sitting.warnings) + tuple(i for i in settings_issues if not i.is_error)
    return Analyzed(analysis, tuple(paths), warnings)
