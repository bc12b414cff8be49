"""The Canvas export against text2qti: the same questions, written by both, give the structures Canvas reads.

text2qti (PyPI) is the tool teachers use to reach Canvas Classic Quizzes. The
sample's questions of the types it knows are written in its plain-text input,
run through it, and the items compared with quizgen's: question_type,
points_possible, the response elements (response_lid / response_str, their
cardinality and render), the SCORE variable, and the correct-answer
conditions, read back as the option texts they name. What differs on purpose
(identifiers, feedback, shuffled option order) is left out of the comparison
and listed in docs/lms.md. Matching and fill in multiple blanks, which text2qti
cannot write, are checked against the shape of Canvas's own exports.
"""

from __future__ import annotations

import dataclasses
import html
import io
import re
import subprocess
import sys
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from quizgen.export import FORMATS
from quizgen.export._canvas_forms import FORMS
from quizgen.export.canvas import FORMAT
from quizgen.export.text import counts_by_kind
from quizgen.kinds import kind_of
from quizgen.kinds import response as r
from quizgen.load.content import require_content
from quizgen.model import format_number
from quizgen.render.catalogue import english_text
from tests.helpers import HOSTILE, hostile_content

ROOT = Path(__file__).resolve().parent.parent
VALID = ROOT / "tests" / "data" / "valid"
NS = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
TEXT2QTI = Path(sys.executable).parent / "text2qti"


# ---- the same questions in text2qti's input -------------------------------------------------------


# Options are written as "Option 1", "Option 2" ... (text2qti reads its input as Markdown, which would
# rework a bank's `$` or `*`); its labels are then read back by position, as the bank's texts.
def _choices(options: tuple[r.Choice, ...]) -> list[str]:
    return [
        f"{'*' if option.correct else ''}{letter}) Option {letter}"
        for letter, option in zip("abcdefghij", options, strict=False)
    ]


TEXT2QTI_INPUT = {
    r.OneOf: lambda q: _choices(q.options),
    r.AnyOf: lambda q: [f"[{'*' if option.correct else ' '}] Option {i}" for i, option in enumerate(q.options, 1)],
    r.Verdict: lambda q: [f"{'*' if q.answer else ''}a) True", f"{'' if q.answer else '*'}b) False"],
    r.Typed: lambda q: [f"*   {spelling}" for spelling in q.accepted],
    r.Number: lambda q: [f"=   {format_number(q.value)} +- {format_number(q.tolerance)}"],
    r.Open: lambda q: ["____"],
    r.Gaps: None,  # text2qti has no fill in multiple blanks
    r.Pairs: None,  # nor matching
    r.Order: None,  # nor does Classic Quizzes have ordering
}


def test_the_tables_cover_every_form():
    assert r.missing_forms(FORMS) == []
    assert r.missing_forms(TEXT2QTI_INPUT) == []
    assert FORMATS["canvas"] is FORMAT


def text2qti_quiz(questions) -> str:
    lines = ["Quiz title: Sample", ""]
    for number, question in enumerate(questions, start=1):
        answers = TEXT2QTI_INPUT[type(kind_of(question).response(question))]
        lines += [f"Points: {question.points}", f"{number}.  Question {number}"]
        lines += answers(kind_of(question).response(question)) + [""]
    return "\n".join(lines)


def assessment_items(package: bytes) -> list[ET.Element]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".xml") and "/" in n and "meta" not in n)
        return ET.fromstring(archive.read(name)).findall(f".//{NS}item")


# ---- what Canvas reads of an item ---------------------------------------------------------------------


def plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def bank_option_texts(question) -> list[str]:
    """The options in the bank's order: what text2qti's labels stand for, by position."""
    response = kind_of(question).response(question)
    if isinstance(response, r.Verdict):
        return [english_text("answer.true"), english_text("answer.false")]
    return [choice.text for choice in getattr(response, "options", ())]


