"""The GIFT export, read back by gift-pegjs (an independent parser, in Node): every key equal to the bank's,
every conversion and omission said, and bank text escaped for HTML and for GIFT."""

from __future__ import annotations

import dataclasses
import html
import json
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT
from export_helpers import BANK_PATH, HOSTILE, content_of, hostile, response, shipped
from helpers import sample_questions

from quizgen.export import FORMATS
from quizgen.export import gift as g
from quizgen.export._grades import sums_to_100
from quizgen.kinds import response as r

pytestmark = pytest.mark.node
PARSER = ROOT / "tests" / "js" / "parse-gift.js"


def parse(data: bytes, tmp_path: Path) -> list[dict]:
    """The questions gift-pegjs reads in a GIFT file (categories left aside)."""
    path = tmp_path / "export.gift.txt"
    path.write_bytes(data)
    run = subprocess.run(["node", str(PARSER), str(path)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    return [q for q in json.loads(run.stdout) if q["type"] != "Category"]


# gift-pegjs 1.0.2 never decodes the right side of a matching pair (its PlainText rule): it keeps its own
# placeholders for escaped characters there. Decoded here as its escapedCharacterDecode would.
PLACEHOLDERS = {
    "&&092;": "\\",
    "&&058;": ":",
    "&&035;": "#",
    "&&061;": "=",
    "&&123;": "{",
    "&&125;": "}",
    "&&126;": "~",
}


def plain(parsed_text: dict | str) -> str:
    """A parsed text as the student reads it: our [html] text unescaped (matching answers are plain text)."""
    if isinstance(parsed_text, str):
        for placeholder, char in PLACEHOLDERS.items():
            parsed_text = parsed_text.replace(placeholder, char)
        return parsed_text
    assert parsed_text["format"] == "html"
    return html.unescape(parsed_text["text"])


# --- what the parser must find, per response form ---------------------------------------------------


def one_of(form: r.OneOf, parsed: dict) -> None:
    assert parsed["type"] == "MC"
    assert [(plain(c["text"]), c["isCorrect"]) for c in parsed["choices"]] == [
        (o.text, o.correct) for o in form.options
    ]


def any_of(form: r.AnyOf, parsed: dict) -> None:
    assert parsed["type"] == "MC"
    weights = [c["weight"] for c in parsed["choices"]]
    assert [plain(c["text"]) for c in parsed["choices"]] == [o.text for o in form.options]
    assert [(w > 0, w < 0) for w in weights] == [(o.correct, not o.correct) for o in form.options]
    assert sums_to_100([str(w) for w in weights])
    assert sum(w for w in weights if w < 0) >= -100.001  # ticking every wrong option costs at most all


def verdict(form: r.Verdict, parsed: dict) -> None:
    assert (parsed["type"], parsed["isTrue"]) == ("TF", form.answer)


def typed(form: r.Typed, parsed: dict) -> None:
    assert parsed["type"] == "Short"
    assert [(plain(c["text"]), c["isCorrect"]) for c in parsed["choices"]] == [(a, True) for a in form.accepted]
    assert all(c["weight"] in (None, 100) for c in parsed["choices"])  # full marks, each


def test_a_spelling_that_starts_like_a_weight_is_accepted_whole_at_full_marks(tmp_path):
    short = next(q for q in sample_questions() if isinstance(response(q), r.Typed))
    question = dataclasses.replace(short, answer="%50% rise", accept=("%12.5%", "50%"))
    (found,) = parse(g.FORMAT.export([question], content_of([question])).data, tmp_path)
    typed(response(question), found)


def number(form: r.Number, parsed: dict) -> None:
    assert parsed["type"] == "Numerical"
    assert parsed["choices"] == {"type": "range", "number": form.value, "range": form.tolerance}


def gaps(form: r.Gaps, parsed: dict) -> None:
    assert (parsed["type"], parsed["hasEmbeddedAnswers"]) == ("Short", True)
    assert [plain(c["text"]) for c in parsed["choices"]] == [form.gaps[0].answer]
    assert all(gap.answer == form.gaps[0].answer for gap in form.gaps)


def pairs(form: r.Pairs, parsed: dict) -> None:
    assert parsed["type"] == "Matching"
    found = [(plain(p["subquestion"]), plain(p["subanswer"])) for p in parsed["matchPairs"]]
    assert found == [(pair.left, pair.right) for pair in form.pairs]


def order(form: r.Order, parsed: dict) -> None:
    assert parsed["type"] == "Matching"
    found = [(plain(p["subquestion"]), p["subanswer"]) for p in parsed["matchPairs"]]
    assert found == [(item, f"{n}.") for n, item in enumerate(form.items, start=1)]


def open_answer(form: r.Open, parsed: dict) -> None:
    assert parsed["type"] == "Essay"
    assert all(html.escape(point, quote=False) in parsed["globalFeedback"]["text"] for point in form.key_points)


KEYS = {
    r.OneOf: one_of,
    r.AnyOf: any_of,
    r.Verdict: verdict,
    r.Typed: typed,
    r.Number: number,
    r.Gaps: gaps,
    r.Pairs: pairs,
    r.Order: order,
    r.Open: open_answer,
}


def test_the_export_and_this_check_map_every_response_form():
    assert r.missing_forms(g.FORMS) == []
    assert r.missing_forms(KEYS) == []
    assert FORMATS["gift"] is g.FORMAT


def test_every_exported_question_of_the_shipped_content_parses_with_the_bank_key(tmp_path):
    content = shipped()
    exported = g.FORMAT.export(content.questions, content)
    parsed = parse(exported.data, tmp_path)
    by_uid = {q.uid: q for q in content.questions}
    assert [p["id"] for p in parsed] == [uid for uid in by_uid if uid not in exported.left_out]
    for found in parsed:
        question = by_uid[found["id"]]
        assert found["title"] == question.uid
        assert found["tags"] == (list(question.tags) or None)
        r.dispatch(KEYS, response(question), found)
    print(f"GIFT: {len(parsed)} parsed, {len(parsed)} keys equal, {len(exported.left_out)} left out")


def test_each_question_converted_or_left_out_is_named_in_a_warning():
    content = shipped()
    exported = g.FORMAT.export(content.questions, content)
    named = [w.message.split("'")[1] for w in exported.warnings]
    assert named == [uid for uid in (q.uid for q in content.questions) if uid in exported.converted + exported.left_out]
    assert len(exported.exported) + len(exported.converted) + len(exported.left_out) == len(content.questions)


def test_text_with_html_and_gift_characters_reads_back_as_text(tmp_path):
    questions = [hostile(q) for q in sample_questions() if not isinstance(response(q), r.Gaps)]
    choice = next(q for q in questions if isinstance(response(q), r.OneOf))
    questions[questions.index(choice)] = dataclasses.replace(choice, answer=HOSTILE, distractors=(HOSTILE + "!",))
    short = next(q for q in questions if isinstance(response(q), r.Typed))
    questions[questions.index(short)] = dataclasses.replace(short, answer=HOSTILE, accept=(HOSTILE + "!",))
    matching = next(q for q in questions if isinstance(response(q), r.Pairs))
    hostile_pair = dataclasses.replace(matching.pairs[0], left=HOSTILE, right=HOSTILE)
    questions[questions.index(matching)] = dataclasses.replace(matching, pairs=(hostile_pair, *matching.pairs[1:]))
    content = content_of(questions)
    parsed = parse(g.FORMAT.export(questions, content).data, tmp_path)
    assert len(parsed) == len(questions)
    for found, question in zip(parsed, questions, strict=True):
        assert found["stem"]["text"].startswith(f"<p>{html.escape(question.prompt, quote=False)}</p>")
        assert "<script" not in found["stem"]["text"] + found["globalFeedback"]["text"]
        assert html.escape(HOSTILE, quote=False) in found["globalFeedback"]["text"]
        r.dispatch(KEYS, response(question), found)


def test_the_title_and_the_category_are_escaped():
    assert g.gift("a~b=c#d{e}f:g\\h") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h"
    content = content_of([sample_questions()[0]])
    text = g.FORMAT.export(list(content.questions), content).data.decode()
    assert text.startswith("$CATEGORY: $course$/top/Course/Lock // bank\n")
    assert "\n// [id:lock/mc] [tag:treaty]\n::lock/mc::[html]<p>Pick &lt;one&gt;</p>{\n=A&amp;B\n~C\n~D\n####" in text


@pytest.mark.parametrize(
    ("index", "message"),
    [
        (5, "GIFT: left out: 2 blanks: GIFT holds one blank per question (Moodle XML has it)"),
        (7, "GIFT: written as matching each item to its place (GIFT has no ordering question)"),
        (
            8,
            "GIFT: key points written in the general feedback, shown to students after answering "
            "(GIFT has no grader information)",
        ),
    ],
)
def test_what_gift_cannot_hold_is_said_naming_the_question(index, message):
    question = sample_questions()[index]
    exported = g.FORMAT.export([question], content_of([question]))
    assert [str(w) for w in exported.warnings] == [
        f"{BANK_PATH}:1:1: warning: question 'lock/{question.id}': {message}"
    ]


def test_a_cloze_whose_one_answer_fills_two_blanks_is_converted(tmp_path):
    cloze = sample_questions()[5]
    twice = dataclasses.replace(cloze, prompt="From {{c1::Moscow}} to {{c1::Moscow}} ~ {x}")
    exported = g.FORMAT.export([twice], content_of([twice]))
    (found,) = parse(exported.data, tmp_path)
    assert exported.converted == ("lock/cz",)
    assert found["stem"]["text"] == "<p>From _____ to _____ ~ {x}</p>"
    assert [c["text"]["text"] for c in found["choices"]] == ["Moscow"]


def test_a_matching_item_holding_the_arrow_is_left_out():
    matching = sample_questions()[6]
    arrow = dataclasses.replace(
        matching, pairs=(*matching.pairs[:2], dataclasses.replace(matching.pairs[2], left="a->b"))
    )
    exported = g.FORMAT.export([arrow], content_of([arrow]))
    assert (exported.left_out, exported.data) == (("lock/ma",), b"")
    assert (
        exported.warnings[0].message
        == "question 'lock/ma': GIFT: left out: an item holds '->', which GIFT cannot escape"
    )
