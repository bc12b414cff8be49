"""`quizgen schema` describes the bank format: valid banks pass it, structurally broken ones fail."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from conftest import CONTENT, INVALID, VALID

from quizgen.cli import main
from quizgen.load.bank_format import json_schema
from quizgen.load.content import read_tags

# Broken in structure, which a schema can express; the other fixtures break rules that only
# `quizgen validate` checks (verbatim sources, leaks, answer among distractors, options that
# differ only in case, YAML itself).
STRUCTURAL = [
    "unknown-key",
    "wrong-type",
    "missing-answer",
    "too-few-distractors",
    "bad-id",
    "unknown-kind",
    "unknown-tag",
    "not-a-mapping",
    "false-without-correction",
]


@pytest.fixture(scope="module")
def schema():
    return json_schema(sorted(read_tags(CONTENT / "tags.yaml")))


def test_cli_prints_the_same_schema(schema, capsys):
    assert main(["schema", "--content", str(CONTENT)]) == 0
    assert json.loads(capsys.readouterr().out) == schema


def banks_in(folder):
    return sorted((folder / "banks").glob("*.yaml"))


def test_schema_is_a_valid_json_schema(schema):
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", banks_in(CONTENT) + banks_in(VALID), ids=lambda p: p.name)
def test_every_real_bank_passes_the_schema(schema, path):
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)


@pytest.mark.parametrize("case", STRUCTURAL)
def test_structurally_broken_banks_fail_the_schema(schema, case):
    data = yaml.safe_load((INVALID / f"{case}.yaml").read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
