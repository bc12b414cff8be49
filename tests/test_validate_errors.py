"""One small invalid bank per failure mode: each gives exactly the expected located message."""

from __future__ import annotations

import pytest
from conftest import INVALID, SOURCES

from quizgen.cli import main
from quizgen.load.content import load_content

Q = "question 'treaty-signed': "
EXPECTED = {
    "too-many-options": [
        (9, 18, "error", Q + "has 27 options (expected at most 26: they are lettered A to Z)"),
    ],
    "huge-number": [
        (
            8,
            13,
            "error",
            "question 'trade-2001': 'answer' '100000000000...' (401 digits) is too large (expected a number)",
        ),
    ],
    "syntax-error": [
        (10, 11, "error", "YAML syntax error: did not find expected ',' or ']' while parsing a flow sequence")
    ],
    "tab-indentation": [(6, 1, "error", "YAML syntax error: tab character used for indentation (indent with spaces)")],
    "duplicate-key": [(12, 5, "error", "duplicate key 'answer' (first defined on line 8)")],
    "unknown-key": [
        (5, 5, "error", Q + "missing required key 'answer' (the right option)"),
        (8, 5, "error", Q + "unknown key 'anwser' (did you mean 'answer'?)"),
    ],
    "wrong-type": [(12, 17, "error", Q + "'difficulty' 'hard' is not a whole number (expected 1, 2 or 3)")],
    "missing-answer": [(5, 5, "error", Q + "missing required key 'answer' (the right option)")],
    "answer-among-distractors": [
        (9, 29, "error", Q + "answer 'July 2001' is also listed as a distractor (the answer must not be a distractor)")
    ],
    "duplicate-option": [(9, 29, "error", Q + "distractor 'may 2002' is listed twice (distractors must be distinct)")],
    "too-few-distractors": [(9, 18, "error", Q + "'distractors' has 1 item(s) (expected at least 2)")],
    "duplicate-id": [(12, 9, "error", Q + "id is used twice (first on line 5; ids must be unique in a bank)")],
    "bad-id": [
        (
            5,
            9,
            "error",
            "question 'Treaty Signed': 'id' 'Treaty Signed' is not a slug "
            "(expected lower-case letters, digits and single hyphens, e.g. treaty-signed)",
        )
    ],
    "bad-cloze": [
        (
            7,
            44,  # at the malformed deletion itself
            "error",
            "question 'sco-cloze': cloze has a malformed deletion '{{c1:Central Asia}}' "
            "(expected {{cN::answer}} or {{cN::answer::hint}}, with two braces on each side)",
        )
    ],
    "misquoted-source": [
        (
            10,
            13,
            "error",
            Q + "source is not verbatim in article 'ni-2002': differs at character 98: the passage has 'B' "
            "(U+0042 LATIN CAPITAL LETTER B) where the article has 'M' (U+004D LATIN CAPITAL LETTER M) "
            '(closest passage: "In July 2001, Chinese '
            'President Jiang Zemin and his Russian counterpart Vladimir Putin signed in Moscow a landmark treaty")',
        )
    ],
    "source-too-long": [
        (10, 13, "error", Q + "source has 44 words (expected at most 40; quote a shorter passage or several)")
    ],
    "unknown-tag": [
        (
            11,
            12,
            "error",
            Q + "unknown tag 'treaties' (expected one of: treaty, trade, energy, military, diplomacy, "
            "security, organization, person, date, figure, argument, event, border, history)",
        )
    ],
    "unknown-article": [
        (3, 10, "error", "unknown article 'ni-2003' (expected one of: ni-2002, jiang-2001, tsinghua, li-2014, yu-1999)")
    ],
    "unknown-kind": [
        (
            6,
            11,
            "error",
            Q + "'kind' 'multiple_choise' is not a kind; did you mean 'multiple_choice'? (expected one "
            "of multiple_choice, multiple_select, true_false, short_answer, numeric, cloze, matching, ordering, essay)",
        )
    ],
    "ordering-out-of-order": [
        (
            11,
            66,
            "error",
            "question 'trade-sequence': date 2001-09 comes before 2002-08 "
            "(expected items in chronological order, earliest first)",
        )
    ],
    "ordering-ambiguous-dates": [
        (
            10,
            60,
            "error",
            "question 'trade-sequence': dates 2001 and 2001-07 overlap, so their order is ambiguous "
            "(expected dates of the same precision or in different periods)",
        )
    ],
    "negative-tolerance": [
        (10, 16, "error", "question 'trade-2001': tolerance -0.1 is negative (expected a number >= 0)")
    ],
    "false-without-correction": [
        (8, 13, "error", "question 'first-leader': a false statement needs a 'correction' (the statement made true)")
    ],
    "billion-laughs": [(3, 7, "error", "anchors and aliases (&name / *name) are not allowed in content files")],
    "python-tag": [
        (8, 13, "error", "tag '!!python/object/apply:os.system' is not allowed in content files (plain YAML only)")
    ],
    "empty": [(1, 1, "error", "empty file (expected a mapping)")],
    "not-a-mapping": [(1, 1, "error", "is a list (expected a mapping with bank, title, questions)")],
    "binary": [(1, 1, "error", "binary file: it contains NUL bytes (expected UTF-8 YAML text)")],
    "non-utf8": [(7, 80, "error", "not UTF-8: byte 0xf6 cannot be decoded (save the file as UTF-8)")],
    "answer-not-in-source": [
        (
            10,
            13,
            "warning",
            Q + "answer 'August 2001' does not appear in the source passage(s) "
            "(quote a passage that states it, or add the text's spelling to 'accept')",
        )
    ],
    "control-character": [
        (
            7,
            28,
            "error",
            Q + "'prompt' contains the control character U+001F (remove it; only tab and newline are allowed)",
        )
    ],
    "raw-control-character": [
        (7, 27, "error", "the file contains the control character U+001F (remove it; only tab and newline are allowed)")
    ],
    "prompt-too-long": [(7, 13, "error", Q + "'prompt' has 2,039 characters (expected at most 2,000)")],
    "inexact-integer": [
        (
            8,
            13,
            "error",
            "question 'trade-2001': 'answer' 9007199254740993 cannot be kept exactly: whole numbers above 2^53 "
            "(9007199254740992) would print as 9007199254740992 (expected a number)",
        )
    ],
    "impossible-date": [
        (
            9,
            58,
            "error",
            "question 'trade-sequence': item 1: 'date' '2001-02-30' is not a date: February 2001 has no day 30 "
            "(expected YYYY, YYYY-MM or YYYY-MM-DD, a real date)",
        )
    ],
    "bom": [],
    "curly-quoted-source": [
        (
            10,
            13,
            "error",
            Q + "source is not verbatim in article 'ni-2002': it starts with \u201c (U+201C LEFT DOUBLE QUOTATION "
            "MARK) and ends with \u201d (U+201D RIGHT DOUBLE QUOTATION MARK), which the article does not have there; "
            'remove the quotation marks (closest passage: "In July 2001, Chinese President Jiang Zemin and his '
            'Russian counterpart Vladimir Putin signed in Moscow a landmark treaty")',
        )
    ],
    "hash-in-prompt": [
        (
            7,
            81,
            "warning",
            "'#' after text starts a YAML comment: the rest of the line (#3)?) is not part of the value; "
            "put the value in quotes",
        )
    ],
    "leaks-answer": [
        (
            14,
            13,
            "warning",
            "question 'treaty-place': the prompt gives away 'July 2001', the answer of question "
            "'treaty-signed' (rephrase so a quiz from this bank cannot be answered from another question)",
        )
    ],
    "undrawable-character": [
        (
            7,
            13,
            "warning",
            "no installed font can draw '\U0010fffd' (U+10FFFD): it would print as a blank in PDFs "
            "(install a font that covers it, see docs/fonts.md)",
        )
    ],
    # Reading sets (docs/bank-format.md, "Reading sets")
    "set-excerpt-misquoted": [
        (
            8,
            14,
            "error",
            "set 'sept11-turn': excerpt is not verbatim in article 'ni-2002': differs at character 79: "
            "the passage has 'e' (U+0065 LATIN SMALL LETTER E) where the article has 'w' (U+0077 LATIN SMALL LETTER W) "
            '(closest passage: "...attacks on the United States, however, changed the whole situation. '
            'Russian President Vladimir Putin viewed the incident...")',
        )
    ],
    "set-excerpt-too-long": [
        (8, 14, "error", "set 'sept11-turn': excerpt has 273 words (expected at most 250; print a shorter excerpt)")
    ],
    "set-too-few-questions": [
        (
            6,
            9,
            "error",
            "set 'sept11-turn': has 2 question(s) (expected 3 to 6; a question joins with 'set: sept11-turn')",
        )
    ],
    "set-unknown": [
        (
            56,
            10,
            "error",
            "question 'trade-2001': set 'sept-11-turn' is not a set of this bank (expected one of: sept11-turn)",
        )
    ],
    "set-source-outside-excerpt": [
        (
            55,
            9,
            "error",
            "question 'spheres-opened': source passage 2 is not inside the excerpt of set 'sept11-turn' "
            "(a set's questions are answered from its printed excerpt: quote the excerpt)",
        )
    ],
    "set-duplicate-id": [
        (8, 9, "error", "set 'sept11-turn': id is used twice (first on line 6; set ids must be unique in a bank)")
    ],
    "accept-among-distractors": [
        (9, 14, "error", Q + "accepted spelling 'May 2002' is also a distractor (a distractor must be wrong)")
    ],
    "true-with-correction": [
        (
            9,
            17,
            "error",
            "question 'first-leader': a true statement has a 'correction' (only false statements are corrected)",
        )
    ],
    "empty-cloze-deletion": [
        (7, 119, "error", "question 'sco-cloze': cloze deletion c2 is empty (expected the hidden text)")
    ],
    "duplicate-tag": [(11, 26, "error", Q + "tag 'treaty' is listed twice")],
    "passage-unknown-article": [
        (
            11,
            9,
            "error",
            Q + "source passage 1: unknown article 'ni-2003' "
            "(expected one of: ni-2002, jiang-2001, tsinghua, li-2014, yu-1999)",
        )
    ],
    # Self-leaks: a question that prints its own answer.
    "prompt-contains-answer": [(7, 13, "warning", Q + "the prompt contains its own answer 'July 2001'")],
    "cloze-shows-hidden-text": [
        (
            7,
            13,
            "warning",
            "question 'sco-cloze': cloze card c1 shows its hidden text 'Central Asia' elsewhere in the sentence",
        )
    ],
    "correction-repeats-statement": [
        (7, 13, "warning", "question 'first-leader': the correction repeats the false statement")
    ],
    "merge-key": [(12, 5, "error", "merge keys (<<) are not allowed in content files")],
}


