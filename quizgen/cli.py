"""The command line: the only module that prints or exits.

Each command calls the core, which raises QuizgenError subclasses for bad
input; `main` turns those into messages and exit status 1. Anything else is
a bug: its traceback is printed and the exit status is 3. Ctrl-C and SIGTERM
exit 130 with `interrupted`.
"""

from __future__ import annotations

import functools
import signal
import sys
import threading
import traceback
from pathlib import Path

import click

from quizgen.errors import ContentError, Issue, Problems, QuizgenError, summarize

CONTENT_OPTION = click.option(
    "--content",
    "content_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default="content",
    show_default=True,
    help="The content directory (banks, articles.yaml, tags.yaml).",
)
SOURCES_OPTION = click.option(
    "--sources",
    "sources_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Directory of article texts (default: 'sources' in content/quizgen.yaml).",
)
STRICT_OPTION = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
NO_SOURCE_CHECK_OPTION = click.option(
    "--no-source-check",
    is_flag=True,
    help="Go on without the article texts: passages are not verified (said as a warning).",
)
COUNT_OPTION = click.option(
    "--count", type=click.IntRange(min=1), default=None, help="Draw this many questions (default: all)."
)
SEED_OPTION = click.option(
    "--seed", type=click.IntRange(min=0), default=1, show_default=True, help="Seed of the draw and of every order."
)


def output_option(default: str, help_text: str, *, folder: bool):
    """-o/--output: a folder (reaching the command as output_dir) or a file (as output_file)."""
    return click.option(
        "-o",
        "--output",
        "output_dir" if folder else "output_file",
        type=click.Path(path_type=Path, file_okay=not folder, dir_okay=folder),
        default=default,
        show_default=True,
        help=help_text,
    )


TEMPLATES_OPTION = click.option(
    "--templates",
    "templates_dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=None,
    help="A folder of templates that override the built-in ones by name.",
)
JOBS_OPTION = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    help="Processes that render PDFs (default 0: one per core).",
)


_FILTERS = (
    click.option("--bank", "banks", multiple=True, help="Only this bank (repeatable)."),
    click.option("--article", "articles", multiple=True, help="Only questions quoting this article (repeatable)."),
    click.option("--tag", "tags", multiple=True, help="Only questions with this tag (repeatable)."),
    click.option("--kind", "kinds", multiple=True, help="Only this kind of question (repeatable)."),
    click.option(
        "--difficulty",
        "difficulties",
        multiple=True,
        type=click.IntRange(1, 3),
        help="Only this difficulty (repeatable).",
    ),
)


def selection_options(command):
    """The filters `quiz`, `practice` and `deck` share; they reach the command as **filters."""
    for option in reversed(_FILTERS):
        command = option(command)
    return command


class ProgressBar:
    """A progress callback for the core: a bar on a terminal, silence otherwise."""

    def __init__(self, label: str):
        self.label = label
        self.bar = None
        self.shown = 0

    def __enter__(self) -> ProgressBar:
        return self

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None and total > 1 and sys.stderr.isatty():
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        if self.bar is not None:
            self.bar.update(done - self.shown)
        self.shown = done

    def __exit__(self, *exc_info: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc_info)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="quizgen")
def cli() -> None:
    """Quizzes, answer keys, Anki decks and practice pages from curated question banks."""


def source_options(command):
    """--content, --sources, --strict and --no-source-check: they reach the command as `source`."""

    def wrapper(content_dir: Path, sources_dir: Path | None, strict: bool, no_source_check: bool, **kwargs):
        from quizgen.pipeline import Source

        source = Source(content_dir, sources_dir, strict=strict, check_sources=not no_source_check)
        return command(source=source, **kwargs)

    wrapper = functools.update_wrapper(wrapper, command)
    for option in reversed((CONTENT_OPTION, SOURCES_OPTION, STRICT_OPTION, NO_SOURCE_CHECK_OPTION)):
        wrapper = option(wrapper)
    return wrapper


@cli.command()
@source_options
def validate(source) -> int:
    """Check every bank (format, answers, verbatim sources, leaks) and every quiz definition."""
    from quizgen.pipeline import validate as validate_content

    validation = validate_content(source)
    for issue in validation.issues:
        click.echo(str(issue))
    if validation.errors:
        click.echo(f"{summarize(validation.issues)}; nothing written")
        return 1
    content = validation.content
    click.echo(f"ok: {len(content.banks)} banks, {len(content.questions)} questions; {summarize(validation.issues)}")
    return 0


@cli.command()
@source_options
def stats(source) -> int:
    """Tables of questions per article and kind, per tag and per difficulty (and observed difficulty, if recorded)."""
    from quizgen.paper.item_statistics import load_statistics, observed
    from quizgen.pipeline import load
    from quizgen.render.stats import stats_tables

    loaded = load(source)
    recorded = observed(load_statistics(source.content_dir))
    _print_warnings(loaded.warnings)
    for table in stats_tables(loaded.content, recorded):
        click.echo(table)
        click.echo()
    return 0


