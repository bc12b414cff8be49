"""The pieces QTI 2.1 items are made of: declarations, mappings and response-processing rules.

Scoring is written out in full rather than by template URI (match_correct,
map_response), so that SCORE runs from 0 to the question's points whatever the
player: the template's rules, scaled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from quizgen.export import _qti as x
from quizgen.model import format_number

SOLUTION = "SOLUTION"  # the FEEDBACK outcome's value once answered: shows the explanation and sources


@dataclass
class Interaction:
    """What a response form adds to an item: declarations, body, scoring rules, feedback lines, a conversion note."""

    declarations: list[Element]
    body: list[Element]
    scoring: list[Element]
    feedback: list[Element] = field(default_factory=list)
    rubric: list[Element] = field(default_factory=list)
    converted: str = ""  # why the item is not what the bank holds, "" when it is


def outcome(identifier: str, base_type: str, default: str = "") -> Element:
    node = x.element("outcomeDeclaration", {"identifier": identifier, "cardinality": "single", "baseType": base_type})
    if default:
        x.child(x.child(node, "defaultValue"), "value", text=default)
    return node


def response_declaration(
    identifier: str, cardinality: str, base_type: str, correct: list[str], mapping: Element | None = None
) -> Element:
    node = x.element(
        "responseDeclaration", {"identifier": identifier, "cardinality": cardinality, "baseType": base_type}
    )
    right = x.child(node, "correctResponse")
    for value in correct:
        x.child(right, "value", text=value)
    if mapping is not None:
        node.append(mapping)
    return node


def mapping(entries: list[tuple[str, float]], upper: float, case_sensitive: bool = True) -> Element:
    """A mapping: each key's share of the points; unlisted answers 0; the total bounded by 0 and the points."""
    node = x.element("mapping", {"lowerBound": "0", "upperBound": x.decimal(upper), "defaultValue": "0"})
    for key, value in entries:
        entry = {"mapKey": key, "mappedValue": x.decimal(value)}
        if not case_sensitive:
            entry["caseSensitive"] = "false"
        x.child(node, "mapEntry", entry)
    return node


def base_value(base_type: str, value: str) -> Element:
    return x.element("baseValue", {"baseType": base_type}, value)


def variable(identifier: str) -> Element:
    return x.element("variable", {"identifier": identifier})


def set_outcome(identifier: str, expression: Element) -> Element:
    node = x.element("setOutcomeValue", {"identifier": identifier})
    node.append(expression)
    return node


def score_when(condition: Element, points: int) -> Element:
    """SCORE is the points when `condition` holds, else 0 (the match_correct template's rule, scaled)."""
    rule = x.element("responseCondition")
    when = x.child(rule, "responseIf")
    when.append(condition)
    when.append(set_outcome("SCORE", base_value("float", format_number(points))))
    x.child(rule, "responseElse").append(set_outcome("SCORE", base_value("float", "0")))
    return rule


def matches_key(identifier: str) -> Element:
    node = x.element("match")
    node.append(variable(identifier))
    node.append(x.element("correct", {"identifier": identifier}))
    return node


def mapped_score(*identifiers: str) -> Element:
    """SCORE is the sum of the responses' mapped values."""
    total = x.element("sum")
    for identifier in identifiers:
        total.append(x.element("mapResponse", {"identifier": identifier}))
    return set_outcome("SCORE", total)
