"""Per-question stamps from the bank's git history: an edit updates only the notes it touched.

The same round trip as test_anki_import, but with the content in a git
repository, as it is in this project: the teacher commits an edit, rebuilds,
and the student re-imports with Anki's default options.
"""

from __future__ import annotations

import os

import pytest
from helpers import (
    BANK_ORDER,
    DECK_NAME,
    EDITED,
    RATINGS,
    T0,
    T1,
    apply_edits,
    build,
    commit_all,
    copy_content,
    git,
    guid_of,
    import_package,
    study,
)

from quizgen.load.history import question_changes


@pytest.fixture
def repo(tmp_path):
    content = copy_content(tmp_path / "content")
    git(content, "init", "-q")
    commit_all(content, T0)
    return content


def test_each_question_is_stamped_with_the_commit_that_last_changed_it(repo):
    bank = repo / "banks" / "sample.yaml"
    apply_edits(bank)
    commit_all(repo, T1)
    stamps = question_changes(bank)
    assert {qid for qid, stamp in stamps.items() if stamp == T1} == EDITED | {"record-trade-year"}
    assert {qid for qid, stamp in stamps.items() if stamp == T0} == set(BANK_ORDER) - EDITED


def test_an_uncommitted_edit_is_stamped_with_the_file_time(repo):
    bank = repo / "banks" / "sample.yaml"
    text = bank.read_text(encoding="utf-8").replace("In which month and year", "In what month and year")
    bank.write_text(text, encoding="utf-8")
    os.utime(bank, (T1, T1))
    stamps = question_changes(bank)
    assert stamps["treaty-signed"] == T1
    assert {stamps[qid] for qid in BANK_ORDER if qid != "treaty-signed"} == {T0}


def test_a_file_git_does_not_track_has_no_history(tmp_path):
    bank = copy_content(tmp_path / "content") / "banks" / "sample.yaml"
    assert question_changes(bank) is None


@pytest.mark.anki
def test_a_reimport_updates_only_the_edited_notes_and_keeps_every_review(repo, tmp_path):
    from anki.collection import Collection

    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        first = import_package(col, build(repo, tmp_path / "v1.apkg"))
        col.decks.select(col.decks.id_for_name(DECK_NAME))
        study(col, RATINGS)
        reviews = col.db.all("select * from revlog order by id")
        cards = col.db.all("select id, due, ivl, queue, type, reps, lapses, factor from cards order by id")
        untouched = {
            qid: col.db.first("select id, mod, flds from notes where guid = ?", guid_of(qid)) for qid in BANK_ORDER
        }
        apply_edits(repo / "banks" / "sample.yaml")
        commit_all(repo, T1)
        log = import_package(col, build(repo, tmp_path / "v2.apkg"))
        assert len(first.new) == len(BANK_ORDER)
        assert (len(log.updated), len(log.new), len(log.duplicate), len(log.conflicting)) == (len(EDITED), 1, 6, 0)
        for qid in set(BANK_ORDER) - EDITED:  # the same row: same id, same time, same fields
            assert col.db.first("select id, mod, flds from notes where guid = ?", guid_of(qid)) == untouched[qid]
        assert col.db.all("select * from revlog order by id") == reviews
        kept = col.db.all("select id, due, ivl, queue, type, reps, lapses, factor from cards order by id")
        assert [row for row in kept if row[0] in {c[0] for c in cards}] == cards
    finally:
        col.close()


def test_a_broken_version_in_the_history_counts_as_a_change_not_a_crash(repo):
    bank = repo / "banks" / "sample.yaml"
    good = bank.read_text(encoding="utf-8")
    bank.write_text(good.replace("    difficulty: 1\n", "    difficulty: 1\n    1: a key JSON cannot sort\n", 1))
    commit_all(repo, T0 + 10)
    bank.write_text(good, encoding="utf-8")
    commit_all(repo, T1)
    stamps = question_changes(bank)
    assert stamps["treaty-signed"] == T1  # every entry differs from the unreadable version
    assert set(stamps) == set(BANK_ORDER)
