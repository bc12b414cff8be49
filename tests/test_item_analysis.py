"""Item analysis on simulated classes with known properties, checked against scipy and independent formulas."""

from __future__ import annotations

import numpy as np
import pytest
from class_sim import Choice, Scored, everyone, graded, simulate, two_pl, write_class
from scipy import stats as scipy_stats

from quizgen.errors import ContentError
from quizgen.paper.analysis import (
    EVERYONE_RIGHT,
    KEY_MAY_BE_WRONG,
    NEGATIVE_DISCRIMINATION,
    NOBODY_RIGHT,
    UNCHOSEN_DISTRACTOR,
    analyze,
    ordered,
    suspect_distractor,
    top_third,
)
from quizgen.paper.results import read_sitting

STUDENTS = 300
# (question, a, b): ordinary 2PL questions, easiest first.
ORDINARY = [
    ("ni-2002/q1", 1.5, -1.5),
    ("ni-2002/q2", 1.2, -0.8),
    ("ni-2002/q3", 1.8, -0.2),
    ("ni-2002/q4", 1.0, 0.3),
    ("ni-2002/q5", 1.6, 0.9),
    ("ni-2002/q6", 1.3, 1.5),
]
# Built to trigger one flag each (the miskeyed one also discriminates negatively: the key is
# marked by the weaker students who missed the real answer, B).
BUILT = {
    "li-2014/miskeyed": (
        Choice("li-2014/miskeyed", "A", two_pl(1.8, 0.0, key="B", wrong="ACD")),
        (KEY_MAY_BE_WRONG, NEGATIVE_DISCRIMINATION),
    ),
    "li-2014/reversed": (Choice("li-2014/reversed", "A", two_pl(-1.0, 1.5)), (NEGATIVE_DISCRIMINATION,)),
    "yu-1999/no-d": (Choice("yu-1999/no-d", "A", two_pl(1.4, 0.0, wrong="BC")), (UNCHOSEN_DISTRACTOR,)),
    "yu-1999/all-right": (Choice("yu-1999/all-right", "C", everyone("C")), (EVERYONE_RIGHT,)),
}


def ordinary() -> list[Choice]:
    return [Choice(question, "A", two_pl(a, b)) for question, a, b in ORDINARY]


def dichotomous_class(tmp_path, **options):
    sim = simulate(ordinary() + [question for question, _ in BUILT.values()], STUDENTS, seed=11)
    write_class(sim, tmp_path / "sheets", tmp_path / "grade", **options)
    return sim, analyze(read_sitting(tmp_path / "sheets", tmp_path / "grade"))


def by_question(analysis):
    return {item.question: item for item in analysis.items}


def test_each_flag_fires_on_exactly_the_questions_built_to_raise_it(tmp_path):
    _, analysis = dichotomous_class(tmp_path)
    flags = {item.question: item.flags for item in analysis.items}
    expected = {question: () for question, _, _ in ORDINARY} | {q: fl for q, (_, fl) in BUILT.items()}
    assert flags == expected


def test_the_suspect_distractor_is_the_real_answer_and_is_listed_first(tmp_path):
    _, analysis = dichotomous_class(tmp_path)
    miskeyed = by_question(analysis)["li-2014/miskeyed"]
    assert suspect_distractor(miskeyed).option == "B"
    assert [item.question for item in ordered(analysis.items)][:1] == ["li-2014/miskeyed"]
    assert suspect_distractor(by_question(analysis)["ni-2002/q1"]) is None


def test_discrimination_is_scipys_point_biserial_against_the_rest_of_the_test(tmp_path):
    sim, analysis = dichotomous_class(tmp_path)
    totals = sim.scores.sum(axis=1)
    for column, item in enumerate(analysis.items):
        scores = sim.scores[:, column]
        if item.question == "yu-1999/all-right":
            assert item.discrimination is None  # no variance: r is undefined, not 0
            continue
        expected = scipy_stats.pointbiserialr(scores.astype(bool), totals - scores).statistic
        assert item.discrimination == pytest.approx(expected, abs=1e-12)


def test_difficulty_is_the_share_right_and_follows_the_models_difficulties(tmp_path):
    sim, analysis = dichotomous_class(tmp_path)
    shares = [item.difficulty for item in analysis.items]
    assert shares == pytest.approx(list(sim.scores.mean(axis=0)), abs=1e-12)
    ordinary_shares = shares[: len(ORDINARY)]
    assert scipy_stats.spearmanr([b for _, _, b in ORDINARY], ordinary_shares).statistic == pytest.approx(-1.0)
    assert all(item.discrimination > 0.2 for item in analysis.items[: len(ORDINARY)])


