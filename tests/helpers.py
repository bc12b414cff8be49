"""Helpers shared by several test modules; tests import from here and conftest, never from each other.

Nothing here imports Anki, Playwright, WeasyPrint or pypdf at module level, so the fast run
(`-m "not browser and not anki and not pdf and not wheel"`) can import this module without them.
"""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import sqlite3
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from conftest import SOURCES, VALID

from quizgen.kinds.cloze import Cloze
from quizgen.kinds.essay import Essay
from quizgen.kinds.matching import Matching, Pair
from quizgen.kinds.multiple_choice import MultipleChoice
from quizgen.kinds.multiple_select import MultipleSelect
from quizgen.kinds.numeric import Numeric
from quizgen.kinds.ordering import Event, Ordering
from quizgen.kinds.short_answer import ShortAnswer
from quizgen.kinds.true_false import TrueFalse
from quizgen.load.content import require_content
from quizgen.model import Content, Passage
from quizgen.pipeline import Source, read_release
from quizgen.pipeline import release as pipeline_release
from quizgen.render.anki import FIELDS_REVISED, note_guid, render_deck

if TYPE_CHECKING:
    from anki.collection import Collection

# --- The sample bank as an Anki deck, before and after a teacher's edit ----------------------------

DECK_NAME = "Sino-Russian Relations"  # the course settings copy_content writes
T0 = FIELDS_REVISED + 1_000  # when the copied content last changed
T1 = T0 + 86_400  # the teacher's edit, a day later
BANK_ORDER = [
    "treaty-signed",
    "three-pillars",
    "first-leader",
    "pipeline-terminal",
    "trade-2001",
    "sco-cloze",
    "meeting-places",
    "trade-sequence",
    "why-stand-with-us",
]
# What a student does before the update: the first five cards in the queue (names of anki's CardAnswer ratings).
RATINGS = ["EASY", "GOOD", "AGAIN", "EASY", "HARD"]

NEW_QUESTION = """\
  - id: record-trade-year
    kind: true_false
    prompt: "Trade between China and Russia hit a record in 2001 <i>(see the text)</i> [sound:boom.mp3]"
    answer: true
    source: "In 2001 bilateral trade between China and Russia hit a record high of US\\\\$ 10.7 billion"
    tags: [trade]
"""
EDITS = [
    # a reworded question
    (
        "did the Chinese and Russian presidents sign the Good-Neighborly Treaty?",
        "did Jiang Zemin and Vladimir Putin sign the Good-Neighborly Treaty?",
    ),
    # a changed answer
    ("answer: Daqing\n    accept: [Daqin]", "answer: Daqin\n    accept: [Daqing]"),
    # a cloze gains a third deletion
    ("have strengthened their cooperation in", "have {{c3::strengthened}} their cooperation in"),
    # a new question, second in the bank
    ("  - id: three-pillars\n", NEW_QUESTION + "  - id: three-pillars\n"),
]
EDITED = {"treaty-signed", "pipeline-terminal", "sco-cloze"}  # what EDITS changes, besides adding a question


def copy_content(target: Path) -> Path:
    """The valid test content (without its quiz file) copied to `target`, every file dated T0."""
    shutil.copytree(VALID, target, ignore=shutil.ignore_patterns("quizgen.yaml"))  # its sources path is relative
    (target / "quizgen.yaml").write_text(f'deck:\n  name: "{DECK_NAME}"\n', encoding="utf-8")
    for path in target.rglob("*"):
        os.utime(path, (T0, T0))
    return target


def apply_edits(bank: Path) -> None:
    """The teacher's edit (EDITS) applied to a copy of the sample bank."""
    text = bank.read_text(encoding="utf-8")
    for old, new in EDITS:
        text = text.replace(old, new)
    bank.write_text(text, encoding="utf-8")


def build(content_dir: Path, out: Path, when: int | None = None) -> Path:
    """What `quizgen build` writes as its deck for `content_dir` at time `when` (default: now), to `out`:
    stamped from the content's release record, the notes changed since then with `when`."""
    content = require_content(content_dir, SOURCES)
    release = read_release(content, content_dir)
    out.write_bytes(render_deck(content, content.questions, release, now=when, whole=True))
    return out


def release(content_dir: Path, out: Path, when: int, templates_dir: Path | None = None) -> Path:
    """What `quizgen release` does at time `when`: records content/releases.json, writes the deck; copied to `out`."""
    done = pipeline_release(Source(content_dir, SOURCES), out.parent / "release-output", when, templates_dir)
    shutil.copyfile(done.written.paths[0], out)
    return out


@dataclass(frozen=True)
class _QuestionId:
    bank: str
    id: str


def guid_of(question_id: str) -> str:
    """The note GUID of a question of the sample bank."""
    return note_guid(_QuestionId("sample", question_id))


