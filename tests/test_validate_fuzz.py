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


# --- Deep nesting, long lines, and a mutated value in every text field of every kind ---

SECONDS_PER_INPUT = 10.0


def check_quickly(tmp_path_factory, text: str) -> None:
    import time

    start = time.perf_counter()
    check_never_crashes(tmp_path_factory, text)
    assert time.perf_counter() - start < SECONDS_PER_INPUT


def test_deep_nesting_in_a_bank_is_a_located_error(tmp_path_factory):
    from quizgen.load.yamlio import DEPTH_MESSAGE

    root = tmp_path_factory.mktemp("deep")
    (root / "banks").mkdir()
    for name in ("articles.yaml", "tags.yaml"):
        (root / name).write_bytes((VALID / name).read_bytes())
    (root / "banks" / "deep.yaml").write_text("bank: deep\nquestions:\n  - " + "- " * 100_000 + "x\n")
    issues = load_content(root, SOURCES).issues
    assert [(issue.line, issue.col, issue.message) for issue in issues] == [(3, 129, DEPTH_MESSAGE)]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(["- ", "? ", "[", "{a: ", "a:\n", " a:\n", "- a:\n"]), st.sampled_from([63, 64, 65, 1000, 50_000])
)
def test_deeply_nested_banks_never_crash(tmp_path_factory, unit, depth):
    check_quickly(tmp_path_factory, "bank: deep\nquestions:\n  - " + unit * depth + "x\n")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(["x", " ", "中", "'", '"', "\\", ": ", "# ", "- ", "[", "{", "é\u2028"]), st.sampled_from([1, 3])
)
def test_a_one_megabyte_line_never_crashes(tmp_path_factory, unit, where):
    line = unit * (1_000_000 // len(unit))
    lines = SAMPLE.splitlines()
    lines[where * 7] = lines[where * 7].split(":")[0] + ": " + line
    check_quickly(tmp_path_factory, "\n".join(lines) + "\n")


def text_fields():
    """(question index, field) for every text field (and list of texts) of every kind in the sample bank."""
    import yaml

    questions = yaml.safe_load(SAMPLE)["questions"]
    return [
        (i, key)
        for i, question in enumerate(questions)
        for key, value in question.items()
        if isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
    ]


TEXT_FIELDS = text_fields()
nasty_text = (
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
    | st.text(YAML_CHARS, max_size=40)
    | st.sampled_from(["", " ", "~", "null", "0o17", "0x1F", "1_000", ".inf", "-.NaN", "yes", "2001-07-15", "{{c1::}}"])
    | st.sampled_from(["{{c1::a}} {{c2::b}}", "x" * 5000, "\U0010fffd", "\ue000", "a\x00b", "\x85", "'\"", "- - -"])
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(TEXT_FIELDS), nasty_text, st.booleans())
def test_a_mutated_value_in_any_text_field_of_any_kind_never_crashes(tmp_path_factory, field, value, as_list):
    import yaml

    data = yaml.safe_load(SAMPLE)
    index, key = field
    data["questions"][index][key] = [value] if as_list else value
    check_quickly(tmp_path_factory, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def test_every_text_field_of_every_kind_is_fuzzed():
    import yaml

    kinds = {q["kind"] for q in yaml.safe_load(SAMPLE)["questions"]}
    fuzzed_kinds = {yaml.safe_load(SAMPLE)["questions"][i]["kind"] for i, _ in TEXT_FIELDS}
    assert fuzzed_kinds == kinds and {"prompt", "source", "explanation", "answer"} <= {k for _, k in TEXT_FIELDS}


def test_the_history_reader_parse_raises_only_yaml_problem_on_the_fuzz_corpus():
    # yamlio.parse on its own (as tests/fuzz_history.py uses it on old versions), outside load_content.
    from test_yaml_parsers import fuzz_inputs

    from quizgen.load.yamlio import YamlProblem, parse

    outcomes = {"ok": 0, "problem": 0}
    for text in fuzz_inputs(300, seed=11):
        if len(text) > 100_000:  # the big ones run in tests/test_yaml_parsers.py, in a worker process
            continue
        try:
            assert parse(text).located is not None
            outcomes["ok"] += 1
        except YamlProblem:
            outcomes["problem"] += 1
    assert outcomes["ok"] > 30 and outcomes["problem"] > 30
