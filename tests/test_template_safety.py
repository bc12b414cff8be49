"""A shared template is untrusted code: through the real CLI, every attack ends as a located error, fast.

Each attack fixture is a template (tests/data/templates-attack/) put in a
`--templates` folder under the name a command renders. The tests check the
exact message, exit status 1, that nothing was written, that code meant to
create a marker file did not run, and that hangs and huge results end within
a generous 20 seconds. Files that are symlinks, FIFOs or oversized are made
at test time, since git should not carry them.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import threading
import time
from pathlib import Path

import jinja2
import pytest
from conftest import DATA, SOURCES, VALID
from helpers import read_pdf

from quizgen.cli import main
from quizgen.errors import TemplateError
from quizgen.load.files import MAX_TEMPLATE_BYTES, UnsafeFile
from quizgen.render.anki import NOTE_TYPES, TEMPLATE_DIR, load_templates
from quizgen.render.pdf import MAX_ASSET_BYTES, html_to_pdf, make_fetcher
from quizgen.render.templates import TEMPLATES_DIR, make_env, render

ATTACKS = DATA / "templates-attack"
BOUND_SECONDS = 20  # generous: the limits stop each case within a few seconds

# The command, its arguments, and the one template it renders first that the attack replaces.
COMMANDS = {
    "quiz": (["quiz", "--versions", "1", "--jobs", "1"], "student.html"),
    "practice": (["practice"], "practice/page.html"),
    "build": (["build", "--jobs", "1"], "guide.html"),
}


class Run:
    """A CLI run against the test content with a templates folder in tmp_path."""

    def __init__(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
        self.templates = (tmp_path / "templates").resolve()
        self.templates.mkdir()
        self.output = tmp_path / "out"
        self.marker = tmp_path / "pwned"
        self.capsys = capsys

    def put(self, name: str, fixture: str) -> Path:
        """Copy an attack fixture into the templates folder as `name`, with the marker's path filled in."""
        path = self.templates / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = (ATTACKS / fixture).read_text(encoding="utf-8").replace("@MARKER@", str(self.marker))
        path.write_text(text, encoding="utf-8")
        return path

    def path(self, name: str) -> Path:
        """Where `name` goes in the templates folder (its folder made)."""
        path = self.templates / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def __call__(self, command: str) -> tuple[int, str, str]:
        """(exit status, stdout, stderr) of the command."""
        args, _ = COMMANDS[command]
        target = self.output / "practice.html" if command == "practice" else self.output
        status = main([*args, "--content", str(VALID), "--sources", str(SOURCES)] + [
            "--templates", str(self.templates), "-o", str(target)
        ])  # fmt: skip
        captured = self.capsys.readouterr()
        return status, captured.out, captured.err

    def refused(self, command: str, message: str) -> None:
        """The command fails with exactly `message`, fast, writing nothing and running nothing."""
        started = time.monotonic()
        status, out, err = self(command)
        assert time.monotonic() - started < BOUND_SECONDS
        assert (status, out, err) == (1, "", f"{printed(message)}\n")
        assert "Traceback" not in err
        assert not self.output.exists()
        assert not self.marker.exists()


def printed(message: str) -> str:
    """How the CLI prints an error that reads `message`: `path:line:col: error: ...` when located in a file."""
    located = re.fullmatch(r"(\S+?:\d+:\d+): (.*)", message, re.DOTALL)
    return f"{located[1]}: error: {located[2]}" if located else f"error: {message}"


@pytest.fixture
def run(tmp_path, capsys) -> Run:
    return Run(tmp_path, capsys)


def unsafe(what: str, obj: str) -> str:
    return f"access to attribute '{what}' of '{obj}' object is unsafe."


# --- Python internals ---------------------------------------------------------------------------


def test_the_globals_attack_creates_its_marker_without_the_sandbox(tmp_path):
    """The fixture is a real attack: plain Jinja (what main used) runs it."""
    marker = tmp_path / "pwned"
    text = (ATTACKS / "globals-os.html").read_text(encoding="utf-8").replace("@MARKER@", str(marker))
    jinja2.Environment().from_string(text).render()
    assert marker.exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_a_template_reaching_os_through_globals_is_refused_by_every_command(run, command):
    name = COMMANDS[command][1]
    path = run.put(name, "globals-os.html")
    run.refused(command, f"{path}:2:1: template error: {unsafe('__init__', 'type')}")


