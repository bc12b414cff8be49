"""The shipped content itself: valid under --strict, with every source checked."""

from __future__ import annotations

from conftest import CONTENT, SOURCES

from quizgen.content import load_content


def test_shipped_content_is_valid_with_no_warnings():
    validation = load_content(CONTENT, SOURCES)
    assert [str(issue) for issue in validation.issues] == []
    assert validation.sources_dir is not None  # the source check really ran
    assert validation.content is not None