def test_reliability_of_right_or_wrong_questions_is_kr20(tmp_path):
    sim, analysis = dichotomous_class(tmp_path)
    k = sim.scores.shape[1]
    p = sim.scores.mean(axis=0)
    kr20 = k / (k - 1) * (1 - np.sum(p * (1 - p)) / np.var(sim.scores.sum(axis=1)))
    assert analysis.reliability_name == "kr20"
    assert analysis.reliability == pytest.approx(kr20, abs=1e-12)


def test_option_counts_are_the_marks_of_the_whole_class_and_of_its_top_third(tmp_path):
    sim, analysis = dichotomous_class(tmp_path)
    top = top_third(sim.scores.sum(axis=1))
    marked = sim.marked["yu-1999/no-d"]
    counts = {o.option: (o.right, o.chosen, o.chosen_top) for o in by_question(analysis)["yu-1999/no-d"].options}
    assert counts == {
        letter: (letter == "A", int(np.sum(marked == letter)), int(np.sum(marked[top] == letter))) for letter in "ABCD"
    }
    assert counts["D"][1] == 0
    assert analysis.top_group == int(top.sum())


def test_partial_credit_uses_mean_over_points_and_cronbachs_alpha(tmp_path):
    questions = ordinary() + [
        Scored("perspectives/essay", graded(0.0, 3), 3),
        Choice("yu-1999/nobody", "D", two_pl(1.0, 0.0, key="A", wrong="BC")),
    ]
    sim = simulate(questions, STUDENTS, seed=5)
    write_class(sim, tmp_path / "sheets", tmp_path / "grade")
    analysis = analyze(read_sitting(tmp_path / "sheets", tmp_path / "grade"))
    items = by_question(analysis)
    essay = sim.scores[:, len(ORDINARY)]
    totals = sim.scores.sum(axis=1)
    assert items["perspectives/essay"].difficulty == pytest.approx(essay.mean() / 3, abs=1e-12)
    assert not items["perspectives/essay"].dichotomous
    expected_r = scipy_stats.pearsonr(essay, totals - essay).statistic
    assert items["perspectives/essay"].discrimination == pytest.approx(expected_r, abs=1e-12)
    # Alpha from sample variances (ddof=1): an independent route to the same figure.
    k = sim.scores.shape[1]
    alpha = k / (k - 1) * (1 - sim.scores.var(axis=0, ddof=1).sum() / totals.var(ddof=1))
    assert analysis.reliability_name == "alpha"
    assert analysis.reliability == pytest.approx(alpha, abs=1e-12)
    # Nobody marked the key, and the top third marked a distractor more: both are said.
    assert items["yu-1999/nobody"].flags == (KEY_MAY_BE_WRONG, NOBODY_RIGHT)
    assert items["perspectives/essay"].flags == ()


def test_shuffled_options_are_counted_by_the_bank_option_each_box_names(tmp_path):
    _, plain = dichotomous_class(tmp_path / "plain")
    _, shuffled = dichotomous_class(tmp_path / "shuffled", shuffle=True)
    assert shuffled.items == plain.items


