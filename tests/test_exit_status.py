"""Exit statuses mean something: 1 for the user's content, 3 for our bug, with its traceback kept."""

from __future__ import annotations

import pytest
from conftest import INVALID, SOURCES, VALID

from quizgen.cli import main


def boom(*args, **kwargs):
    raise RuntimeError("boom: a bug inside quizgen")


@pytest.mark.parametrize("command", ["validate", "stats"])
def test_an_internal_error_exits_3_with_its_traceback(monkeypatch, capsys, command):
    # Every command reads its content files through this function: a bug there is ours, not the user's.
    monkeypatch.setattr("quizgen.load.fields.read_text", boom)
    status = main([command, "--content", str(VALID), "--sources", str(SOURCES)])
    err = capsys.readouterr().err
    assert status == 3
    assert "Traceback (most recent call last):" in err
    assert "RuntimeError: boom: a bug inside quizgen" in err
    assert any("internal error" in line for line in err.splitlines()), err


def test_a_content_error_exits_1_with_located_messages_and_no_traceback(content_with, capsys):
    content_dir = content_with(INVALID / "missing-answer.yaml")
    status = main(["validate", "--content", str(content_dir), "--sources", str(SOURCES)])
    out, err = capsys.readouterr()
    assert status == 1
    assert f"{content_dir / 'banks' / 'missing-answer.yaml'}:5:5: error: question 'treaty-signed': missing" in out
    assert "Traceback" not in out + err
