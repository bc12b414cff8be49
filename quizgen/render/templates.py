"""The one Jinja2 environment every HTML output uses: sandboxed, strict, escaped, limited, overridable.

Templates are looked up in the user's `--templates` directory first, then in
the project's `templates/`, so a user overrides any template by giving a file
of the same name. Teachers share template folders, so a template is untrusted
code: it runs in Jinja's immutable sandbox (no Python internals, no mutation),
its files are read only inside their folder (no symlink out, no FIFO, size
cap), and each render has limits on time, memory, output size, numbers and
repetition (see docs/security.md, "Templates"). A broken or hostile template
is reported as TemplateError naming the file and line, never as a traceback.
"""

from __future__ import annotations

import math
import os
import re
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup

from quizgen.errors import ERROR, ContentError, Issue, QuizgenError, TemplateError
from quizgen.load.files import MAX_TEMPLATE_BYTES, UnsafeFile, decode_utf8, read_inside
from quizgen.model import Content, format_number
from quizgen.render.builtin import builtin_templates_dir
from quizgen.render.catalogue import Catalogue, english, load_catalogue

TEMPLATES_DIR = builtin_templates_dir()

# Limits per render (one output file). Real renders take at most 0.05 s, and the biggest
# output (the practice page of every question) is 0.4 MB: these leave ample room.
TIME_LIMIT_SECONDS = 5.0
MAX_OUTPUT_CHARS = 20_000_000  # characters of rendered output
MAX_EXTRA_MEMORY_BYTES = 1 << 30  # address space a render may add (Linux: RLIMIT_AS)
MAX_INT_BITS = 4096  # an integer result of `*` or `**` (about 1,230 decimal digits)
MAX_REPEAT_ITEMS = 1_000_000  # characters or items of a string or list built by `*`


class RenderLimit(jinja2.TemplateRuntimeError):
    """A template went over one of the render limits (time, output size)."""


class TemplateLoader(jinja2.BaseLoader):
    """Loads templates from a list of folders, first match wins, each file read safely inside its folder."""

    def __init__(self, folders: list[Path]):
        self.folders = [Path(folder) for folder in folders]
        self.searchpath = [str(folder) for folder in self.folders]  # as FileSystemLoader names it
        self.filenames: set[str] = set()  # every file loaded, to find template frames in tracebacks

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        """(source, file name, up-to-date check) of the first folder's file of that name."""
        pieces = split_template_path(template)  # refuses '..' with TemplateNotFound
        for folder in self.folders:
            path = folder.joinpath(*pieces)
            if os.path.lexists(path):  # lexists: a dangling symlink is an error, not a fall-through
                source = read_template(path, folder)
                self.filenames.add(str(path))
                return source, str(path), lambda: True
        raise jinja2.TemplateNotFound(template)


def read_template(path: Path, folder: Path) -> str:
    """The text of a template file, which must be a regular UTF-8 file inside `folder`, under the size cap."""
    try:
        data = read_inside(path, folder, max_bytes=MAX_TEMPLATE_BYTES, what="template")
    except UnsafeFile as exc:
        raise TemplateError(str(exc)) from None
    try:
        return decode_utf8(data)
    except UnicodeDecodeError as exc:
        raise TemplateError(f"cannot read this template: not UTF-8 (byte {exc.start})", (str(path), 1, 1)) from None


class QuizgenSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with `*` and `**` refusing results too large to compute quickly."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: object, right: object) -> object:
        """Check the size of a product or power before computing it (Python cannot be interrupted then)."""
        if operator == "**":
            _check_power(left, right)
        elif operator == "*":
            _check_product(left, right)
        return super().call_binop(context, operator, left, right)


def _check_power(base: object, exponent: object) -> None:
    if _is_int(base) and _is_int(exponent) and exponent > 0 and abs(base) > 1:
        bits = exponent * math.log2(abs(base))
        if bits > MAX_INT_BITS:
            raise SecurityError(f"a power of about {bits:,.0f} bits, over the limit of {MAX_INT_BITS:,} bits")


def _check_product(left: object, right: object) -> None:
    if _is_int(left) and _is_int(right):
        bits = left.bit_length() + right.bit_length()
        if bits > MAX_INT_BITS:
            raise SecurityError(f"a product of about {bits:,} bits, over the limit of {MAX_INT_BITS:,} bits")
        return
    sequence, times = (left, right) if _is_int(right) else (right, left)
    if isinstance(sequence, (str, list, tuple, bytes)) and _is_int(times):
        items = len(sequence) * max(times, 0)
        if items > MAX_REPEAT_ITEMS:
            what = "string" if isinstance(sequence, str) else type(sequence).__name__
            raise SecurityError(f"a {what} of {items:,} items from '*', over the limit of {MAX_REPEAT_ITEMS:,}")


def _is_int(value: object) -> bool:
    return isinstance(value, int)