@cli.command()
@CONTENT_OPTION
def schema(content_dir: Path) -> int:
    """Print a JSON Schema of the bank format (for editors)."""
    import json

    from quizgen.load.bank_format import json_schema
    from quizgen.load.content import TAGS_FILE, read_tags

    tags = read_tags(content_dir / TAGS_FILE) if (content_dir / TAGS_FILE).exists() else None
    click.echo(json.dumps(json_schema(sorted(tags) if tags else None), indent=2))
    return 0


@cli.command()
@source_options
@output_option("output", "Where to write the outputs.", folder=True)
@TEMPLATES_OPTION
@JOBS_OPTION
def build(source, output_dir: Path, templates_dir: Path | None, jobs: int) -> int:
    """Validate the content, then build every output into the output directory."""
    from quizgen.pipeline import build as build_outputs

    with ProgressBar("rendering PDFs") as progress:
        written = build_outputs(source, output_dir, templates_dir=templates_dir, jobs=jobs or None, progress=progress)
    _print_warnings(written.warnings)
    click.echo(f"built {len(written.paths)} file(s) into {output_dir}")
    return 0


@cli.command()
@source_options
@selection_options
@COUNT_OPTION
@SEED_OPTION
@click.option("--versions", type=click.IntRange(1, 99), default=2, show_default=True, help="How many versions.")
@click.option("--title", default="Quiz", show_default=True, help="The title printed on the handout.")
@click.option(
    "--paper",
    type=click.Choice(["A4", "Letter"], case_sensitive=False),
    default=None,
    help="A4 or Letter (default: the course's, from content/quizgen.yaml).",
)
@click.option("--key-details/--no-key-details", default=True, help="Explanations and sources in the key.")
@output_option("output/quiz", "The folder to write the PDFs into.", folder=True)
@TEMPLATES_OPTION
@JOBS_OPTION
def quiz(
    source,
    count: int | None,
    seed: int,
    versions: int,
    title: str,
    paper: str | None,
    key_details: bool,
    output_dir: Path,
    templates_dir: Path | None,
    jobs: int,
    **filters: tuple,
) -> int:
    """Make an ad-hoc printable quiz: a student PDF and a key PDF per version."""
    from quizgen.draw.select import Selection
    from quizgen.load.quizzes import PAPERS, QuizDefinition, slug_of
    from quizgen.pipeline import quiz as make_quiz

    definition = QuizDefinition(
        id=slug_of(title),
        title=title,
        seed=seed,
        selection=Selection(**filters),
        count=count,
        versions=versions,
        paper=PAPERS[paper.lower()] if paper else "",
        key_details=key_details,
    )
    with ProgressBar("rendering PDFs") as progress:
        written = make_quiz(
            source, definition, output_dir, templates_dir=templates_dir, jobs=jobs or None, progress=progress
        )
    _print_warnings(written.warnings)
    click.echo(f"wrote {len(written.paths)} PDF(s) for {versions} version(s) into {output_dir}")
    return 0


@cli.command()
@source_options
@selection_options
@COUNT_OPTION
@SEED_OPTION
@click.option("--title", default=None, help="The page title (default: the article's or 'All articles').")
@TEMPLATES_OPTION
@output_option("practice.html", "The HTML file to write.", folder=False)
def practice(
    source,
    count: int | None,
    seed: int,
    title: str | None,
    templates_dir: Path | None,
    output_file: Path,
    **filters: tuple,
) -> int:
    """Write a self-contained offline practice page (one HTML file, no network)."""
    from quizgen.draw.select import Selection
    from quizgen.pipeline import practice as make_practice

    written, count = make_practice(
        source, Selection(**filters), output_file, count=count, seed=seed, title=title, templates_dir=templates_dir
    )
    _print_warnings(written.warnings)
    size = output_file.stat().st_size
    click.echo(f"wrote {output_file}: {count} question(s), {size / 1024:.0f} KiB")
    return 0


@cli.command()
@source_options
@output_option("output", "Where to write the deck (as build does: anki/<deck file>).", folder=True)
@TEMPLATES_OPTION
def release(source, output_dir: Path, templates_dir: Path | None) -> int:
    """Record a release in content/releases.json and write its Anki deck: notes that changed since the last
    release are stamped with now, so they reach every student; commit the record, then share the deck."""
    from quizgen.pipeline import release as make_release

    done = make_release(source, output_dir, templates_dir=templates_dir)
    _print_warnings(done.written.warnings)
    deck_file, record = done.written.paths
    click.echo(
        f"released {done.notes} note(s) at {done.time}: {done.changed} changed since the last release, "
        f"{done.retired} retired; wrote {deck_file} and {record} (commit it with the content)"
    )
    return 0


