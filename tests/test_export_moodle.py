"""The Moodle XML export, read back by moodle-xml-parser (PyPI, independent: it reads multichoice and cloze
questions) and, for the types it does not read, by ElementTree against Moodle's XML format; cloze texts are
read with Moodle's own multianswer rules (question/type/multianswer/questiontype.php), ported below."""

from __future__ import annotations

import dataclasses
import html
import io
import re
import xml.etree.ElementTree as ET
from contextlib import redirect_stdout
from html.parser import HTMLParser

from export_helpers import BANK_PATH, HOSTILE, content_of, hostile, response, shipped
from helpers import sample_questions

from quizgen.export import FORMATS
from quizgen.export import moodle as m
from quizgen.export._grades import penalty_for, share_of, sums_to_100
from quizgen.kinds import response as r
from quizgen.kinds.multiple_select import MultipleSelect

# Moodle's grades (question_bank::fraction_options_full), as its documentation lists them, and their negatives.
MOODLE_GRADES = [100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571]
MOODLE_GRADES += [12.5, 11.11111, 10, 5, 0]
MOODLE_GRADES += [-grade for grade in MOODLE_GRADES]


def is_moodle_grade(fraction: float) -> bool:
    return any(abs(fraction - grade) < 0.001 for grade in MOODLE_GRADES)  # Moodle: within 0.00001 of a fraction


# --- Moodle's reading of a cloze text (multianswer), ported from its regular expressions ---------------
# PHP's (?<!\\\\|&|&amp;) is three fixed-width look-behinds in Python.
ALTERNATIVE = r"(=|%(-?[0-9]+)%)?(.+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$))(#(.*?(?<!\\)(?=[~}]|$)))?"
SUBQUESTION = re.compile(r"\{([0-9]*):(SHORTANSWER|SA|MW):(" + ALTERNATIVE + r"(~" + ALTERNATIVE + r")*)\}", re.S)


def moodle_subquestions(text: str) -> list[tuple[int, str, str]]:
    """(weight, fraction, answer) of each subquestion, as Moodle's importer extracts them from the text."""
    found = []
    for match in SUBQUESTION.finditer(text):
        first = re.match(ALTERNATIVE, match.group(3), re.S)
        answer = html.unescape(first.group(3)).replace("\\}", "}").replace("\\#", "#")
        found.append((int(match.group(1) or 1), first.group(1), answer))
    return found


# --- reading the file ----------------------------------------------------------------------------------


def questions_of(data: bytes) -> list[tuple[str, ET.Element]]:
    """(category path, question element) of each question, in file order."""
    found, category = [], None
    for node in ET.fromstring(data).findall("question"):
        if node.get("type") == "category":
            category = node.findtext("category/text")
        else:
            found.append((category, node))
    return found


def text_of(node: ET.Element, path: str) -> str:
    """A text as the student reads it: our HTML unescaped (the XML is already decoded by ElementTree)."""
    return html.unescape(re.sub(r"<[^>]+>", "", node.findtext(path) or ""))


def answers(node: ET.Element) -> list[tuple[float, str]]:
    return [(float(a.get("fraction")), html.unescape(a.findtext("text") or "")) for a in node.findall("answer")]


# --- what Moodle must find, per response form -----------------------------------------------------------


def one_of(form: r.OneOf, node: ET.Element) -> None:
    assert (node.get("type"), node.findtext("single"), node.findtext("shuffleanswers")) == (
        "multichoice",
        "true",
        "true",
    )
    assert answers(node) == [(100.0 if o.correct else 0.0, o.text) for o in form.options]


def any_of(form: r.AnyOf, node: ET.Element) -> None:
    assert (node.get("type"), node.findtext("single")) == ("multichoice", "false")
    found = answers(node)
    # Right options earn a share, wrong ones cost a penalty (so ticking everything never scores full marks).
    assert [(fraction > 0, fraction < 0, text) for fraction, text in found] == [
        (o.correct, not o.correct, o.text) for o in form.options
    ]
    assert all(is_moodle_grade(fraction) for fraction, _ in found)
    assert round(sum(f for f, _ in found if f > 0) / 100, 2) == 1  # Moodle's check of the positive fractions
    assert sum(f for f, _ in found if f < 0) >= -100.001


