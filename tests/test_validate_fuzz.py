"""Random and mutated YAML never ends in a traceback: every outcome is a list of located issues."""

from __future__ import annotations

import string

from conftest import SOURCES, VALID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizgen.errors import Issue
from quizgen.load.content import load_content

SAMPLE = (VALID / "banks" / "sample.yaml").read_text(encoding="utf-8")
YAML_CHARS = string.printable + "“”–\t\x00é&*!|>%@`"


def check_never_crashes(tmp_path_factory, text: str | bytes) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    (root / "banks").mkdir()
    for name in ("articles.yaml", "tags.yaml"):
        (root / name).write_bytes((VALID / name).read_bytes())
    bank = root / "banks" / "fuzz.yaml"
    bank.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    validation = load_content(root, SOURCES)
    assert all(isinstance(issue, Issue) and issue.line >= 1 and issue.col >= 1 for issue in validation.issues)
    if validation.content is None:
        assert validation.errors


mutation = st.tuples(st.integers(0, len(SAMPLE)), st.integers(0, 40), st.text(YAML_CHARS, max_size=12))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(mutation, min_size=1, max_size=4))
def test_mutated_sample_bank_never_crashes(tmp_path_factory, mutations):
    text = SAMPLE
    for start, length, replacement in mutations:
        text = text[:start] + replacement + text[start + length :]
    check_never_crashes(tmp_path_factory, text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(YAML_CHARS, max_size=300))
def test_random_text_never_crashes(tmp_path_factory, text):
    check_never_crashes(tmp_path_factory, text)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["bank", "title", "article", "questions", "x"]), yaml_values, max_size=5))
def test_random_structures_never_crash(tmp_path_factory, data):
    import yaml

    check_never_crashes(tmp_path_factory, yaml.safe_dump(data, allow_unicode=True))


def every_bank_file():
    from conftest import CONTENT, DATA

    return (
        sorted(CONTENT.glob("banks/*.yaml"))
        + sorted(DATA.glob("*/banks/*.yaml"))
        + sorted(CONTENT.glob("quizzes/*.yaml"))
    )


def test_both_parsers_read_every_shipped_and_test_file_alike():
    import yaml_rs

    from quizgen.load.yamlio import _compose

    for path in every_bank_file():
        text = path.read_text(encoding="utf-8")
        assert _compose(text)[0] == yaml_rs.loads(text, parse_datetime=False), path.name


def test_a_file_sent_to_the_precise_parser_means_the_same(content_with, tmp_path):
    import yaml_rs
    from conftest import SOURCES

    from quizgen.load.content import load_content
    from quizgen.load.yamlio import parse

    text = SAMPLE.replace("prompt: Which of these", "prompt: Careful ! Which of these")  # looks like a tag
    assert parse(text).data == yaml_rs.loads(text, parse_datetime=False)
    bank = tmp_path / "careful.yaml"
    bank.write_text(text, encoding="utf-8")
    assert load_content(content_with(bank), SOURCES).issues == []


@given(st.from_regex(r"(0x|0o)?[0-9_]{0,3}", fullmatch=True))
def test_number_like_scalars_never_crash(value):
    from quizgen.load.yamlio import resolve_plain

    resolve_plain(value)