def read_package(data: bytes) -> sqlite3.Connection:
    """The collection inside an .apkg, opened in memory."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["collection.anki2", "media"]
        database = archive.read("collection.anki2")
    connection = sqlite3.connect(":memory:")
    connection.deserialize(database)
    return connection


# --- The real Anki library (import these only from tests marked `anki`) ----------------------------


def import_package(col: Collection, path: Path):
    """Import as a student does: the importer's default options (update notes and note types if newer)."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
    return col.import_anki_package(request).log


def study(col: Collection, ratings: list[str]) -> None:
    """Answer the top card of the queue with each rating in turn, as a student studying the deck."""
    from anki.scheduler.v3 import CardAnswer

    for rating in ratings:
        top = col.sched.get_queued_cards(fetch_limit=1).cards[0]
        card = col.get_card(top.card.id)
        card.start_timer()
        answer = col.sched.build_answer(card=card, states=top.states, rating=getattr(CardAnswer, rating))
        col.sched.answer_card(answer)


# --- A git repository made by the git CLI (the tests may run git; quizgen must not) ----------------


def git(folder: Path, *args: str, when: int | None = None) -> None:
    """Run git in `folder` as a fixed committer, at `when` if given."""
    env = dict(os.environ)
    if when is not None:
        env |= {"GIT_COMMITTER_DATE": f"@{when} +0000", "GIT_AUTHOR_DATE": f"@{when} +0000"}
    base = ["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*base, *args], check=True, env=env, capture_output=True)


def commit_all(folder: Path, when: int) -> None:
    """Commit everything in `folder` at time `when`."""
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", f"content at {when}", when=when)


# --- Questions built in code -----------------------------------------------------------------------


def sample_questions() -> list:
    """One question of every kind, with text that needs escaping, built here so other tests' data can change."""
    common = {"bank": "lock", "source": (Passage("a", 'He said "x < y" & left.'),), "tags": ("treaty",)}
    return [
        MultipleChoice(
            id="mc", kind="multiple_choice", prompt="Pick <one>", answer="A&B", distractors=("C", "D"), **common
        ),
        MultipleSelect(
            id="ms", kind="multiple_select", prompt="Pick", answers=("A", "B"), distractors=("C", "D"), **common
        ),
        TrueFalse(id="tf", kind="true_false", prompt="Sky is green", answer=False, correction="Sky is blue", **common),
        ShortAnswer(id="sa", kind="short_answer", prompt="City?", answer="Daqing", accept=("Daqin",), **common),
        Numeric(id="nu", kind="numeric", prompt="How much?", answer=10.7, unit="billion US$", tolerance=0.05, **common),
        Cloze(id="cz", kind="cloze", prompt="In {{c1::Moscow}} in {{c2::2001::year}}", explanation="why", **common),
        Matching(
            id="ma", kind="matching", prompt="Match", pairs=(Pair("a", "1"), Pair("b", "2"), Pair("c", "3")), **common
        ),
        Ordering(
            id="or",
            kind="ordering",
            prompt="Order",
            items=(Event("x", "1999"), Event("y", "2001-07"), Event("z", "2002")),
            **common,
        ),
        Essay(id="es", kind="essay", prompt="Why?", key_points=("one", "two"), **common),
    ]


# --- Print: what only a key may show, and hostile bank text ----------------------------------------

HOSTILE = '<img src="file:///etc/passwd"> <link rel="attachment" href="file:///etc/passwd">'


def key_texts(content: Content) -> list[str]:
    """What only a key may show: explanations, source passages, corrections, accepted spellings."""
    texts = [q.explanation for q in content.questions if q.explanation]
    texts += [p.text.replace("\\$", "$") for q in content.questions for p in q.source]
    texts += [q.correction for q in content.questions if getattr(q, "correction", "")]
    texts += [a for q in content.questions for a in getattr(q, "accept", ())]
    texts += [k for q in content.questions for k in getattr(q, "key_points", ())]
    return texts


def hostile_content(content: Content) -> Content:
    """The sample content with HTML in a prompt, an option and an explanation."""
    bank = content.banks[0]
    first = dataclasses.replace(
        bank.questions[0], prompt=HOSTILE, explanation=HOSTILE, distractors=(HOSTILE, "May 2002", "June 1999")
    )
    return dataclasses.replace(content, banks=(dataclasses.replace(bank, questions=(first, *bank.questions[1:])),))


def read_pdf(source):
    """A pypdf reader of a PDF's bytes or path (pypdf imported here, for tests marked `pdf` only)."""
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(source) if isinstance(source, bytes) else source)


# An articles.yaml entry for a sixth reading: adding it must leave every released note alone.
SIXTH_ARTICLE = """\
  - id: extra
    title: A Sixth Reading
    author: A. Teacher
    outlet: class notes
    date: "2026"
    file: 005_extra.txt
"""


# --- Browser: Debian's Chromium, driven by Playwright ---------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
# No background networking, updates or sync: this machine's closed network refuses them, many at a time.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium():
    """Debian's Chromium under Playwright, for a module-scoped fixture to yield from. Per module, not per
    session: two sync Playwright instances cannot run at once, so each module's closes before the next opens."""
    import pytest
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run scripts/setup (it installs it with apt)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
