"""The .apkg file: repeatable bytes, stable identities, modification times from the release record."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import genanki
import pytest
from conftest import SOURCES, VALID
from helpers import SIXTH_ARTICLE, read_package

from quizgen.cli import main
from quizgen.load.content import require_content
from quizgen.model import Content
from quizgen.pipeline import Source, read_release, release
from quizgen.render.anki import (
    FIELDS_REVISED,
    NOTE_TYPES,
    deck_id,
    note_guid,
    render_deck,
)

T0 = FIELDS_REVISED + 1_000


T1 = T0 + 3_600


def two_banks(root: Path) -> Path:
    """The valid content plus a second bank (a copy under another id and title)."""
    shutil.copytree(VALID, root, ignore=shutil.ignore_patterns("quizgen.yaml"))
    sample = (root / "banks" / "sample.yaml").read_text(encoding="utf-8")
    other = sample.replace("bank: sample", "bank: second").replace("title: Sample Bank", "title: Second Bank")
    (root / "banks" / "second.yaml").write_text(other, encoding="utf-8")
    return root


def load(content_dir: Path) -> Content:
    return require_content(content_dir, SOURCES)


def build_deck(content: Content, content_dir: Path, questions, now: int | None = None) -> bytes:
    """What `quizgen deck` writes: stamped from the content's release record, changed notes with `now`."""
    return render_deck(content, questions, read_release(content, content_dir), now=now)


def release_at(content_dir: Path, when: int) -> bytes:
    """`quizgen release` at `when`: the record written, the deck returned."""
    done = release(Source(content_dir, SOURCES), content_dir.parent / "out", when)
    return done.written.paths[0].read_bytes()


def note_times(data: bytes) -> dict[str, int]:
    return dict(read_package(data).execute("select guid, mod from notes").fetchall())


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    return two_banks(tmp_path / "content")


def test_a_released_content_rebuilds_byte_identical_at_any_time_and_from_a_copy(content_dir, tmp_path):
    first = release_at(content_dir, T0)
    copy = tmp_path / "elsewhere"
    shutil.copytree(content_dir, copy)
    assert build_deck(load(copy), copy, load(copy).questions, now=T1) == first
    assert build_deck(load(content_dir), content_dir, load(content_dir).questions) == first


def test_two_builds_of_unreleased_changes_are_byte_identical_under_source_date_epoch(content_dir, monkeypatch):
    release_at(content_dir, T0)
    bank = content_dir / "banks" / "second.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("In which month", "In what month"), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(T1))
    content = load(content_dir)
    first = build_deck(content, content_dir, content.questions)
    assert build_deck(content, content_dir, content.questions) == first
    assert sorted(set(note_times(first).values())) == [T0, T1]


def test_a_malformed_source_date_epoch_is_refused(content_dir, monkeypatch):
    from quizgen.errors import QuizgenError

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    content = load(content_dir)
    with pytest.raises(QuizgenError) as raised:
        build_deck(content, content_dir, content.questions)
    assert str(raised.value) == "SOURCE_DATE_EPOCH='yesterday' is not a whole number of seconds since 1970"


def test_an_edited_question_takes_the_build_time_and_every_other_note_keeps_its_release_stamp(content_dir):
    release_at(content_dir, T0)
    bank = content_dir / "banks" / "second.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("In which month", "In what month"), encoding="utf-8")
    content = load(content_dir)
    after = note_times(build_deck(content, content_dir, content.questions, now=T1))
    edited = note_guid(content.bank("second").questions[0])
    assert after[edited] == T1
    assert {after[g] for g in after if g != edited} == {T0}


def test_notes_are_never_older_than_the_way_their_fields_are_filled(content_dir):
    content = load(content_dir)
    times = note_times(build_deck(content, content_dir, content.questions, now=FIELDS_REVISED - 99))
    assert set(times.values()) == {FIELDS_REVISED}


