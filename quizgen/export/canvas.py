"""Canvas: QTI 1.2 as Canvas Classic Quizzes imports it, in the package form text2qti writes.

A zip with `imsmanifest.xml`, one folder holding the assessment
(`<questestinterop>`, one item per question with Canvas's `question_type`
and `points_possible`) and `assessment_meta.xml` (the quiz's settings). Each
response form maps to a Canvas question type (quizgen/export/_canvas_forms.py);
ordering, which Classic Quizzes lacks, becomes matching of items to positions,
and essays keep their key points in the feedback; both say so in a warning.
"""

from __future__ import annotations

import hashlib
from xml.etree.ElementTree import Element

from quizgen.export import _qti as x
from quizgen.export._canvas_forms import FORMS, CanvasItem, mattext
from quizgen.export.base import Exported, ExportFormat
from quizgen.export.text import Tally, feedback_html, reading_html
from quizgen.kinds import kind_of
from quizgen.kinds import response as r
from quizgen.kinds.base import Text
from quizgen.model import Content, Question, format_number
from quizgen.render.catalogue import english_text

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
QTI_SCHEMA = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
CP_SCHEMA = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
META_NS = "http://canvas.instructure.com/xsd/cccv1p0"
META_SCHEMA = "https://canvas.instructure.com/xsd/cccv1p0.xsd"
FEEDBACK = "general_fb"


class Canvas(ExportFormat):
    name = "canvas"
    suffix = ".canvas.zip"
    title = "Canvas QTI 1.2"

    def export(self, questions: list[Question], content: Content, t: Text = english_text) -> Exported:
        tally = Tally(content, self.title)
        ids = x.xml_ids(questions)
        quiz_id = "quizgen_" + hashlib.sha256("\n".join(ids.values()).encode()).hexdigest()[:16]
        section = x.element("section", {"ident": "root_section"})
        for question in questions:
            form = r.dispatch(FORMS, kind_of(question).response(question), question, t, ids[question.uid])
            section.append(item(question, content, t, ids[question.uid], form))
            if form.converted:
                tally.convert(question, form.converted)
            else:
                tally.wrote(question)
        points = sum(question.points for question in questions)
        folder = quiz_id
        files = [
            ("imsmanifest.xml", x.xml_bytes(manifest(quiz_id, folder))),
            (f"{folder}/{quiz_id}.xml", x.xml_bytes(assessment(quiz_id, content, section))),
            (f"{folder}/assessment_meta.xml", x.xml_bytes(quiz_meta(quiz_id, content, points))),
        ]
        return tally.result(x.zip_bytes(files))


def item(question: Question, content: Content, t: Text, ident: str, form: CanvasItem) -> Element:
    """One question as a Canvas item: metadata, presentation, scoring, feedback."""
    node = x.element("item", {"ident": ident, "title": question.uid})
    metadata = x.child(x.child(node, "itemmetadata"), "qtimetadata")
    for label, entry in (
        ("question_type", form.question_type),
        ("points_possible", format_number(question.points)),
        ("original_answer_ids", ",".join(answer_ids(form))),
        ("assessment_question_identifierref", f"{ident}_ref"),
    ):
        field = x.child(metadata, "qtimetadatafield")
        x.child(field, "fieldlabel", text=label)
        x.child(field, "fieldentry", text=entry)
    presentation = x.child(node, "presentation")
    mattext(presentation, reading_html(question, content) + form.text_html)
    presentation.extend(form.responses)
    processing = x.child(node, "resprocessing")
    outcomes = x.child(processing, "outcomes")
    x.child(outcomes, "decvar", {"maxvalue": "100", "minvalue": "0", "varname": "SCORE", "vartype": "Decimal"})
    show = x.child(processing, "respcondition", {"continue": "Yes"})
    x.child(x.child(show, "conditionvar"), "other")
    x.child(show, "displayfeedback", {"feedbacktype": "Response", "linkrefid": FEEDBACK})
    processing.extend(form.conditions)
    feedback = x.child(node, "itemfeedback", {"ident": FEEDBACK})
    # The form's own feedback (a correction, the right order, the key points) first, then explanation and sources.
    mattext(x.child(feedback, "flow_mat"), "".join(form.feedback_html) + feedback_html(question, content, t))
    return node


def answer_ids(form: CanvasItem) -> list[str]:
    """Every response label's ident, once each, in order (Canvas's own exports list them)."""
    found = [label.get("ident") for response in form.responses for label in response.iter("response_label")]
    return [ident for i, ident in enumerate(found) if ident not in found[:i] and ident != "answer1"]


def assessment(quiz_id: str, content: Content, section: Element) -> Element:
    root = x.element(
        "questestinterop", {"xmlns": QTI_NS, "xmlns:xsi": x.XSI, "xsi:schemaLocation": f"{QTI_NS} {QTI_SCHEMA}"}
    )
    test = x.child(root, "assessment", {"ident": quiz_id, "title": content.settings.course})
    field = x.child(x.child(test, "qtimetadata"), "qtimetadatafield")
    x.child(field, "fieldlabel", text="cc_maxattempts")
    x.child(field, "fieldentry", text="1")
    test.append(section)
    return root


def quiz_meta(quiz_id: str, content: Content, points: int) -> Element:
    """assessment_meta.xml: the quiz's title and settings, as Canvas reads them on import."""
    quiz = x.element(
        "quiz",
        {"identifier": quiz_id, "xmlns": META_NS, "xmlns:xsi": x.XSI, "xsi:schemaLocation": f"{META_NS} {META_SCHEMA}"},
    )
    for tag, value in (
        ("title", content.settings.course),
        ("description", ""),
        ("shuffle_answers", "true"),
        ("scoring_policy", "keep_highest"),
        ("quiz_type", "assignment"),
        ("points_possible", format_number(points)),
        ("show_correct_answers", "true"),
        ("allowed_attempts", "1"),
        ("one_question_at_a_time", "false"),
        ("cant_go_back", "false"),
        ("available", "false"),
    ):
        x.child(quiz, tag, text=value)
    return quiz


def manifest(quiz_id: str, folder: str) -> Element:
    """The package manifest: the assessment, and its settings file as associated content."""
    root, resources = x.content_package(f"{quiz_id}_manifest", CP_NS, CP_SCHEMA, "IMS Content", "1.1.3")
    test = x.child(resources, "resource", {"identifier": quiz_id, "type": "imsqti_xmlv1p2"})
    x.child(test, "file", {"href": f"{folder}/{quiz_id}.xml"})
    x.child(test, "dependency", {"identifierref": f"{quiz_id}_meta"})
    meta = x.child(
        resources,
        "resource",
        {
            "identifier": f"{quiz_id}_meta",
            "type": "associatedcontent/imscc_xmlv1p1/learning-application-resource",
            "href": f"{folder}/assessment_meta.xml",
        },
    )
    x.child(meta, "file", {"href": f"{folder}/assessment_meta.xml"})
    return root


FORMAT = Canvas()
