"""`quizgen export` and the exports of `quizgen build`: one file per format, every conversion said."""

from __future__ import annotations

import pytest
from conftest import SOURCES, VALID

from quizgen.cli import main
from quizgen.export import FORMATS
from quizgen.pipeline import Source, lms_path, load, render_exports
from quizgen.render.catalogue import english

SAMPLE = ["--content", str(VALID), "--sources", str(SOURCES)]
STEM = "sino-russian-relations"  # the sample's deck file, sino-russian-relations.apkg, less its suffix


def test_export_writes_the_file_and_prints_each_warning_and_the_counts(tmp_path, capsys):
    out = tmp_path / "course.gift.txt"
    status = main(["export", "--format", "gift", "-o", str(out), *SAMPLE])
    stdout, stderr = capsys.readouterr()
    exported = FORMATS["gift"].export(
        load(Source(VALID, SOURCES)).content.questions, load(Source(VALID, SOURCES)).content
    )
    assert status == 0
    assert out.read_bytes() == exported.data
    assert stderr.splitlines() == [str(warning) for warning in exported.warnings]
    assert stderr.count("warning: question 'sample/") == len(exported.converted) + len(exported.left_out) > 0
    counts = (
        f"{len(exported.exported)} exported, {len(exported.converted)} converted, {len(exported.left_out)} left out"
    )
    assert stdout == f"wrote {out}: {counts}\n"


def test_export_takes_the_selection_flags_of_deck_and_practice(tmp_path, capsys):
    out = tmp_path / "mc.moodle.xml"
    status = main(["export", "--format", "moodle", "-o", str(out), "--kind", "multiple_choice", *SAMPLE])
    stdout = capsys.readouterr().out
    assert status == 0
    assert stdout == f"wrote {out}: 1 exported, 0 converted, 0 left out\n"
    assert out.read_bytes().count(b'<question type="multichoice">') == 1


def test_strict_export_stops_at_a_conversion_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "course.gift.txt"
    status = main(["export", "--format", "gift", "-o", str(out), "--strict", *SAMPLE])
    stderr = capsys.readouterr().err
    assert status == 1
    assert not out.exists()
    assert "error: question 'sample/sco-cloze': GIFT: left out: 2 blanks" in stderr
    assert stderr.rstrip().endswith("; nothing written")


def test_an_unknown_format_is_a_usage_error_naming_the_formats(tmp_path, capsys):
    status = main(["export", "--format", "scorm", "-o", str(tmp_path / "x"), *SAMPLE])
    assert status == 2
    assert "'scorm' is not one of " + ", ".join(f"'{name}'" for name in FORMATS) in capsys.readouterr().err


def test_build_renders_one_file_per_format_under_lms_named_after_the_deck_file():
    content = load(Source(VALID, SOURCES)).content
    outputs, warnings = render_exports(content, content.questions, english())
    assert [path for path, _ in outputs] == [f"lms/{STEM}{declared.suffix}" for declared in FORMATS.values()]
    assert lms_path(content, ".moodle.xml") == f"lms/{STEM}.moodle.xml"
    with_warnings = [d for d in FORMATS.values() if d.export(content.questions, content).warnings]
    assert [(w.path, w.line) for w in warnings] == [
        (e.warnings[0].path, e.warnings[0].line) for e in (d.export(content.questions, content) for d in with_warnings)
    ]


@pytest.mark.pdf
def test_build_writes_the_exports_and_says_what_they_converted(tmp_path, capsys):
    status = main(["build", *SAMPLE, "-o", str(tmp_path), "-j", "1"])
    stderr = capsys.readouterr().err
    assert status == 0
    assert sorted(p.name for p in (tmp_path / "lms").iterdir()) == sorted(f"{STEM}{d.suffix}" for d in FORMATS.values())
    # One line per format that converted or left out questions, at the first of them; `export` names each.
    content = load(Source(VALID, SOURCES)).content
    for declared in FORMATS.values():
        exported = declared.export(content.questions, content)
        if not exported.warnings:
            continue
        first = exported.warnings[0]
        summary = (
            f"{first.path}:{first.line}:{first.col}: warning: {declared.title}: {len(exported.converted)} question(s)"
            f" converted to the nearest form and {len(exported.left_out)} left out, this one first"
        )
        assert stderr.count(summary) == 1, (summary, stderr)
    assert "warning: question 'sample/" not in stderr


def test_each_export_warning_points_at_the_line_where_its_question_starts():
    content = load(Source(VALID, SOURCES)).content
    warnings = FORMATS["gift"].export(content.questions, content).warnings
    lines = (VALID / "banks" / "sample.yaml").read_text(encoding="utf-8").splitlines()
    assert warnings
    for warning in warnings:
        uid = warning.message.split("'")[1]
        assert lines[warning.line - 1][warning.col - 1 :] == f"id: {uid.split('/')[1]}", warning