def verdict(form: r.Verdict, node: ET.Element) -> None:
    assert node.get("type") == "truefalse"
    assert answers(node) == [(100.0 if form.answer else 0.0, "true"), (0.0 if form.answer else 100.0, "false")]
    if form.correction:
        assert all(
            html.escape(form.correction, quote=False) in a.findtext("feedback/text") for a in node.findall("answer")
        )


def typed(form: r.Typed, node: ET.Element) -> None:
    assert (node.get("type"), node.findtext("usecase")) == ("shortanswer", "0")
    assert [(f, node_text) for f, node_text in answers_plain(node)] == [(100.0, a) for a in form.accepted]


def answers_plain(node: ET.Element) -> list[tuple[float, str]]:
    return [(float(a.get("fraction")), a.findtext("text")) for a in node.findall("answer")]


def number(form: r.Number, node: ET.Element) -> None:
    assert node.get("type") == "numerical"
    (answer,) = node.findall("answer")
    value, tolerance = float(answer.findtext("text")), float(answer.findtext("tolerance"))
    assert (float(answer.get("fraction")), value, tolerance) == (100.0, form.value, form.tolerance)
    assert node.findtext("units/unit/unit_name", "") == form.unit


def gaps(form: r.Gaps, node: ET.Element) -> None:
    assert node.get("type") == "cloze"
    found = moodle_subquestions(node.findtext("questiontext/text"))
    assert [(fraction, answer) for _, fraction, answer in found] == [("=", gap.answer) for gap in form.gaps]


def pairs(form: r.Pairs, node: ET.Element) -> None:
    assert node.get("type") == "matching"
    found = [(text_of(s, "text"), s.findtext("answer/text")) for s in node.findall("subquestion")]
    assert found == [(pair.left, pair.right) for pair in form.pairs]


def order(form: r.Order, node: ET.Element) -> None:
    assert (node.get("type"), node.findtext("selecttype"), node.findtext("gradingtype")) == (
        "ordering",
        "ALL",
        "ABSOLUTE_POSITION",
    )
    assert [text for _, text in answers(node)] == list(form.items)  # qtype_ordering: the answers' order is the key


def open_answer(form: r.Open, node: ET.Element) -> None:
    assert node.get("type") == "essay"
    grader = html.unescape(node.findtext("graderinfo/text"))
    assert all(f"<li>{point}</li>" in grader for point in form.key_points)


