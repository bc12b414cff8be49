"""`quizgen stats`: the tables of questions per bank and kind, per tag and per difficulty, with exact counts."""

from __future__ import annotations

import shutil

from conftest import SOURCES, VALID

from quizgen.cli import main

KIND_HEADER = "bank    MC  MS  TF  SA  NUM  CLZ  MAT  ORD  ESS  all"
KIND_RULE = "------  --  --  --  --  ---  ---  ---  ---  ---  ---"
LEGEND = (
    "Kinds: MC multiple_choice, MS multiple_select, TF true_false, SA short_answer, NUM numeric, "
    "CLZ cloze, MAT matching, ORD ordering, ESS essay"
)
# Counted by hand from tests/data/valid/banks/sample.yaml; tags in the order of tags.yaml, unused ones left out.
PER_TAG = """\
Questions per tag
tag           questions
------------  ---------
treaty                1
trade                 2
energy                1
diplomacy             2
security              2
organization          1
person                1
date                  2
figure                1
argument              2
"""
PER_DIFFICULTY = """\
Questions per difficulty
difficulty  questions
----------  ---------
1                   3
2                   3
3                   3
"""


def stats(content, capsys) -> tuple[int, str, str]:
    status = main(["stats", "--content", str(content), "--sources", str(SOURCES)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_stats_of_the_sample_bank_count_one_question_of_each_kind(capsys):
    per_kind = "\n".join(
        [
            "Questions per bank (article) and kind",
            KIND_HEADER,
            KIND_RULE,
            "sample   1   1   1   1    1    1    1    1    1    9",
            "total    1   1   1   1    1    1    1    1    1    9",
        ]
    )
    expected = f"{per_kind}\n\n{LEGEND}\n\n{PER_TAG}\n{PER_DIFFICULTY}\n"
    assert stats(VALID, capsys) == (0, expected, "")


def test_the_total_row_adds_up_every_bank(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(VALID, content, ignore=shutil.ignore_patterns("quizgen.yaml"))
    sample = (content / "banks" / "sample.yaml").read_text(encoding="utf-8")
    second = sample.replace("bank: sample", "bank: second", 1)
    second = second[: second.index("  - id: first-leader")]  # its first two questions only: MC and MS
    (content / "banks" / "second.yaml").write_text(second, encoding="utf-8")
    status, out, err = stats(content, capsys)
    assert (status, err) == (0, "")
    assert out.split("\n\n")[0].splitlines()[3:] == [
        "sample   1   1   1   1    1    1    1    1    1    9",
        "second   1   1   0   0    0    0    0    0    0    2",
        "total    2   2   1   1    1    1    1    1    1   11",
    ]
