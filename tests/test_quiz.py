"""Quiz definitions and versions: loading with located errors, seeded orders, the printed layouts."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import CONTENT, VALID

from quizgen.draw.select import Selection
from quizgen.draw.versions import make_versions, version_code
from quizgen.errors import ContentError, QuizgenError
from quizgen.kinds.matching import Matching
from quizgen.kinds.multiple_choice import MultipleChoice
from quizgen.kinds.ordering import Ordering
from quizgen.load.content import require_content
from quizgen.load.quizzes import QuizDefinition, load_quiz_file, quiz_files, slug_of
from quizgen.pipeline import load_quizzes

ARTICLES = ("ni-2002", "jiang-2001", "tsinghua", "li-2014", "yu-1999")
GOOD = """\
quiz: sample-quiz
title: Sample quiz
class: HIST 214
instructions: Answer everything.
draw:
  banks: [sample]
  difficulties: [1, 2, 3]
per_kind:
  multiple_choice: 1
  matching: 1
  ordering: 1
points:
  matching: 5
seed: 7
versions: 3
paper: letter
"""


@pytest.fixture(scope="module")
def content():
    return require_content(VALID)


def sample_quiz(**overrides) -> QuizDefinition:
    """The whole sample bank (one question of every kind) as a quiz."""
    values = {"id": "sample", "title": "Sample quiz", "seed": 7, "class_line": "HIST 214", "versions": 2}
    return QuizDefinition(**(values | overrides))


def write_quiz(folder: Path, text: str, name: str = "quiz.yaml") -> Path:
    (folder / "quizzes").mkdir(exist_ok=True)
    path = folder / "quizzes" / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load_errors(folder: Path, content) -> list[str]:
    with pytest.raises(ContentError) as raised:
        load_quizzes(folder, content)
    return [f"{issue.line}: {issue.message}" for issue in raised.value.issues]


def test_a_good_definition_becomes_a_typed_record(tmp_path, content):
    write_quiz(tmp_path, GOOD)
    [quiz] = load_quizzes(tmp_path, content)
    assert quiz.id == "sample-quiz"
    assert quiz.class_line == "HIST 214"
    assert quiz.selection == Selection(banks=("sample",), difficulties=(1, 2, 3))
    assert quiz.per_kind == (("multiple_choice", 1), ("matching", 1), ("ordering", 1))
    assert quiz.points_for("matching", 3) == 5
    assert quiz.points_for("ordering", 2) == 2
    assert (quiz.seed, quiz.versions, quiz.paper) == (7, 3, "Letter")


def test_a_content_dir_without_quizzes_has_none(tmp_path, content):
    assert load_quizzes(tmp_path, content) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "seed: 7",
            "sead: 7",
            [
                "1: missing required key 'seed' (the seed every order and draw derives from)",
                "14: unknown key 'sead' (did you mean 'seed'?)",
            ],
        ),
        ("paper: letter", "paper: A5", ["16: 'paper' is 'A5' (expected A4 or Letter)"]),
        ("  matching: 1\n", "  matchin: 1\n", ["10: per_kind: unknown key 'matchin' (did you mean 'matching'?)"]),
        (
            "  matching: 5",
            "  matching: 0",
            ["13: points: 'matching' 0 is out of range (expected a whole number of at least 1)"],
        ),
        ("  banks: [sample]", "  banks: sample", ["6: draw: 'banks' is a text (expected a list)"]),
        (
            "  difficulties: [1, 2, 3]",
            "  difficulties: [1, 4]",
            ["7: draw: 'difficulties' 4 is out of range (expected 1, 2 or 3)"],
        ),
        ("per_kind:\n", "count: 3\nper_kind:\n", ["9: give either 'count' or 'per_kind', not both"]),
        ("seed: 7", "seed: -1", ["14: 'seed' -1 is not a whole number of at least 0"]),
        (
            "draw:\n",
            "draw: everything\nold_draw:\n",
            [
                "5: 'draw' is a text (expected a mapping: which questions to draw from)",
                "6: unknown key 'old_draw' (did you mean 'draw'?)",
            ],
        ),
    ],
)
def test_format_errors_name_the_line(tmp_path, content, old, new, expected):
    assert old in GOOD
    write_quiz(tmp_path, GOOD.replace(old, new, 1))
    assert load_errors(tmp_path, content) == expected


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  multiple_choice: 1",
            "  multiple_choice: 2",
            "9: per_kind: 2 multiple_choice question(s) wanted but the selection has 1",
        ),
        ("  banks: [sample]", "  banks: [sampel]", "6: draw: unknown bank 'sampel' (expected one of: sample)"),
        (
            "per_kind:\n  multiple_choice: 1\n  matching: 1\n  ordering: 1\n",
            "count: 10\n",
            "8: count: 10 questions wanted but the selection has 9",
        ),
    ],
)
def test_definitions_are_checked_against_the_content(tmp_path, content, old, new, expected):
    assert old in GOOD
    write_quiz(tmp_path, GOOD.replace(old, new, 1))
    assert load_errors(tmp_path, content) == [expected]


def test_every_file_is_reported_and_ids_are_unique(tmp_path, content):
    write_quiz(tmp_path, GOOD, "a.yaml")
    write_quiz(tmp_path, GOOD, "b.yaml")
    write_quiz(tmp_path, "quiz: [", "c.yaml")
    with pytest.raises(ContentError) as raised:
        load_quizzes(tmp_path, content)
    issues = raised.value.issues
    assert [Path(issue.path).name for issue in issues] == ["b.yaml", "c.yaml"]
    assert "quiz id 'sample-quiz' is also used by" in issues[0].message
    assert issues[1].message.startswith("YAML syntax error")


def test_versions_are_reproducible_from_the_seed(content):
    first = make_versions(sample_quiz(), content)
    again = make_versions(sample_quiz(), content)
    assert first == again
    assert make_versions(sample_quiz(seed=8), content) != first


def test_versions_share_questions_but_differ_in_order(content):
    one, two = make_versions(sample_quiz(), content)
    assert sorted(q.question.uid for q in one.questions) == sorted(q.question.uid for q in two.questions)
    assert [q.question.uid for q in one.questions] != [q.question.uid for q in two.questions]
    options = {v.number: [c.text for q in v.questions for c in q.choices] for v in (one, two)}
    assert options[1] != options[2]
    assert (one.code, two.code, version_code(27)) == ("A", "B", "AA")


def test_numbering_runs_across_sections_in_kind_order(content):
    [version] = make_versions(sample_quiz(versions=1), content)
    assert [q.number for q in version.questions] == list(range(1, 10))
    assert [s.kind for s in version.sections] == [q.kind for q in content.questions]  # the order of KINDS
    assert version.points == sum(q.points for q in content.questions)


def test_answers_follow_each_versions_lettering(content):
    for version in make_versions(sample_quiz(versions=5), content):
        for item in version.questions:
            if isinstance(item.question, MultipleChoice):
                [right] = [c for c in item.choices if c.correct]
                assert (item.answer, right.text) == (right.letter, item.question.answer)
            if isinstance(item.question, Matching):
                right_of = {c.letter: c.text for c in item.choices}
                pairs = {(row.text, right_of[row.letter]) for row in item.rows}
                assert pairs == {(p.left, p.right) for p in item.question.pairs}
                assert [c.text for c in item.choices] != [r.text for r in item.rows]
            if isinstance(item.question, Ordering):
                ordered = sorted(item.slots, key=lambda slot: slot.position)
                assert [slot.text for slot in ordered] == [event.text for event in item.question.items]
                assert [slot.position for slot in item.slots] != [1, 2, 3]  # never printed already in order


def test_parallel_draws_give_each_version_its_own_questions(content):
    versions = make_versions(sample_quiz(count=4, parallel=True, versions=4), content)
    drawn = {frozenset(q.question.uid for q in v.questions) for v in versions}
    assert all(len(v.questions) == 4 for v in versions)
    assert len(drawn) > 1


def test_points_can_be_set_per_kind(content):
    [version] = make_versions(sample_quiz(versions=1, points=(("essay", 10),)), content)
    [essay] = [q for q in version.questions if q.kind == "essay"]
    assert essay.points == 10
    assert essay.lines == 20  # the space to write grows with the points


def test_an_adhoc_selection_that_names_nothing_is_an_error(content):
    with pytest.raises(QuizgenError, match="unknown tag 'treety'"):
        make_versions(sample_quiz(selection=Selection(tags=("treety",))), content)


def test_slug_of_titles():
    assert (slug_of("Unit Test 1!"), slug_of("¿?")) == ("unit-test-1", "quiz")


def test_the_shipped_quiz_definitions_are_well_formed():
    """The format only: whether the real banks can supply them is `quizgen build`'s check."""
    files = quiz_files(CONTENT)
    loaded = [load_quiz_file(path) for path in files]
    assert [issue for result in loaded for issue in result.report.issues] == []
    quizzes = [result.definition for result in loaded]
    assert {quiz.id for quiz in quizzes} >= {f"{a}-reading" for a in ARTICLES} | {"unit-test"}
    for quiz in quizzes:
        total = sum(count for _, count in quiz.per_kind)
        assert 20 <= total <= 30 and len(quiz.per_kind) >= 5 and quiz.versions == 2, quiz.id