def template_dirs(user_dir: Path | None = None) -> list[Path]:
    """Where templates are looked up, the user's directory first."""
    if user_dir is not None and not user_dir.is_dir():
        raise TemplateError(f"templates directory {user_dir} not found")
    return ([user_dir.resolve()] if user_dir else []) + [TEMPLATES_DIR]


def course_catalogue(content: Content, user_dir: Path | None = None) -> Catalogue:
    """The catalogue of the course's language (content/quizgen.yaml `language`), the user's folder first."""
    settings = content.settings
    try:
        return load_catalogue(settings.language, template_dirs(user_dir))
    except QuizgenError as exc:
        path, line, col = settings.language_at
        if not path or isinstance(exc, ContentError):
            raise
        # The course asks for a language no template folder has: point at the line that asks.
        raise ContentError([Issue(path, line, col, ERROR, str(exc))]) from None


def make_env(user_dir: Path | None = None, catalogue: Catalogue | None = None) -> jinja2.Environment:
    """A sandboxed, strict, autoescaping environment over [user dir, templates/] with quizgen's filters.

    `catalogue` (default: English) gives the templates their texts: the global `t("key", name=...)`,
    the global `language` (the document's `lang`), and the `kind_title` and `plural` filters.
    """
    catalogue = catalogue or english()
    env = QuizgenSandbox(
        loader=TemplateLoader(template_dirs(user_dir)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        roman=roman,
        kind_title=lambda kind: catalogue.text(f"kind.{kind}.title"),
        number=format_number,
        plural=catalogue.count,
        css_counters=lambda key: css_counters(catalogue.texts[key]),
    )
    env.globals.update(t=catalogue.text, language=catalogue.language)
    return env


def render(env: jinja2.Environment, name: str, **context: object) -> str:
    """Render a template by name within the limits; TemplateError (with file and line) if it is broken or hostile."""
    try:
        html = _render_limited(env, name, context)
    except QuizgenError:
        raise
    except jinja2.TemplateSyntaxError as exc:
        raise _broken((exc.filename or exc.name or name, exc.lineno), exc.message or "") from None
    except jinja2.TemplateNotFound as exc:
        # An include or import of a missing file: say which template asks for it, and on which line.
        missing = f"template '{exc.name}' not found (looked in {_searched(env)})"
        where = _template_frame(env, exc, "")
        raise (_broken(where, missing) if where[0] else TemplateError(missing)) from None
    except jinja2.TemplateError as exc:
        raise _broken(_template_frame(env, exc, name), str(exc)) from None
    except RecursionError as exc:
        where = _template_frame(env, exc, name)
        raise _broken(where, "too deeply nested (an include or macro calling itself?)") from None
    except MemoryError as exc:
        where = _template_frame(env, exc, name)
        limit = MAX_EXTRA_MEMORY_BYTES >> 20
        raise _broken(where, f"out of memory (the limit is {limit:,} MB per render)") from None
    except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as exc:
        # Raised by an expression or a filter call in a template (`{{ 1 // 0 }}`, a filter given
        # the wrong value): the template is at fault, so say where. Elsewhere it is a bug: re-raise.
        where = _template_frame(env, exc, "")
        if not where[0]:
            raise
        raise _broken(where, f"{type(exc).__name__}: {exc}") from None
    refuse_attachments(html, _filename(env, name))
    return html


def template_source(env: jinja2.Environment, name: str) -> tuple[str, str]:
    """The raw text of a template file, read by the safe loader (for files inlined verbatim), and its path."""
    if not isinstance(env.loader, TemplateLoader):
        raise TypeError("template_source needs an environment from make_env")
    try:
        source, path, _ = env.loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        raise TemplateError(f"template '{name}' not found (looked in {_searched(env)})") from None
    return source, path


def _render_limited(env: jinja2.Environment, name: str, context: dict[str, object]) -> str:
    deadline = time.monotonic() + TIME_LIMIT_SECONDS
    with _memory_limit(MAX_EXTRA_MEMORY_BYTES), _time_limit(TIME_LIMIT_SECONDS):
        chunks = env.get_template(name).generate(**context)
        return "".join(_limited_output(chunks, deadline))


def _limited_output(chunks: Iterator[str], deadline: float) -> Iterator[str]:
    """The chunks of a render, stopped inside the template (so the error has its line) past a limit."""
    total = 0
    for chunk in chunks:
        total += len(chunk)
        problem = None
        if total > MAX_OUTPUT_CHARS:
            problem = f"the output is over the limit of {MAX_OUTPUT_CHARS:,} characters"
        elif time.monotonic() > deadline:  # the fallback where no alarm signal can be used
            problem = _too_long()
        if problem:
            chunks.throw(RenderLimit(problem))  # raised at the template's current line, then re-raised here
        yield chunk


def _too_long() -> str:
    return f"the template ran for more than {TIME_LIMIT_SECONDS:g} seconds"


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise RenderLimit inside whatever runs after `seconds` (main thread only; restores the old alarm)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    active = True

    def on_alarm(signum: int, frame: object) -> None:
        if active:
            raise RenderLimit(_too_long())

    started = time.monotonic()
    old_handler = signal.signal(signal.SIGALRM, on_alarm)
    # Repeat every half second, in case the template's code swallowed the first one.
    old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    try:
        yield
    finally:
        active = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler if old_handler is not None else signal.SIG_DFL)
        if old_delay:
            remaining = max(old_delay - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, remaining, old_interval)