def test_adding_an_article_and_a_bank_changes_no_other_note(content_dir, tmp_path):
    release_at(content_dir, T0)
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    (sources / "005_extra.txt").write_text("A sixth reading on the partnership.\n", encoding="utf-8")
    with (content_dir / "articles.yaml").open("a", encoding="utf-8") as registry:
        registry.write(SIXTH_ARTICLE)
    third = (content_dir / "banks" / "second.yaml").read_text(encoding="utf-8")
    third = third.replace("bank: second", "bank: third").replace("title: Second Bank", "title: Third Bank")
    (content_dir / "banks" / "third.yaml").write_text(third, encoding="utf-8")
    content = require_content(content_dir, sources)
    times = note_times(build_deck(content, content_dir, content.questions, now=T1))
    new = {note_guid(q) for q in content.bank("third").questions}
    assert {times[g] for g in new} == {T1}
    assert {times[g] for g in times if g not in new} == {T0}


def test_note_types_carry_their_revised_time_and_notes_their_guid(content_dir):
    content = load(content_dir)
    package = read_package(build_deck(content, content_dir, content.questions))
    models = json.loads(package.execute("select models from col").fetchone()[0])
    assert {int(i): m["mod"] for i, m in models.items()} == {nt.model_id: nt.revised for nt in NOTE_TYPES.values()}
    guids = {row[0] for row in package.execute("select guid from notes")}
    assert guids == {genanki.guid_for("quizgen", q.bank, q.id) for q in content.questions}


def test_the_guid_depends_on_bank_and_question_ids_never_on_the_text():
    content = load(VALID)
    question = content.questions[0]
    reworded = replace(question, prompt="Something else entirely?")
    assert note_guid(reworded) == note_guid(question)
    assert note_guid(replace(question, bank="other")) != note_guid(question)


def test_deck_ids_are_fixed_and_distinct():
    assert deck_id("bank sample") == deck_id("bank sample")
    assert deck_id("bank sample") != deck_id("bank second")
    assert (1 << 30) <= deck_id("bank sample") < (1 << 31)


def test_a_subdeck_per_bank_under_the_parent_with_new_cards_in_bank_order(content_dir):
    content = load(content_dir)
    package = read_package(render_deck(content, content.questions, name="Drill"))
    decks = json.loads(package.execute("select decks from col").fetchone()[0])
    names = {d["name"] for d in decks.values()}
    assert {"Drill", "Drill::Sample Bank", "Drill::Second Bank"} <= names
    order = package.execute(
        "select n.guid from cards c join notes n on n.id = c.nid where c.ord = 0 order by c.due"
    ).fetchall()
    assert [row[0] for row in order] == [note_guid(q) for q in content.questions]


def deck_command(*args: str) -> int:
    return main(["deck", "--content", str(VALID), "--sources", str(SOURCES), *args])


def test_the_deck_command_writes_the_selected_questions(tmp_path):
    out = tmp_path / "cloze.apkg"
    status = deck_command("--kind", "cloze", "--kind", "essay", "-o", str(out))
    assert status == 0
    package = read_package(out.read_bytes())
    assert package.execute("select count(*) from notes").fetchone()[0] == 2


def test_the_deck_command_rejects_a_filter_that_names_nothing(tmp_path, capsys):
    status = deck_command("--tag", "treaties", "-o", str(tmp_path / "x.apkg"))
    assert status == 1
    assert "unknown tag 'treaties'" in capsys.readouterr().err
    assert not (tmp_path / "x.apkg").exists()


def test_the_deck_command_reports_every_filter_that_names_nothing_at_once(tmp_path, capsys):
    given = ("--tag", "treaties", "--bank", "sampel", "--tag", "trade", "--kind", "essays", "--tag", "treaties")
    status = deck_command(*given, "-o", str(tmp_path / "x.apkg"))
    assert status == 1
    errors = [line.split(" (expected")[0] for line in capsys.readouterr().err.splitlines()]
    assert errors == ["error: unknown bank 'sampel'", "error: unknown tag 'treaties'", "error: unknown kind 'essays'"]
    assert not (tmp_path / "x.apkg").exists()


def test_the_build_stage_makes_the_whole_deck(monkeypatch):
    from quizgen.pipeline import deck_path, render_anki

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(T1))
    data, warnings = render_anki(load(VALID), VALID, load(VALID).questions)
    relative = deck_path(load(VALID))
    assert relative == "anki/sino-russian-relations.apkg"  # from the course settings
    assert data == build_deck(load(VALID), VALID, load(VALID).questions)
    assert [w.message.split(":")[0] for w in warnings] == ["no release yet"]