def located(issues):
    return [(i.line, i.col, i.severity, i.message) for i in issues]


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_failure_mode_gives_its_exact_message_and_line(case, content_with):
    content_dir = content_with(INVALID / f"{case}.yaml")
    validation = load_content(content_dir, SOURCES)
    assert located(validation.issues) == EXPECTED[case]
    assert all(issue.path.endswith(f"banks/{case}.yaml") for issue in validation.issues)


def test_every_fixture_has_an_expectation():
    assert {p.stem for p in INVALID.glob("*.yaml")} == set(EXPECTED)


def test_oversized_file_is_refused_before_parsing(content_with, tmp_path):
    big = tmp_path / "huge.yaml"
    big.write_text("bank: huge\n" + "# padding\n" * 1_100_000)  # about 11 MB
    validation = load_content(content_with(big), SOURCES)
    assert len(validation.errors) == 1
    assert validation.errors[0].message.startswith("file is 11,000,011 bytes, over the 8,388,608-byte limit")


def test_all_problems_in_all_files_are_reported_at_once(content_with):
    cases = ["unknown-key", "bad-cloze", "python-tag", "negative-tolerance"]
    content_dir = content_with(*(INVALID / f"{c}.yaml" for c in cases))
    validation = load_content(content_dir, SOURCES)
    assert {i.path.rsplit("/", 1)[1] for i in validation.errors} == {f"{c}.yaml" for c in cases}
    assert len(validation.errors) == 5
    assert validation.content is None


