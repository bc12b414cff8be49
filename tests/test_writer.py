"""Outputs are written atomically, readable, and never twice to one path in a build."""

from __future__ import annotations

import pytest

from quizgen.errors import QuizgenError
from quizgen.writer import Writer


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
