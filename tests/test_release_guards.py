"""Guards against changes that strand students' cards, and the `retired:` list of a bank.

Each guard: release the sample content, make the change, and `validate`
refuses it with the located error and the fix; then the same change, built
past the guard, shown stranding a card in the real Anki library.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import DATA, SOURCES
from helpers import DECK_NAME, T0, T1, copy_content, guid_of, import_package, release, study

from quizgen.cli import main
from quizgen.load.content import require_content
from quizgen.load.releases import load_release
from quizgen.render.anki import render_deck

RETIRED_INVALID = DATA / "retired-invalid"
BANK = "content/banks/sample.yaml"

KIND_CHANGE = (  # pipeline-terminal: short answer -> multiple choice
    "kind: short_answer\n    prompt: Which city of China's Northeast was to be the end of the oil pipeline "
    "studied at the sixth prime ministers' meeting?\n    answer: Daqing\n    accept: [Daqin]",
    "kind: multiple_choice\n    prompt: Which city of China's Northeast was to be the end of the oil pipeline "
    "studied at the sixth prime ministers' meeting?\n    answer: Daqing\n    distractors: [Harbin, Dalian]",
)
KIND_CHANGE_SAME_NOTE_TYPE = (  # first-leader: true/false -> short answer, both in the Basic note type
    "kind: true_false\n    prompt: Putin was the last foreign leader to offer to stand with the United States against "
    "terrorism.\n    answer: false\n    correction: Putin was the first foreign leader to express his country's "
    "willingness to stand on the side of the United States.\n",
    "kind: short_answer\n    prompt: Which foreign leader was the first to offer to stand with the United States "
    "against terrorism?\n    answer: Putin\n",
)
CLOZE_REMOVED = ("{{c2::Shanghai Cooperation Organization}}", "Shanghai Cooperation Organization")
ID_CHANGED = ("  - id: first-leader\n", "  - id: first-foreign-leader\n")


@pytest.fixture
def released(tmp_path, monkeypatch) -> Path:
    """The sample content, released at T0; the working directory is its parent (so paths read content/...)."""
    content = copy_content(tmp_path / "content")
    release(content, tmp_path / "v1.apkg", T0)
    monkeypatch.chdir(tmp_path)
    return content


def change(content: Path, old: str, new: str) -> None:
    bank = content / "banks" / "sample.yaml"
    text = bank.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    bank.write_text(text.replace(old, new), encoding="utf-8")


def validate(capsys) -> tuple[int, list[str]]:
    status = main(["validate", "--content", "content", "--sources", str(SOURCES)])
    return status, [line for line in capsys.readouterr().out.splitlines() if ": error: " in line]


def test_a_changed_kind_is_refused_at_the_kind(released, capsys):
    change(released, *KIND_CHANGE)
    assert validate(capsys) == (
        1,
        [
            f"{BANK}:32:11: error: question 'pipeline-terminal' was released as short_answer and is now "
            "multiple_choice: Anki would refuse the change and strand every student's card of it; give it a new "
            "id (and retire 'pipeline-terminal'), or keep kind short_answer"
        ],
    )


# Anki updates a note whose kind changed within its note type (the real import below): no error.
def test_a_kind_changed_within_its_note_type_is_accepted(released, capsys):
    change(released, *KIND_CHANGE_SAME_NOTE_TYPE)
    assert validate(capsys) == (0, [])


def test_a_removed_cloze_number_is_refused_at_the_prompt(released, capsys):
    change(released, *CLOZE_REMOVED)
    assert validate(capsys) == (
        1,
        [
            f"{BANK}:51:13: error: question 'sco-cloze' was released with cloze c2, which it no longer has: "
            'students\' cards of it would show "No cloze found on card"; keep c2, or give it a new id (and retire '
            "'sco-cloze')"
        ],
    )


def test_a_changed_id_is_refused_at_the_new_id(released, capsys):
    change(released, *ID_CHANGED)
    assert validate(capsys) == (
        1,
        [
            f"{BANK}:23:9: error: question 'first-foreign-leader' has the prompt of released question "
            "'sample/first-leader', which is gone: a new id makes a new note and strands every student's card of "
            "the old one; keep the id 'first-leader', or retire 'first-leader' (list it under its bank's "
            "'retired:') to keep this one as a new question"
        ],
    )


def test_a_changed_id_with_the_old_one_retired_is_accepted(released, capsys):
    change(released, *ID_CHANGED)
    with (released / "banks" / "sample.yaml").open("a", encoding="utf-8") as bank:
        bank.write("retired:\n  - id: first-leader\n    reason: renamed\n")
    assert validate(capsys) == (0, [])


def test_the_guards_stop_build_deck_and_release_before_anything_is_written(released, capsys):
    change(released, *KIND_CHANGE)
    record = (released / "releases.json").read_bytes()
    for command in (["deck", "-o", "d.apkg"], ["build", "-o", "out"], ["release", "-o", "out2"]):
        assert main([*command, "--content", "content", "--sources", str(SOURCES)]) == 1
        assert "was released as short_answer" in capsys.readouterr().err
    assert not Path("d.apkg").exists() and not Path("out").exists() and not Path("out2").exists()
    assert (released / "releases.json").read_bytes() == record


def test_a_reworded_question_and_an_added_cloze_are_fine(released, capsys):
    change(released, "did the Chinese and Russian presidents sign", "did Jiang Zemin and Vladimir Putin sign")
    change(released, "have strengthened their cooperation in", "have {{c3::strengthened}} their cooperation in")
    assert validate(capsys) == (0, [])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "retired-still-a-question",
            "13:9: error: retired 'treaty-signed': is still a question (line 5); remove the question, "
            "or remove it from 'retired:'",
        ),
        ("retired-twice", "14:9: error: retired 'old-one': is listed twice (first on line 13)"),
        ("retired-unknown-key", "14:5: error: retired 'old-one': unknown key 'reasn' (did you mean 'reason'?)"),
        ("retired-not-a-list", "12:10: error: 'retired' is a text (expected a list)"),
    ],
)
def test_a_wrong_retired_list_is_located(name, expected, tmp_path, monkeypatch, capsys):
    content = copy_content(tmp_path / "content")
    shutil.copy(RETIRED_INVALID / f"{name}.yaml", content / "banks" / "bad.yaml")
    monkeypatch.chdir(tmp_path)
    status, errors = validate(capsys)
    assert (status, errors[-1:]) == (1, [f"content/banks/bad.yaml:{expected}"])


def test_a_broken_release_record_is_located_and_says_how_to_restore_it(released, capsys):
    (released / "releases.json").write_text('{"format": 1, "released": 5,\n "notes": {"a/b": 3}}\n', encoding="utf-8")
    assert validate(capsys) == (
        1,
        [
            "content/releases.json:1:1: error: not a release record written by quizgen (note 'a/b' should be a "
            "mapping) (restore it from git: `git checkout -- content/releases.json`; never edit it by hand)"
        ],
    )
    (released / "releases.json").write_text('{"format": 1,\n "released": }', encoding="utf-8")
    status, errors = validate(capsys)
    assert errors[0].startswith("content/releases.json:2:14: error: not JSON: Expecting value")


def test_an_unchanged_release_rewrites_the_same_record(released):
    before = (released / "releases.json").read_bytes()
    release(released, released.parent / "again.apkg", T1)
    assert (released / "releases.json").read_bytes() == before
    assert load_release(released)[0].time == T0


def test_the_record_keeps_a_retired_question_and_why_its_note_changed(released):
    change(released, "  - id: trade-sequence\n", "  - id: trade-sequence-old\n")  # not a rename: a new prompt follows
    text = (released / "banks" / "sample.yaml").read_text(encoding="utf-8")
    text = text.replace("Put these steps in the growth of trade", "Order the growth of trade")
    (released / "banks" / "sample.yaml").write_text(text, encoding="utf-8")
    release(released, released.parent / "v2.apkg", T1)
    notes = json.loads((released / "releases.json").read_text(encoding="utf-8"))["notes"]
    assert notes["sample/trade-sequence"]["retired"] is True and notes["sample/trade-sequence"]["stamp"] == T1
    assert notes["sample/trade-sequence-old"]["stamp"] == T1
    assert notes["sample/treaty-signed"]["stamp"] == T0


# What the guards prevent, in the real Anki library: the change built past the guard.


def build_past_the_guard(content: Path, out: Path) -> Path:
    parsed = require_content(content, SOURCES)
    out.write_bytes(render_deck(parsed, parsed.questions, load_release(content)[0], now=T1))
    return out


@pytest.mark.anki
def test_past_the_guard_a_changed_kind_is_conflicting_and_a_removed_cloze_breaks_a_card(released, tmp_path):
    from anki.collection import Collection

    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_package(col, tmp_path / "v1.apkg")
        change(released, *KIND_CHANGE)
        change(released, *CLOZE_REMOVED)
        log = import_package(col, build_past_the_guard(released, tmp_path / "v2.apkg"))
        assert (len(log.updated), len(log.conflicting)) == (1, 1)  # the cloze updated, the changed kind refused
        terminal = col.get_note(col.db.scalar("select id from notes where guid = ?", guid_of("pipeline-terminal")))
        assert terminal["Answer"] == "Daqing" and "Options" not in list(
            terminal.keys()
        )  # the student keeps the old card
        cloze = col.db.scalar("select id from notes where guid = ?", guid_of("sco-cloze"))
        second = col.get_card(col.find_cards(f"nid:{cloze} card:2")[0])
        assert "No cloze \u20682\u2069 found on card" in second.question()  # Anki isolates the number
    finally:
        col.close()


@pytest.mark.anki
def test_past_the_guard_a_changed_id_adds_a_new_note_and_leaves_the_old_card_behind(released, tmp_path):
    from anki.collection import Collection

    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_package(col, tmp_path / "v1.apkg")
        change(released, *ID_CHANGED)
        log = import_package(col, build_past_the_guard(released, tmp_path / "v2.apkg"))
        assert (len(log.updated), len(log.new)) == (1, 1)  # the old one, retired (no reason); the new one, new
        assert col.note_count() == 10 and len(col.find_notes("tag:quizgen::retired")) == 1
    finally:
        col.close()


def test_the_release_command_says_what_it_did_and_build_names_the_unreleased_changes(tmp_path, monkeypatch, capsys):
    copy_content(tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(T0))
    source = ["--content", "content", "--sources", str(SOURCES)]
    assert main(["release", *source, "-o", "out"]) == 0
    assert capsys.readouterr().out == (
        f"released 9 note(s) at {T0}: 9 changed since the last release, 0 retired; wrote "
        "out/anki/sino-russian-relations.apkg and content/releases.json (commit it with the content)\n"
    )
    change(tmp_path / "content", "tolerance: 0.05", "tolerance: 0.1")
    assert main(["deck", *source, "-o", "d.apkg"]) == 0
    assert capsys.readouterr().err == (
        "content/releases.json:1:1: warning: 1 note(s) changed since the last release (sample/trade-2001): "
        "stamped with this build's time, so every build updates them again in students' collections; run "
        "'quizgen release' and commit content/releases.json when you share the deck\n"
    )


@pytest.mark.anki
def test_a_kind_changed_within_its_note_type_updates_the_note_and_keeps_its_history(released, tmp_path):
    from anki.collection import Collection

    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_package(col, tmp_path / "v1.apkg")
        col.decks.select(col.decks.id_for_name(DECK_NAME))
        study(col, ["EASY"] * 9)  # every card reviewed once
        reviews = col.db.scalar("select count() from revlog")
        change(released, *KIND_CHANGE_SAME_NOTE_TYPE)
        log = import_package(col, build_past_the_guard(released, tmp_path / "v2.apkg"))
        assert (len(log.updated), len(log.conflicting), len(log.new)) == (1, 0, 0)
        note = col.get_note(col.db.scalar("select id from notes where guid = ?", guid_of("first-leader")))
        assert note["Answer"] == "Putin" and "quizgen::kind::short_answer" in note.tags
        assert col.db.scalar("select count() from revlog") == reviews and reviews == 9
    finally:
        col.close()


def retire_first_leader(content: Path, when: int) -> str:
    """Delete first-leader from the bank and release that (it is retired); its text, to bring it back."""
    bank = content / "banks" / "sample.yaml"
    text = bank.read_text(encoding="utf-8")
    start = text.index("  - id: first-leader\n")
    block = text[start : text.index("  - id:", start + 5)]
    bank.write_text(text.replace(block, ""), encoding="utf-8")
    release(content, content.parent / f"retired-{when}.apkg", when)
    return block


def test_a_question_back_under_a_retired_id_is_refused_at_the_id(released, capsys):
    block = retire_first_leader(released, T1)
    bank = released / "banks" / "sample.yaml"
    bank.write_text(bank.read_text(encoding="utf-8") + block, encoding="utf-8")  # restored as it was
    assert validate(capsys) == (
        1,
        [
            f"{BANK}:84:9: error: question 'first-leader' has the id of a question the last release retired: its "
            "note would come back with the old card's history, suspended for every student who suspended the "
            "retired cards; give it a new id"
        ],
    )
    bank.write_text(bank.read_text(encoding="utf-8").replace("- id: first-leader\n", "- id: first-leader-2\n"))
    assert validate(capsys) == (0, [])  # under a new id it is a new question


@pytest.mark.anki
def test_past_the_guard_a_question_back_under_a_retired_id_stays_suspended(released, tmp_path):
    from anki.collection import Collection

    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_package(col, tmp_path / "v1.apkg")
        col.decks.select(col.decks.id_for_name(DECK_NAME))
        study(col, ["EASY"] * 9)
        block = retire_first_leader(released, T1)
        import_package(col, released.parent / f"retired-{T1}.apkg")
        col.sched.suspend_cards(col.find_cards("tag:quizgen::retired"))  # as the deck's description says
        bank = released / "banks" / "sample.yaml"
        bank.write_text(bank.read_text(encoding="utf-8") + block, encoding="utf-8")
        parsed = require_content(released, SOURCES)
        out = tmp_path / "v3.apkg"
        out.write_bytes(render_deck(parsed, parsed.questions, load_release(released)[0], now=T1 + 86_400))
        assert len(import_package(col, out).updated) == 1
        note = col.get_note(col.db.scalar("select id from notes where guid = ?", guid_of("first-leader")))
        assert "quizgen::retired" not in note.tags  # live again...
        card = col.get_card(col.find_cards(f"nid:{note.id}")[0])
        assert card.queue == -1  # ...but suspended: the student never sees it
    finally:
        col.close()
