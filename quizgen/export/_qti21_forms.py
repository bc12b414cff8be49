"""Each response form as its QTI 2.1 interaction, with its key and its scoring (the table `INTERACTIONS`).

Options are put in a repeatable order drawn from the question's uid (the bank
lists the answer first); a player may shuffle choices again (shuffle="true"),
while matching and ordering keep the drawn order (never the right one).
Identifiers are given by position, so they say nothing about which is right.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from quizgen.export import _qti as x
from quizgen.export._qti21_rules import (
    Interaction,
    mapped_score,
    mapping,
    matches_key,
    response_declaration,
    score_when,
)
from quizgen.export.text import right_order
from quizgen.kinds import response as r
from quizgen.kinds.base import Text
from quizgen.model import OPTION_LETTERS, Question, format_number, number_range
from quizgen.render.anki_html import shuffled

RESPONSE = "RESPONSE"


def prompt(question: Question) -> Element:
    return x.add_lines(x.element("prompt"), question.prompt)


def paragraph(text: str) -> Element:
    return x.add_lines(x.element("p"), text)


def one_of(response: r.OneOf, question: Question, t: Text) -> Interaction:
    shown = shuffled(response.options, question.uid)
    ids = OPTION_LETTERS[: len(shown)]
    right = [ident for ident, option in zip(ids, shown, strict=True) if option.correct]
    body = choices(question, [option.text for option in shown], ids, max_choices=1, shuffle=True)
    declaration = response_declaration(RESPONSE, "single", "identifier", right)
    return Interaction([declaration], [body], [score_when(matches_key(RESPONSE), question.points)])


def any_of(response: r.AnyOf, question: Question, t: Text) -> Interaction:
    """Every right option earns its share of the points and every wrong one takes a share away, never below 0."""
    shown = shuffled(response.options, question.uid)
    ids = OPTION_LETTERS[: len(shown)]
    share = question.points / sum(option.correct for option in shown)
    entries = [(ident, share if option.correct else -share) for ident, option in zip(ids, shown, strict=True)]
    right = [ident for ident, option in zip(ids, shown, strict=True) if option.correct]
    body = choices(question, [option.text for option in shown], ids, max_choices=0, shuffle=True)
    declaration = response_declaration(RESPONSE, "multiple", "identifier", right, mapping(entries, question.points))
    return Interaction([declaration], [body], [mapped_score(RESPONSE)])


def verdict(response: r.Verdict, question: Question, t: Text) -> Interaction:
    body = choices(question, [t("answer.true"), t("answer.false")], ["TRUE", "FALSE"], max_choices=1, shuffle=False)
    declaration = response_declaration(RESPONSE, "single", "identifier", ["TRUE" if response.answer else "FALSE"])
    feedback = [paragraph(t("export.correction", correction=response.correction))] if response.correction else []
    return Interaction([declaration], [body], [score_when(matches_key(RESPONSE), question.points)], feedback)


def choices(question: Question, texts: list[str], ids: str | list[str], max_choices: int, shuffle: bool) -> Element:
    interaction = x.element(
        "choiceInteraction",
        {"responseIdentifier": RESPONSE, "shuffle": str(shuffle).lower(), "maxChoices": str(max_choices)},
    )
    interaction.append(prompt(question))
    for ident, text in zip(ids, texts, strict=True):
        x.add_lines(x.child(interaction, "simpleChoice", {"identifier": ident}), text)
    return interaction


def typed(response: r.Typed, question: Question, t: Text) -> Interaction:
    """Every accepted spelling is a mapEntry worth the points, compared without case."""
    spellings = _unique_casefold(response.accepted)
    declaration = response_declaration(
        RESPONSE,
        "single",
        "string",
        [response.accepted[0]],
        mapping([(spelling, question.points) for spelling in spellings], question.points, case_sensitive=False),
    )
    entry = text_entry(RESPONSE, max(len(spelling) for spelling in spellings))
    return Interaction([declaration], [paragraph(question.prompt), _holding(entry)], [mapped_score(RESPONSE)])


def number(response: r.Number, question: Question, t: Text) -> Interaction:
    """A float between the lowest and highest accepted answers, both included (`gte` and `lte`).

    Not `equal` with toleranceMode="absolute": the player we test with ignores the tolerance (it compares
    exactly), and bounds written in decimal ('10.65', '10.75') keep the edges exact where `value ± tolerance`
    in binary floats may not.
    """
    declaration = response_declaration(RESPONSE, "single", "float", [format_number(response.value)])
    body = [paragraph(question.prompt)]
    if response.unit:
        body.append(paragraph(t("export.number_in", unit=response.unit)))
    line = _holding(text_entry(RESPONSE, len(format_number(response.value)) + 2))
    if response.unit:
        x.append_text(line, f" {response.unit}")
    body.append(line)
    lowest, highest = number_range(response.value, response.tolerance)
    within = x.element("and")
    for test, bound in (("gte", lowest), ("lte", highest)):
        comparison = x.child(within, test)
        comparison.append(x.element("variable", {"identifier": RESPONSE}))
        comparison.append(x.element("baseValue", {"baseType": "float"}, bound))
    return Interaction([declaration], body, [score_when(within, question.points)])


def gaps(response: r.Gaps, question: Question, t: Text) -> Interaction:
    """One textEntryInteraction per blank, inside the text; each blank is worth an equal share of the points."""
    share = question.points / len(response.gaps)
    text = x.element("p")
    declarations, identifiers = [], []
    for piece in response.pieces:
        if isinstance(piece, str):
            x.add_lines(text, piece)
            continue
        identifier = f"{RESPONSE}_{len(identifiers) + 1}"
        identifiers.append(identifier)
        entries = [(piece.answer, share)]
        declarations.append(
            response_declaration(identifier, "single", "string", [piece.answer], mapping(entries, share, False))
        )
        text.append(text_entry(identifier, len(piece.answer), piece.hint))
    return Interaction(declarations, [text], [mapped_score(*identifiers)])


def pairs(response: r.Pairs, question: Question, t: Text) -> Interaction:
    """A matchInteraction of directed pairs (left -> right); each right pair earns an equal share of the points."""
    count = len(response.pairs)
    left_ids = [f"L{i}" for i in range(1, count + 1)]
    right_ids = [f"R{i}" for i in range(1, count + 1)]
    rights = shuffled([pair.right for pair in response.pairs], question.uid, avoid_given_order=True)
    right_id = {text: ident for ident, text in zip(right_ids, rights, strict=True)}
    keys = [f"{left} {right_id[pair.right]}" for left, pair in zip(left_ids, response.pairs, strict=True)]
    share = question.points / count
    declaration = response_declaration(
        RESPONSE, "multiple", "directedPair", keys, mapping([(key, share) for key in keys], question.points)
    )
    interaction = x.element(
        "matchInteraction", {"responseIdentifier": RESPONSE, "shuffle": "false", "maxAssociations": str(count)}
    )
    interaction.append(prompt(question))
    for ids, texts in ((left_ids, [pair.left for pair in response.pairs]), (right_ids, rights)):
        match_set = x.child(interaction, "simpleMatchSet")
        for ident, text in zip(ids, texts, strict=True):
            x.add_lines(x.child(match_set, "simpleAssociableChoice", {"identifier": ident, "matchMax": "1"}), text)
    return Interaction([declaration], [interaction], [mapped_score(RESPONSE)])


def order(response: r.Order, question: Question, t: Text) -> Interaction:
    """An orderInteraction: the points for the whole order right, else 0 (as on paper, where it is one answer)."""
    ids = [f"E{i}" for i in range(1, len(response.items) + 1)]
    shown = shuffled(list(zip(ids, response.items, strict=True)), question.uid, avoid_given_order=True)
    interaction = x.element("orderInteraction", {"responseIdentifier": RESPONSE, "shuffle": "false"})
    interaction.append(prompt(question))
    for ident, text in shown:
        x.add_lines(x.child(interaction, "simpleChoice", {"identifier": ident}), text)
    declaration = response_declaration(RESPONSE, "ordered", "identifier", ids)
    feedback = [paragraph(right_order(response, t))]
    return Interaction([declaration], [interaction], [score_when(matches_key(RESPONSE), question.points)], feedback)


def open_answer(response: r.Open, question: Question, t: Text) -> Interaction:
    """An extendedTextInteraction with no automatic score: the key points are the scorer's rubric."""
    declaration = x.element(
        "responseDeclaration", {"identifier": RESPONSE, "cardinality": "single", "baseType": "string"}
    )
    interaction = x.element("extendedTextInteraction", {"responseIdentifier": RESPONSE, "expectedLines": "8"})
    interaction.append(prompt(question))
    return Interaction(
        [declaration],
        [interaction],
        [],
        feedback=key_points(response, t),
        rubric=key_points(response, t),
        converted="no automatic score: graded by hand against the key points (in a rubricBlock for scorers)",
    )


def key_points(response: r.Open, t: Text) -> list[Element]:
    heading = x.element("p")
    x.child(heading, "strong", text=t("export.key_points"))
    points = x.element("ul")
    for point in response.key_points:
        x.add_lines(x.child(points, "li"), point)
    return [heading, points]


def text_entry(identifier: str, length: int, hint: str = "") -> Element:
    attributes = {"responseIdentifier": identifier, "expectedLength": str(max(length, 4))}
    if hint:
        attributes["placeholderText"] = hint
    return x.element("textEntryInteraction", attributes)


def _holding(entry: Element) -> Element:
    line = x.element("p")
    line.append(entry)
    return line


def _unique_casefold(spellings: tuple[str, ...]) -> list[str]:
    """The spellings, each once when case is ignored (the mapping compares without case)."""
    seen: dict[str, str] = {}
    for spelling in spellings:
        seen.setdefault(spelling.casefold(), spelling)
    return list(seen.values())


INTERACTIONS = {
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