LEAKY_BANK = """\
bank: other
title: Other Bank
article: ni-2002
questions:
  - id: treaty-city
    kind: short_answer
    prompt: In which city was the July 2001 treaty signed?
    answer: Moscow
    source: "In July 2001, Chinese President Jiang Zemin and his Russian counterpart Vladimir Putin signed in Moscow a landmark treaty"
    tags: [treaty]
  - id: trade-record-year
    kind: short_answer
    prompt: In which year did bilateral trade hit its record high, according to Ni?
    answer: "2001"
    source: "In 2001 bilateral trade between China and Russia hit a record high of US$ 10.7 billion"
    tags: [trade]
  - id: premier-at-shanghai
    kind: short_answer
    prompt: Who was the Chinese Premier at the seventh regular meeting of the prime ministers?
    answer: Zhu Rongji
    source: "In August 2002, Chinese Premier Zhu Rongji and his Russian counterpart, Mikhail Kasyanov, held their seventh regular meeting in Shanghai."
    tags: [person]
"""


@pytest.fixture
def two_banks(content_with):
    from conftest import SOURCES

    content_dir = content_with(VALID / "banks" / "sample.yaml")
    (content_dir / "banks" / "other.yaml").write_text(LEAKY_BANK, encoding="utf-8")
    return require_content(content_dir, SOURCES)


def test_a_quiz_across_banks_never_pairs_a_question_with_one_that_gives_it_away(two_banks):
    # treaty-city prints "July 2001", the answer of the sample bank's treaty-signed.
    for seed in range(12):
        quiz = sample_quiz(
            seed=seed,
            selection=Selection(banks=("sample", "other")),
            per_kind=(("multiple_choice", 1), ("short_answer", 3)),
        )
        for version in make_versions(quiz, two_banks):
            ids = {printed.question.id for printed in version.questions}
            assert "treaty-signed" in ids
            assert "treaty-city" not in ids
            assert len(ids) == 4


def test_a_draw_that_cannot_avoid_a_give_away_is_an_error(two_banks):
    quiz = sample_quiz(
        selection=Selection(banks=("sample", "other")), per_kind=(("multiple_choice", 1), ("short_answer", 4))
    )
    with pytest.raises(QuizgenError, match="cannot draw 4 short_answer question"):
        make_versions(quiz, two_banks)
