"""Attack pass on the LMS exports: hostile text where a format parses it, keys that come out wrong."""

from __future__ import annotations

import dataclasses
import html
import re
import xml.etree.ElementTree as ET

from export_helpers import content_of, response
from helpers import sample_questions

from quizgen.export import moodle as m
from quizgen.kinds import response as r
from quizgen.model import ReadingSet

# Moodle's reading of a cloze text (question/type/multianswer/questiontype.php), as tests/test_export_moodle.py
# ports it (tests never import each other).
ALTERNATIVE = r"(=|%(-?[0-9]+)%)?(.+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$))(#(.*?(?<!\\)(?=[~}]|$)))?"
SUBQUESTION = re.compile(
    r"\{([0-9]*):(SHORTANSWER|SA|MW|MULTICHOICE|MC|NUMERICAL|NM):(" + ALTERNATIVE + r"(~" + ALTERNATIVE + r")*)\}",
    re.S,
)


def subquestions(text: str) -> list[str]:
    """The answer of each subquestion Moodle's importer finds in a cloze text."""
    found = []
    for match in SUBQUESTION.finditer(text):
        first = re.match(ALTERNATIVE, match.group(3), re.S)
        found.append(html.unescape(first.group(3)).replace("\\}", "}").replace("\\#", "#"))
    return found


def cloze_question():
    return next(q for q in sample_questions() if isinstance(response(q), r.Gaps))


def moodle_cloze_text(question, content) -> str:
    data = m.FORMAT.export([question], content).data
    node = next(n for n in ET.fromstring(data).findall("question") if n.get("type") == "cloze")
    return node.findtext("questiontext/text")


def test_a_reading_set_excerpt_cannot_add_a_subquestion_to_a_moodle_cloze():
    # The excerpt is quoted in the cloze's question text, which Moodle parses for {N:TYPE:...} everywhere:
    # an excerpt holding one gave the students an extra blank, graded, with the excerpt's "answer".
    question = dataclasses.replace(cloze_question(), set="s1")
    content = content_of([question])
    reading = ReadingSet("s1", "Set {1:MULTICHOICE:=t~u}", "He wrote {1:SHORTANSWER:=x} there.", "a")
    bank = dataclasses.replace(content.banks[0], sets=(reading,))
    content = dataclasses.replace(content, banks=(bank,))
    assert subquestions(moodle_cloze_text(question, content)) == ["Moscow", "2001"]


def test_a_cloze_answer_ending_in_a_backslash_still_closes_its_moodle_subquestion():
    # {1:SHORTANSWER:=C:\} : Moodle reads '\}' as an escaped brace, so the blank ran on into the text after it.
    question = dataclasses.replace(cloze_question(), prompt=r"Type {{c1::C:\}} then {{c2::D}} here")
    content = content_of([question])
    assert subquestions(moodle_cloze_text(question, content)) == ["C:\\", "D"]