def test_quizgen_help_does_not_import_genanki():
    code = "import sys; from quizgen.cli import main; main(['--help']); print('genanki' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().endswith("False")


def test_the_writer_refuses_a_note_whose_field_holds_anki_s_field_separator():
    from quizgen.errors import QuizgenError
    from quizgen.render.anki_package import NoteRow, collection_bytes

    broken = NoteRow("g", 1, ["Prompt\x1fextra", "b"], "Prompt", ["t"], [0], 1, 0, 1_800_000_000)
    with pytest.raises(QuizgenError) as raised:
        collection_bytes({}, {}, [broken], 1)
    assert str(raised.value) == (
        "Anki note g: field 1 holds the control character U+001F, which would break the whole deck "
        "(remove it from the bank)"
    )


@pytest.mark.parametrize("code", [*range(0x09), *range(0x0B, 0x20), 0x7F])
@pytest.mark.parametrize("index", [0, 1, 2])
def test_the_writer_refuses_each_control_character_in_any_field(code, index):
    from quizgen.errors import QuizgenError
    from quizgen.render.anki_package import NoteRow, collection_bytes

    fields = ["Prompt é", "Answer 日本", "Explanation"]
    fields[index] = f"{fields[index][:3]}{chr(code)}{fields[index][3:]}"
    with pytest.raises(QuizgenError, match=f"field {index + 1} holds the control character U\\+{code:04X}"):
        collection_bytes({}, {}, [NoteRow("g", 1, fields, "Prompt", ["t"], [0], 1, 0, 1)], 1)


def test_the_writer_lets_tabs_newlines_and_other_unprintable_text_through():
    from quizgen.render.anki_package import NoteRow, collection_bytes

    fields = ["tab\there", "line\nbreak", "next line\u0085, line separator\u2028, no-break\u00a0 é"]
    data = collection_bytes({}, {}, [NoteRow("g", 1, fields, "tab", ["t"], [0], 1, 0, 1)], 1)
    assert "\x1f".join(fields).encode() in data


@pytest.mark.parametrize("look", ["", "a1b2c3"])
def test_a_note_s_fingerprint_is_the_digest_of_its_parts_joined(look):
    import hashlib

    from quizgen.render.anki_package import NoteRow
    from quizgen.render.anki_release import fingerprint

    note = NoteRow("g", 7, ["Prompt é", "", "Answer 日本"], "Prompt é", ["quizgen::a", "b"], [0, 2], 1, 0)
    parts = ["7", "Prompt é", "", "Answer 日本", "quizgen::a b", "0,2", *([look] if look else [])]
    assert fingerprint(note, look) == hashlib.blake2b("\x1f".join(parts).encode(), digest_size=12).hexdigest()


@pytest.mark.parametrize("values", [("quizgen", "sample", "treaty-signed"), ("quizgen", "b", "x"), ("ü", "日本", "")])
def test_the_fast_guid_is_genanki_s(values):
    from quizgen.render.anki import guid_for

    assert guid_for(*values) == genanki.guid_for(*values)


def genanki_base91(number: int) -> str:
    """The digit loop of genanki.guid_for, as it is written there."""
    from genanki.util import BASE91_TABLE

    digits = []
    while number > 0:
        digits.append(BASE91_TABLE[number % len(BASE91_TABLE)])
        number //= len(BASE91_TABLE)
    return "".join(reversed(digits))


EDGES = [0, 1, 90, 91, 92, 91**2 - 1, 91**2, 91**4 - 1, 91**4, 91**4 + 1, 91**8 - 1, 91**8, 91**9, 2**63, 2**64 - 1]


@pytest.mark.parametrize("number", EDGES)
def test_base91_writes_genanki_s_digits_at_the_edges(number):
    from quizgen.render.anki import base91

    assert base91(number) == genanki_base91(number)


def test_the_fast_guid_is_genanki_s_for_many_ids():
    from quizgen.render.anki import guid_for

    ids = [f"question-{n}" for n in range(5000)]
    assert [guid_for("quizgen", "bank", i) for i in ids] == [genanki.guid_for("quizgen", "bank", i) for i in ids]


