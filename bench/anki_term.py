"""A term with the real Anki library, printed: what each import reported, and reviews and scheduling before and after.

The same steps as tests/test_anki_release.py (whose helpers it uses): the
teacher releases the sample bank a week ago, the student imports it, studies
five cards, marks, tags and edits six notes; the teacher corrects four
questions, retires two, adds an article and a bank, and builds; the student
imports. Then the window after the build, the same deck built twice, and the
guards' changes built past the guard.

Run: python bench/anki_term.py
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from anki.collection import Collection  # noqa: E402
from conftest import SOURCES  # noqa: E402
from helpers import DECK_NAME, RATINGS, T0, build, copy_content, import_package, release, study  # noqa: E402
from test_anki_release import CARD_COLUMNS, TOUCHES, deck_at, note_of, teacher_changes, touch  # noqa: E402
from test_release_guards import CLOZE_REMOVED, ID_CHANGED, KIND_CHANGE, build_past_the_guard, change  # noqa: E402


def counts(log) -> str:
    return f"updated {len(log.updated)}, new {len(log.new)}, duplicate {len(log.duplicate)}, conflicting {len(log.conflicting)}"


def scheduling(col: Collection) -> list[tuple]:
    return col.db.all(f"select {CARD_COLUMNS} from cards order by id")


def the_term(root: Path) -> None:
    content = copy_content(root / "content")
    sources = root / "sources"
    shutil.copytree(SOURCES, sources)
    v1 = release(content, root / "v1.apkg", int(time.time()) - 7 * 86_400)
    (root / "student").mkdir()
    col = Collection(str(root / "student" / "collection.anki2"))
    print("1. release v1 a week ago, student imports:", counts(import_package(col, v1)))
    col.decks.select(col.decks.id_for_name(DECK_NAME))
    study(col, RATINGS)
    for question_id, what in TOUCHES.items():
        touch(col, question_id, what)
    print(f"   student studies {len(RATINGS)} cards, then: " + ", ".join(f"{w} {q}" for q, w in TOUCHES.items()))
    cards, revlog = scheduling(col), col.db.all("select * from revlog order by id")
    studied = [c for c in cards if c[8] > 0]
    time.sleep(1.1)
    teacher_changes(content, sources)
    v2 = deck_at(content, sources, root / "v2.apkg", int(time.time()))
    log = import_package(col, v2)
    print("2. teacher corrects 4, retires 2, adds an article and a 9-question bank; import v2:", counts(log))
    names = {note_of(col, q).id: q for q in [*TOUCHES, "first-leader", "sco-cloze", "trade-sequence"]}
    print("   updated:", sorted(names.get(n.id.nid, "?") for n in log.updated))
    print("   duplicate (left alone):", sorted(names.get(n.id.nid, "?") for n in log.duplicate))
    after = scheduling(col)
    kept = [c for c in after if c[0] in {k[0] for k in cards}]
    print(
        f"   revlog rows before/after: {len(revlog)}/{len(col.db.all('select * from revlog'))}, identical: "
        f"{col.db.all('select * from revlog order by id') == revlog}"
    )
    print(
        f"   cards before/after: {len(cards)}/{len(after)} (new bank {len(after) - len(cards)}); "
        f"scheduling of the {len(cards)} old cards identical: {kept == cards}"
    )
    for c in studied:
        print(
            f"     studied card {c[0]}: due {c[4]}, ivl {c[5]}, queue {c[6]}, type {c[7]}, reps {c[8]}  -> "
            f"{next(a for a in after if a[0] == c[0])[4:9]}"
        )
    print(
        "   tag:quizgen::retired finds",
        len(col.find_notes("tag:quizgen::retired")),
        "notes,",
        len(col.find_cards("tag:quizgen::retired")),
        "cards",
    )
    for q in ("three-pillars", "meeting-places", "why-stand-with-us"):
        note = note_of(col, q)
        print(
            f"   unchanged {q}: tags {[t for t in note.tags if not t.startswith('quizgen')]}, "
            f"first field ends {note.fields[0][-16:]!r}"
        )
    print("3. import v2 again:", counts(import_package(col, v2)))
    col.close()


def the_window(root: Path) -> None:
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest
    from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition

    content = copy_content(root / "window")
    col = Collection(str(root / "window.anki2"))
    import_package(col, release(content, root / "w1.apkg", int(time.time()) - 86_400))
    change(content, "answer: Daqing\n    accept: [Daqin]", "answer: Daqin\n    accept: [Daqing]")
    v2 = build(content, root / "w2.apkg", int(time.time()) - 60)
    touch(col, "pipeline-terminal", "tag")
    print(
        "4. the window: student tags the note after the build, imports:",
        counts(import_package(col, v2)),
        "| answer",
        note_of(col, "pipeline-terminal")["Answer"],
    )
    always = ImportAnkiPackageOptions(
        update_notes=ImportAnkiPackageUpdateCondition.Value("IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS")
    )
    log = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(v2), options=always)).log
    print("   again with Update notes: Always:", counts(log), "| answer", note_of(col, "pipeline-terminal")["Answer"])
    col.close()


def reproducible(root: Path) -> None:
    content = copy_content(root / "repro")
    release(content, root / "r1.apkg", T0)
    change(content, "tolerance: 0.05", "tolerance: 0.1")
    os.environ["SOURCE_DATE_EPOCH"] = str(T0 + 86_400)
    digests = {hashlib.sha256(build(content, root / f"b{i}.apkg").read_bytes()).hexdigest()[:16] for i in (1, 2)}
    del os.environ["SOURCE_DATE_EPOCH"]
    print(f"5. two builds of one commit with SOURCE_DATE_EPOCH: {len(digests)} distinct sha256 ({', '.join(digests)})")


def past_the_guards(root: Path) -> None:
    for label, edits in (
        ("kind change + cloze c2 removed", (KIND_CHANGE, CLOZE_REMOVED)),
        ("id change", (ID_CHANGED,)),
    ):
        folder = root / label.replace(" ", "-")
        content = copy_content(folder / "content")
        v1 = release(content, folder / "v1.apkg", T0)
        col = Collection(str(folder / "c.anki2"))
        import_package(col, v1)
        for edit in edits:
            change(content, *edit)
        log = import_package(col, build_past_the_guard(content, folder / "v2.apkg"))
        print(f"6. past the guard, {label}: {counts(log)}; notes {col.note_count()}")
        col.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        the_term(root)
        the_window(root)
        reproducible(root)
        past_the_guards(root)


if __name__ == "__main__":
    main()