def structure(item: ET.Element, by_position: list[str] | None = None) -> dict:
    """The parts of an item that Canvas's importer reads to grade it, with option idents read as their texts.

    `by_position` reads the labels as these texts, in order, instead of their own (for text2qti's items).
    """
    fields = {
        f.find(f"{NS}fieldlabel").text: f.find(f"{NS}fieldentry").text for f in item.iter(f"{NS}qtimetadatafield")
    }
    labels = {
        label.get("ident"): plain(label.find(f".//{NS}mattext").text)
        for label in item.iter(f"{NS}response_label")
        if label.find(f".//{NS}mattext") is not None  # a text box's label has none
    }
    if by_position is not None:
        labels = dict(zip(labels, by_position, strict=True))
    responses = []
    for response in item.find(f"{NS}presentation"):
        if response.tag in (f"{NS}response_lid", f"{NS}response_str"):
            render = response[-1]
            responses.append(
                (
                    response.tag.removeprefix(NS),
                    response.get("rcardinality"),
                    render.tag.removeprefix(NS),
                    render.get("fibtype"),
                )
            )
    scoring = [
        (
            condition.find(f"{NS}setvar").get("action"),
            Decimal(condition.find(f"{NS}setvar").text),
            read(condition.find(f"{NS}conditionvar"), labels),
        )
        for condition in item.iter(f"{NS}respcondition")
        if condition.find(f"{NS}setvar") is not None
    ]
    decvar = item.find(f".//{NS}decvar").attrib
    return {
        "question_type": fields["question_type"],
        "points_possible": Decimal(fields["points_possible"]),
        "responses": responses,
        "SCORE": (decvar["varname"], decvar["minvalue"], decvar["maxvalue"], decvar["vartype"]),
        "scoring": scoring,
    }


def read(node: ET.Element, labels: dict[str, str]):
    """A condition as a sorted tree: varequal on an option reads as its text, numbers as Decimals."""
    tag = node.tag.removeprefix(NS)
    if tag in ("varequal", "vargte", "varlte"):
        value = node.text
        if value in labels:
            return (tag, labels[value])
        try:
            return (tag, Decimal(value))
        except ArithmeticError:
            return (tag, value)
    return (tag, tuple(sorted((read(child, labels) for child in node), key=repr)))


# ---- the comparison ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    return require_content(VALID)


def text2qti_package(questions, tmp_path: Path) -> bytes:
    source = tmp_path / "quiz.md"
    source.write_text(text2qti_quiz(questions), encoding="utf-8")
    subprocess.run([str(TEXT2QTI), str(source)], check=True, cwd=tmp_path, capture_output=True)
    return (tmp_path / "quiz.zip").read_bytes()


def text2qti_writable(content) -> list:
    return [q for q in content.questions if TEXT2QTI_INPUT[type(kind_of(q).response(q))] is not None]


def differences(questions, content, tmp_path: Path) -> list[str]:
    """Each question whose item, as Canvas reads it, differs between text2qti and quizgen."""
    written = assessment_items(text2qti_package(questions, tmp_path))
    theirs = [structure(item, bank_option_texts(q)) for item, q in zip(written, questions, strict=True)]
    ours = [structure(item) for item in assessment_items(FORMAT.export(questions, content).data)]
    assert len(theirs) == len(ours) == len(questions)
    return [f"{q.uid}: {mine} != {ref}" for q, mine, ref in zip(questions, ours, theirs, strict=True) if mine != ref]


def test_text2qti_and_quizgen_write_the_same_items_for_what_text2qti_can_write(sample, tmp_path):
    both = text2qti_writable(sample)
    assert len(both) == 6
    assert differences(both, sample, tmp_path) == []


def test_every_shipped_question_text2qti_can_write_reads_the_same_in_both(tmp_path):
    shipped = require_content(ROOT / "content")
    both = text2qti_writable(shipped)
    assert differences(both, shipped, tmp_path) == []
    kinds = dict(Counter(question.kind for question in both))
    print(f"Canvas vs text2qti: {len(both)} items compared, all equal: {kinds}")


def test_fill_in_multiple_blanks_follows_canvas_own_export(sample):
    cloze = next(q for q in sample.questions if isinstance(kind_of(q).response(q), r.Gaps))
    item = structure(assessment_items(FORMAT.export([cloze], sample).data)[0])
    gaps = kind_of(cloze).response(cloze).gaps
    assert item["question_type"] == "fill_in_multiple_blanks_question"
    assert item["responses"] == [("response_lid", "Single", "render_choice", None)] * len(gaps)
    share = Decimal(format_number(round(100 / len(gaps), 2)))
    assert item["scoring"] == [("Add", share, ("conditionvar", (("varequal", gap.answer),))) for gap in gaps]
    text = (
        assessment_items(FORMAT.export([cloze], sample).data)[0]
        .find(f".//{NS}presentation/{NS}material/{NS}mattext")
        .text
    )
    assert [f"[blank{i}]" for i in range(1, len(gaps) + 1)] == re.findall(r"\[blank\d+\]", text)