@cli.command()
@source_options
@selection_options
@click.option("--name", default=None, help="The parent deck (default: the course's, from content/quizgen.yaml).")
@output_option("deck.apkg", "The .apkg file to write.", folder=False)
def deck(source, name: str | None, output_file: Path, **filters: tuple) -> int:
    """Write an Anki deck (.apkg) of the selected questions; re-importing it keeps every review."""
    from quizgen.draw.select import Selection
    from quizgen.pipeline import deck as make_deck

    written, notes = make_deck(source, Selection(**filters), output_file, name)
    _print_warnings(written.warnings)
    click.echo(f"wrote {output_file}: {notes} note(s), {output_file.stat().st_size / 1024:.0f} KiB")
    return 0


class FormatChoice(click.Choice):
    """The export formats, found only when `export` runs or shows its help (so the CLI starts fast)."""

    def __init__(self) -> None:
        self.case_sensitive = True

    @property
    def choices(self) -> tuple[str, ...]:
        from quizgen.export import FORMATS

        return tuple(FORMATS)


@cli.command()
@source_options
@selection_options
@click.option("--format", "format_name", type=FormatChoice(), required=True, help="The learning platform's format.")
@TEMPLATES_OPTION
@click.option(
    "-o",
    "--output",
    "output_file",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The file to write (for Moodle XML, e.g. course.moodle.xml).",
)
def export(source, format_name: str, templates_dir: Path | None, output_file: Path, **filters: tuple) -> int:
    """Write the selected questions for a learning platform (Moodle XML, GIFT, QTI); says what it converts."""
    from quizgen.draw.select import Selection
    from quizgen.pipeline import export as make_export

    written, exported = make_export(source, format_name, Selection(**filters), output_file, templates_dir=templates_dir)
    _print_warnings(written.warnings)
    counts = (
        f"{len(exported.exported)} exported, {len(exported.converted)} converted, {len(exported.left_out)} left out"
    )
    click.echo(f"wrote {output_file}: {counts}")
    return 0


@cli.command()
@click.option(
    "--sheets",
    "sheets_dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    required=True,
    help="The folder `quizgen sheets` wrote (layout.json, key.csv).",
)
@click.argument("grade_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option(
    "-o",
    "--output",
    "output_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Where to write the report (default: GRADE_DIR/analysis).",
)
@click.option("--record", is_flag=True, help="Add this sitting's figures to content/item-statistics.yaml.")
@CONTENT_OPTION
@TEMPLATES_OPTION
def analyze(
    sheets_dir: Path,
    grade_dir: Path,
    output_dir: Path | None,
    record: bool,
    content_dir: Path,
    templates_dir: Path | None,
) -> int:
    """Item analysis of a graded sitting (GRADE_DIR: what `quizgen grade` wrote): an HTML and PDF report."""
    from quizgen.paper.report import analyze_sitting

    done = analyze_sitting(
        sheets_dir, grade_dir, output_dir or grade_dir / "analysis", content_dir, templates_dir, record
    )
    _print_warnings(done.warnings)
    for path in done.paths:
        click.echo(f"wrote {path}")
    analysis = done.analysis
    flagged = sum(1 for item in analysis.items if item.flagged)
    suspect = sum(1 for item in analysis.items if "key-may-be-wrong" in item.flags)
    reliability = "n/a" if analysis.reliability is None else f"{analysis.reliability:.2f}"
    name = "KR-20" if analysis.reliability_name == "kr20" else "alpha"
    click.echo(
        f"{analysis.students} student{'' if analysis.students == 1 else 's'}, {len(analysis.items)} questions, "
        f"{flagged} flagged "
        f"({suspect} whose key may be wrong); {name} {reliability}"
    )
    return 0


@cli.command()
@source_options
@click.argument("quiz_ref", metavar="QUIZ")
@click.option(
    "--roster",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default=None,
    help="A CSV with id and name columns: a named copy per student.",
)
@click.option(
    "--copies", type=click.IntRange(1, 999), default=None, help="Without a roster: this many anonymous copies."
)
@output_option("output/sheets", "The folder to write the class set into.", folder=True)
@TEMPLATES_OPTION
@JOBS_OPTION
def sheets(
    source,
    quiz_ref: str,
    roster: Path | None,
    copies: int | None,
    output_dir: Path,
    templates_dir: Path | None,
    jobs: int,
) -> int:
    """Print a class set: a unique copy per student with its answer sheet, in one PDF, with its key and layout."""
    from quizgen.paper.classset import sheets as make_sheets

    if roster is not None and copies is not None:
        raise click.UsageError("give either --roster or --copies, not both")
    if roster is None and copies is None:
        raise click.UsageError("give --roster students.csv or --copies N")
    with ProgressBar("rendering copies") as progress:
        written = make_sheets(
            source,
            quiz_ref,
            output_dir,
            roster=roster,
            copies=copies,
            templates_dir=templates_dir,
            jobs=jobs or None,
            progress=progress,
        )
    _print_warnings(written.warnings)
    click.echo(f"wrote the class set ({len(written.paths)} files) into {output_dir}")
    return 0


