"""Outputs are written atomically, readable, and never twice to one path in a build."""

from __future__ import annotations

import pytest

from quizgen.errors import QuizgenError
from quizgen.write import Writer


def test_outputs_are_written_whole_and_readable(tmp_path):
    writer = Writer(tmp_path)
    path = writer.write("a/b.txt", "text")
    assert path.read_text() == "text"
    assert path.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["b.txt"]  # no temporary file left behind


def test_one_path_is_never_written_twice(tmp_path):
    writer = Writer(tmp_path)
    writer.write("deck.apkg", b"first")
    with pytest.raises(QuizgenError, match="two outputs would be written to"):
        writer.write("deck.apkg", b"second")
    assert (tmp_path / "deck.apkg").read_bytes() == b"first"


def test_outputs_sharing_a_path_stop_the_write_before_any_file(tmp_path):
    writer = Writer(tmp_path / "out")
    with pytest.raises(QuizgenError, match="two outputs would be written to"):
        writer.write_all([("practice/all.html", "a"), ("anki/deck.apkg", b"b"), ("practice/all.html", "c")])
    assert not (tmp_path / "out").exists()


def test_a_path_that_cannot_be_written_is_a_message_not_a_traceback(tmp_path):
    (tmp_path / "taken").write_text("a file where a folder should be")
    with pytest.raises(QuizgenError, match=r"cannot write .*taken/deck.apkg"):
        Writer(tmp_path / "taken").write("deck.apkg", b"x")


def test_the_cli_reports_an_unwritable_output(tmp_path, capsys):
    from conftest import VALID

    from quizgen.cli import main

    (tmp_path / "taken").write_text("a file")
    assert main(["deck", "--content", str(VALID), "-o", str(tmp_path / "taken" / "x.apkg")]) == 1
    assert "error: cannot write" in capsys.readouterr().err