def test_cli_prints_sorted_located_errors_a_summary_and_exits_1(content_with, capsys):
    content_dir = content_with(INVALID / "unknown-key.yaml", INVALID / "bad-cloze.yaml")
    status = main(["validate", "--content", str(content_dir), "--sources", str(SOURCES)])
    out = capsys.readouterr().out.splitlines()
    assert status == 1
    assert [line.split(": error: ")[0].rsplit("/", 1)[1] for line in out[:-1]] == [
        "bad-cloze.yaml:7:44",
        "unknown-key.yaml:5:5",
        "unknown-key.yaml:8:5",
    ]
    assert out[-1] == "3 errors, 0 warnings in 2 files; nothing written"


def test_warnings_pass_but_strict_fails(content_with, capsys):
    content_dir = content_with(INVALID / "leaks-answer.yaml")
    args = ["validate", "--content", str(content_dir), "--sources", str(SOURCES)]
    assert main(args) == 0
    assert main(args + ["--strict"]) == 1
    assert "error: question 'treaty-place': the prompt gives away" in capsys.readouterr().out


def test_missing_sources_directory_is_one_error_as_nothing_can_be_verified(content_with, tmp_path, capsys):
    content_dir = content_with(INVALID.parent / "valid" / "banks" / "sample.yaml")
    args = ["validate", "--content", str(content_dir), "--sources", str(tmp_path / "nowhere")]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert out.count("error: sources directory") == 1
    assert "source passages cannot be checked (give --sources DIR, or --no-source-check" in out


def test_build_writes_nothing_when_content_has_errors(content_with, tmp_path, capsys):
    content_dir = content_with(INVALID / "missing-answer.yaml")
    output = tmp_path / "out"
    status = main(["build", "--content", str(content_dir), "--sources", str(SOURCES), "-o", str(output)])
    assert status == 1
    assert not output.exists() or not any(output.rglob("*"))
    assert "missing required key 'answer'" in capsys.readouterr().err


def test_validate_also_checks_quiz_definitions(content_with, capsys):
    content_dir = content_with(INVALID.parent / "valid" / "banks" / "sample.yaml")
    (content_dir / "quizzes").mkdir()
    (content_dir / "quizzes" / "bad.yaml").write_text(
        "quiz: bad\ntitle: T\nseed: 3\ndraw:\n  bank: [sample]\n", encoding="utf-8"
    )
    status = main(["validate", "--content", str(content_dir), "--sources", str(SOURCES)])
    out = capsys.readouterr().out
    assert status == 1
    assert "quizzes/bad.yaml:5:3: error: draw: unknown key 'bank' (did you mean 'banks'?)" in out


def test_python_dash_m_quizgen_runs_the_cli():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "quizgen", "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert "validate" in done.stdout and "build" in done.stdout
