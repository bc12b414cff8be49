"""The .apkg file: repeatable bytes, stable identities, modification times from the content's last change."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import genanki
import pytest
from conftest import SOURCES, VALID
from helpers import read_package

from quizgen.cli import main
from quizgen.load.content import require_content
from quizgen.load.history import last_change, load_stamps
from quizgen.model import Content
from quizgen.render.anki import (
    FIELDS_REVISED,
    NOTE_TYPES,
    deck_id,
    note_guid,
    render_deck,
)

T0 = FIELDS_REVISED + 1_000


def per_question(content: Content, by_bank: dict[str, int]) -> dict[str, int]:
    """One stamp for every question of each bank."""
    return {q.uid: by_bank[q.bank] for q in content.questions if q.bank in by_bank}


T1 = T0 + 3_600


def two_banks(root: Path) -> Path:
    """The valid content plus a second bank (a copy under another id and title), every file dated T0."""
    shutil.copytree(VALID, root, ignore=shutil.ignore_patterns("quizgen.yaml"))
    sample = (root / "banks" / "sample.yaml").read_text(encoding="utf-8")
    other = sample.replace("bank: sample", "bank: second").replace("title: Sample Bank", "title: Second Bank")
    (root / "banks" / "second.yaml").write_text(other, encoding="utf-8")
    for path in root.rglob("*"):
        os.utime(path, (T0, T0))
    return root


def load(content_dir: Path) -> Content:
    return require_content(content_dir, SOURCES)


def build_deck(content: Content, content_dir: Path, questions) -> bytes:
    """What `quizgen deck` writes: the stamps read from the content folder, then the package."""
    return render_deck(content, questions, load_stamps(content, content_dir).by_uid)


def note_times(data: bytes) -> dict[str, int]:
    return dict(read_package(data).execute("select guid, mod from notes").fetchall())


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    return two_banks(tmp_path / "content")


def test_an_unchanged_bank_rebuilds_byte_identical_even_from_a_copy(content_dir, tmp_path):
    first = build_deck(load(content_dir), content_dir, load(content_dir).questions)
    copy = tmp_path / "unpacked"
    shutil.copytree(content_dir, copy)  # keeps file times, as unpacking a tarball does
    assert build_deck(load(copy), copy, load(copy).questions) == first
    assert build_deck(load(content_dir), content_dir, load(content_dir).questions) == first


def test_an_edited_bank_imports_as_newer_and_the_other_banks_keep_their_time(content_dir):
    content = load(content_dir)
    before = note_times(build_deck(content, content_dir, content.questions))
    bank = content_dir / "banks" / "second.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("Sample Bank", "Second Bank"), encoding="utf-8")
    os.utime(bank, (T1, T1))
    content = load(content_dir)
    after = note_times(build_deck(content, content_dir, content.questions))
    second = {note_guid(q) for q in content.bank("second").questions}
    assert {after[g] for g in second} == {T1}
    assert {after[g] for g in after if g not in second} == {T0}
    assert {before[g] for g in before} == {T0}


def test_notes_are_never_older_than_the_way_their_fields_are_filled(content_dir):
    for path in content_dir.rglob("*"):
        os.utime(path, (FIELDS_REVISED - 99, FIELDS_REVISED - 99))
    content = load(content_dir)
    assert set(note_times(build_deck(content, content_dir, content.questions)).values()) == {FIELDS_REVISED}


def test_a_change_to_the_article_registry_refreshes_every_bank(content_dir):
    os.utime(content_dir / "articles.yaml", (T1, T1))
    content = load(content_dir)
    assert load_stamps(content, content_dir).by_uid == per_question(content, {"sample": T1, "second": T1})


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
    reworded = type(question)(**{**question.__dict__, "prompt": "Something else entirely?"})
    assert note_guid(reworded) == note_guid(question)
    assert note_guid(type(question)(**{**question.__dict__, "bank": "other"})) != note_guid(question)


def test_deck_ids_are_fixed_and_distinct():
    assert deck_id("bank sample") == deck_id("bank sample")
    assert deck_id("bank sample") != deck_id("bank second")
    assert (1 << 30) <= deck_id("bank sample") < (1 << 31)


def test_a_subdeck_per_bank_under_the_parent_with_new_cards_in_bank_order(content_dir):
    content = load(content_dir)
    package = read_package(
        render_deck(
            content, content.questions, per_question(content, dict.fromkeys(["sample", "second"], T0)), name="Drill"
        )
    )
    decks = json.loads(package.execute("select decks from col").fetchone()[0])
    names = {d["name"] for d in decks.values()}
    assert {"Drill", "Drill::Sample Bank", "Drill::Second Bank"} <= names
    order = package.execute(
        "select n.guid from cards c join notes n on n.id = c.nid where c.ord = 0 order by c.due"
    ).fetchall()
    assert [row[0] for row in order] == [note_guid(q) for q in content.questions]


def test_git_gives_the_commit_time_of_a_clean_file_and_the_file_time_of_an_edited_one(tmp_path):
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    env = {**os.environ, "GIT_COMMITTER_DATE": "@1700000000 +0000", "GIT_AUTHOR_DATE": "@1700000000 +0000"}
    subprocess.run([*git, "init", "-q"], check=True)
    bank = tmp_path / "bank.yaml"
    bank.write_text("a\n", encoding="utf-8")
    os.utime(bank, (1800000000, 1800000000))  # a clone's checkout time, which must not count
    subprocess.run([*git, "add", "bank.yaml"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "bank"], check=True, env=env)
    assert last_change(bank) == 1700000000
    bank.write_text("b\n", encoding="utf-8")
    os.utime(bank, (1700000500, 1700000500))
    assert last_change(bank) == 1700000500
    untracked = tmp_path / "new.yaml"
    untracked.write_text("c\n", encoding="utf-8")
    os.utime(untracked, (1600000000, 1600000000))
    assert last_change(untracked) == 1600000000


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


def test_the_build_stage_makes_the_whole_deck():
    from quizgen.pipeline import deck_path, render_anki

    data, warnings = render_anki(load(VALID), VALID, load(VALID).questions)
    relative = deck_path(load(VALID))
    assert relative == "anki/sino-russian-relations.apkg"  # from the course settings
    assert data == build_deck(load(VALID), VALID, load(VALID).questions)
    assert warnings == ()


def test_quizgen_help_does_not_import_genanki():
    code = "import sys; from quizgen.cli import main; main(['--help']); print('genanki' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().endswith("False")
