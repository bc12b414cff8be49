"""The promise to students, checked with the real Anki library (the code behind Anki desktop).

One module-scoped round trip: build the sample bank, import it into a fresh
collection with the importer's default options (what a student gets), study
some cards, then edit a copy of the bank (reword one question, change
another's answer, add a question, give a cloze a third deletion), rebuild and
import again. The tests then read what each step left behind.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import SOURCES
from helpers import (
    BANK_ORDER,
    DECK_NAME,
    EDITED,
    EDITS,
    RATINGS,
    T0,
    T1,
    build,
    copy_content,
    guid_of,
    import_package,
    release,
    study,
)

from quizgen.load.content import require_content
from quizgen.pipeline import read_release
from quizgen.render.anki import NOTE_TYPES, TEMPLATE_DIR, render_deck

if TYPE_CHECKING:
    from anki.collection import Collection

pytestmark = pytest.mark.anki

SUBDECK = f"{DECK_NAME}::Sample Bank"


@dataclass
class Snapshot:
    notes: dict[str, tuple]  # guid -> (id, notetype id, mod, fields)
    tags: dict[str, str]  # guid -> tags
    # (note id, ord) -> (card id, deck, due, ivl, queue, type, reps, lapses, left, factor)
    cards: dict[tuple[int, int], tuple]
    revlog: list[tuple]


@dataclass
class RoundTrip:
    col: Collection
    first: object  # the import logs
    second: object
    again: object
    older: object
    queue_order: list[str]  # question ids of the new cards, as the scheduler offers them
    studied: Snapshot  # after studying, before the update
    updated: Snapshot  # after importing the edited bank
    final: Snapshot  # after importing it again, then the old package


def snapshot(col: Collection) -> Snapshot:
    notes = {
        guid: (nid, mid, mod, flds)
        for guid, nid, mid, mod, flds in col.db.all("select guid, id, mid, mod, flds from notes")
    }
    tags = dict(col.db.all("select guid, tags from notes"))
    rows = col.db.all("select nid, ord, id, did, due, ivl, queue, type, reps, lapses, left, factor from cards")
    return Snapshot(
        notes,
        tags,
        {(r[0], r[1]): tuple(r[2:]) for r in rows},
        [tuple(r) for r in col.db.all("select * from revlog order by id")],
    )


def queue_order(col: Collection) -> list[str]:
    """The question ids of the cards the scheduler offers, in its order."""
    question_of = {guid_of(qid): qid for qid in BANK_ORDER}
    queued = col.sched.get_queued_cards(fetch_limit=50).cards
    return [question_of[col.db.scalar("select guid from notes where id = ?", q.card.note_id)] for q in queued]


def edit_bank(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in EDITS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (T1, T1))


@pytest.fixture(scope="module")
def trip(tmp_path_factory) -> RoundTrip:
    from anki.collection import Collection

    root = tmp_path_factory.mktemp("anki-roundtrip")
    content_dir = copy_content(root / "content")
    v1 = release(content_dir, root / "v1.apkg", T0)
    (root / "student").mkdir()
    col = Collection(str(root / "student" / "collection.anki2"))
    first = import_package(col, v1)
    col.decks.select(col.decks.id_for_name(DECK_NAME))  # the student opens the deck
    order = queue_order(col)
    study(col, RATINGS)
    studied = snapshot(col)
    edit_bank(content_dir / "banks" / "sample.yaml")
    v2 = build(content_dir, root / "v2.apkg", T1)
    second = import_package(col, v2)
    updated = snapshot(col)
    again = import_package(col, v2)
    older = import_package(col, v1)
    yield RoundTrip(col, first, second, again, older, order, studied, updated, snapshot(col))
    col.close()


def notes_by_question(snap: Snapshot) -> dict[str, tuple]:
    return {qid: snap.notes[guid_of(qid)] for qid in BANK_ORDER + ["record-trade-year"] if guid_of(qid) in snap.notes}


def note_of(col: Collection, question_id: str):
    return col.get_note(col.db.scalar("select id from notes where guid = ?", guid_of(question_id)))


def fields(col: Collection, question_id: str) -> dict[str, str]:
    return dict(note_of(col, question_id).items())


# The first import


def test_the_first_import_adds_a_note_per_question_and_a_card_per_cloze_deletion(trip):
    assert (len(trip.first.new), len(trip.first.updated), len(trip.first.duplicate)) == (9, 0, 0)
    cards_per_note = {}
    for nid, _ord in trip.studied.cards:
        cards_per_note[nid] = cards_per_note.get(nid, 0) + 1
    by_question = notes_by_question(trip.studied)
    assert {qid: cards_per_note[note[0]] for qid, note in by_question.items()} == {
        qid: 2 if qid == "sco-cloze" else 1 for qid in BANK_ORDER
    }


def test_the_notes_go_to_a_subdeck_named_by_the_bank_title(trip):
    names = {d.name for d in trip.col.decks.all_names_and_ids()}
    assert {DECK_NAME, SUBDECK} <= names
    subdeck = trip.col.decks.id_for_name(SUBDECK)
    assert {card[1] for card in trip.studied.cards.values()} == {subdeck}


def test_the_fields_hold_the_question_its_options_and_its_source(trip):
    note = fields(trip.col, "why-stand-with-us")
    assert note["Prompt"] == "According to Ni, how did Putin view the September 11 incident, and what did he do?"
    assert note["Key points"].count("<li>") == 3
    assert "viewed the incident as a good opportunity" in note["Source"]
    assert "Ni Xiaoquan" in note["Article"]
    assert "<cite>Sino-Russian Relations since the September 11 Incident</cite>" in note["Article"]
    assert note["Reference"] == "sample/why-stand-with-us"
    choice = fields(trip.col, "three-pillars")
    assert choice["Options"].count("<li") == 4
    assert choice["Options"].count('class="qz-correct"') == 2


def test_the_tags_name_the_kind_article_bank_and_topics(trip):
    note = note_of(trip.col, "treaty-signed")
    assert sorted(note.tags) == [
        "quizgen::article::ni-2002",
        "quizgen::bank::sample",
        "quizgen::date",
        "quizgen::difficulty::1",
        "quizgen::kind::multiple_choice",
        "quizgen::treaty",
    ]


def test_new_cards_come_in_bank_order(trip):
    # The scheduler's default sorts new cards by card template first: each note's
    # first card in bank order, then the cloze's second deletion.
    assert trip.queue_order == BANK_ORDER + ["sco-cloze"]


def test_studying_left_review_history(trip):
    assert len(trip.studied.revlog) == len(RATINGS)
    assert any(card[6] > 0 for card in trip.studied.cards.values())  # some cards have reps


# Re-importing the edited bank


def test_the_reimport_updates_the_edited_notes_in_place_adds_the_new_one_and_leaves_the_rest(trip):
    log = trip.second
    assert (len(log.updated), len(log.new), len(log.duplicate), len(log.conflicting)) == (3, 1, 6, 0)
    assert {note.id.nid for note in log.updated} == {notes_by_question(trip.updated)[qid][0] for qid in EDITED}
    before, after = notes_by_question(trip.studied), notes_by_question(trip.updated)
    assert {qid: after[qid][0] for qid in BANK_ORDER} == {qid: before[qid][0] for qid in BANK_ORDER}  # same note ids
    assert len(trip.updated.notes) == 10  # 9 + 1, no duplicate
    assert {qid for qid in after if after[qid][2] == T1} == EDITED | {"record-trade-year"}
    assert {qid: after[qid] for qid in BANK_ORDER if qid not in EDITED} == {
        qid: before[qid] for qid in BANK_ORDER if qid not in EDITED
    }


def test_the_edits_reach_the_notes(trip):
    assert fields(trip.col, "treaty-signed")["Prompt"].startswith(
        "In which month and year did Jiang Zemin and Vladimir Putin"
    )
    terminal = fields(trip.col, "pipeline-terminal")
    assert (terminal["Answer"], terminal["Details"]) == ("Daqin", "Also accepted: Daqing")


def test_review_history_and_scheduling_of_studied_cards_are_kept(trip):
    assert trip.updated.revlog == trip.studied.revlog
    assert trip.final.revlog == trip.studied.revlog
    studied = {key: card for key, card in trip.studied.cards.items() if card[6] > 0}  # reps > 0
    assert len(studied) == len(RATINGS)
    assert {card[5] for card in studied.values()} == {1, 2}  # some in learning, some in review
    # id, deck, due, ivl, queue, type, reps, lapses, left, factor: all as the student left them
    assert {key: trip.updated.cards[key] for key in trip.studied.cards} == trip.studied.cards
    assert {key: trip.final.cards[key] for key in trip.studied.cards} == trip.studied.cards


def test_the_new_question_gets_its_place_in_bank_order_and_escaped_text(trip):
    note = fields(trip.col, "record-trade-year")
    assert note["Prompt"] == (
        "Trade between China and Russia hit a record in 2001 &lt;i&gt;(see the text)&lt;/i&gt; &#91;sound:boom.mp3]"
    )
    nid = notes_by_question(trip.updated)["record-trade-year"][0]
    card = trip.col.get_card(trip.col.find_cards(f"nid:{nid}")[0])
    assert card.due == 1  # second in the bank
    assert card.question_av_tags() == []  # no sound was smuggled in
    assert "<i>" not in card.question()


def test_a_cloze_with_a_new_deletion_gains_a_card_and_keeps_the_old_ones(trip):
    nid = notes_by_question(trip.updated)["sco-cloze"][0]
    assert sorted(o for n, o in trip.updated.cards if n == nid) == [0, 1, 2]
    assert all(trip.updated.cards[(nid, o)] == trip.studied.cards[(nid, o)] for o in (0, 1))


def test_importing_the_same_package_again_changes_nothing(trip):
    assert (len(trip.again.updated), len(trip.again.new), len(trip.again.duplicate)) == (0, 0, 10)


def test_an_older_package_never_undoes_an_update(trip):
    assert (len(trip.older.updated), len(trip.older.new), len(trip.older.duplicate)) == (0, 0, 9)
    assert trip.final.notes == trip.updated.notes
    assert trip.final.cards == trip.updated.cards


def test_the_note_types_are_updated_not_copied(trip):
    names = [nt.name for nt in trip.col.models.all_names_and_ids() if "quizgen" in nt.name]
    assert sorted(names) == sorted(
        f"{kind} (quizgen)" for kind in ("Basic", "Multiple choice", "Cloze", "Matching", "Ordering", "Essay")
    )


# Note types: why their names and fields are locked, and how a new look reaches students


@pytest.fixture
def student(tmp_path):
    """A fresh collection that imported the sample bank once."""
    from anki.collection import Collection

    content_dir = copy_content(tmp_path / "content")
    col = Collection(str(tmp_path / "collection.anki2"))
    import_package(col, release(content_dir, tmp_path / "v1.apkg", T0))
    yield col, content_dir, tmp_path
    col.close()


def rebuild_with(monkeypatch, content_dir: Path, out: Path, template_dir: Path, **changes) -> Path:
    for key, nt in NOTE_TYPES.items():
        monkeypatch.setitem(NOTE_TYPES, key, replace(nt, **changes))
    content = require_content(content_dir, SOURCES)
    release = read_release(content, content_dir)
    out.write_bytes(render_deck(content, content.questions, release, now=T1, template_dir=template_dir))
    return out


def restyled_templates(folder: Path) -> Path:
    shutil.copytree(TEMPLATE_DIR, folder)
    with (folder / "quizgen.css").open("a", encoding="utf-8") as css:
        css.write("\n.qz-ref { color: red; }\n")
    return folder


def stored_css(col: Collection, notetype_id: int) -> str:
    """The CSS the collection holds (read from the database: the Python side caches note types)."""
    from anki.notetypes_pb2 import Notetype

    config = col.db.scalar("select config from notetypes where id = ?", notetype_id)
    return Notetype.Config.FromString(bytes(config)).css


def test_a_new_look_reaches_students_only_with_a_newer_revised_time(student, monkeypatch):
    # quizgen's own templates changed (templates/anki is the restyled folder): only `revised` moves them.
    import quizgen.render.anki as anki_module

    col, content_dir, tmp = student
    templates = restyled_templates(tmp / "templates")
    monkeypatch.setattr(anki_module, "TEMPLATE_DIR", templates)
    basic = NOTE_TYPES["basic"].model_id
    import_package(col, rebuild_with(monkeypatch, content_dir, tmp / "same.apkg", templates))
    assert "color: red" not in stored_css(col, basic)  # same revised time: Anki keeps its copy
    revised = NOTE_TYPES["basic"].revised + 60
    import_package(col, rebuild_with(monkeypatch, content_dir, tmp / "newer.apkg", templates, revised=revised))
    assert "color: red" in stored_css(col, basic)


def test_a_teacher_s_restyled_templates_reach_students_without_a_new_revised_time(student):
    # A teacher's --templates folder cannot move NOTE_TYPES' times: its faces move with the notes' stamps.
    col, content_dir, tmp = student
    templates = restyled_templates(tmp / "templates")
    content = require_content(content_dir, SOURCES)
    data = render_deck(content, content.questions, read_release(content, content_dir), now=T1, template_dir=templates)
    (tmp / "teacher.apkg").write_bytes(data)
    import_package(col, tmp / "teacher.apkg")
    assert "color: red" in stored_css(col, NOTE_TYPES["basic"].model_id)


def test_a_renamed_card_template_under_the_same_id_would_strand_the_students_notes(student, monkeypatch):
    """What the note type lock prevents: Anki files the changed note type as a copy and stops updating notes."""
    col, content_dir, tmp = student
    log = import_package(
        col, rebuild_with(monkeypatch, content_dir, tmp / "renamed.apkg", TEMPLATE_DIR, template="Card 1")
    )
    assert len(log.conflicting) == 9 and not log.updated
    assert "Basic (quizgen)+" in {nt.name for nt in col.models.all_names_and_ids()}
