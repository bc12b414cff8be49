"""quizgen's errors survive pickling (a PDF worker sends its error to the parent that way), every subclass."""

from __future__ import annotations

import pickle

import pytest

from quizgen.draw.fit import QuizSelectionError
from quizgen.errors import ERROR, ContentError, Issue, Problems, QuizgenError, TemplateError
from quizgen.load.files import UnsafeFile
from quizgen.paper.scan.rasterize import ScanError

ERRORS = [
    QuizgenError("plain"),
    QuizgenError("cannot read: not UTF-8 (byte 3)", ("sets/a/roster.csv", 1, 1)),
    TemplateError("template error: 'x' is undefined", ("templates/base.html", 7, 1)),
    Problems(["unknown bank 'x' (expected one of: a)", "unknown tag 'y' (expected one of: b)"]),
    ContentError([Issue("banks/a.yaml", 3, 5, ERROR, "bad"), Issue("banks/a.yaml", 1, 1, ERROR, "worse")]),
    QuizSelectionError("too few questions", ("quizzes", 0), (("too few questions", ("quizzes", 0)),)),
    ScanError("scans/1.pdf", "not a PDF"),
    UnsafeFile("x: refused: outside"),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda error: type(error).__name__)
def test_an_error_is_the_same_after_pickling(error):
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert (str(copy), copy.args, vars(copy)) == (str(error), error.args, vars(error))


class Unloadable(Exception):
    """An error that pickles but cannot be rebuilt (its __init__ wants what `args` lacks)."""

    def __init__(self, what: str, why: str):
        super().__init__(f"{what}: {why}")


@pytest.mark.pdf
@pytest.mark.parametrize("error", [ERRORS[2], ERRORS[4], ERRORS[3]], ids=lambda error: type(error).__name__)
def test_an_error_in_a_pdf_worker_reaches_the_parent_whole(monkeypatch, error):
    from quizgen.render import pdf

    def broken(html, roots, fetcher=None):
        raise error

    monkeypatch.setattr(pdf, "html_to_pdf", broken)  # forked workers run this module as the parent has it
    with pytest.raises(type(error)) as raised:
        pdf.render_pdfs(["<p>a</p>", "<p>b</p>"], [], jobs=2)
    assert (str(raised.value), vars(raised.value)) == (str(error), vars(error))


@pytest.mark.pdf
def test_a_worker_error_that_cannot_be_rebuilt_comes_back_as_its_traceback(monkeypatch):
    from quizgen.render import pdf

    def broken(html, roots, fetcher=None):
        raise Unloadable("fonts", "gone")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)
    with pytest.raises(RuntimeError, match=r"Unloadable: fonts: gone"):
        pdf.render_pdfs(["<p>a</p>", "<p>b</p>"], [], jobs=2)
