"""The shipped content itself: valid under --strict, with every source checked."""

from __future__ import annotations

from conftest import CONTENT, SOURCES

from quizgen.load.content import load_content


def test_shipped_content_is_valid_with_no_warnings():
    validation = load_content(CONTENT, SOURCES)
    assert [str(issue) for issue in validation.issues] == []
    assert validation.sources_dir is not None  # the source check really ran
    assert validation.content is not None


def test_escaped_dollars_from_the_articles_reach_readers_as_plain_dollars():
    from conftest import VALID

    from quizgen.load.content import require_content

    question = next(q for q in require_content(VALID, SOURCES).questions if q.id == "trade-2001")
    assert (
        question.source[0].text
        == "In 2001 bilateral trade between China and Russia hit a record high of US$ 10.7 billion"
    )