@cli.command()
@source_options
@click.argument("quiz_id", metavar="QUIZ")
@click.argument("scans", metavar="SCAN...", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--sheets",
    "sheets_dir",
    required=True,
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="The folder `quizgen sheets` wrote (layout.json, key.csv, roster.csv).",
)
@click.option(
    "--dpi", type=click.IntRange(100, 600), default=200, show_default=True, help="Resolution PDF scans are read at."
)
@output_option("output/grades", "The folder to write responses, scores, review and feedback into.", folder=True)
@TEMPLATES_OPTION
@JOBS_OPTION
def grade(
    source, quiz_id: str, scans: tuple[Path, ...], sheets_dir: Path, dpi: int, output_dir: Path, templates_dir, jobs
) -> int:
    """Read scanned answer sheets of a class set and score them; whatever is unclear goes to review.csv."""
    from quizgen.paper.grading import grade as grade_scans

    with ProgressBar("rendering feedback") as progress:
        graded = grade_scans(
            source,
            quiz_id,
            sheets_dir,
            list(scans),
            output_dir,
            dpi=dpi,
            templates_dir=templates_dir,
            jobs=jobs or None,
            progress=progress,
        )
    _print_warnings(graded.warnings)
    for note in graded.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(f"graded {graded.copies} cop{'y' if graded.copies == 1 else 'ies'} into {output_dir}")
    if graded.pending:
        click.echo(f"{graded.pending} question(s) under review: settle them in {output_dir / 'review.csv'}, then rerun")
    return 0


def _print_warnings(warnings) -> None:
    for issue in warnings:
        _print_warning(issue)


def _print_warning(issue: Issue) -> None:
    click.echo(str(issue), err=True)


def _print_issues(error: ContentError) -> None:
    for issue in error.issues:
        click.echo(str(issue), err=True)
    click.echo(f"{summarize(error.issues)}; nothing written", err=True)


INTERRUPTED = 130  # what shells report for a process stopped by Ctrl-C (128 + SIGINT)
INTERNAL_ERROR = 3
INTERRUPTS = (signal.SIGINT, signal.SIGTERM)
RETRY_SECONDS = 0.5


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; the exit status: 0 done, 1 wrong input, 2 bad usage, 3 a bug in quizgen, 130 interrupted."""
    previous = _install_interrupt_handlers()
    try:
        try:
            return _run(argv)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except (KeyboardInterrupt, click.Abort):  # Abort: click's form of KeyboardInterrupt (we never prompt)
        click.echo("interrupted", err=True)
        return INTERRUPTED
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _run(argv: list[str] | None) -> int:
    try:
        status = cli.main(args=argv, prog_name="quizgen", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.Abort:
        raise  # an interrupt, for main(); not a bug (Abort is a RuntimeError)
    except click.ClickException as exc:  # UsageError exits 2, other click errors 1
        exc.show()
        return exc.exit_code
    except ContentError as exc:
        _print_issues(exc)
        return 1
    except Problems as exc:
        for message in exc.messages:
            click.echo(f"error: {message}", err=True)
        return 1
    except QuizgenError as exc:
        click.echo(_error_line(exc), err=True)
        return 1
    except Exception:
        traceback.print_exc()
        click.echo("internal error (a bug in quizgen): please report it", err=True)
        return INTERNAL_ERROR
    return status if isinstance(status, int) else 0


def _error_line(error: QuizgenError) -> str:
    if error.located is None:
        return f"error: {error}"
    path, line, col = error.located
    return f"{path}:{line}:{col}: error: {error.message}"


def _install_interrupt_handlers() -> dict:
    """SIGTERM stops a command the way Ctrl-C does (staging removed, workers killed); the old handlers."""
    if threading.current_thread() is not threading.main_thread():
        return {}  # only the main thread may set handlers; embedders keep their own
    previous = {signum: signal.getsignal(signum) for signum in (*INTERRUPTS, signal.SIGALRM)}
    for signum in INTERRUPTS:
        signal.signal(signum, _interrupt)
    signal.signal(signal.SIGALRM, _interrupt_again)
    return previous


def _interrupt(signum: int, frame: object) -> None:
    # Python drops an exception raised inside a weakref callback or __del__ ("Exception ignored in"),
    # so a Ctrl-C landing there would be lost: raise it again every half second until main() has it.
    signal.setitimer(signal.ITIMER_REAL, RETRY_SECONDS, RETRY_SECONDS)
    raise KeyboardInterrupt


def _interrupt_again(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