@pytest.mark.parametrize(
    ("fixture", "error"),
    [
        ("class-mro.html", unsafe("__class__", "str")),
        ("mro.html", unsafe("mro", "type")),
        ("function-globals.html", unsafe("__globals__", "function")),
        ("os.html", "'os' is undefined"),
        ("format-class.html", unsafe("__class__", "int")),
        ("attr-filter.html", unsafe("__init__", "type")),
        ("list-append.html", unsafe("append", "list")),
    ],
)
def test_a_template_reaching_for_python_internals_gets_a_located_error(run, fixture, error):
    path = run.put("student.html", fixture)
    run.refused("quiz", f"{path}:2:1: template error: {error}")


# --- hangs and huge results ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "error"),
    [
        ("repeat-string.html", "a string of 10,000,000,000 items from '*', over the limit of 1,000,000"),
        ("repeat-list.html", "a list of 10,000,000,000 items from '*', over the limit of 1,000,000"),
        ("power.html", "a power of about 33,219,280,949 bits, over the limit of 4,096 bits"),
        ("product.html", "a product of about 6,644 bits, over the limit of 4,096 bits"),
        (
            "range.html",
            "OverflowError: Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).",
        ),
        ("loops-silent.html", "the template ran for more than 5 seconds"),
        ("loops-output.html", "the output is over the limit of 20,000,000 characters"),
        ("include-self.html", "too deeply nested (an include or macro calling itself?)"),
        ("doubling.html", "out of memory (the limit is 1,024 MB per render)"),
        ("center.html", "out of memory (the limit is 1,024 MB per render)"),
    ],
)
def test_a_template_that_hangs_or_builds_something_huge_ends_with_a_located_error(run, fixture, error):
    path = run.put("student.html", fixture)
    run.refused("quiz", f"{path}:2:1: template error: {error}")


def test_a_recursive_macro_is_located_at_its_call(run):
    path = run.put("student.html", "macro-recursion.html")
    run.refused("quiz", f"{path}:2:1: template error: too deeply nested (an include or macro calling itself?)")


def test_off_the_main_thread_the_time_limit_still_holds_between_chunks():
    env = make_env(ATTACKS)
    outcome: list[BaseException] = []
    started = time.monotonic()

    def target() -> None:
        try:
            render(env, "loops-slow-output.html")
        except TemplateError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=target)
    worker.start()
    worker.join(BOUND_SECONDS)
    assert time.monotonic() - started < BOUND_SECONDS
    assert [str(e) for e in outcome] == [
        f"{ATTACKS / 'loops-slow-output.html'}:2:1: template error: the template ran for more than 5 seconds"
    ]


def test_a_render_restores_the_alarm_and_the_memory_limit_it_found():
    def mine(signum, frame):
        raise AssertionError("the old alarm fired")

    old = signal.signal(signal.SIGALRM, mine)
    signal.setitimer(signal.ITIMER_REAL, 100)
    limits = resource.getrlimit(resource.RLIMIT_AS)
    try:
        with pytest.raises(TemplateError, match="out of memory"):
            render(make_env(ATTACKS), "center.html")
        assert signal.getsignal(signal.SIGALRM) is mine
        assert 90 < signal.getitimer(signal.ITIMER_REAL)[0] <= 100
        assert resource.getrlimit(resource.RLIMIT_AS) == limits
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# --- files: symlinks out, FIFOs, devices, oversized ----------------------------------------------


@pytest.mark.parametrize(
    ("command", "name"),
    [
        ("quiz", "question/essay.html"),
        ("quiz", "print.css"),
        ("practice", "practice/practice.css"),
        ("practice", "practice/practice.js"),
        ("build", "guide.html"),
    ],
)
def test_a_template_symlinked_outside_its_folder_is_refused(run, command, name):
    run.path(name).symlink_to("/etc/passwd")
    run.refused(
        command, f"{run.templates / name}: refused: this template resolves to /etc/passwd, outside {run.templates}"
    )


def test_a_template_symlinked_to_a_device_is_refused(run):
    run.path("student.html").symlink_to("/dev/zero")
    run.refused(
        "quiz",
        f"{run.templates / 'student.html'}: refused: this template resolves to /dev/zero, outside {run.templates}",
    )


def test_a_fifo_template_is_refused_without_blocking(run):
    os.mkfifo(run.path("practice/practice.js"))
    run.refused("practice", f"{run.templates / 'practice/practice.js'}: refused: this template is not a regular file")


