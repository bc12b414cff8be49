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
    assert warnings == tuple(w for d in FORMATS.values() for w in d.export(content.questions, content).warnings)


@pytest.mark.pdf
def test_build_writes_the_exports_and_says_what_they_converted(tmp_path, capsys):
    status = main(["build", *SAMPLE, "-o", str(tmp_path), "-j", "1"])
    stderr = capsys.readouterr().err
    assert status == 0
    assert sorted(p.name for p in (tmp_path / "lms").iterdir()) == sorted(f"{STEM}{d.suffix}" for d in FORMATS.values())
    assert "warning: question 'sample/trade-sequence': GIFT: written as matching" in stderr
