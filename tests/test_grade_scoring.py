"""Scoring read answers: partial credit per response form, the quiz's scoring rules, review decisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizgen.errors import ContentError
from quizgen.kinds import response as r
from quizgen.load.fields import open_report
from quizgen.load.quizzes import load_quiz_file, parse_definition
from quizgen.paper.grade import ALL_OR_NOTHING, SCORERS, Answer, decimals_of, grid_number, score
from quizgen.paper.review import ReviewRow, check_decision, read_decisions, review_csv
from quizgen.paper.settle import NEEDS_A_MARK

DATA = Path(__file__).parent / "data" / "quizzes-invalid"
CHOICES = r.OneOf((r.Choice("a", True), r.Choice("b", False)))
SEVERAL = r.AnyOf((r.Choice("a", True), r.Choice("b", True), r.Choice("c", False), r.Choice("d", False)))
PAIRS = r.Pairs((r.Pair("1", "x"), r.Pair("2", "y"), r.Pair("3", "z"), r.Pair("4", "w")))


def answer(marked: str, right: str, points: float = 2, rule: str = "partial") -> Answer:
    return Answer(frozenset(v for v in marked.split("|") if v), frozenset(right.split("|")), points, rule)


def test_every_form_has_a_scorer_and_says_whether_it_needs_a_mark():
    assert r.missing_forms(SCORERS) == []
    assert r.missing_forms(NEEDS_A_MARK) == []


@pytest.mark.parametrize(
    ("marked", "expected"),
    [("A", 2), ("B", 0), ("", 0)],
)
def test_a_single_choice_scores_all_or_nothing(marked, expected):
    assert score(CHOICES, answer(marked, "A")) == expected


@pytest.mark.parametrize(
    ("marked", "expected"),
    [("A|B", 2), ("A", 1), ("A|C", 0), ("A|B|C", 1), ("C|D", 0), ("", 0), ("A|B|C|D", 0)],
)
def test_multiple_select_scores_right_minus_wrong_floored_at_zero(marked, expected):
    assert score(SEVERAL, answer(marked, "A|B")) == expected


def test_multiple_select_all_or_nothing_when_the_quiz_says_so():
    assert score(SEVERAL, answer("A", "A|B", rule=ALL_OR_NOTHING)) == 0
    assert score(SEVERAL, answer("A|B", "A|B", rule=ALL_OR_NOTHING)) == 2


def test_matching_and_ordering_score_per_item():
    right = "1=B|2=A|3=D|4=C"
    assert score(PAIRS, answer("1=B|2=A|3=C|4=D", right, points=4)) == 2
    assert score(r.Order(("a", "b", "c")), answer("1=1|2=3|3=2", "1=1|2=2|3=3", points=3)) == 1
    assert score(PAIRS, answer("1=B|2=A|3=C|4=D", right, points=4, rule=ALL_OR_NOTHING)) == 0


def test_a_numeric_grid_scores_within_the_tolerance_only():
    number = r.Number(22.9, tolerance=0.1)
    right = "d1=0|d2=2|d3=2|d4=9"
    assert decimals_of(frozenset(right.split("|")), 22.9) == 1
    assert score(number, answer(right, right)) == 2
    assert score(number, answer("d1=0|d2=2|d3=3|d4=0", right)) == 2  # 23.0: within 0.1
    assert score(number, answer("d1=0|d2=2|d3=3|d4=1", right)) == 0  # 23.1
    assert score(number, answer("d1=0|d2=2|d4=9", right)) == 0  # a column left empty


def test_a_negative_grid_reads_its_sign():
    assert grid_number(frozenset({"sign=-", "d1=1", "d2=5"}), 1) == -1.5


def test_a_written_answer_scores_the_box_the_teacher_ticked():
    assert score(r.Open(("x",)), answer("3", "4", points=4)) == 3
    assert score(r.Typed(("x",)), answer("9", "1", points=1)) == 1  # capped at the question's points


# --- the quiz file's scoring rules ------------------------------------------------------


def test_a_quiz_may_change_the_scoring_rule_of_a_kind(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text("quiz: q\ntitle: Q\nseed: 1\nscoring:\n  multiple_select: all_or_nothing\n", encoding="utf-8")
    definition = parse_definition(open_report(path))
    assert definition.scoring_for("multiple_select") == "all_or_nothing"
    assert definition.scoring_for("matching") == "partial"


@pytest.mark.parametrize(
    ("quiz", "line", "col", "message"),
    [
        (
            "bad-scoring-rule.yaml",
            5,
            20,
            "scoring: 'multiple_select' is 'all_or_nuthing' (expected partial or all_or_nothing)",
        ),
        ("bad-scoring-kind.yaml", 5, 3, "scoring: unknown key 'matchng' (did you mean 'matching'?)"),
    ],
)
def test_a_wrong_scoring_rule_is_located(quiz, line, col, message):
    loaded = load_quiz_file(DATA / quiz)
    assert loaded.definition is None
    assert [(i.line, i.col, i.message) for i in loaded.report.issues] == [(line, col, message)]


# --- review decisions -------------------------------------------------------------------

BOX_ROW = ReviewRow("s1", "1", "ni-2002/treaty", "q3.B", "unclear mark (darkness 0.31)", "review/a.png")
QUESTION_ROW = ReviewRow("s1", "1", "ni-2002/treaty", "", "two marks where one is allowed (q3.A, q3.B)", "")
PAGE_ROW = ReviewRow("", "", "", "", "scan.pdf page 2: no quizgen QR code can be read on this page", "")
SCORE_ROW = ReviewRow("s1", "1", "li-2014/essay", "", "no score box ticked", "")
ONE_OF = {"A": "q3", "B": "q3", "C": "q3"}  # value -> group: one box of the three may be marked
ANY_OF = {"A": "q4.A", "B": "q4.B", "C": "q4.C"}  # multiple select: each box its own group
ROWS = {f"{item}={letter}": f"q5.{item}" for item in (1, 2) for letter in "AB"}  # a row per item
SCORES = {str(points): "q6.s" for points in range(4)}  # the teacher's score boxes, one to tick


def decided(tmp_path, rows):
    path = tmp_path / "review.csv"
    path.write_text(review_csv(rows), encoding="utf-8")
    return read_decisions(path)


@pytest.mark.parametrize(
    ("row", "decision"),
    [(BOX_ROW, "marked"), (BOX_ROW, "empty"), (QUESTION_ROW, "B"), (QUESTION_ROW, "none"), (PAGE_ROW, "skip")],
)
def test_a_decision_the_row_allows_is_taken(tmp_path, row, decision):
    decisions = decided(tmp_path, [row.__class__(**{**row.__dict__, "decision": decision})])
    assert check_decision(row, decisions, ONE_OF) == (decision, None)


@pytest.mark.parametrize(
    ("values", "decision"),
    [(ANY_OF, "A|C"), (ROWS, "1=B|2=A"), (SCORES, "2"), (ONE_OF, "B|B")],
)
def test_a_question_decision_keeping_one_mark_per_group_is_taken(tmp_path, values, decision):
    decisions = decided(tmp_path, [QUESTION_ROW.__class__(**{**QUESTION_ROW.__dict__, "decision": decision})])
    assert check_decision(QUESTION_ROW, decisions, values) == (decision, None)


@pytest.mark.parametrize(
    ("row", "values", "decision", "message"),
    [
        (
            SCORE_ROW,
            SCORES,
            "1|3",
            "decision '1|3' for li-2014/essay (1 and 3 cannot both be marked: give one of them)",
        ),
        (
            QUESTION_ROW,
            ROWS,
            "1=A|1=B|2=A",
            "decision '1=A|1=B|2=A' for ni-2002/treaty (1=A and 1=B cannot both be marked: give one of them)",
        ),
        (
            QUESTION_ROW,
            ONE_OF,
            "A|C",
            "decision 'A|C' for ni-2002/treaty (A and C cannot both be marked: give one of them)",
        ),
    ],
)
def test_a_question_decision_with_two_marks_in_one_group_is_located(tmp_path, row, values, decision, message):
    """Two scores for an essay scored 0, every box of a matching row took its point: refused, not guessed."""
    decisions = decided(tmp_path, [row.__class__(**{**row.__dict__, "decision": decision})])
    taken, issue = check_decision(row, decisions, values)
    assert taken == ""
    assert (issue.path, issue.line, issue.col, issue.message) == (str(tmp_path / "review.csv"), 2, 7, message)


@pytest.mark.parametrize(
    ("row", "decision", "message"),
    [
        (BOX_ROW, "yes", "decision 'yes' for q3.B (expected marked or empty)"),
        (
            QUESTION_ROW,
            "B|E",
            "decision 'B|E' for ni-2002/treaty (expected 'none' or values of this question joined by '|': A, B, C)",
        ),
        (
            PAGE_ROW,
            "ok",
            "decision 'ok' for scan.pdf page 2: no quizgen QR code can be read on this page (expected skip)",
        ),
    ],
)
def test_a_decision_the_row_does_not_allow_is_located(tmp_path, row, decision, message):
    decisions = decided(tmp_path, [row.__class__(**{**row.__dict__, "decision": decision})])
    taken, issue = check_decision(row, decisions, ONE_OF)
    assert taken == ""
    assert (issue.line, issue.col, issue.message) == (2, 7, message)


def test_a_review_file_without_its_columns_is_refused(tmp_path):
    path = tmp_path / "review.csv"
    path.write_text("student,copy,question\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        read_decisions(path)
    assert [str(i).split(": ", 1)[1] for i in caught.value.issues] == [
        "error: review file lacks the column(s) box, reason, crop, decision "
        "(expected student,copy,question,box,reason,crop,decision,evidence)"
    ]
