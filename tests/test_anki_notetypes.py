"""The Anki note types stay stable: a checked-in fingerprint per model id.

Anki keeps a note type it already holds when the incoming one has the same id
and the same field and template names ("schema"); otherwise it files the
incoming one as a new note type "... (quizgen)+" and refuses to update the
notes of the old one. So, for a note type that has shipped:

- its fields, card template and kind may never change under the same model id
  (give it a new id instead);
- a new look (template text, CSS, sort field) must come with a newer `revised`
  time, or Anki keeps the old look; tests/test_anki_notetypes.json records each
  look with its time, newest last.

The same holds for the way fields are filled (FIELDS_REVISED): notes are only
refreshed if they are newer.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from helpers import sample_questions

from quizgen.model import Article
from quizgen.render.anki import FIELDS_REVISED, NOTE_TYPES, NoteType, load_templates
from quizgen.render.anki_fields import note_fields, note_tags

LOCK = Path(__file__).with_suffix(".json")


def sha(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


def schema_of(nt: NoteType) -> str:
    """What Anki compares: the field names and card template names, in order (and the kind)."""
    return sha({"fields": list(nt.fields), "templates": [nt.template], "cloze": nt.cloze})


def look_of(nt: NoteType) -> str:
    templates = load_templates(nt)
    return sha({"front": templates.front, "back": templates.back, "css": templates.css, "sort": nt.sort_field})


def fields_of() -> str:
    articles = {"a": Article("a", "Title <i>", "Author", "outlet", "2002", "a.txt")}
    return sha([(note_fields(q, articles).__dict__, note_tags(q)) for q in sample_questions()])


def lock() -> dict:
    return json.loads(LOCK.read_text(encoding="utf-8"))


def current() -> dict:
    """The lock file as the code stands now (printed by failures, to copy after a deliberate change)."""
    return {
        "note_types": {
            str(nt.model_id): {
                "name": nt.name,
                "schema": schema_of(nt),
                "looks": [{"revised": nt.revised, "look": look_of(nt)}],
            }
            for nt in NOTE_TYPES.values()
        },
        "fields": [{"revised": FIELDS_REVISED, "fingerprint": fields_of()}],
    }


@pytest.mark.parametrize("key", sorted(NOTE_TYPES))
def test_a_shipped_note_type_keeps_its_fields_and_template_names(key):
    nt = NOTE_TYPES[key]
    locked = lock()["note_types"].get(str(nt.model_id))
    assert locked is not None, (
        f"note type {nt.name} ({nt.model_id}) is not in {LOCK.name}; add: {current()['note_types'][str(nt.model_id)]}"
    )
    assert schema_of(nt) == locked["schema"], (
        f"the fields or card template of {nt.name} changed under model id {nt.model_id}: Anki would file it as "
        f"'{nt.name}+' and stop updating the students' notes. Give it a new model id (and a new entry in {LOCK.name})."
    )


@pytest.mark.parametrize("key", sorted(NOTE_TYPES))
def test_a_new_look_comes_with_a_newer_revised_time(key):
    nt = NOTE_TYPES[key]
    looks = lock()["note_types"][str(nt.model_id)]["looks"]
    times = [entry["revised"] for entry in looks]
    assert times == sorted(set(times)), f"{LOCK.name}: the revised times of {nt.name} must grow, newest last"
    assert len({entry["look"] for entry in looks}) == len(looks), f"{LOCK.name}: a look of {nt.name} is listed twice"
    newest = looks[-1]
    if look_of(nt) != newest["look"]:
        hint = "move its `revised` forward, then append" if nt.revised <= newest["revised"] else "append"
        entry = json.dumps({"revised": nt.revised, "look": look_of(nt)})
        pytest.fail(f"the templates or CSS of {nt.name} changed: {hint} {entry} to its looks in {LOCK.name}")
    assert nt.revised == newest["revised"], (
        f"{nt.name}: `revised` is {nt.revised} but its look dates from {newest['revised']}"
    )


def test_a_new_way_of_filling_fields_comes_with_a_newer_fields_revised():
    history = lock()["fields"]
    times = [entry["revised"] for entry in history]
    assert times == sorted(set(times))
    newest = history[-1]
    if fields_of() != newest["fingerprint"]:
        hint = "move FIELDS_REVISED forward, then append" if newest["revised"] >= FIELDS_REVISED else "append"
        entry = json.dumps({"revised": FIELDS_REVISED, "fingerprint": fields_of()})
        pytest.fail(f"the fields built from questions changed: {hint} {entry} to 'fields' in {LOCK.name}")
    assert newest["revised"] == FIELDS_REVISED


def test_model_ids_and_names_are_unique_and_marked_as_ours():
    ids = [nt.model_id for nt in NOTE_TYPES.values()]
    names = [nt.name for nt in NOTE_TYPES.values()]
    assert len(set(ids)) == len(ids)
    assert len(set(names)) == len(names)
    assert all(name.endswith(" (quizgen)") for name in names)


def test_the_fingerprint_notices_a_renamed_field():
    nt = NOTE_TYPES["basic"]
    renamed = NoteType(nt.key, nt.model_id, nt.name, ("Question", *nt.fields[1:]), nt.template, nt.revised)
    assert schema_of(renamed) != lock()["note_types"][str(nt.model_id)]["schema"]
