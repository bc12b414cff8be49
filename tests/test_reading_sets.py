"""Reading sets: an excerpt printed once with the 3 to 6 questions answered from it, in every output."""

from __future__ import annotations

import jsonschema
import pytest
from conftest import DATA, SOURCES

from quizgen.load.bank_format import json_schema
from quizgen.load.content import require_content
from quizgen.load.yamlio import parse, read_text
from quizgen.model import ReadingSet

SETS = DATA / "valid-sets"
BANK = SETS / "banks" / "sets.yaml"
SET_IDS = ["first-leader", "alliance-supplied", "spheres-opened"]


@pytest.fixture(scope="module")
def content():
    return require_content(SETS, SOURCES)


def test_a_bank_holds_its_sets_and_each_question_names_its_set(content):
    bank = content.bank("sets")
    assert [(s.id, s.title, s.article) for s in bank.sets] == [
        ("sept11-turn", "Ni on the months after September 11", "ni-2002")
    ]
    assert isinstance(bank.sets[0], ReadingSet)
    assert bank.sets[0].excerpt.startswith("The September 11 terrorist attacks on the United States, however,")
    assert [q.id for q in bank.set_questions("sept11-turn")] == SET_IDS
    assert {q.id: q.set for q in bank.questions}["treaty-signed"] == ""
    assert content.reading_set_of(bank.questions[1]) is bank.sets[0]
    assert content.reading_set_of(bank.questions[0]) is None


def test_the_json_schema_accepts_sets_and_refuses_unknown_set_keys():
    schema = json_schema()
    data = parse(read_text(BANK)).data
    jsonschema.validate(data, schema)
    data["sets"][0]["excerpts"] = "typo"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