def test_the_zip_writer_makes_an_archive_that_zipfile_and_unzip_read_back_exactly(tmp_path):
    from quizgen.render.zip_archive import zip_bytes

    members = [("collection.anki2", bytes(range(256)) * 4000 + b"text " * 50_000), ("media", b"{}"), ("empty", b"")]
    data = zip_bytes(members)
    assert zip_bytes(members) == data  # equal input, equal bytes
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    assert [(info.filename, archive.read(info)) for info in archive.infolist()] == members
    for info in archive.infolist():
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert (info.create_system, info.external_attr >> 16, info.compress_type) == (3, 0o644, zipfile.ZIP_DEFLATED)
    assert archive.getinfo("collection.anki2").compress_size < len(members[0][1]) // 10
    path = tmp_path / "deck.apkg"
    path.write_bytes(data)
    tested = subprocess.run(["unzip", "-t", str(path)], capture_output=True, text=True)
    assert tested.returncode == 0 and "No errors detected" in tested.stdout, tested.stdout + tested.stderr


def test_the_option_shuffle_is_pythons_shuffle_and_stays_put():
    import hashlib
    import random

    from quizgen.render.anki_html import shuffled

    for n in range(1, 12):
        for uid in (f"bank/q-{i}" for i in range(300)):
            expected = list(range(n))
            seed = int.from_bytes(hashlib.sha256(f"quizgen:{uid}".encode()).digest()[:8], "big")
            random.Random(seed).shuffle(expected)
            assert shuffled(range(n), uid) == expected
    # Fixed orders: a change here re-words every shuffled note in every student's collection.
    assert shuffled("ABCDE", "sample/treaty-year") == ["B", "C", "A", "D", "E"]
    assert shuffled("ABCD", "ni-2002/sco-cloze") == ["D", "A", "C", "B"]
    assert shuffled("ABC", "sample/events", avoid_given_order=True) == ["C", "B", "A"]


def test_each_collection_is_built_in_a_database_of_its_own(tmp_path):
    import sqlite3

    from quizgen.render.anki_package import DATABASE, NoteRow, collection_bytes

    other = sqlite3.connect(DATABASE, uri=True)  # another connection to the writer's database name
    other.execute("CREATE TABLE stray (x)")
    try:
        path = tmp_path / "collection.anki2"
        path.write_bytes(collection_bytes({}, {}, [NoteRow("g", 1, ["a", "b"], "a", ["t"], [0], 1, 0, 1)], 1))
        with sqlite3.connect(path) as written:
            tables = {name for (name,) in written.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            notes = written.execute("SELECT guid, flds FROM notes").fetchall()
    finally:
        other.close()
    assert "stray" not in tables and {"notes", "cards", "col", "revlog", "graves"} <= tables
    assert notes == [("g", "a\x1fb")]


def test_the_shipped_collection_does_not_say_which_sqlite_wrote_it(tmp_path):
    import sqlite3

    from quizgen.render.anki_package import NoteRow, apkg_bytes, collection_bytes

    collection = collection_bytes({}, {}, [NoteRow("g", 1, ["a", "b"], "a", ["t"], [0], 1, 0, 1)], 1)
    assert collection[96:100] != bytes(4)  # SQLite writes its version number there
    with zipfile.ZipFile(io.BytesIO(apkg_bytes(collection))) as archive:
        assert archive.testzip() is None  # every member's CRC holds
        shipped = archive.read("collection.anki2")
    # The change counter and the version fields zeroed, as an in-memory database leaves them; the rest as made.
    assert shipped[24:28] == bytes(4) and shipped[92:100] == bytes(8)
    assert shipped[:24] + shipped[28:92] + shipped[100:] == collection[:24] + collection[28:92] + collection[100:]
    path = tmp_path / "collection.anki2"
    path.write_bytes(shipped)
    with sqlite3.connect(path) as database:
        assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert database.execute("SELECT flds FROM notes").fetchall() == [("a\x1fb",)]


def test_a_zip_member_given_in_pieces_reads_back_whole():
    from quizgen.render.zip_archive import zip_bytes

    pieces = [b"head", memoryview(b"0123456789" * 1000)[5:], b"tail"]
    with zipfile.ZipFile(io.BytesIO(zip_bytes([("m", pieces), ("n", b"whole")]))) as archive:
        assert archive.testzip() is None
        assert archive.read("m") == b"".join(pieces) and archive.read("n") == b"whole"
