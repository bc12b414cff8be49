"""Attack pass on the LMS exports: hostile text where a format parses it, keys that come out wrong."""

from __future__ import annotations

import dataclasses
import html
import re
import xml.etree.ElementTree as ET

import pytest
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


# --- GIFT, read back by gift-pegjs --------------------------------------------------------------


def gift_questions(questions, tmp_path) -> list[dict]:
    import json
    import subprocess

    from conftest import ROOT

    from quizgen.export import gift as g

    path = tmp_path / "export.gift.txt"
    path.write_bytes(g.FORMAT.export(questions, content_of(questions)).data)
    parser = ROOT / "tests" / "js" / "parse-gift.js"
    run = subprocess.run(["node", str(parser), str(path)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    return [q for q in json.loads(run.stdout) if q["type"] != "Category"]


@pytest.mark.node
def test_an_option_that_starts_like_a_gift_weight_keeps_its_grade(tmp_path):
    # '=%50% of its trade' is GIFT for "half marks for 'of its trade'": the right answer earned half marks,
    # and a distractor '%100% sure' full marks (Moodle's own reader takes the same ^%N% weight).
    question = next(q for q in sample_questions() if isinstance(response(q), r.OneOf))
    question = dataclasses.replace(question, answer="%50% of its trade", distractors=("%100% sure", "D"))
    (found,) = gift_questions([question], tmp_path)
    assert [(c["isCorrect"], c["weight"], html.unescape(c["text"]["text"])) for c in found["choices"]] == [
        (True, None, "%50% of its trade"),
        (False, None, "%100% sure"),
        (False, None, "D"),
    ]


@pytest.mark.node
def test_a_tiny_numeric_answer_is_written_as_gift_can_read_it(tmp_path):
    # repr(0.00001) is '1e-05': gift-pegjs refused the whole file ("Expected '}' but 'e' found").
    question = next(q for q in sample_questions() if isinstance(response(q), r.Number))
    question = dataclasses.replace(question, answer=0.0000107, tolerance=0.00001)
    (found,) = gift_questions([question], tmp_path)
    assert found["choices"] == {"type": "range", "number": 0.0000107, "range": 0.00001}
