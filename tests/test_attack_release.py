"""Attack pass on the release record: stamps that go backwards, odd SOURCE_DATE_EPOCH values, odd records."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SOURCES
from helpers import T0, T1, copy_content, guid_of, import_package, release

from quizgen.cli import main
from quizgen.load.content import require_content
from quizgen.pipeline import read_release
from quizgen.render.anki import render_deck

CORRECTION = ("signed in Moscow during Jiang's", "signed in Moscow on 16 July 2001, during Jiang's")


def correct(content: Path, old: str, new: str) -> None:
    bank = content / "banks" / "sample.yaml"
    text = bank.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    bank.write_text(text.replace(old, new), encoding="utf-8")


def deck(content_dir: Path, out: Path, when: int) -> Path:
    content = require_content(content_dir, SOURCES)
    out.write_bytes(render_deck(content, content.questions, read_release(content, content_dir), now=when, whole=True))
    return out


@pytest.mark.anki
def test_a_correction_built_with_a_clock_behind_the_release_still_reaches_the_student(tmp_path):
    # The release was made at T1 on the teacher's laptop; the correction is built by a machine whose clock
    # (or SOURCE_DATE_EPOCH, e.g. Nix's 315532800, or a commit time from before the release) is earlier.
    # A changed note stamped earlier than its released stamp is never newer than the student's copy:
    # Anki reports it as a duplicate and the student keeps the wrong text, whatever they did or did not do.
    from anki.collection import Collection

    content = copy_content(tmp_path / "content")
    v1 = release(content, tmp_path / "v1.apkg", T1)
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_package(col, v1)
        correct(content, *CORRECTION)
        log = import_package(col, deck(content, tmp_path / "v2.apkg", T0))
        note = col.get_note(col.db.scalar("select id from notes where guid = ?", guid_of("treaty-signed")))
        assert (len(log.updated), len(log.duplicate)) == (1, 8)
        assert "16 July 2001" in note["Explanation"]
    finally:
        col.close()


def test_a_correction_released_with_a_clock_behind_is_stamped_after_what_it_replaces(tmp_path):
    content = copy_content(tmp_path / "content")
    release(content, tmp_path / "v1.apkg", T1)
    before = read_release(require_content(content, SOURCES), content).notes["sample/treaty-signed"].stamp
    correct(content, *CORRECTION)
    release(content, tmp_path / "v2.apkg", T0)
    after = read_release(require_content(content, SOURCES), content).notes["sample/treaty-signed"].stamp
    assert after > before


# '²'.isdigit() is true and int() refuses it (a traceback); fullwidth digits were read as 123; a time past
# the year 9999 overflowed SQLite's note ids (stamp * 1000) with a traceback.
@pytest.mark.parametrize("pinned", ["²", "１２３", "99999999999999999999", "253402300800"])
def test_an_odd_source_date_epoch_is_a_usage_error_not_a_traceback(tmp_path, monkeypatch, capsys, pinned):
    content = copy_content(tmp_path / "content")
    shutil.copytree(SOURCES, tmp_path / "sources")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", pinned)
    status = main(["release", "--content", str(content), "--sources", str(tmp_path / "sources"), "-o", str(tmp_path)])
    assert (status, capsys.readouterr().err) == (
        1,
        f"error: SOURCE_DATE_EPOCH={pinned!r} is not a whole number of seconds since 1970\n",
    )


def test_a_build_with_a_teacher_s_catalogue_makes_the_released_deck(tmp_path):
    # A teacher whose --templates folder rewords a card text (catalogue/en.yaml, allowed by docs) releases,
    # then builds as usual with --templates: the build should carry the release, not re-stamp its notes.
    from quizgen.pipeline import render_anki
    from quizgen.render.templates import TEMPLATES_DIR, course_catalogue

    content_dir = copy_content(tmp_path / "content")
    templates = tmp_path / "templates"
    (templates / "catalogue").mkdir(parents=True)
    english = (TEMPLATES_DIR / "catalogue" / "en.yaml").read_text(encoding="utf-8")
    reworded = english.replace('"Choose one answer."', '"Pick the one right answer."')
    assert reworded != english
    (templates / "catalogue" / "en.yaml").write_text(reworded, encoding="utf-8")
    release(content_dir, tmp_path / "v1.apkg", T1, templates)  # quizgen release --templates DIR
    content = require_content(content_dir, SOURCES)
    catalogue = course_catalogue(content, templates)  # what `quizgen build --templates` words every output with
    data, warnings = render_anki(content, content_dir, content.questions, catalogue=catalogue, whole=True)
    assert warnings == ()
    assert data == (tmp_path / "v1.apkg").read_bytes()
    # Built without the folder, the reworded notes differ from the release, and the build says so.
    _, warnings = render_anki(content, content_dir, content.questions, catalogue=course_catalogue(content), whole=True)
    assert len(warnings) == 1 and "changed since the last release" in warnings[0].message, warnings


def _hand_edit(content: Path, uid: str, **entry: object) -> None:
    import json

    record = json.loads((content / "releases.json").read_text(encoding="utf-8"))
    record["notes"][uid] = {**record["notes"]["sample/treaty-signed"], **entry}
    (content / "releases.json").write_text(json.dumps(record), encoding="utf-8")


@pytest.mark.parametrize(
    ("uid", "entry", "why"),
    [
        # a stamp SQLite cannot hold as a note id (stamp * 1000): a traceback, exit 3
        ("sample/treaty-signed", {"stamp": 10**16}, "10000000000000000 should be a time before the year 10000"),
        # no bank: shipped as a retired note with GUID guid_for('quizgen', 'ghost', '') in the parent deck
        ("ghost", {}, "note 'ghost' should be named bank/question"),
        # a cloze note with no card, shipped retired with no deletion at all
        ("sample/gone", {"cards": []}, "note 'sample/gone': 'cards' should not be empty"),
    ],
)
def test_a_hand_edited_record_is_a_located_error(tmp_path, monkeypatch, capsys, uid, entry, why):
    content = copy_content(tmp_path / "content")
    release(content, tmp_path / "v1.apkg", T1)
    _hand_edit(content, uid, **entry)
    monkeypatch.chdir(tmp_path)
    status = main(["release", "--content", "content", "--sources", str(SOURCES), "-o", str(tmp_path / "out")])
    printed = capsys.readouterr()
    assert (status, (printed.out + printed.err).splitlines()[0]) == (
        1,
        f"content/releases.json:1:1: error: not a release record written by quizgen ({why}) (restore it from "
        "git: `git checkout -- content/releases.json`; never edit it by hand)",
    )


def reworded_templates(folder: Path, old: str, new: str) -> Path:
    """A teacher's --templates folder whose catalogue rewords one text of the card faces."""
    from quizgen.render.templates import TEMPLATES_DIR

    (folder / "catalogue").mkdir(parents=True)
    english = (TEMPLATES_DIR / "catalogue" / "en.yaml").read_text(encoding="utf-8")
    assert english.count(old) == 1, old
    (folder / "catalogue" / "en.yaml").write_text(english.replace(old, new), encoding="utf-8")
    return folder


