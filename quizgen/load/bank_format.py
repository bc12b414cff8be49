"""The bank format: the fields every question has plus each kind's own, and its JSON Schema for editors.

Both the loader and `quizgen schema` read `fields_for`, so the checks and the
editor schema cannot drift apart.
"""

from __future__ import annotations

import difflib
from typing import Any

from quizgen.kinds import KIND_NAMES, KINDS
from quizgen.load.schema import (
    BANK_FIELDS,
    COMMON_FIELDS,
    DATE,
    EVENT_FIELDS,
    PAIR_FIELDS,
    PASSAGE_FIELDS,
    RETIRED_FIELDS,
    SET_FIELDS,
    SLUG,
    Field,
    refuse_controls,
)


def check_kind(value: Any, raw: str | None) -> str:
    if isinstance(value, str):
        refuse_controls(value)
    if not isinstance(value, str) or value not in KINDS:
        close = difflib.get_close_matches(str(value), KIND_NAMES, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise ValueError(f"'{value}' is not a kind{hint}")
    return value


KIND_FIELD = Field(
    "kind",
    "kind",
    True,
    description="the question kind",
    checker=check_kind,
    expected="one of " + ", ".join(KIND_NAMES),
)
QUESTION_FIELDS = tuple(KIND_FIELD if spec.name == "kind" else spec for spec in COMMON_FIELDS)


def fields_for(kind: str) -> tuple[Field, ...]:
    """The keys a question of this kind may have; for an unknown kind, any kind's keys (so only
    the kind itself is reported)."""
    if kind in KINDS:
        return QUESTION_FIELDS + KINDS[kind].fields
    optional = {spec.name: Field(spec.name, "any") for declared in KINDS.values() for spec in declared.fields}
    return QUESTION_FIELDS + tuple(optional.values())


# --- JSON Schema, for editors ------------------------------------------------------


def json_schema(tags: list[str] | None = None) -> dict:
    """A JSON Schema (draft 2020-12) of a bank file, built from the same fields the loader checks."""
    question_variants = [
        _object_schema(fields_for(name), tags, name) | kind.schema_rules for name, kind in KINDS.items()
    ]
    bank = _object_schema(BANK_FIELDS, tags)
    bank["properties"]["questions"] = {"type": "array", "minItems": 1, "items": {"oneOf": question_variants}}
    bank["properties"]["sets"] |= {"items": _object_schema(SET_FIELDS, tags)}
    bank["properties"]["retired"] |= {"items": _object_schema(RETIRED_FIELDS, tags)}
    bank["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    bank["title"] = "quizgen question bank"
    return bank


def _object_schema(fields: tuple[Field, ...], tags: list[str] | None, kind: str | None = None) -> dict:
    properties = {field.name: _value_schema(field, tags) for field in fields}
    if kind:
        properties["kind"] = {"const": kind, "description": f"a {kind} question"}
    return {
        "type": "object",
        "properties": properties,
        "required": [field.name for field in fields if field.required],
        "additionalProperties": False,
    }


def _value_schema(field: Field, tags: list[str] | None) -> dict:
    schema = dict(_compound_schema(field.type, tags) or _SIMPLE_SCHEMAS[field.type])
    if field.type == "tags" and tags:
        schema["items"] = {"enum": tags}
    if field.min_items:
        schema["minItems"] = field.min_items
    if field.description:
        schema["description"] = field.description
    return schema


_TEXT_SCHEMA = {"type": ["string", "number", "boolean"], "minLength": 1}
_SIMPLE_SCHEMAS = {
    "slug": {"type": "string", "pattern": f"^{SLUG.pattern}$"},
    "kind": {"enum": list(KIND_NAMES)},
    "text": _TEXT_SCHEMA,
    "text_or_empty": {"type": ["string", "number", "null"]},
    "bool": {"type": "boolean"},
    "number": {"type": "number"},
    "difficulty": {"type": "integer", "minimum": 1, "maximum": 3},
    "points": {"type": "integer", "minimum": 1},
    "date": {"type": ["string", "integer"], "pattern": f"^{DATE.pattern}$"},
    "text_list": {"type": "array", "items": _TEXT_SCHEMA, "uniqueItems": True},
    "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
    "list": {"type": "array"},
    "mapping": {"type": "object"},
    "any": {},
}


def _compound_schema(type_: str, tags: list[str] | None) -> dict | None:
    """Schemas of records; built on demand, as records nest field specs of their own."""
    if type_ == "pairs":
        return {"type": "array", "items": _object_schema(PAIR_FIELDS, tags)}
    if type_ == "events":
        return {"type": "array", "items": _object_schema(EVENT_FIELDS, tags)}
    if type_ == "source":
        passage = {"anyOf": [{"type": "string", "minLength": 1}, _object_schema(PASSAGE_FIELDS, tags)]}
        return {"anyOf": [{"type": "string", "minLength": 1}, {"type": "array", "minItems": 1, "items": passage}]}
    return None