def test_shuffled_options_without_a_name_are_not_compared_and_it_is_said(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sim = simulate(ordinary(), 30, seed=3)
    write_class(sim, tmp_path / "sheets", tmp_path / "grade", shuffle=True, option_field=False)
    sitting = read_sitting(tmp_path / "sheets", tmp_path / "grade")
    assert sitting.options == {}
    assert [str(w) for w in sitting.warnings][:1] == [
        "sheets/key.csv:2:1: warning: question 'ni-2002/q1': its right answer is printed as A, B, C, D "
        "on different copies and layout.json does not say which option each box is ('option'), so its options are not compared"
    ]


def test_the_top_third_is_as_near_a_third_as_ties_allow_and_never_splits_a_tie():
    assert list(top_third(np.array([5, 5, 5, 4, 3, 2]))) == [True, True, True, False, False, False]
    assert list(top_third(np.array([1, 2, 3]))) == [False, False, True]
    # A third is 3: the 7s tie four ways, so the group is the 9 and the 8 (2 is nearer 3 than 6 is).
    assert list(top_third(np.array([9, 8, 7, 7, 7, 7, 1, 1, 1]))) == [True, True] + [False] * 7


def test_recording_the_same_class_set_gives_the_same_sitting_id(tmp_path):
    sim = simulate(ordinary(), 30, seed=3)
    write_class(sim, tmp_path / "sheets", tmp_path / "grade")
    first = read_sitting(tmp_path / "sheets", tmp_path / "grade").id
    assert first == read_sitting(tmp_path / "sheets", tmp_path / "grade").id
    assert first.startswith("midterm-") and len(first) == len("midterm-") + 12


@pytest.mark.parametrize(
    ("file", "edit", "expected"),
    [
        (
            "grade/scores.csv",
            lambda text: text.replace("s001,Student 1,1,", "s001,Student 1,1,x", 1),
            "grade/scores.csv:2:18: error: score 'x1' for 'ni-2002/q1' is not a number",
        ),
        (
            "grade/scores.csv",
            lambda text: text.replace("s002,Student 2,2,0", "s002,Student 2,2,7", 1).replace(
                "s002,Student 2,2,1", "s002,Student 2,2,7", 1
            ),
            "grade/scores.csv:3:18: error: score 7 for 'ni-2002/q1' is outside 0..1 (its points in key.csv)",
        ),
        (
            "grade/responses.csv",
            lambda text: (
                text.replace("s001,1,ni-2002/q1,", "s001,1,ni-2002/q1,E", 1)
                .replace(",EA,", ",E,")
                .replace(",EB,", ",E,")
                .replace(",EC,", ",E,")
                .replace(",ED,", ",E,")
            ),
            "grade/responses.csv:2:19: error: copy 1, question 'ni-2002/q1': marked 'E' is not a box of layout.json",
        ),
        (
            "grade/responses.csv",
            lambda text: text.replace("student,copy,question,marked,status", "student,copy,question,marked", 1),
            "grade/responses.csv:1:1: error: missing column(s) status (expected student,copy,question,marked,status first)",
        ),
        (
            "sheets/layout.json",
            lambda text: text[:-1],
            "sheets/layout.json:1:{end}: error: not JSON: Expecting ',' delimiter",
        ),
        (
            "sheets/layout.json",
            lambda text: "[" * 100_000 + "]" * 100_000,
            "sheets/layout.json:1:1: error: not JSON: nested too deeply",
        ),
    ],
)
def test_a_malformed_result_file_is_refused_with_its_place(tmp_path, monkeypatch, file, edit, expected):
    sim = simulate(ordinary(), 30, seed=3)
    write_class(sim, tmp_path / "sheets", tmp_path / "grade")
    path = tmp_path / file
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ContentError) as caught:
        read_sitting(tmp_path / "sheets", tmp_path / "grade")
    end = len(path.read_text(encoding="utf-8")) + 1
    assert [str(issue) for issue in caught.value.issues] == [expected.format(end=end)]


@pytest.mark.parametrize("file", ["grade/responses.csv", "grade/scores.csv", "sheets/key.csv"])
def test_a_missing_result_file_is_said_once_with_its_place(tmp_path, monkeypatch, file):
    """It read 'cannot read the file: <path>: cannot read this file: No such file or directory'."""
    sim = simulate(ordinary(), 5, seed=3)
    write_class(sim, tmp_path / "sheets", tmp_path / "grade")
    (tmp_path / file).unlink()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ContentError) as caught:
        read_sitting(tmp_path / "sheets", tmp_path / "grade")
    assert [str(issue) for issue in caught.value.issues] == [f"{file}:1:1: error: file not found"]


def test_a_result_file_that_is_not_a_regular_file_is_refused_with_its_place(tmp_path, monkeypatch):
    import os

    sim = simulate(ordinary(), 5, seed=3)
    write_class(sim, tmp_path / "sheets", tmp_path / "grade")
    (tmp_path / "grade/scores.csv").unlink()
    os.mkfifo(tmp_path / "grade/scores.csv")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ContentError) as caught:
        read_sitting(tmp_path / "sheets", tmp_path / "grade")
    assert [str(issue) for issue in caught.value.issues] == [
        "grade/scores.csv:1:1: error: refused: this file is not a regular file"
    ]


def test_a_sitting_with_no_scanned_copy_is_refused_not_recorded_as_difficulty_0(tmp_path, monkeypatch):
    """Every copy 'not scanned' (the scans of another set, say): analyze wrote and --record stored difficulty 0.0
    for every question, from zero students."""
    sim = simulate(ordinary(), 3, seed=3)
    write_class(sim, tmp_path / "sheets", tmp_path / "grade")
    scores = tmp_path / "grade" / "scores.csv"
    lines = scores.read_text(encoding="utf-8").splitlines()
    rows = [lines[0] + ",provisional", *(line + ",not scanned" for line in lines[1:])]
    scores.write_text("\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ContentError) as caught:
        read_sitting(tmp_path / "sheets", tmp_path / "grade")
    assert [str(issue) for issue in caught.value.issues] == [
        "grade/scores.csv:1:1: error: no student to analyze: scores.csv has no copy that was scanned",
        *(
            f"grade/scores.csv:{n + 1}:1: warning: copy {n} was not scanned: left out of the analysis"
            for n in (1, 2, 3)
        ),
    ]