def test_matching_offers_every_right_item_to_each_left_item_and_scores_each_pair(sample):
    matching = next(q for q in sample.questions if isinstance(kind_of(q).response(q), r.Pairs))
    pairs = kind_of(matching).response(matching).pairs
    element = assessment_items(FORMAT.export([matching], sample).data)[0]
    lids = element.findall(f".//{NS}response_lid")
    assert [plain(lid.find(f"{NS}material/{NS}mattext").text) for lid in lids] == [p.left for p in pairs]
    for lid in lids:
        assert sorted(plain(m.text) for m in lid.findall(f".//{NS}response_label//{NS}mattext")) == sorted(
            p.right for p in pairs
        )
    conditions = structure(element)["scoring"]
    assert sorted(c[2][1][0][1] for c in conditions) == sorted(p.right for p in pairs)
    assert {c[0] for c in conditions} == {"Add"}


def test_ordering_becomes_matching_to_positions_with_a_warning(sample):
    ordering = next(q for q in sample.questions if isinstance(kind_of(q).response(q), r.Order))
    exported = FORMAT.export([ordering], sample)
    assert structure(assessment_items(exported.data)[0])["question_type"] == "matching_question"
    assert exported.converted == (ordering.uid,)
    assert [w.message for w in exported.warnings] == [
        f"question '{ordering.uid}': Canvas QTI 1.2: Canvas Classic Quizzes has no ordering question: written as "
        "matching each item to its position"
    ]


def test_bank_html_reaches_canvas_escaped(sample):
    content = hostile_content(sample)
    item = assessment_items(FORMAT.export(content.questions[:1], content).data)[0]
    shown = item.find(f".//{NS}presentation/{NS}material/{NS}mattext").text
    assert "<img" not in shown and "&lt;img" in shown  # Canvas gets HTML that shows the tag as text
    options = [label.find(f".//{NS}mattext").text for label in item.iter(f"{NS}response_label")]
    assert f"<p>{html.escape(HOSTILE, quote=False)}</p>" in options


def test_every_shipped_question_is_exported():
    shipped = require_content(ROOT / "content")
    exported = FORMAT.export(shipped.questions, shipped)
    counts = counts_by_kind(exported, shipped.questions)
    kinds = Counter(question.kind for question in shipped.questions)
    assert counts["left out"] == Counter()
    assert counts["converted"] == Counter({"essay": kinds["essay"], "ordering": kinds["ordering"]})
    assert counts["exported"] + counts["converted"] == kinds
    print("Canvas:", {name: dict(count) for name, count in counts.items()})


def test_an_essay_keeps_its_key_points_in_the_feedback_and_says_so(sample):
    essay = next(q for q in sample.questions if isinstance(kind_of(q).response(q), r.Open))
    exported = FORMAT.export([essay], sample)
    assert exported.converted == (essay.uid,)
    assert [(w.path, w.line, w.col, w.severity, w.message) for w in exported.warnings] == [
        (
            "tests/data/valid/banks/sample.yaml",
            question_line(essay.id),
            5,
            "warning",
            f"question '{essay.uid}': Canvas QTI 1.2: no automatic score: graded by hand; the key points are in "
            "the general feedback, which students see after submitting",
        )
    ]
    feedback = plain(assessment_items(exported.data)[0].find(f".//{NS}itemfeedback//{NS}mattext").text)
    assert all(point in feedback for point in essay.key_points)


def test_brackets_in_a_cloze_text_never_become_blanks(sample):
    cloze = next(q for q in sample.questions if isinstance(kind_of(q).response(q), r.Gaps))
    bracketed = dataclasses.replace(cloze, prompt="[sic] " + cloze.prompt + " [blank9]")
    item = assessment_items(FORMAT.export([bracketed], sample).data)[0]
    text = item.find(f".//{NS}presentation/{NS}material/{NS}mattext").text
    blanks = len(kind_of(cloze).response(cloze).gaps)
    assert re.findall(r"\[[^\]]*\]", text) == [f"[blank{i}]" for i in range(1, blanks + 1)]
    assert plain(text).startswith("[sic] ")  # shown as the bank wrote it


def question_line(question_id: str) -> int:
    """The line where the sample bank's question starts: export warnings point there."""
    lines = (VALID / "banks" / "sample.yaml").read_text(encoding="utf-8").splitlines()
    return lines.index(f"  - id: {question_id}") + 1
