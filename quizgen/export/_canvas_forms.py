"""Each response form as a Canvas Classic Quizzes item (QTI 1.2): its question_type, presentation and scoring.

The shapes are the ones text2qti writes for the types it knows (multiple
choice, multiple answers, true/false, short answer, numerical, essay) and the
ones Canvas itself exports for the rest (fill in multiple blanks, matching):
a `response_lid` or `response_str` named `response1` (or `response_<blank>`),
`varequal` conditions on the response labels' idents, and SCORE as a
percentage of `points_possible` (Set 100, or Add a share per blank or pair).
Bank text reaches Canvas as escaped HTML (quizgen.export.text.html_text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from quizgen.export import _qti as x
from quizgen.export.text import html_text, key_points_html, paragraph, right_order
from quizgen.kinds import response as r
from quizgen.kinds.base import Text
from quizgen.model import OPTION_LETTERS, Question, number_range
from quizgen.render.anki_html import shuffled

RESPONSE = "response1"
FULL = "100"


@dataclass
class CanvasItem:
    """What a form gives an item: its type, the HTML above the answers, presentation and conditions."""

    question_type: str
    text_html: str  # the question as Canvas shows it (bank text escaped), before the responses
    responses: list[Element]
    conditions: list[Element]
    feedback_html: list[str] = field(default_factory=list)  # after the explanation (corrections, key points)
    converted: str = ""


def html_lines(text: str) -> str:
    return paragraph(text)


def mattext(parent: Element, html: str, texttype: str = "text/html") -> Element:
    """<material><mattext> holding HTML as text: the serializer escapes it once, Canvas reads it as HTML."""
    return x.child(x.child(parent, "material"), "mattext", {"texttype": texttype}, html)


def response_lid(ident: str, cardinality: str, labels: list[tuple[str, str]], label_text: str = "") -> Element:
    """A choice response: its labels as (ident, html); `label_text` heads it (a blank's name, a left item)."""
    node = x.element("response_lid", {"ident": ident, "rcardinality": cardinality})
    if label_text:
        mattext(node, label_text, "text/plain")
    render = x.child(node, "render_choice")
    for label_ident, html in labels:
        mattext(x.child(render, "response_label", {"ident": label_ident}), html)
    return node


def response_str(fibtype: str = "") -> Element:
    node = x.element("response_str", {"ident": RESPONSE, "rcardinality": "Single"})
    render = x.child(node, "render_fib", {"fibtype": fibtype} if fibtype else {})
    x.child(render, "response_label", {"ident": "answer1", **({} if fibtype else {"rshuffle": "No"})})
    return node


def varequal(respident: str, value: str) -> Element:
    return x.element("varequal", {"respident": respident}, value)


def condition(tests: list[Element], score: str, action: str = "Set", carry_on: bool = False) -> Element:
    """A respcondition: when all `tests` hold (Canvas reads sibling varequals as any-of), SCORE `action` `score`."""
    node = x.element("respcondition", {"continue": "Yes" if carry_on else "No"})
    x.child(node, "conditionvar").extend(tests)
    x.child(node, "setvar", {"action": action, "varname": "SCORE"}, score)
    return node


def labelled(question: Question, texts: list[str], item_ident: str) -> list[tuple[str, str]]:
    return [(f"{item_ident}_{letter}", html_lines(text)) for letter, text in zip(OPTION_LETTERS, texts, strict=False)]


def one_of(response: r.OneOf, question: Question, t: Text, ident: str) -> CanvasItem:
    shown = shuffled(response.options, question.uid)
    labels = labelled(question, [option.text for option in shown], ident)
    right = next(label for label, option in zip(labels, shown, strict=True) if option.correct)[0]
    return CanvasItem(
        "multiple_choice_question",
        html_lines(question.prompt),
        [response_lid(RESPONSE, "Single", labels)],
        [condition([varequal(RESPONSE, right)], FULL)],
    )


def any_of(response: r.AnyOf, question: Question, t: Text, ident: str) -> CanvasItem:
    """All right and none wrong earns the points; Canvas's own partial-credit setting may then share them."""
    shown = shuffled(response.options, question.uid)
    labels = labelled(question, [option.text for option in shown], ident)
    both = x.element("and")
    for (label, _), option in zip(labels, shown, strict=True):
        if option.correct:
            both.append(varequal(RESPONSE, label))
        else:
            x.child(both, "not").append(varequal(RESPONSE, label))
    return CanvasItem(
        "multiple_answers_question",
        html_lines(question.prompt),
        [response_lid(RESPONSE, "Multiple", labels)],
        [condition([both], FULL)],
    )


def verdict(response: r.Verdict, question: Question, t: Text, ident: str) -> CanvasItem:
    labels = labelled(question, [t("answer.true"), t("answer.false")], ident)
    right = labels[0 if response.answer else 1][0]
    correction = [html_lines(t("export.correction", correction=response.correction))] if response.correction else []
    return CanvasItem(
        "true_false_question",
        html_lines(question.prompt),
        [response_lid(RESPONSE, "Single", labels)],
        [condition([varequal(RESPONSE, right)], FULL)],
        correction,
    )


def typed(response: r.Typed, question: Question, t: Text, ident: str) -> CanvasItem:
    """Every accepted spelling a varequal (Canvas compares short answers without case)."""
    return CanvasItem(
        "short_answer_question",
        html_lines(question.prompt),
        [response_str()],
        [condition([varequal(RESPONSE, spelling) for spelling in response.accepted], FULL)],
    )


def number(response: r.Number, question: Question, t: Text, ident: str) -> CanvasItem:
    """The value exactly, or anything between the decimal bounds (text2qti's form for `= value +- tolerance`)."""
    lowest, highest = number_range(response.value, response.tolerance)
    either = x.element("or")
    either.append(varequal(RESPONSE, number_range(response.value, 0)[0]))
    within = x.child(either, "and")
    x.child(within, "vargte", {"respident": RESPONSE}, lowest)
    x.child(within, "varlte", {"respident": RESPONSE}, highest)
    text = html_lines(question.prompt)
    if response.unit:
        text += html_lines(t("export.number_in", unit=response.unit))
    return CanvasItem("numerical_question", text, [response_str("Decimal")], [condition([either], FULL)])


def gaps(response: r.Gaps, question: Question, t: Text, ident: str) -> CanvasItem:
    """Fill in multiple blanks: [blankN] in the text, one response_lid per blank, each worth an equal share."""
    share = x.decimal(round(100 / len(response.gaps), 2))
    pieces, responses, conditions = [], [], []
    for piece in response.pieces:
        if isinstance(piece, str):
            pieces.append(_no_brackets(html_text(piece)))
            continue
        name = f"blank{len(responses) + 1}"
        pieces.append(f"[{name}]")
        labels = [(f"{ident}_{name}", html_text(piece.answer))]
        responses.append(response_lid(f"response_{name}", "Single", labels, name))
        conditions.append(condition([varequal(f"response_{name}", labels[0][0])], share, "Add", carry_on=True))
    hints = [html_lines(gap.hint) for gap in response.gaps if gap.hint]
    return CanvasItem(
        "fill_in_multiple_blanks_question", f"<p>{''.join(pieces)}</p>{''.join(hints)}", responses, conditions
    )


def _no_brackets(html: str) -> str:
    """Brackets in the text as character references: Canvas reads a bare [word] as one more blank."""
    return html.replace("[", "&#91;").replace("]", "&#93;")


def pairs(response: r.Pairs, question: Question, t: Text, ident: str) -> CanvasItem:
    """Matching: one response_lid per left item, offering every right item; each right pair a share."""
    rights = shuffled([pair.right for pair in response.pairs], question.uid, avoid_given_order=True)
    return _matching(question, [(p.left, p.right) for p in response.pairs], rights, ident, html_lines(question.prompt))


def order(response: r.Order, question: Question, t: Text, ident: str) -> CanvasItem:
    """Classic Quizzes has no ordering type: each item is matched to its position (1., 2., ...), a share each."""
    positions = [t("export.position", number=n) for n in range(1, len(response.items) + 1)]
    shown = shuffled(list(zip(response.items, positions, strict=True)), question.uid, avoid_given_order=True)
    item = _matching(question, shown, positions, ident, html_lines(question.prompt))
    item.feedback_html.append(html_lines(right_order(response, t)))
    item.converted = "Canvas Classic Quizzes has no ordering question: written as matching each item to its position"
    return item


def _matching(question: Question, pairs: list[tuple[str, str]], rights: list[str], ident: str, text: str) -> CanvasItem:
    right_labels = [(f"{ident}_R{i}", html_text(right)) for i, right in enumerate(rights, start=1)]
    label_of = {right: label for (label, _), right in zip(right_labels, rights, strict=True)}
    share = x.decimal(round(100 / len(pairs), 2))
    responses, conditions = [], []
    for i, (left, right) in enumerate(pairs, start=1):
        respident = f"response_{ident}_L{i}"
        responses.append(response_lid(respident, "Single", right_labels, html_text(left)))
        conditions.append(condition([varequal(respident, label_of[right])], share, "Add", carry_on=True))
    return CanvasItem("matching_question", text, responses, conditions)


def open_answer(response: r.Open, question: Question, t: Text, ident: str) -> CanvasItem:
    return CanvasItem(
        "essay_question",
        html_lines(question.prompt),
        [response_str()],
        [],
        [key_points_html(response.key_points, t)],
        converted="no automatic score: graded by hand; the key points are in the general feedback, "
        "which students see after submitting",
    )


FORMS = {
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
