"""A term with the real Anki library: releases, corrections, retired questions, the window that remains.

One module-scoped term: the teacher releases the sample bank a week ago; the
student imports it, studies five cards, and marks, tags and edits notes (some
the teacher will correct, some not); then the teacher corrects four questions,
retires two (one listed with a reason, one deleted), adds a sixth article and
a second bank, and builds. The student imports that deck. The tests read what
Anki's importer reported and what the collection holds.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import SOURCES
from helpers import DECK_NAME, RATINGS, SIXTH_ARTICLE, build, copy_content, guid_of, import_package, release, study

from quizgen.load.content import require_content
from quizgen.render.anki import render_deck
from quizgen.render.anki_release import RETIRED_TAG

if TYPE_CHECKING:
    from anki.collection import Collection

pytestmark = pytest.mark.anki

CORRECTIONS = {  # question id -> (old text, new text) in the sample bank
    "treaty-signed": ("signed in Moscow during Jiang's", "signed in Moscow on 16 July 2001, during Jiang's"),
    "pipeline-terminal": ("answer: Daqing\n    accept: [Daqin]", "answer: Daqin\n    accept: [Daqing]"),
    "trade-2001": ("tolerance: 0.05", "tolerance: 0.1"),
    "first-leader": ("correction: Putin was the first", "correction: In fact, Putin was the first"),
}
RETIRED_REASON = "The SCO is covered by the new bank on organizations."
RETIRED = {"sco-cloze": RETIRED_REASON, "trade-sequence": ""}  # the first listed under retired:, the second deleted
# What the student does to notes before the teacher's build: (question id, what).
TOUCHES = {
    "treaty-signed": "mark",  # corrected later
    "pipeline-terminal": "tag",  # corrected later
    "trade-2001": "edit",  # corrected later
    "three-pillars": "mark",  # never changed
    "meeting-places": "tag",  # never changed
    "why-stand-with-us": "edit",  # never changed
}
UNCHANGED_TOUCHED = {"three-pillars", "meeting-places", "why-stand-with-us"}
ALWAYS = "IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS"
CARD_COLUMNS = "id, nid, ord, did, due, ivl, queue, type, reps, lapses, left, factor"


@dataclass
class Term:
    col: Collection
    content_dir: Path
    v2: Path
    first: object  # import logs
    second: object
    again: object
    cards_before: list[tuple]
    cards_after: list[tuple]
    revlog_before: list[tuple]
    revlog_after: list[tuple]
    touched: dict[str, tuple]  # question id -> (fields, tags) right after the student's touch


def touch(col: Collection, question_id: str, what: str) -> None:
    """What a student does in the browser: mark (the 'marked' tag), tag, or edit a field."""
    note = note_of(col, question_id)
    if what == "mark":
        note.add_tag("marked")
    elif what == "tag":
        note.add_tag("exam-week")
    else:
        note.fields[0] += " (my own words)"
    col.update_note(note)


def note_of(col: Collection, question_id: str, bank: str = "sample"):
    from helpers import _QuestionId

    from quizgen.render.anki import note_guid

    guid = guid_of(question_id) if bank == "sample" else note_guid(_QuestionId(bank, question_id))
    return col.get_note(col.db.scalar("select id from notes where guid = ?", guid))


def teacher_changes(content_dir: Path, sources: Path) -> None:
    """Four corrections, two retirements, a sixth article and a second bank."""
    bank = content_dir / "banks" / "sample.yaml"
    original = bank.read_text(encoding="utf-8")
    second = original.replace("bank: sample", "bank: second").replace("title: Sample Bank", "title: Second Bank")
    # (reworded: a new question with a deleted one's prompt would be refused as a changed id)
    second = second.replace("Put these steps in the growth", "Order these steps in the growth")
    text = original
    for old, new in CORRECTIONS.values():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    head, *entries = text.split("\n  - id: ")
    kept = [entry for entry in entries if entry.split("\n", 1)[0] not in RETIRED]
    text = "\n  - id: ".join([head, *kept]).rstrip("\n") + "\n"
    text += f'retired:\n  - id: sco-cloze\n    reason: "{RETIRED_REASON}"\n'
    bank.write_text(text, encoding="utf-8")
    (content_dir / "banks" / "second.yaml").write_text(second, encoding="utf-8")
    (sources / "005_extra.txt").write_text("A sixth reading on the partnership.\n", encoding="utf-8")
    with (content_dir / "articles.yaml").open("a", encoding="utf-8") as registry:
        registry.write(SIXTH_ARTICLE)


def deck_at(content_dir: Path, sources: Path, out: Path, when: int) -> Path:
    """What `quizgen build` writes as its deck at `when`, the article texts read from `sources`."""
    from quizgen.pipeline import read_release

    content = require_content(content_dir, sources)
    data = render_deck(content, content.questions, read_release(content, content_dir), now=when, whole=True)
    out.write_bytes(data)
    return out


@pytest.fixture(scope="module")
def term(tmp_path_factory) -> Term:
    from anki.collection import Collection

    root = tmp_path_factory.mktemp("anki-term")
    content_dir = copy_content(root / "content")
    sources = root / "sources"
    shutil.copytree(SOURCES, sources)
    week_ago = int(time.time()) - 7 * 86_400
    v1 = release(content_dir, root / "v1.apkg", week_ago)
    (root / "student").mkdir()
    col = Collection(str(root / "student" / "collection.anki2"))
    first = import_package(col, v1)
    col.decks.select(col.decks.id_for_name(DECK_NAME))
    study(col, RATINGS)
    for question_id, what in TOUCHES.items():
        touch(col, question_id, what)
    touched = {qid: (list(note_of(col, qid).fields), list(note_of(col, qid).tags)) for qid in TOUCHES}
    cards_before = col.db.all(f"select {CARD_COLUMNS} from cards order by id")
    revlog_before = col.db.all("select * from revlog order by id")
    time.sleep(1.1)  # the build comes after the student's last touch (Anki's times are whole seconds)
    teacher_changes(content_dir, sources)
    v2 = deck_at(content_dir, sources, root / "v2.apkg", int(time.time()))
    second = import_package(col, v2)
    cards_after = col.db.all(f"select {CARD_COLUMNS} from cards order by id")
    revlog_after = col.db.all("select * from revlog order by id")
    again = import_package(col, v2)
    yield Term(
        col, content_dir, v2, first, second, again, cards_before, cards_after, revlog_before, revlog_after, touched
    )
    col.close()


def counts(log) -> tuple[int, int, int, int]:
    return len(log.updated), len(log.new), len(log.duplicate), len(log.conflicting)


def updated_ids(term: Term, log) -> set[str]:
    by_id = {note_of(term.col, qid).id: qid for qid in [*CORRECTIONS, *RETIRED, *UNCHANGED_TOUCHED]}
    return {by_id.get(note.id.nid, "?") for note in log.updated}


def test_the_import_reports_the_corrected_and_retired_notes_updated_the_new_bank_new_and_nothing_else(term):
    assert counts(term.first) == (0, 9, 0, 0)
    assert counts(term.second) == (6, 9, 3, 0)
    assert updated_ids(term, term.second) == set(CORRECTIONS) | set(RETIRED)


def test_every_correction_reached_the_student_whatever_they_did_to_the_note_before_the_build(term):
    assert "16 July 2001" in note_of(term.col, "treaty-signed")["Explanation"]  # the student had marked it
    terminal = note_of(term.col, "pipeline-terminal")  # tagged
    assert (terminal["Answer"], terminal["Details"]) == ("Daqin", "Also accepted: Daqing")
    assert "10.6 to 10.8" in note_of(term.col, "trade-2001")["Details"]  # edited
    assert note_of(term.col, "first-leader")["Details"].startswith("Correct statement: In fact")  # reviewed only


def test_an_unchanged_note_keeps_the_student_s_edits_tags_and_marks(term):
    for question_id in UNCHANGED_TOUCHED:
        note = note_of(term.col, question_id)
        assert (list(note.fields), list(note.tags)) == term.touched[question_id], question_id
    assert "marked" in note_of(term.col, "three-pillars").tags
    assert "exam-week" in note_of(term.col, "meeting-places").tags
    assert note_of(term.col, "why-stand-with-us").fields[0].endswith(" (my own words)")


def test_review_history_and_scheduling_are_untouched(term):
    assert term.revlog_after == term.revlog_before
    assert len(term.revlog_before) == len(RATINGS)
    new_bank = {c[0] for c in term.cards_after} - {c[0] for c in term.cards_before}
    assert [c for c in term.cards_after if c[0] not in new_bank] == term.cards_before
    assert sum(1 for c in term.cards_before if c[8] > 0) == len(RATINGS)  # reps


def test_importing_the_same_deck_again_changes_nothing(term):
    assert counts(term.again) == (0, 0, 18, 0)


def test_retired_notes_say_so_and_why_keep_their_cards_and_one_search_finds_them(term):
    col = term.col
    found = set(col.find_notes(f"tag:{RETIRED_TAG}"))
    assert found == {note_of(col, qid).id for qid in RETIRED}
    cloze = note_of(col, "sco-cloze")
    assert RETIRED_REASON in cloze["Text"] and "withdrawn" in cloze["Text"]
    fronts = [col.get_card(cid).question() for cid in col.find_cards(f"nid:{cloze.id}")]
    assert len(fronts) == 2 and all("No cloze" not in front and RETIRED_REASON in front for front in fronts)
    deleted = note_of(col, "trade-sequence")
    assert "withdrawn this question" in deleted["Prompt"] and "Why:" not in deleted["Prompt"]
    assert "tag:quizgen::retired" in col.decks.by_name(DECK_NAME)["desc"]


def test_suspending_every_retired_card_is_one_step_and_deletes_nothing(term, tmp_path):
    from anki.collection import Collection

    copy = tmp_path / "copy.anki2"
    col = Collection(str(copy))
    try:
        import_package(col, term.v2)
        cards = col.find_cards(f"tag:{RETIRED_TAG}")
        assert len(cards) == 3  # two cloze cards and the ordering card
        # a student who never had them gets them last among the new cards
        assert min(col.get_card(cid).due for cid in cards) > max(
            col.get_card(cid).due for cid in col.find_cards(f"-tag:{RETIRED_TAG}")
        )
        col.sched.suspend_cards(col.find_cards(f"tag:{RETIRED_TAG}"))
        assert {col.get_card(cid).queue for cid in cards} == {-1}
        assert col.note_count() == 18
    finally:
        col.close()


def test_a_student_edit_after_the_build_keeps_the_note_until_an_update_always_import(tmp_path):
    """The window that remains: the student edits a note after the teacher built the deck, then imports it."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
    from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition

    content_dir = copy_content(tmp_path / "content")
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_package(col, release(content_dir, tmp_path / "v1.apkg", int(time.time()) - 86_400))
        bank = content_dir / "banks" / "sample.yaml"
        old, new = CORRECTIONS["pipeline-terminal"]
        bank.write_text(bank.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        v2 = build(content_dir, tmp_path / "v2.apkg", int(time.time()) - 60)  # built a minute ago
        touch(col, "pipeline-terminal", "tag")  # the student tags it now, before importing
        assert counts(import_package(col, v2)) == (0, 0, 9, 0)
        assert note_of(col, "pipeline-terminal")["Answer"] == "Daqing"  # the correction is missed
        always = ImportAnkiPackageOptions(update_notes=ImportAnkiPackageUpdateCondition.Value(ALWAYS))
        log = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(v2), options=always)).log
        assert len(log.updated) == 1  # "Update notes: Always" replaces only the notes that differ
        assert note_of(col, "pipeline-terminal")["Answer"] == "Daqin"
    finally:
        col.close()


