"""The QTI 2.1 package: valid against IMS's schemas, one item per question, keys where the bank puts them.

The player tests (test_export_qti21_player.py) prove a real player scores it;
these prove its shape without a browser: every item and the manifest validate
against the QTI 2.1 and content-packaging XSDs (tests/data/qti21-schema, read
with lxml), identifiers are unique NCNames, bank text stays text, and what the
format cannot hold is said in a warning.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from quizgen.export import FORMATS
from quizgen.export._qti import xml_ids
from quizgen.export._qti21_forms import INTERACTIONS
from quizgen.export.qti21 import FORMAT
from quizgen.export.text import counts_by_kind
from quizgen.kinds import response as r
from quizgen.load.content import require_content
from tests.helpers import HOSTILE, hostile_content

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "tests" / "data" / "qti21-schema"
VALID = ROOT / "tests" / "data" / "valid"
Q = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
NCNAME = r"[A-Za-z_][A-Za-z0-9_.-]*"


@pytest.fixture(scope="module")
def schemas():
    item = etree.XMLSchema(etree.parse(str(SCHEMAS / "qtiv2p1" / "imsqti_v2p1.xsd")))
    package = etree.XMLSchema(etree.parse(str(SCHEMAS / "imscp_v1p1.xsd")))
    return item, package


@pytest.fixture(scope="module")
def sample():
    return require_content(VALID)


@pytest.fixture(scope="module")
def shipped():
    return require_content(ROOT / "content")


def package_files(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def items_by_title(data: bytes) -> dict[str, etree._Element]:
    """uid -> the parsed assessmentItem (each item's title is its uid)."""
    parsed = [etree.fromstring(body) for name, body in package_files(data).items() if name.startswith("items/")]
    return {item.get("title"): item for item in parsed}


def test_the_format_is_found_and_maps_every_form():
    assert FORMATS["qti21"] is FORMAT
    assert r.missing_forms(INTERACTIONS) == []


@pytest.mark.parametrize("which", ["sample", "shipped"])
def test_every_item_and_the_manifest_are_valid_qti_2_1(schemas, which, request):
    content = request.getfixturevalue(which)
    item_schema, package_schema = schemas
    invalid = []
    for name, body in package_files(FORMAT.export(content.questions, content).data).items():
        schema = package_schema if name == "imsmanifest.xml" else item_schema
        if not schema.validate(etree.fromstring(body)):
            invalid.append(f"{name}: {schema.error_log.last_error}")
    assert invalid == []


def test_the_manifest_lists_one_item_resource_per_question_and_each_file_is_there(sample):
    files = package_files(FORMAT.export(sample.questions, sample).data)
    manifest = etree.fromstring(files["imsmanifest.xml"])
    ns = {"cp": "http://www.imsglobal.org/xsd/imscp_v1p1"}
    resources = manifest.findall(".//cp:resource", ns)
    assert [resource.get("type") for resource in resources] == ["imsqti_item_xmlv2p1"] * len(sample.questions)
    assert sorted(resource.get("href") for resource in resources) == sorted(n for n in files if n != "imsmanifest.xml")
    assert all(resource.find("cp:file", ns).get("href") == resource.get("href") for resource in resources)


def test_identifiers_are_unique_ncnames_even_when_uids_clean_to_one_name(sample):
    first = sample.questions[0]
    clashing = [
        dataclasses.replace(first, bank="a", id="b_c"),
        dataclasses.replace(first, bank="a_b", id="c"),
        dataclasses.replace(first, bank="2001", id="x.y"),
    ]
    assert list(xml_ids(clashing).values()) == ["a_b_c", "a_b_c-2", "q_2001_x.y"]


def test_the_key_is_the_correct_response(sample):
    items = items_by_title(FORMAT.export(sample.questions, sample).data)
    choice = items["sample/treaty-signed"]
    right = choice.find(f"{Q}responseDeclaration/{Q}correctResponse/{Q}value").text
    chosen = choice.find(f".//{Q}simpleChoice[@identifier='{right}']")
    assert chosen.text == "July 2001"
    typed = items["sample/pipeline-terminal"]
    entries = typed.findall(f".//{Q}mapEntry")
    assert [(e.get("mapKey"), e.get("caseSensitive")) for e in entries] == [("Daqing", "false"), ("Daqin", "false")]
    number = items["sample/trade-2001"]
    bounds = [value.text for value in number.findall(f"{Q}responseProcessing//{Q}and/*/{Q}baseValue")]
    assert bounds == ["10.65", "10.75"]


def test_bank_html_reaches_the_item_as_text_never_as_markup(sample):
    content = hostile_content(sample)
    body = package_files(FORMAT.export(content.questions, content).data)
    item = etree.fromstring(next(data for name, data in body.items() if "treaty-signed" in name))
    assert item.findall(".//{*}img") == [] and item.findall(".//{*}link") == []
    assert item.find(f".//{Q}prompt").text == HOSTILE
    assert HOSTILE in [choice.text for choice in item.iter(f"{Q}simpleChoice")]
    assert HOSTILE in [p.text for p in item.iter(f"{Q}p")]  # the explanation, in the feedback


def test_an_essay_is_exported_without_a_score_and_says_so(sample):
    exported = FORMAT.export(sample.questions, sample)
    assert exported.converted == ("sample/why-stand-with-us",)
    assert [(w.path, w.line, w.severity, w.message) for w in exported.warnings] == [
        (
            "tests/data/valid/banks/sample.yaml",
            question_line("why-stand-with-us"),
            "warning",
            "question 'sample/why-stand-with-us': QTI 2.1: no automatic score: graded by hand against the key "
            "points (in a rubricBlock for scorers)",
        )
    ]
    essay = items_by_title(exported.data)["sample/why-stand-with-us"]
    rubric = essay.find(f"{Q}itemBody/{Q}rubricBlock")
    assert rubric.get("view") == "scorer"
    assert essay.find(f"{Q}responseProcessing//{Q}setOutcomeValue[@identifier='SCORE']") is None


def test_the_same_questions_give_the_same_bytes(sample):
    assert FORMAT.export(sample.questions, sample).data == FORMAT.export(sample.questions, sample).data


def test_every_shipped_question_is_exported_and_only_essays_are_converted(shipped):
    exported = FORMAT.export(shipped.questions, shipped)
    counts = counts_by_kind(exported, shipped.questions)
    kinds = Counter(question.kind for question in shipped.questions)
    assert counts["left out"] == Counter()
    assert counts["converted"] == Counter({"essay": kinds["essay"]})
    assert counts["exported"] + counts["converted"] == kinds
    print("QTI 2.1:", {name: dict(count) for name, count in counts.items()})


def question_line(question_id: str) -> int:
    """The line where the sample bank's question starts: export warnings point there."""
    lines = (VALID / "banks" / "sample.yaml").read_text(encoding="utf-8").splitlines()
    return lines.index(f"  - id: {question_id}") + 1