def test_an_oversized_template_is_refused(run):
    run.path("key.html").write_text("x" * (MAX_TEMPLATE_BYTES + 1), encoding="utf-8")
    size = f"{MAX_TEMPLATE_BYTES + 1:,}"
    run.refused(
        "quiz", f"{run.templates / 'key.html'}: refused: this template is {size} bytes, over the 1,048,576-byte limit"
    )


def test_a_dangling_symlink_is_an_error_not_a_fall_back_to_the_built_in(run):
    run.path("student.html").symlink_to(run.templates / "gone.html")
    run.refused("quiz", f"{run.templates / 'student.html'}: cannot read this template: No such file or directory")


@pytest.mark.pdf
def test_a_symlink_to_a_file_inside_the_folder_is_read(run):
    shutil.copy(TEMPLATES_DIR / "student.html", run.templates / "mine.html")
    (run.templates / "student.html").symlink_to(run.templates / "mine.html")
    status, out, err = run("quiz")
    assert (status, err) == (0, "") and out.startswith("wrote 2 PDF(s)")
    outputs = sorted(p.name for p in run.output.iterdir() if not p.name.startswith(".quizgen-"))  # not the manifest
    assert outputs == ["quiz-v1-key.pdf", "quiz-v1-student.pdf"]


def test_an_anki_template_symlinked_outside_is_refused(tmp_path):
    folder = tmp_path / "anki"
    shutil.copytree(TEMPLATE_DIR, folder)
    (folder / "basic.front.html").unlink()
    (folder / "basic.front.html").symlink_to("/etc/passwd")
    with pytest.raises(UnsafeFile) as raised:
        load_templates(NOTE_TYPES["basic"], folder)
    expected = f"{folder / 'basic.front.html'}: refused: this Anki template resolves to /etc/passwd, outside {folder.resolve()}"
    assert str(raised.value) == expected


@pytest.mark.pdf
def test_the_fetcher_refuses_a_fifo_and_an_oversized_asset_in_the_folder(tmp_path):
    os.mkfifo(tmp_path / "pipe.png")
    with open(tmp_path / "huge.png", "wb") as huge:
        huge.truncate(MAX_ASSET_BYTES + 1)  # sparse: its size is what counts
    fetcher = make_fetcher([tmp_path])
    html_to_pdf('<img src="pipe.png"><img src="huge.png"><p>text</p>', [tmp_path], fetcher)
    urls = [(tmp_path / name).as_uri() for name in ("pipe.png", "huge.png")]
    assert fetcher.requests == urls and fetcher.refused == urls


# --- attachments --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "tag", "line"),
    [
        ("attachment-a.html", "a", 2),
        ("attachment-entity.html", "link", 2),
        ("attachment-token.html", "link", 2),
        ("attachment-comment.html", "a", 2),  # html.parser reads a comment; WeasyPrint reads a link
    ],
)
def test_a_template_asking_for_an_attachment_is_refused(run, fixture, tag, line):
    path = run.put("student.html", fixture)
    message = f'refused: its output has <{tag} rel="attachment"> (output line {line}); quizgen PDFs embed no files'
    run.refused("quiz", f"{path}: template error: {message}")


ATTACHING_HTML = '<link rel="attachment" href="print.css"><p><a rel="attachment" href="print.css">notes</a></p>'


def embedded_files(pdf: bytes) -> dict:
    """The files a PDF embeds, by name, as pypdf reads them."""
    return dict(read_pdf(pdf).attachments)


@pytest.mark.pdf
def test_weasyprint_alone_embeds_rel_attachment_even_with_no_attachments_option():
    """Why quizgen must check: `attachments=[]` does not stop these links."""
    from weasyprint import HTML

    pdf = HTML(string=ATTACHING_HTML, base_url=TEMPLATES_DIR.as_uri() + "/").write_pdf(attachments=[])
    assert list(embedded_files(pdf)) == ["print.css"]


@pytest.mark.pdf
def test_html_to_pdf_embeds_and_fetches_no_attachment():
    fetcher = make_fetcher([TEMPLATES_DIR])
    pdf = html_to_pdf(ATTACHING_HTML, [TEMPLATES_DIR], fetcher)
    assert embedded_files(pdf) == {}
    assert fetcher.requests == []
    assert "notes" in read_pdf(pdf).pages[0].extract_text()
