"""Moodle XML: every response form as one of Moodle's question types, with categories, ids, tags and feedback.

Bank text goes into Moodle as HTML that shows it and runs nothing (escaped by
`text.html_text`, then escaped again as XML by ElementTree's serializer, so a
`]]>` or `<script>` in a bank is text at both levels; no CDATA is written).
Where Moodle keeps an answer as plain text (short answers, matching answers)
the bank text is written as it stands: Moodle escapes plain text when it
shows it. Ordering uses qtype_ordering, shipped with Moodle 4.4 and later.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field

from quizgen.export import text as x
from quizgen.export._grades import penalty_for, share_of
from quizgen.export.base import Exported, ExportFormat
from quizgen.kinds import kind_of
from quizgen.kinds import response as r
from quizgen.kinds.base import Text
from quizgen.model import Content, Question, format_number
from quizgen.render.catalogue import english_text

PENALTY = "0.3333333"  # Moodle's default penalty per wrong try (interactive mode)


@dataclass(frozen=True)
class Context:
    content: Content
    t: Text


@dataclass
class Body:
    """What a form becomes in Moodle: its question type, text, type-specific elements and extra feedback."""

    qtype: str
    text_html: str
    fields: list[ET.Element] = field(default_factory=list)
    feedback_html: str = ""  # before the shared feedback: the correction, the order with its dates
    left_out: str = ""  # why Moodle cannot hold it ("" when it can)


# --- elements ------------------------------------------------------------------------


def element(tag: str, value: str = "", **attributes: str) -> ET.Element:
    node = ET.Element(tag, attributes)
    if value:
        node.text = value
    return node


def text_element(tag: str, value: str, text_format: str = "html", **attributes: str) -> ET.Element:
    """<tag format="html"><text>value</text></tag>: how Moodle XML holds every text."""
    attrs = {"format": text_format, **attributes} if text_format else attributes
    node = ET.Element(tag, attrs)
    node.append(element("text", value))
    return node


def answer(fraction: str, value: str, feedback_html: str = "", text_format: str = "html") -> ET.Element:
    node = text_element("answer", value, text_format, fraction=fraction)
    node.append(text_element("feedback", feedback_html))
    return node


def question_html(question: Question, ctx: Context, *more: str) -> str:
    """The reading set's excerpt (when there is one), the prompt, and any further HTML, all inert."""
    return x.reading_html(question, ctx.content) + x.paragraph(question.prompt) + "".join(more)


# --- one function per response form ---------------------------------------------------


def one_of(response: r.OneOf, question: Question, ctx: Context) -> Body:
    fields = [element("single", "true"), element("shuffleanswers", "true"), element("answernumbering", "abc")]
    fields += [answer("100" if o.correct else "0", x.html_text(o.text)) for o in response.options]
    return Body("multichoice", question_html(question, ctx), fields)


def any_of(response: r.AnyOf, question: Question, ctx: Context) -> Body:
    right = [o for o in response.options if o.correct]
    wrong = [o for o in response.options if not o.correct]
    share = share_of(len(right))
    if share is None:
        return Body("multichoice", "", left_out=f"{len(right)} right options: Moodle has no grade of 1/{len(right)}")
    penalty = penalty_for(len(wrong)) if wrong else "0"
    fields = [element("single", "false"), element("shuffleanswers", "true"), element("answernumbering", "abc")]
    fields += [answer(share if o.correct else penalty, x.html_text(o.text)) for o in response.options]
    return Body("multichoice", question_html(question, ctx), fields)


def verdict(response: r.Verdict, question: Question, ctx: Context) -> Body:
    correction = x.paragraph(ctx.t("export.correction", correction=response.correction)) if response.correction else ""
    fields = [
        answer("100" if response.answer else "0", "true", correction, "moodle_auto_format"),
        answer("0" if response.answer else "100", "false", correction, "moodle_auto_format"),
    ]
    return Body("truefalse", question_html(question, ctx), fields, correction)


def typed(response: r.Typed, question: Question, ctx: Context) -> Body:
    fields = [element("usecase", "0")]
    fields += [answer("100", spelling, text_format="moodle_auto_format") for spelling in response.accepted]
    return Body("shortanswer", question_html(question, ctx), fields)


def number(response: r.Number, question: Question, ctx: Context) -> Body:
    node = answer("100", format_number(response.value), text_format="moodle_auto_format")
    node.append(element("tolerance", format_number(response.tolerance)))
    fields = [node]
    if response.unit:
        unit = element("unit")
        unit.append(element("multiplier", "1"))
        unit.append(element("unit_name", response.unit))
        units = element("units")
        units.append(unit)
        # The unit is printed beside the answer, never typed or graded (unitgradingtype 0, showunits 3).
        fields += [units, element("unitgradingtype", "0"), element("unitpenalty", "0.1000000")]
        fields += [element("showunits", "3"), element("unitsleft", "0")]
    unit_line = x.paragraph(ctx.t("export.number_in", unit=response.unit)) if response.unit else ""
    return Body("numerical", question_html(question, ctx, unit_line), fields)


def gaps(response: r.Gaps, question: Question, ctx: Context) -> Body:
    weights = gap_weights(len(response.gaps), question.points)
    pieces, weight = [], iter(weights)
    for piece in response.pieces:
        pieces.append(cloze_text(piece) if isinstance(piece, str) else subquestion(piece, next(weight)))
    # Moodle parses the whole text for subquestions: the excerpt too must hold no brace of its own.
    reading = x.reading_html(question, ctx.content).translate(CLOZE_ENTITIES)
    body = reading + "<p>" + "".join(pieces) + "</p>"
    return Body("cloze", body)


