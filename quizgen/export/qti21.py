"""QTI 2.1: an IMS content package with one assessmentItem per question, scored by any standard player.

Each response form becomes the QTI interaction it was named after, with a
responseDeclaration (the key as correctResponse, and a mapping where several
answers count) and response processing written out in full rather than by
template URI, so that SCORE runs from 0 to the question's points (declared as
MAXSCORE). The explanation and the source passages come back after answering
as modalFeedback. An essay has no automatic score: its key points go in a
rubricBlock for scorers, and the export says so in a warning.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from quizgen.export import _qti as x
from quizgen.export._qti21_forms import INTERACTIONS
from quizgen.export._qti21_rules import SOLUTION, Interaction, base_value, outcome, set_outcome
from quizgen.export.base import Exported, ExportFormat
from quizgen.export.text import Tally, citation, passages
from quizgen.kinds import kind_of
from quizgen.kinds import response as r
from quizgen.kinds.base import Text
from quizgen.model import Content, Question, format_number
from quizgen.render.catalogue import english_text

NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
SCHEMA = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP_SCHEMA = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
ITEM_TYPE = "imsqti_item_xmlv2p1"


class Qti21(ExportFormat):
    name = "qti21"
    suffix = ".qti21.zip"  # beside the Canvas zip in output/lms/
    title = "QTI 2.1"

    def export(self, questions: list[Question], content: Content, t: Text = english_text) -> Exported:
        tally = Tally(content, self.title)
        ids = x.xml_ids(questions)
        files = []
        for question in questions:
            interaction = r.dispatch(INTERACTIONS, kind_of(question).response(question), question, t)
            item = assessment_item(question, content, t, ids[question.uid], interaction)
            files.append((item_path(ids[question.uid]), x.xml_bytes(item)))
            if interaction.converted:
                tally.convert(question, interaction.converted)
            else:
                tally.wrote(question)
        manifest = package_manifest(content, [ids[question.uid] for question in questions])
        return tally.result(x.zip_bytes([("imsmanifest.xml", x.xml_bytes(manifest)), *files]))


def item_path(identifier: str) -> str:
    return f"items/{identifier}.xml"


# ---- the item ---------------------------------------------------------------------------------


def assessment_item(question: Question, content: Content, t: Text, identifier: str, part: Interaction) -> Element:
    """One question as an assessmentItem, in the order the schema wants its parts."""
    item = x.element("assessmentItem", _root_attributes(identifier, question, content))
    item.extend(part.declarations)
    item.append(outcome("SCORE", "float", "0"))
    item.append(outcome("MAXSCORE", "float", format_number(question.points)))
    item.append(outcome("FEEDBACK", "identifier"))
    body = x.child(item, "itemBody")
    if part.rubric:
        x.child(body, "rubricBlock", {"view": "scorer"}).extend(part.rubric)
    body.extend(reading(question, content))
    body.extend(part.body)
    processing = x.child(item, "responseProcessing")
    processing.extend(part.scoring)
    processing.append(set_outcome("FEEDBACK", base_value("identifier", SOLUTION)))
    item.append(modal_feedback(question, content, t, part.feedback))
    return item


def _root_attributes(identifier: str, question: Question, content: Content) -> dict[str, str]:
    return {
        "xmlns": NS,
        "xmlns:xsi": x.XSI,
        "xsi:schemaLocation": f"{NS} {SCHEMA}",
        "identifier": identifier,
        "title": question.uid,
        "label": question.kind,
        "xml:lang": content.settings.language,
        "adaptive": "false",
        "timeDependent": "false",
    }


def reading(question: Question, content: Content) -> list[Element]:
    """The reading set's excerpt the question is answered from, before it."""
    reading_set = content.reading_set_of(question)
    if reading_set is None:
        return []
    block = x.element("div", {"class": "reading"})
    if reading_set.title:
        x.child(x.child(block, "p"), "strong", text=reading_set.title)
    x.add_lines(x.child(x.child(block, "blockquote"), "p"), reading_set.excerpt)
    return [block]


def modal_feedback(question: Question, content: Content, t: Text, extra: list[Element]) -> Element:
    """The explanation, what the form adds (the correction, the order, the key points), each passage and its citation."""
    feedback = x.element("modalFeedback", {"outcomeIdentifier": "FEEDBACK", "identifier": SOLUTION, "showHide": "show"})
    if question.explanation:
        x.add_lines(x.child(feedback, "p"), question.explanation)
    feedback.extend(extra)
    quoted = passages(question, content)
    if quoted:
        x.child(x.child(feedback, "p"), "strong", text=t("export.source"))
    for i, (text, article) in enumerate(quoted):
        x.add_lines(x.child(x.child(feedback, "blockquote"), "p"), text)
        if i + 1 == len(quoted) or quoted[i + 1][1] is not article:  # one citation after each article's run
            x.child(feedback, "p", text=citation(article, t))
    if not len(feedback):
        x.child(feedback, "p", text=question.uid)  # modalFeedback may not be empty
    return feedback


FORMAT = Qti21()


def package_manifest(content: Content, identifiers: list[str]) -> Element:
    """The content package's manifest: one resource per item."""
    manifest, resources = x.content_package("MANIFEST-quizgen", CP_NS, CP_SCHEMA, "QTIv2.1 Package", "1.0.0")
    for identifier in identifiers:
        resource = x.child(resources, "resource", {"identifier": identifier, "type": ITEM_TYPE})
        resource.set("href", item_path(identifier))
        x.child(resource, "file", {"href": item_path(identifier)})
    return manifest
