"""Item-writing flaw warnings: each check on its fixture bank, with its exact message and location."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import DATA, SOURCES, VALID

from quizgen.check.items import (
    chi_square_survival,
    implies,
    letter_balance_warnings,
    nearly_same,
    read_bound,
    stem,
    words,
)
from quizgen.cli import main
from quizgen.draw.versions import make_versions
from quizgen.load.content import load_content, require_content
from quizgen.load.quizzes import load_quiz_file

ITEMS = DATA / "items"

EXPECTED = {
    ("overlapping-options",): [
        (
            10,
            19,
            "question 'common-enemy': option 'more than a decade' is implied by the answer "
            "'more than half a century' (options must be mutually exclusive)",
        ),
        (
            16,
            13,
            "question 'treaty-city': the answer 'Moscow' is contained in option 'Moscow and Beijing' "
            "(options must not overlap: reword one so each is right or wrong on its own)",
        ),
    ],
    ("clang-cue",): [
        (
            9,
            13,
            "question 'rome-body': the answer 'NATO-Russia Council' shares 'NATO' with the prompt and no wrong "
            "option does (a clang cue: reword the answer, or give a distractor the word too)",
        ),
        (
            19,
            9,
            "question 'new-directions': every right answer has the word 'consultation' and no wrong option does "
            "(reword the answers, or give a distractor the word too)",
        ),
    ],
    ("longest-key",): [
        (
            9,
            13,
            "question 'sco-agency': the answer is 42 characters long, the longest distractor 24 "
            "(the longest option stands out as the key: shorten it or lengthen the distractors)",
        ),
    ],
    ("all-of-the-above",): [
        (
            10,
            41,
            "question 'treaty-date': option 'None of the above.' refers to the other options (they are shuffled "
            "in every version, and such an option is a weak one: write an option that stands on its own)",
        ),
        (
            17,
            37,
            "question 'three-evil-forces': option 'both A and B' refers to the other options (they are shuffled "
            "in every version, and such an option is a weak one: write an option that stands on its own)",
        ),
    ],
    ("same-stem-first", "same-stem-second"): [
        (
            8,
            13,
            "question 'treaty-signed': the prompt (nearly) repeats that of 'first/treaty-date', whose answer "
            "differs (make the stems ask different things, or the answers agree)",
        ),
    ],
}


@pytest.mark.parametrize("files", sorted(EXPECTED), ids="+".join)
def test_each_check_warns_with_its_exact_message_and_location(files, content_with):
    validation = load_content(content_with(*(ITEMS / f"{name}.yaml" for name in files)), SOURCES)
    assert [(i.line, i.col, i.severity, i.message) for i in validation.issues] == [
        (line, col, "warning", message) for line, col, message in EXPECTED[files]
    ]
    assert all(issue.path.endswith(f"banks/{files[-1]}.yaml") for issue in validation.issues)


def test_every_fixture_has_an_expectation():
    assert {p.stem for p in ITEMS.glob("*.yaml")} == {name for files in EXPECTED for name in files}


def test_strict_makes_item_warnings_errors(content_with, capsys):
    args = ["validate", "--content", str(content_with(ITEMS / "longest-key.yaml")), "--sources", str(SOURCES)]
    assert main(args) == 0
    assert main(args + ["--strict"]) == 1
    assert "error: question 'sco-agency': the answer is 42 characters long" in capsys.readouterr().out


def test_the_sample_bank_has_no_item_flaws():
    assert load_content(VALID, SOURCES).issues == []


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("more than half a century", "more than a decade", True),
        ("more than a decade", "more than half a century", False),
        ("over 10 billion US$", "at least 5 billion US$", True),
        ("over 10 billion US$", "over 5 billion yuan", False),  # another unit: not comparable
        ("less than 4%", "under 8 percent", True),
        ("less than 4%", "more than 1%", False),  # opposite bounds overlap but neither implies the other
        ("fewer than twenty years", "less than three decades", True),
    ],
)
def test_ranges_imply_one_another_only_on_the_same_bound_and_unit(first, second, expected):
    assert implies(read_bound(first), read_bound(second)) is expected


@pytest.mark.parametrize("text", ["under a treaty with Moscow", "more than ever", "over 10 and under 20 years", "1996"])
def test_texts_that_state_no_simple_range_are_not_read(text):
    assert read_bound(text) is None


def test_the_crude_stemmer_joins_plurals_and_verb_forms():
    assert {stem(w) for w in ("consultations", "consultation")} == {"consultation"}
    assert stem("signed") == stem("signing") == "sign"
    assert stem("class") == "class"


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (
            "In which month and year did Jiang Zemin and Vladimir Putin sign the landmark treaty?",
            "In which month and year did Jiang Zemin and Vladimir Putin sign the landmark treaty in Moscow?",
            True,
        ),
        # Too short for two added words to stay within the ratio (7 and 9 words: 0.875).
        ("In which year was the treaty signed?", "In which year was the treaty signed in Moscow?", False),
        (
            "Which countries did the US call the axis of evil?",
            "Which countries, did the US call the axis of evil",
            True,
        ),
        # One content word swapped asks another question, however close the ratio (0.94 here).
        (
            "In which city did the heads of state of the SCO member states sign the SCO Charter?",
            "In which month did the heads of state of the SCO member states sign the SCO Charter?",
            False,
        ),
        ("On what date was the embassy bombed?", "Why was the embassy bombed?", False),
    ],
)
def test_nearly_the_same_stem(first, second, expected):
    assert nearly_same(words(first), words(second)) is expected


@pytest.mark.parametrize(("x", "df"), [(6.635, 1), (9.210, 2), (11.345, 3), (13.277, 4), (15.086, 5)])
def test_chi_square_survival_matches_the_tables_at_one_percent(x, df):
    assert chi_square_survival(x, df) == pytest.approx(0.01, abs=5e-5)


QUIZ = """\
quiz: many-versions
title: Many versions
draw:
  banks: [sample]