def test_card_faces_in_a_templates_folder_are_not_used_and_release_says_so(tmp_path, capsys, monkeypatch):
    from quizgen.cli import main

    content = copy_content(tmp_path / "content")
    (tmp_path / "mine" / "anki").mkdir(parents=True)
    (tmp_path / "mine" / "anki" / "basic.front.html").write_text("<b>{{Prompt}}</b>", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    given = ["--content", str(content), "--sources", str(SOURCES), "-o", "out"]
    assert main(["release", *given, "--templates", "mine"]) == 0
    warned = capsys.readouterr().err.splitlines()
    assert [line.split(": the card faces")[0] for line in warned if "card faces" in line] == ["mine/anki:1:1: warning"]
    plain = tmp_path / "plain"
    assert main(["release", *given[:4], "-o", str(plain)]) == 0
    assert "card faces" not in capsys.readouterr().err
    # Not used: the deck is the one a release without the folder makes.
    (with_faces,) = (tmp_path / "out" / "anki").glob("*.apkg")
    assert with_faces.read_bytes() == (plain / "anki" / with_faces.name).read_bytes()


@pytest.mark.parametrize("command", ["release", "build"])
def test_card_faces_in_a_templates_folder_are_an_error_under_strict_and_nothing_is_written(
    tmp_path, capsys, monkeypatch, command
):
    from quizgen.cli import main

    content = copy_content(tmp_path / "content")
    record = (content / "releases.json").read_bytes() if (content / "releases.json").exists() else None
    (tmp_path / "mine" / "anki").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    given = ["--content", str(content), "--sources", str(SOURCES), "-o", "out", "--templates", "mine", "--strict"]
    assert main([command, *given]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if "card faces" in line]
    assert [line.split(": the card faces")[0] for line in errors] == ["mine/anki:1:1: error"]
    assert not (tmp_path / "out").exists()
    assert ((content / "releases.json").read_bytes() if record is not None else None) == record