def pairs(response: r.Pairs, question: Question, ctx: Context) -> Body:
    fields = [element("shuffleanswers", "true")]
    for pair in response.pairs:
        sub = text_element("subquestion", x.html_text(pair.left))
        sub.append(text_element("answer", pair.right, ""))  # plain text: Moodle shows it escaped
        fields.append(sub)
    return Body("matching", question_html(question, ctx), fields)


def order(response: r.Order, question: Question, ctx: Context) -> Body:
    fields = [element("layouttype", "VERTICAL"), element("selecttype", "ALL")]
    fields += [element("selectcount", str(len(response.items))), element("gradingtype", "ABSOLUTE_POSITION")]
    fields += [element("showgrading", "SHOW"), element("numberingstyle", "none")]
    # qtype_ordering reads the right order from the order of the answers.
    fields += [answer(f"{place}.0000000", x.html_text(item)) for place, item in enumerate(response.items, start=1)]
    return Body("ordering", question_html(question, ctx), fields, right_order_html(response, ctx.t))


def open_answer(response: r.Open, question: Question, ctx: Context) -> Body:
    grader = x.key_points_html(response.key_points, ctx.t)
    fields = [element("responseformat", "editor"), element("responserequired", "1")]
    fields += [element("responsefieldlines", "15"), element("attachments", "0"), element("attachmentsrequired", "0")]
    fields += [text_element("graderinfo", grader), text_element("responsetemplate", "")]
    return Body("essay", question_html(question, ctx), fields)


FORMS: dict[type, Callable[..., Body]] = {
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


# --- cloze (multianswer) text ------------------------------------------------------------

# Moodle reads {N:TYPE:...} in the whole text; an answer ends at an unescaped ~ # or } (a backslash
# escapes the next one, so an answer ending in one would never end). As HTML entities these characters
# are text to Moodle's parser, which decodes entities in answers.
CLOZE_ENTITIES = str.maketrans({"{": "&#123;", "}": "&#125;", "~": "&#126;", "#": "&#35;", "\\": "&#92;"})


def cloze_text(value: str) -> str:
    """Text around the blanks: inert HTML in which no brace can start a subquestion."""
    return x.html_text(value).translate(CLOZE_ENTITIES)


def subquestion(gap: r.Gap, weight: int) -> str:
    """{weight:SHORTANSWER:=answer}, the answer entity-encoded; the hint, if any, follows in brackets."""
    answer_text = html.escape(gap.answer, quote=False).translate(CLOZE_ENTITIES)
    hint = f" ({cloze_text(gap.hint)})" if gap.hint else ""
    return f"{{{weight}:SHORTANSWER:={answer_text}}}{hint}"


def gap_weights(count: int, points: int) -> list[int]:
    """Whole marks per blank that add up to the question's points (Moodle's mark is their sum)."""
    if points < count:
        return [1] * count
    base, extra = divmod(points, count)
    return [base + 1 if i < extra else base for i in range(count)]


def right_order_html(response: r.Order, t: Text) -> str:
    return x.paragraph(x.right_order(response, t))


# --- the file -------------------------------------------------------------------------------


def category_path(question: Question, content: Content) -> str:
    """$course$/top/<course>/<bank title>; a slash inside a name is doubled, as Moodle writes it."""
    return "/".join(["$course$", "top", *(name.replace("/", "//") for name in x.category_names(question, content))])


def category(question: Question, content: Content) -> ET.Element:
    node = element("question", type="category")
    node.append(text_element("category", category_path(question, content), ""))
    node.append(text_element("info", x.html_text(content.bank(question.bank).description)))
    return node


def question_element(question: Question, body: Body, ctx: Context) -> ET.Element:
    node = element("question", type=body.qtype)
    node.append(text_element("name", question.uid, ""))
    node.append(text_element("questiontext", body.text_html))
    node.append(text_element("generalfeedback", body.feedback_html + x.feedback_html(question, ctx.content, ctx.t)))
    node.append(element("defaultgrade", str(question.points)))
    node.append(element("penalty", PENALTY))
    node.append(element("hidden", "0"))
    node.append(element("idnumber", question.uid))
    node.extend(body.fields)
    if question.tags:
        tags = element("tags")
        tags.extend(text_element("tag", tag, "") for tag in question.tags)
        node.append(tags)
    return node


class MoodleXML(ExportFormat):
    name = "moodle"
    suffix = ".moodle.xml"
    title = "Moodle XML"

    def export(self, questions: list[Question], content: Content, t: Text = english_text) -> Exported:
        """One <quiz> of every question, each bank's under its category."""
        ctx, tally = Context(content, t), x.Tally(content, self.title)
        quiz, current = element("quiz"), None
        for question in questions:
            body = r.dispatch(FORMS, kind_of(question).response(question), question, ctx)
            if body.left_out:
                tally.leave_out(question, body.left_out)
                continue
            if question.bank != current:
                quiz.append(category(question, content))
                current = question.bank
            quiz.append(question_element(question, body, ctx))
            tally.wrote(question)
        ET.indent(quiz)
        return tally.result(ET.tostring(quiz, encoding="UTF-8", xml_declaration=True) + b"\n")


FORMAT = MoodleXML()