CHECKS = {
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
    assert r.missing_forms(m.FORMS) == []
    assert r.missing_forms(CHECKS) == []
    assert FORMATS["moodle"] is m.FORMAT


def test_moodle_xml_parser_reads_the_keys_of_every_multichoice_and_cloze_question():
    from moodle_xml_parser.parser import parse_bytes

    content = shipped()
    by_uid = {q.uid: q for q in content.questions}
    output = io.StringIO()
    with redirect_stdout(output):  # the parser prints, rather than raises, what it cannot read
        parsed = parse_bytes(m.FORMAT.export(content.questions, content).data)
    assert output.getvalue() == ""
    for found in parsed["multichoice"]:
        form = response(by_uid[found.name])
        right = [o.text for o in form.options if o.correct]
        if found.single:
            assert [o.answer for o in found.options if o.score_fraction == 100] == right
            assert {o.score_fraction for o in found.options} == {100, 0}
        else:
            assert [o.answer for o in found.options if o.score_fraction > 0] == right
            assert round(sum(o.score_fraction for o in found.options if o.score_fraction > 0) / 100, 2) == 1
        assert found.default_grade == by_uid[found.name].points
    for found in parsed["cloze"]:
        question = by_uid[found.name]
        assert [(g.sub_type, g.options[0].answer, g.options[0].score) for g in found.gaps] == [
            ("SHORTANSWER", gap.answer, 100) for gap in response(question).gaps
        ]
        assert sum(g.sub_grade for g in found.gaps) == max(question.points, len(found.gaps))
    kinds = {"multichoice": len(parsed["multichoice"]), "cloze": len(parsed["cloze"])}
    print(f"Moodle XML (moodle-xml-parser): {kinds}, keys equal")


def test_every_question_of_the_shipped_content_reads_back_with_its_key_category_id_tags_and_points():
    content = shipped()
    exported = m.FORMAT.export(content.questions, content)
    found = questions_of(exported.data)
    assert [node.findtext("idnumber") for _, node in found] == [q.uid for q in content.questions]
    assert (exported.converted, exported.left_out, exported.warnings) == ((), (), ())
    for (category, node), question in zip(found, content.questions, strict=True):
        bank = content.bank(question.bank)
        assert category == f"$course$/top/{content.settings.course}/{bank.title}"
        assert node.findtext("name/text") == question.uid
        assert float(node.findtext("defaultgrade")) == question.points
        assert [t.findtext("text") for t in node.findall("tags/tag")] == list(question.tags)
        feedback = text_of(node, "generalfeedback/text")
        assert question.explanation in feedback
        assert all(passage.text in feedback for passage in question.source)
        assert content.articles[question.source[0].article].title in feedback
        r.dispatch(CHECKS, response(question), node)
    print(f"Moodle XML (ElementTree): {len(found)} read, {len(found)} keys equal")


class Tags(HTMLParser):
    """The element names an HTML text holds."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.names.add(tag)


OUR_TAGS = {"p", "br", "strong", "blockquote", "ul", "li"}


def test_hostile_bank_text_stays_text_in_well_formed_xml():
    questions = [hostile(q) for q in sample_questions()]
    cloze = next(q for q in questions if isinstance(response(q), r.Gaps))
    questions[questions.index(cloze)] = dataclasses.replace(cloze, prompt="A {{c1::a}b~c#d&e<f]]>}} b " + HOSTILE)
    content = content_of(questions)
    data = m.FORMAT.export(questions, content).data
    found = questions_of(data)  # well-formed: ElementTree parses it
    assert b"<![CDATA[" not in data and b"<script" not in data
    for _, node in found:
        for text in node.iter("text"):
            tags = Tags()
            tags.feed(text.text or "")
            assert tags.names <= OUR_TAGS
        assert HOSTILE in html.unescape(node.findtext("generalfeedback/text"))
    for (_, node), question in zip(found, questions, strict=True):
        r.dispatch(CHECKS, response(question), node)
    cloze_text = next(node for _, node in found if node.get("type") == "cloze").findtext("questiontext/text")
    assert [answer for _, _, answer in moodle_subquestions(cloze_text)] == ["a}b~c#d&e<f]]>"]


def test_a_category_name_with_a_slash_is_written_as_moodle_writes_it():
    content = content_of([sample_questions()[0]])
    category = ET.fromstring(m.FORMAT.export(list(content.questions), content).data).find("question")
    assert category.findtext("category/text") == "$course$/top/Course/Lock // bank"


def test_moodle_grades_for_shares_and_penalties():
    assert [share_of(n) for n in (1, 2, 3, 6, 7, 9, 11)] == [
        "100",
        "50",
        "33.33333",
        "16.66667",
        "14.28571",
        "11.11111",
        None,
    ]
    assert [penalty_for(n) for n in (1, 3, 11, 40)] == ["-100", "-33.33333", "-10", "-5"]
    assert sums_to_100(["33.33333"] * 3) and not sums_to_100(["30"] * 3)


def test_a_multiple_select_with_more_right_options_than_moodle_has_grades_for_is_left_out():
    many = MultipleSelect(
        bank="lock",
        id="many",
        kind="multiple_select",
        prompt="Pick",
        source=(),
        tags=(),
        answers=tuple(f"right {i}" for i in range(11)),
        distractors=("wrong",),
    )
    exported = m.FORMAT.export([many], content_of([many]))
    assert exported.left_out == ("lock/many",)
    assert [str(w) for w in exported.warnings] == [
        f"{BANK_PATH}:1:1: warning: question 'lock/many': Moodle XML: left out: 11 right options: Moodle has no grade of 1/11"
    ]


def test_cloze_marks_add_up_to_the_points():
    assert [m.gap_weights(n, p) for n, p in ((2, 2), (2, 3), (3, 1), (1, 4))] == [[1, 1], [2, 1], [1, 1, 1], [4]]
