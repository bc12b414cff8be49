"""`quizgen analyze`: the item-analysis report (HTML here; the PDF under the pdf marker) and --record."""

from __future__ import annotations

import pytest
from class_sim import Choice, Scored, everyone, graded, simulate, two_pl, write_class

from quizgen.cli import main
from quizgen.paper.analysis import analyze
from quizgen.paper.report import render_report
from quizgen.paper.results import read_sitting
from quizgen.render.templates import make_env

QUESTIONS = [
    Choice("ni-2002/easy", "A", two_pl(1.5, -1.0)),
    Choice("ni-2002/middle", "A", two_pl(1.5, 0.0)),
    Choice("li-2014/miskeyed", "A", two_pl(1.8, 0.0, key="B", wrong="ACD")),
    Choice("yu-1999/all-right", "C", everyone("C")),
    Scored("perspectives/essay", graded(0.0, 2), 2),
]


@pytest.fixture
def graded_class(tmp_path):
    write_class(simulate(QUESTIONS, 60, seed=4), tmp_path / "sheets", tmp_path / "grade", shuffle=True)
    return tmp_path


def test_the_report_puts_the_suspect_key_first_and_says_so_in_words(graded_class):
    analysis = analyze(read_sitting(graded_class / "sheets", graded_class / "grade"))
    html = render_report(analysis, make_env())
    flagged = html[html.index('<section class="flagged">') : html.index('<section class="plots">')]
    assert flagged.index("li-2014/miskeyed") < flagged.index("yu-1999/all-right")
    assert "THE KEY MAY BE WRONG" not in html  # upper case is the style's doing, not the text's
    assert "The key may be wrong" in flagged
    assert "chose B and" in flagged and "chose the key (A)" in flagged
    assert "Everyone got it right" in flagged
    others = html[html.index('<section class="others">') :]
    assert "ni-2002/easy" in others and "li-2014/miskeyed" not in others
    assert "Reliability (Cronbach&#39;s alpha): " in html


@pytest.mark.pdf
def test_analyze_writes_the_report_and_records_the_sitting_once(graded_class, monkeypatch, capsys):
    monkeypatch.chdir(graded_class)
    (graded_class / "content").mkdir()
    argv = ["analyze", "--sheets", "sheets", "grade", "--record", "--content", "content", "-o", "report"]
    assert main(argv) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:3] == [
        "wrote report/item-analysis.html",
        "wrote report/item-analysis.pdf",
        "wrote content/item-statistics.yaml",
    ]
    assert out[3].startswith("60 students, 5 questions, ")
    recorded = (graded_class / "content" / "item-statistics.yaml").read_text(encoding="utf-8")
    assert main(argv) == 0
    assert (graded_class / "content" / "item-statistics.yaml").read_text(encoding="utf-8") == recorded


def test_analyze_refuses_to_record_answers_still_under_review(graded_class, monkeypatch, capsys):
    monkeypatch.chdir(graded_class)
    responses = graded_class / "grade" / "responses.csv"
    lines = responses.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].removesuffix(",ok") + ",review"
    responses.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status = main(["analyze", "--sheets", "sheets", "grade", "--record", "--content", "content"])
    assert status == 1
    assert capsys.readouterr().err == (
        "error: not recorded: 1 answer(s) in grade/responses.csv are still under review; "
        "settle review.csv and grade again first\n"
    )
    assert not (graded_class / "grade" / "analysis").exists()


def test_analyze_names_the_bad_field_of_a_result_file(graded_class, monkeypatch, capsys):
    monkeypatch.chdir(graded_class)
    scores = graded_class / "grade" / "scores.csv"
    scores.write_text(
        scores.read_text(encoding="utf-8").replace("s001,Student 1,1,", "s001,Student 1,x,", 1), encoding="utf-8"
    )
    assert main(["analyze", "--sheets", "sheets", "grade"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "grade/scores.csv:2:16: error: 'copy' is 'x' (expected a whole number)",
        "1 error, 0 warnings in 1 file; nothing written",
    ]


@pytest.mark.pdf
def test_the_pdf_report_holds_the_alarm_and_the_plots(graded_class, monkeypatch):
    from pypdf import PdfReader

    monkeypatch.chdir(graded_class)
    assert main(["analyze", "--sheets", "sheets", "grade"]) == 0
    text = PdfReader(graded_class / "grade" / "analysis" / "item-analysis.pdf").pages[0].extract_text()
    assert "THE KEY MAY BE WRONG" in text
    assert "li-2014/miskeyed" in text
