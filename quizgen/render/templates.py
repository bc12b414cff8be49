"""The one Jinja2 environment every HTML output uses: strict, escaped, overridable.

Templates are looked up in the user's `--templates` directory first, then in
the project's `templates/`, so a user overrides any template by giving a file
of the same name. A broken template is reported as TemplateError naming the
file and line, never as a traceback.
"""

from __future__ import annotations

import traceback
from pathlib import Path

import jinja2

from quizgen.errors import TemplateError
from quizgen.kinds import KINDS
from quizgen.model import format_number

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"


def template_dirs(user_dir: Path | None = None) -> list[Path]:
    """Where templates are looked up, the user's directory first."""
    if user_dir is not None and not user_dir.is_dir():
        raise TemplateError(f"templates directory {user_dir} not found")
    return ([user_dir.resolve()] if user_dir else []) + [TEMPLATES_DIR]


def make_env(user_dir: Path | None = None) -> jinja2.Environment:
    """A strict, autoescaping environment over [user dir, templates/] with quizgen's filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(user_dir)]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        roman=roman,
        kind_title=lambda kind: KINDS[kind].strings["title"],
        number=format_number,
        plural=plural,
    )
    return env


def render(env: jinja2.Environment, name: str, **context: object) -> str:
    """Render a template by name; TemplateError (with file and line) if the template is broken."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or exc.name or name}:{exc.lineno}"
        raise TemplateError(f"{where}: template error: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template '{exc.name}' not found (looked in {_searched(env)})") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{_template_frame(exc, name)}: template error: {exc}") from None
    except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as exc:
        # Raised by an expression or a filter call in a template (`{{ 1 // 0 }}`, a filter given
        # the wrong value): the template is at fault, so say where. Elsewhere it is a bug: re-raise.
        where = _template_frame(exc, "")
        if not where:
            raise
        raise TemplateError(f"{where}: template error: {type(exc).__name__}: {exc}") from None


def _searched(env: jinja2.Environment) -> str:
    loader = env.loader
    return ", ".join(loader.searchpath) if isinstance(loader, jinja2.FileSystemLoader) else "the loader"


def _template_frame(exc: BaseException, name: str) -> str:
    """file:line of the innermost template frame of a render-time error."""
    # Jinja rewrites tracebacks so template frames carry the template's file and line.
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".css"))]
    if not frames:
        return name
    return f"{frames[-1].filename}:{frames[-1].lineno}"


def roman(number: int) -> str:
    """1 -> I, 4 -> IV, 9 -> IX: section numbers."""
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    text = ""
    for value, numeral in numerals:
        while number >= value:
            text += numeral
            number -= value
    return text


def plural(count: int, word: str) -> str:
    """'1 point', '3 points'."""
    return f"{count} {word}{'' if count == 1 else 's'}"