per_kind:
  multiple_choice: 1
seed: 7
versions: 40
"""


@pytest.fixture
def quiz_and_versions(tmp_path):
    path = tmp_path / "quiz.yaml"
    path.write_text(QUIZ, encoding="utf-8")
    quiz = load_quiz_file(path).definition
    return quiz, make_versions(quiz, require_content(VALID))


def test_shuffled_versions_spread_their_keys_evenly_enough(quiz_and_versions):
    quiz, versions = quiz_and_versions
    assert letter_balance_warnings(quiz, versions) == []


def test_keys_all_on_one_letter_are_reported_on_the_quiz_seed(quiz_and_versions):
    quiz, versions = quiz_and_versions
    # The same versions with every key moved to A: what a broken shuffle would print.
    biased = [_all_on_a(v) for v in versions]
    [issue] = letter_balance_warnings(quiz, biased)
    assert (issue.path, issue.line, issue.col, issue.severity) == (quiz.path, 7, 7, "warning")
    assert issue.message == (
        "quiz 'many-versions': the multiple choice keys of its 40 version(s) fall unevenly on the letters "
        "(A 40, B 0, C 0, D 0 of 40; chi-square p = 0.0000): change the seed so students cannot guess by letter"
    )


def test_too_few_keys_are_not_judged(quiz_and_versions):
    quiz, versions = quiz_and_versions
    assert letter_balance_warnings(quiz, [_all_on_a(v) for v in versions[:19]]) == []


def _all_on_a(version):
    return replace(
        version,
        sections=tuple(replace(s, questions=tuple(_key_on_a(q) for q in s.questions)) for s in version.sections),
    )


def _key_on_a(printed):
    if printed.kind != "multiple_choice":
        return printed
    right = next(c for c in printed.choices if c.correct)
    choices = (replace(right, letter="A"),) + tuple(
        replace(c, letter="BCDEFG"[i]) for i, c in enumerate(c for c in printed.choices if not c.correct)
    )
    return replace(printed, choices=choices, answer="A")
