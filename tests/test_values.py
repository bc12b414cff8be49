"""Value-level refusals: control characters, length caps, inexact numbers, impossible dates,
article file names, the source check, '#' comments and empty draw lists; and the property that
no checker refuses or drops a value without saying so."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import DATA, INVALID, SOURCES, VALID
from hypothesis import example, given, settings
from hypothesis import strategies as st

from quizgen.check.sources import appears_in, normalize, normalize_tracked
from quizgen.errors import ContentError
from quizgen.kinds import KIND_NAMES as KINDS
from quizgen.load.bank_format import check_kind, fields_for
from quizgen.load.comments import trailing_comments
from quizgen.load.content import load_content, require_content
from quizgen.load.fields import INVALID as REFUSED
from quizgen.load.fields import Report, check_mapping, check_value
from quizgen.load.schema import (
    BANK_FIELDS,
    EVENT_FIELDS,
    PAIR_FIELDS,
    PASSAGE_FIELDS,
    SCALAR_CHECKERS,
    Field,
    check_date,
    check_number,
    check_text,
)
from quizgen.pipeline import Source
from quizgen.pipeline import validate as validate_pipeline

QUIZZES_INVALID = DATA / "quizzes-invalid"
CONTROL_HINT = "(remove it; only tab and newline are allowed)"


def validate_all(content_dir, sources_dir):
    return validate_pipeline(Source(content_dir, sources_dir))


def issues_of(validation):
    return [(i.path.rsplit("/", 1)[-1], i.line, i.col, i.severity, i.message) for i in validation.issues]


# --- control characters -------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x08", "\x0b", "\x0d", "\x1f", "\x7f", "\x80", "\x85", "\x9f"])
@pytest.mark.parametrize("type_", ["text", "text_or_empty", "slug", "date", "kind"])
def test_every_text_checker_refuses_control_characters(type_, char):
    checker = check_kind if type_ == "kind" else SCALAR_CHECKERS[type_]
    with pytest.raises(ValueError) as caught:
        checker(f"a{char}b", None)
    assert str(caught.value) == f"contains the control character U+{ord(char):04X} {CONTROL_HINT}"


def test_tab_and_newline_are_text():
    assert check_text("one\ttwo\nthree", None) == "one\ttwo\nthree"


@pytest.mark.parametrize(
    ("written", "col"),
    [('"ab\\x1fc"', 11), ('"ab\\u001Fc"', 11), ('"ab\\U0000001fc"', 11), ("|\n  ab\x1fc", 9)],
)
def test_a_control_character_is_located_where_it_is_written(tmp_path, written, col):
    from quizgen.load.fields import open_report

    path = tmp_path / "f.yaml"
    path.write_text(f"title: {written}\n", encoding="utf-8")
    report = open_report(path)
    if report.doc is not None:
        check_mapping(report.doc.data, (), (Field("title", "text"),), report, "")
    message = "'title' contains the control character U+001F " if report.doc else "the file contains the control "
    assert [(i.line, i.col) for i in report.issues] == [(1 if report.doc else 2, col if report.doc else 5)]
    assert report.issues[0].message.startswith(message)


def test_a_control_character_in_the_tag_vocabulary_is_refused(content_with):
    content_dir = content_with(VALID / "banks" / "sample.yaml")
    tags = content_dir / "tags.yaml"
    tags.write_text(tags.read_text().replace("treaty: ", 'treaty: "x\\x1f" #', 1), encoding="utf-8")
    found = [i for i in load_content(content_dir, SOURCES).issues if i.path.endswith("tags.yaml")]
    assert [(i.col, i.message) for i in found] == [
        (13, f"tag 'treaty': contains the control character U+001F {CONTROL_HINT}")
    ]


# --- length caps ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "limit"),
    [
        (Field("prompt", "text"), 2000),
        (Field("explanation", "text"), 2000),
        (Field("answer", "text"), 300),
        (Field("distractors", "text_list"), 300),
        (Field("id", "slug"), 80),
    ],
)
def test_text_fields_have_length_caps(spec, limit):
    value = "a" * (limit + 1)
    where = ("x", 0) if spec.type == "text_list" else ("x",)
    report = Report("f.yaml")
    assert check_value([value] if spec.type == "text_list" else value, ("x",), spec, report, "") is REFUSED
    assert [(i.message) for i in report.issues] == [
        f"'{spec.name}' has {limit + 1:,} characters (expected at most {limit:,})"
    ]
    assert (
        check_value(
            "a" * limit, where[:1], Field(spec.name, "slug" if spec.type == "slug" else "text"), Report("f.yaml"), ""
        )
        == "a" * limit
    )


# --- numbers and dates -------------------------------------------------------------------


def test_integers_a_float_holds_exactly_are_kept():
    assert check_number(9007199254740992, None) == 9007199254740992
    assert check_number(-(2**53), None) == -(2**53)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            9007199254740993,
            "9007199254740993 cannot be kept exactly: whole numbers above 2^53 (9007199254740992) "
            "would print as 9007199254740992",
        ),
        (0.12345678901234568, "0.12345678901234568 has 17 significant digits (at most 15 are kept exactly)"),
    ],
)
def test_numbers_that_would_print_changed_are_refused(value, message):
    with pytest.raises(ValueError) as caught:
        check_number(value, None)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2001-02-30", "'2001-02-30' is not a date: February 2001 has no day 30"),
        ("2001-04-31", "'2001-04-31' is not a date: April 2001 has no day 31"),
        ("2001-02-29", "'2001-02-29' is not a date: February 2001 has no day 29"),
        ("1900-02-29", "'1900-02-29' is not a date: February 1900 has no day 29"),
        ("2001-13-01", "'2001-13-01' is not a date"),
    ],
)
def test_impossible_dates_are_refused(date, message):
    with pytest.raises(ValueError) as caught:
        check_date(date, None)
    assert str(caught.value) == message


@pytest.mark.parametrize("date", ["2000-02-29", "2004-02-29", "2001-12-31", "2001-04", "2001"])
def test_real_dates_pass(date):
    assert check_date(date, None) == date


# --- article files -------------------------------------------------------------------------


def with_article_file(content_dir: Path, name: str) -> Path:
    registry = content_dir / "articles.yaml"
    registry.write_text(
        registry.read_text().replace("file: 000_650b964cab84bf9c.txt", f"file: {name}"), encoding="utf-8"
    )
    return content_dir


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("/etc/passwd", "is an absolute path (expected a file name in the sources directory)"),
        ("/dev/zero", "is an absolute path (expected a file name in the sources directory)"),
        ("../secret.txt", "contains a path separator (expected a file name directly in the sources directory)"),
        ("sub/a.txt", "contains a path separator (expected a file name directly in the sources directory)"),
        ("..", "is not a file name (expected a file name in the sources directory)"),
    ],
)
def test_an_article_file_must_be_a_name_in_the_sources_folder(content_with, name, problem):
    content_dir = with_article_file(content_with(VALID / "banks" / "sample.yaml"), name)
    found = [i for i in issues_of(load_content(content_dir, SOURCES)) if i[0] == "articles.yaml"]
    assert found == [("articles.yaml", 8, 11, "error", f"article 'ni-2002': 'file' {name!r} {problem}")]


def test_an_article_text_that_is_not_a_regular_file_is_refused_at_its_file_value(content_with, tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    (sources / "zero.txt").symlink_to("/dev/zero")
    content_dir = with_article_file(content_with(VALID / "banks" / "sample.yaml"), "zero.txt")
    found = [i for i in issues_of(load_content(content_dir, sources)) if i[0] == "articles.yaml"]
    assert found == [
        (
            "articles.yaml",
            8,
            11,
            "error",
            f"article 'ni-2002': {sources / 'zero.txt'}: refused: this article text resolves to /dev/zero, "
            f"outside {sources.resolve()}",
        )
    ]


def test_an_article_text_saved_with_a_byte_order_mark_reads_as_without(content_with, tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    text = sources / "000_650b964cab84bf9c.txt"
    text.write_bytes(b"\xef\xbb\xbf" + text.read_bytes())
    assert load_content(content_with(VALID / "banks" / "sample.yaml"), sources).issues == []


# --- the source check ---------------------------------------------------------------------------


def test_missing_sources_stop_a_build_unless_the_check_is_turned_off(content_with, tmp_path):
    content_dir = content_with(VALID / "banks" / "sample.yaml")
    nowhere = tmp_path / "nowhere"
    with pytest.raises(ContentError) as caught:
        require_content(content_dir, nowhere)
    assert [str(i).split(": ", 1)[1] for i in caught.value.issues] == [
        f"error: sources directory {nowhere} not found: source passages cannot be checked "
        "(give --sources DIR, or --no-source-check to go on without the check)"
    ]
    content = require_content(content_dir, nowhere, check_sources=False)
    assert [bank.id for bank in content.banks] == ["sample"]
    validation = load_content(content_dir, nowhere, check_sources=False)
    assert issues_of(validation) == [
        (
            "quizgen.yaml",
            1,
            1,
            "warning",
            f"sources directory {nowhere} not found: source passages were not checked "
            "(turned off with --no-source-check)",
        )
    ]


def test_the_verbatim_check_is_reported_on_the_text_as_typed():
    for typed in ["  “Quoted” — text¹ US\\$ 5 ", "a\\$b", "", "‘x’"]:
        normalized, origin = normalize_tracked(typed)
        assert normalized == normalize(typed)
        assert len(origin) == len(normalized)


# --- '#' after text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("prompt: Who (see #3)?\n", [(1, 18, "#3)?")]),
        ("items:\n  - one  # two\n", [(2, 10, "# two")]),
        ("prompt: 'quoted #3'\n", []),
        ('prompt: "quoted" # fine, the value is quoted\n', []),
        ("# a comment # with a hash\nprompt: x\n", []),
        ("points: 2  # an aside on a number\n", []),
        ("prompt:  # the value follows\n  on the next line\n", []),
        ("prompt: no#comment here\n", []),
    ],
)
def test_a_comment_right_after_a_plain_value_is_flagged(text, found):
    assert [
        (line, col, message.split("(", 1)[1].rsplit(")", 1)[0]) for line, col, message in trailing_comments(text)
    ] == [(line, col, f"{rest}") for line, col, rest in found]


# --- quizzes ---------------------------------------------------------------------------------------


def content_with_quizzes(content_with, banks, quizzes):
    content_dir = content_with(*banks)
    (content_dir / "quizzes").mkdir()
    for quiz in quizzes:
        shutil.copy(QUIZZES_INVALID / quiz, content_dir / "quizzes" / quiz)
    return content_dir


def test_an_empty_draw_list_is_refused(content_with):
    content_dir = content_with_quizzes(content_with, [VALID / "banks" / "sample.yaml"], ["empty-draw-list.yaml"])
    assert issues_of(validate_all(content_dir, SOURCES)) == [
        (
            "empty-draw-list.yaml",
            5,
            10,
            "error",
            "draw: 'banks' is an empty list (expected at least 1 item(s); leave the key out to draw from every bank)",
        )
    ]


@pytest.mark.parametrize(
    ("quiz", "line", "col", "message"),
    [
        (
            "unknown-draw-kind.yaml",
            5,
            28,
            "draw: unknown kind 'true_or_false' (expected one of: multiple_choice, multiple_select, true_false, "
            "short_answer, numeric, cloze, matching, ordering, essay)",
        ),
        ("too-many-versions.yaml", 4, 11, "'versions' is 100 (expected at most 99)"),
    ],
)
def test_a_quiz_definition_error_is_located(content_with, quiz, line, col, message):
    content_dir = content_with_quizzes(content_with, [VALID / "banks" / "sample.yaml"], [quiz])
    assert issues_of(validate_all(content_dir, SOURCES)) == [(quiz, line, col, "error", message)]


def test_an_article_defined_twice_is_refused(content_with):
    content_dir = content_with(VALID / "banks" / "sample.yaml")
    shutil.copy(DATA / "articles-invalid" / "defined-twice.yaml", content_dir / "articles.yaml")
    assert issues_of(validate_all(content_dir, SOURCES)) == [
        ("articles.yaml", 9, 9, "error", "article 'ni-2002' is defined twice (ids must be unique)")
    ]


def test_validate_reports_quiz_problems_even_when_a_bank_fails(content_with):
    banks = [VALID / "banks" / "sample.yaml", INVALID / "missing-answer.yaml"]
    quizzes = ["bad-paper.yaml", "from-broken-bank.yaml", "too-many-from-sound-bank.yaml"]
    found = issues_of(validate_all(content_with_quizzes(content_with, banks, quizzes), SOURCES))
    assert found == [
        (
            "missing-answer.yaml",
            5,
            5,
            "error",
            "question 'treaty-signed': missing required key 'answer' (the right option)",
        ),
        ("bad-paper.yaml", 4, 8, "error", "'paper' is 'A5' (expected A4 or Letter)"),
        ("too-many-from-sound-bank.yaml", 4, 8, "error", "count: 999 questions wanted but the selection has 9"),
    ]  # and no "unknown bank 'bad'" for the quiz drawing from the bank that failed


# --- no invalid value without a message --------------------------------------------------------

FIELD_TYPES = sorted({spec.type for kind in (*KINDS, "") for spec in fields_for(kind)} | {"list", "mapping"})
RECORDS = [BANK_FIELDS, PAIR_FIELDS, EVENT_FIELDS, PASSAGE_FIELDS]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
    st.text(min_size=290, max_size=2100, alphabet="ab \x1f"),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["text", "left", "x"]), inner, max_size=3)
    ),
    max_leaves=8,
)


def _dropped(value, cleaned) -> bool:
    """A value shrank on its way through: items or keys lost without the checker refusing."""
    if isinstance(value, list) and isinstance(cleaned, (list, tuple)):
        return len(cleaned) < len(value)
    if isinstance(value, dict) and isinstance(cleaned, dict):
        return len(cleaned) < len(value)
    return False


@settings(max_examples=400, deadline=None)
@given(type_=st.sampled_from(FIELD_TYPES), value=values, min_items=st.integers(0, 2))
def test_no_checker_refuses_or_drops_a_value_without_an_issue(type_, value, min_items):
    report = Report("f.yaml")
    checker = check_kind if type_ == "kind" else None  # the kind field brings its own checker
    cleaned = check_value(value, ("x",), Field("x", type_, min_items=min_items, checker=checker), report, "")
    if cleaned is REFUSED or _dropped(value, cleaned):
        assert report.issues, (type_, value, cleaned)


@settings(max_examples=200, deadline=None)
@given(fields=st.sampled_from(RECORDS), value=values)
def test_no_record_loses_a_key_without_an_issue(fields, value):
    report = Report("f.yaml")
    cleaned = check_mapping(value, (), fields, report, "")
    if cleaned is None or _dropped(value, cleaned):
        assert report.issues, (value, cleaned)


@given(
    st.text(alphabet=st.sampled_from(list("ab \t\n\\$\x01\x85\u00a0é")), max_size=12)
    | st.text(alphabet="ab ", min_size=295, max_size=305)
)
def test_the_fast_path_for_text_reads_every_string_as_the_general_check_does(value):
    fast, general = Report("bank.yaml"), Report("bank.yaml")
    got = check_value(value, ("answer",), Field("answer", "text"), fast, "")
    # A checker of its own turns the fast path off: the same check, the long way.
    expected = check_value(value, ("answer",), Field("answer", "text", checker=check_text), general, "")
    assert (got is REFUSED) == (expected is REFUSED) and (got is REFUSED or got == expected)
    assert [issue.message for issue in fast.issues] == [issue.message for issue in general.issues]


def _appears_by_regex(spelling: str, passages: str) -> bool:
    """The rule appears_in keeps, as the regular expression it was first written with."""
    needle = normalize(spelling).casefold()
    if not needle:
        return False
    pattern = re.escape(needle)
    if needle[0].isalnum():
        pattern = (r"(?<![\w.])" if needle[0].isdigit() else r"(?<!\w)") + pattern
    if needle[-1].isalnum():
        pattern += r"(?![\d])" if needle[-1].isdigit() else r"(?!\w)"
    return re.search(pattern, passages) is not None


@given(
    st.text(alphabet=list("ab1 2._-é\u0663"), max_size=3),
    st.text(alphabet=list("ab1 2._-é\u0663"), max_size=10),
)
@example("1", "a.1")
@example("2001", "12001 2001b 2001_ x2001")
@example("b", "ab b_ é")
@settings(max_examples=500)
def test_an_answer_appears_in_a_passage_as_the_word_boundary_rule_says(spelling, passage):
    passages = normalize(passage).casefold()
    assert appears_in(spelling, passages) == _appears_by_regex(spelling, passages)
