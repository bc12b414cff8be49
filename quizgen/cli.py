"""The command line: the only module that prints or exits.

Each command calls the core, which raises QuizgenError subclasses for bad
input; `main` turns those into messages and exit status 1. Anything else is
a bug and keeps its traceback (exit status 3 would hide it).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from quizgen.errors import ContentError, QuizgenError, summarize

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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="quizgen")
def cli() -> None:
    """Quizzes, answer keys, Anki decks and practice pages from curated question banks."""


@cli.command()
@CONTENT_OPTION
@SOURCES_OPTION
@STRICT_OPTION
def validate(content_dir: Path, sources_dir: Path | None, strict: bool) -> int:
    """Check every bank: format, answers, verbatim sources, leaks."""
    from quizgen.content import load_content

    validation = load_content(content_dir, sources_dir)
    if strict:
        validation = validation.strict()
    for issue in validation.issues:
        click.echo(str(issue))
    if validation.errors:
        click.echo(f"{summarize(validation.issues)}; nothing written")
        return 1
    content = validation.content
    click.echo(f"ok: {len(content.banks)} banks, {len(content.questions)} questions; {summarize(validation.issues)}")
    return 0


@cli.command()
@CONTENT_OPTION
@SOURCES_OPTION
def stats(content_dir: Path, sources_dir: Path | None) -> int:
    """Tables of questions per article and kind, per tag and per difficulty."""
    from quizgen.content import require_content
    from quizgen.stats import stats_tables

    for table in stats_tables(require_content(content_dir, sources_dir)):
        click.echo(table)
        click.echo()
    return 0


@cli.command()
@CONTENT_OPTION
def schema(content_dir: Path) -> int:
    """Print a JSON Schema of the bank format (for editors)."""
    import json

    from quizgen.content import TAGS_FILE, read_tags
    from quizgen.schema import json_schema

    tags = read_tags(content_dir / TAGS_FILE) if (content_dir / TAGS_FILE).exists() else None
    click.echo(json.dumps(json_schema(sorted(tags) if tags else None), indent=2))
    return 0


@cli.command()
@CONTENT_OPTION
@SOURCES_OPTION
@STRICT_OPTION
@click.option(
    "-o",
    "--output",
    "output_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default="output",
    show_default=True,
    help="Where to write the outputs.",
)
def build(content_dir: Path, sources_dir: Path | None, strict: bool, output_dir: Path) -> int:
    """Validate the content, then build every output into the output directory."""
    from quizgen.build import build_all

    written = build_all(content_dir, output_dir, sources_dir=sources_dir, strict=strict)
    click.echo(f"built {len(written)} file(s) into {output_dir}")
    return 0


def _print_issues(error: ContentError) -> None:
    for issue in error.issues:
        click.echo(str(issue), err=True)
    click.echo(f"{summarize(error.issues)}; nothing written", err=True)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return the exit status."""
    try:
        status = cli.main(args=argv, prog_name="quizgen", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        click.echo("aborted", err=True)
        return 1
    except ContentError as exc:
        _print_issues(exc)
        return 1
    except QuizgenError as exc:
        click.echo(f"error: {exc}", err=True)
        return 1
    return status if isinstance(status, int) else 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