# A text of the card faces ([[t:anki.source]], or a new course language) changes the note types, not the
# notes; the note types kept their built-in `revised` time, so Anki kept every student's old faces.
@pytest.mark.anki
def test_a_reworded_card_face_text_reaches_a_student_who_has_the_deck(tmp_path):
    from anki.collection import Collection
    from helpers import DECK_NAME, study

    content_dir = copy_content(tmp_path / "content")
    release(content_dir, tmp_path / "v1.apkg", T0)
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_package(col, tmp_path / "v1.apkg")
        col.decks.select(col.decks.id_for_name(DECK_NAME))
        study(col, ["EASY"] * 9)
        templates = reworded_templates(tmp_path / "templates", 'anki.source: "Source"', 'anki.source: "From the text"')
        release(content_dir, tmp_path / "v2.apkg", T1, templates)
        import_package(col, tmp_path / "v2.apkg")
        ours = [m for m in col.models.all() if m["name"].endswith("(quizgen)")]
        assert len(ours) == 6 and all("From the text" in m["tmpls"][0]["afmt"] for m in ours)
        assert col.db.scalar("select count() from revlog") == 9
    finally:
        col.close()


def test_the_built_in_look_leaves_the_recorded_fingerprints_as_they_were(tmp_path):
    # Counting a note type's look in its notes' fingerprints only when it is a teacher's: every record
    # written before still matches its notes, so no student's note is touched by this change.
    from quizgen.pipeline import render_anki
    from quizgen.render.anki import custom_looks, make_models
    from quizgen.render.templates import course_catalogue

    assert custom_looks(make_models()) == {}
    content_dir = copy_content(tmp_path / "content")
    release(content_dir, tmp_path / "v1.apkg", T0)
    content = require_content(content_dir, SOURCES)
    data, warnings = render_anki(
        content, content_dir, content.questions, catalogue=course_catalogue(content), whole=True
    )
    assert warnings == () and data == (tmp_path / "v1.apkg").read_bytes()


def test_a_release_with_reworded_card_faces_is_rebuilt_byte_for_byte(tmp_path):
    from quizgen.pipeline import render_anki
    from quizgen.render.templates import course_catalogue

    content_dir = copy_content(tmp_path / "content")
    release(content_dir, tmp_path / "v1.apkg", T0)
    templates = reworded_templates(tmp_path / "templates", 'anki.source: "Source"', 'anki.source: "From the text"')
    release(content_dir, tmp_path / "v2.apkg", T1, templates)
    content = require_content(content_dir, SOURCES)
    catalogue = course_catalogue(content, templates)
    data, warnings = render_anki(content, content_dir, content.questions, catalogue=catalogue, whole=True)
    assert warnings == () and data == (tmp_path / "v2.apkg").read_bytes()
