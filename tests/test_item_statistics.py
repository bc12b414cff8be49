"""content/item-statistics.yaml: recording sittings, reading them back, located errors, and what stats and validate say."""

from __future__ import annotations

import shutil

import pytest
from class_sim import Choice, simulate, two_pl, write_class
from conftest import SOURCES, VALID

from quizgen.cli import main
from quizgen.errors import ContentError
from quizgen.paper.analysis import analyze
from quizgen.paper.item_statistics import (
    Observation,
    dump_statistics,
    load_statistics,
    observed,
    record,
    with_sitting,
)
from quizgen.paper.results import read_sitting

QUESTIONS = ["sample/treaty-signed", "sample/three-pillars", "sample/meeting-places"]


def sitting(tmp_path, seed: int, name: str = "class"):
    sim = simulate([Choice(q, "A", two_pl(1.5, b)) for q, b in zip(QUESTIONS, (-1, 0, 1), strict=True)], 40, seed)
    write_class(sim, tmp_path / name / "sheets", tmp_path / name / "grade", quiz=f"quiz-{seed}")
    return analyze(read_sitting(tmp_path / name / "sheets", tmp_path / name / "grade"))


def test_the_file_round_trips(tmp_path):
    statistics = with_sitting({}, sitting(tmp_path, 1))
    (tmp_path / "item-statistics.yaml").write_text(dump_statistics(statistics), encoding="utf-8")
    assert load_statistics(tmp_path) == statistics
    assert set(statistics) == set(QUESTIONS)


def test_recording_the_same_sitting_twice_counts_it_once(tmp_path):
    analysis = sitting(tmp_path, 1)
    record(tmp_path, analysis)
    once = (tmp_path / "item-statistics.yaml").read_text(encoding="utf-8")
    record(tmp_path, analysis)
    assert (tmp_path / "item-statistics.yaml").read_text(encoding="utf-8") == once
    assert observed(load_statistics(tmp_path))["sample/treaty-signed"].students == 40


def test_two_sittings_accumulate_weighted_by_their_students(tmp_path):
    first, second = sitting(tmp_path, 1, "a"), sitting(tmp_path, 2, "b")
    record(tmp_path, first)
    record(tmp_path, second)
    seen = observed(load_statistics(tmp_path))["sample/treaty-signed"]
    shares = [round(a.items[0].difficulty, 4) for a in (first, second)]
    assert (seen.sittings, seen.students) == (2, 80)
    assert seen.difficulty == pytest.approx(sum(shares) / 2)


GOOD = "sample/treaty-signed:\n  quiz-1-0123456789ab:\n    students: 40\n    difficulty: 0.5\n    discrimination: 0.3\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            GOOD.replace("difficulty: 0.5", "difficulty: 1.5"),
            "item-statistics.yaml:4:17: error: item statistics: 'sample/treaty-signed' sitting 'quiz-1-0123456789ab': "
            "'difficulty' 1.5 is out of range (expected the share right, 0 to 1)",
        ),
        (
            GOOD.replace("students: 40", "student: 40"),
            "item-statistics.yaml:3:5: error: item statistics: 'sample/treaty-signed' sitting 'quiz-1-0123456789ab': "
            "missing required key 'students' (the students of the sitting)\n"
            "item-statistics.yaml:3:5: error: item statistics: 'sample/treaty-signed' sitting 'quiz-1-0123456789ab': "
            "unknown key 'student' (did you mean 'students'?)",
        ),
        (
            GOOD.replace("sample/treaty-signed", "treaty-signed"),
            "item-statistics.yaml:1:1: error: item statistics: 'treaty-signed' is not a question's bank/id "
            "(e.g. ni-2002/treaty-signed)",
        ),
        (
            GOOD.replace("students: 40", "students: many"),
            "item-statistics.yaml:3:15: error: item statistics: 'sample/treaty-signed' sitting 'quiz-1-0123456789ab': "
            "'students' 'many' is not a whole number (expected a whole number of at least 1)",
        ),
        (
            "- 1\n",
            "item-statistics.yaml:1:1: error: item statistics: the file is a list (expected a mapping of bank/id to sittings)",
        ),
    ],
)
def test_a_malformed_statistics_file_gives_located_errors(tmp_path, monkeypatch, text, expected):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "item-statistics.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_statistics(tmp_path)
    assert "\n".join(str(issue) for issue in caught.value.issues) == expected


def content_with_statistics(tmp_path, figures: dict[str, Observation]):
    content = tmp_path / "content"
    shutil.copytree(VALID, content)
    statistics = {uid: {"quiz-1-0123456789ab": observation} for uid, observation in figures.items()}
    (content / "item-statistics.yaml").write_text(dump_statistics(statistics), encoding="utf-8")
    return content


def run(capsys, *args):
    status = main([*args, "--sources", str(SOURCES)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_validate_warns_at_the_difficulty_line_where_classes_disagree_strongly(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    content_with_statistics(
        tmp_path,
        {
            "sample/treaty-signed": Observation(64, 0.25),  # declared 1, reads as 3: warned
            "sample/meeting-places": Observation(64, 0.5),  # declared 3, reads as 2: one step, no warning
            "sample/first-leader": Observation(29, 0.1),  # declared 1, reads as 3, but under 30 students
        },
    )
    status, out, _ = run(capsys, "validate", "--content", "content")
    assert status == 0
    assert out.splitlines()[0] == (
        "content/banks/sample.yaml:14:17: warning: question 'treaty-signed': declared difficulty 1, but 25% of 64 "
        "students got it right over 1 sitting (reads as 3; see item-statistics.yaml and docs/grading.md)"
    )
    assert out.splitlines()[-1].endswith("0 errors, 1 warning in 1 file")


def test_validate_reports_a_broken_statistics_file_as_an_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    content = content_with_statistics(tmp_path, {})
    (content / "item-statistics.yaml").write_text(GOOD.replace("students: 40", "students: 0"), encoding="utf-8")
    status, out, _ = run(capsys, "validate", "--content", "content")
    assert status == 1
    assert out.splitlines()[0] == (
        "content/item-statistics.yaml:3:15: error: item statistics: 'sample/treaty-signed' sitting "
        "'quiz-1-0123456789ab': 'students' 0 is out of range (expected a whole number of at least 1)"
    )


def test_stats_shows_observed_difficulty_beside_the_declared(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    content_with_statistics(
        tmp_path, {"sample/treaty-signed": Observation(64, 0.25), "sample/three-pillars": Observation(12, 0.8)}
    )
    status, out, _ = run(capsys, "stats", "--content", "content")
    assert status == 0
    assert out.rstrip("\n").split("\n\n")[-1] + "\n" == (
        "Observed difficulty (content/item-statistics.yaml; ! = two levels apart on 30+ students)\n"
        "question              declared  right  reads as  students  sittings\n"
        "--------------------  --------  -----  --------  --------  --------\n"
        "sample/treaty-signed         1    25%        3!        64         1\n"
        "sample/three-pillars         2    80%         1        12         1\n"
    )