@contextmanager
def _memory_limit(extra_bytes: int) -> Iterator[None]:
    """Cap the process's address space at its current size plus `extra_bytes` (Linux), then restore it."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (ImportError, OSError, ValueError):
        yield  # not Linux: the other limits still hold
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = current + extra_bytes
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft != resource.RLIM_INFINITY and soft <= limit:
        yield  # already as tight
        return
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


class _AttachmentFinder(HTMLParser):
    """Finds elements whose `rel` has the token `attachment` (entities in attributes are decoded).

    Where html.parser reads text that an HTML5 parser such as WeasyPrint's may end
    earlier (a comment closed by `<!-->`, a script closed by `</script x>`, a CDATA
    section), that text is searched as HTML too: refusing too much, never too little.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if key == "rel" and value and "attachment" in value.lower().split():
                self.found.append((tag, self.getpos()[0]))

    def handle_data(self, data: str) -> None:
        if self.cdata_elem is not None:  # inside <script> or <style>
            self._search(data)

    def handle_comment(self, data: str) -> None:
        self._search(data)

    def close(self) -> None:
        """Finish, searching also what html.parser leaves unread (an unclosed <script> or <style>)."""
        super().close()
        leftover, self.rawdata = self.rawdata, ""
        self._search(leftover)

    def handle_decl(self, data: str) -> None:
        self._search(data)

    def unknown_decl(self, data: str) -> None:
        self._search(data)

    def handle_pi(self, data: str) -> None:
        self._search(data)

    def _search(self, text: str) -> None:
        if "rel" not in text.lower():  # an attribute name is never entity-encoded
            return
        inner = _AttachmentFinder()
        inner.feed(text)
        inner.close()
        line = self.getpos()[0]
        self.found += [(tag, line + inner_line - 1) for tag, inner_line in inner.found]


def refuse_attachments(html: str, template: str) -> None:
    """TemplateError if the HTML asks for a file to be embedded (`rel="attachment"`, which WeasyPrint honours)."""
    finder = _AttachmentFinder()
    finder.feed(html)
    finder.close()
    if finder.found:
        tag, line = finder.found[0]
        raise TemplateError(
            f'{template}: template error: refused: its output has <{tag} rel="attachment"> (output line {line});'
            " quizgen PDFs embed no files"
        )


def _filename(env: jinja2.Environment, name: str) -> str:
    return env.get_template(name).filename or name


def _searched(env: jinja2.Environment) -> str:
    searchpath = getattr(env.loader, "searchpath", None)
    return ", ".join(searchpath) if searchpath else "the loader"


def _template_frame(env: jinja2.Environment, exc: BaseException, name: str) -> tuple[str, int | None]:
    """(file, line) of the innermost template frame of a render-time error; (name, None) without one."""
    # Jinja rewrites tracebacks so template frames carry the template's file and line.
    filenames = getattr(env.loader, "filenames", set())
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename in filenames]
    if not frames:
        return name, None
    return frames[-1].filename, frames[-1].lineno


def _broken(where: tuple[str, int | None], problem: str) -> TemplateError:
    """A template's error at its file and line (Jinja knows no column: 1), or at its name alone."""
    path, line = where
    if line is None:
        return TemplateError(f"{path}: template error: {problem}" if path else f"template error: {problem}")
    return TemplateError(f"template error: {problem}", located=(path, line, 1))


def roman(number: int) -> str:
    """1 -> I, 4 -> IV, 9 -> IX: section numbers."""
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    text = ""
    for value, numeral in numerals:
        while number >= value:
            text += numeral
            number -= value
    return text


def css_counters(text: str) -> Markup:
    """A catalogue text as a CSS `content` value: 'Page {page} of {pages}' -> "Page " counter(page) " of " ..."""
    parts = []
    for i, piece in enumerate(re.split(r"\{(\w+)\}", text)):
        if i % 2:
            parts.append(f"counter({piece})")
        elif piece:
            # A CSS string inside <style>: backslash, quote and '<' (which could close the element) escaped.
            escaped = piece.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ").replace("\n", "\\a ")
            parts.append(f'"{escaped}"')
    return Markup(" ".join(parts))
