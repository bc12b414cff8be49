"""Reading the content's git history: it never runs a program, never depends on the locale, says when a
shallow clone cuts it, and never crashes on a broken repository or an odd old version.

The repositories are made by the git CLI (the tests may run git; quizgen must not), and each deck is
built through the real command line, as a teacher builds it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SOURCES
from helpers import BANK_ORDER, EDITED, T0, T1, apply_edits, commit_all, copy_content, git, guid_of, read_package

from quizgen.cli import main
from quizgen.render.anki import FIELDS_REVISED

LATER = T1 + 86_400  # a checkout's file time: must never reach a clean file's notes


def deck(content: Path, out: Path) -> bytes:
    """Build the deck through the CLI, as `quizgen deck --content ... -o ...` does."""
    assert main(["deck", "--content", str(content), "--sources", str(SOURCES), "-o", str(out)]) == 0
    return out.read_bytes()


def note_times(data: bytes) -> dict[str, int]:
    return dict(read_package(data).execute("select guid, mod from notes").fetchall())


def stamps_by_question(data: bytes) -> dict[str, int]:
    times = note_times(data)
    return {qid: times[guid_of(qid)] for qid in [*BANK_ORDER, "record-trade-year"] if guid_of(qid) in times}


def touch_all(folder: Path, when: int) -> None:
    for path in folder.rglob("*"):
        if ".git" not in path.parts:
            os.utime(path, (when, when))


@pytest.fixture
def history(tmp_path):
    """The sample content committed at T0, edited and committed at T1, every file dated LATER (a checkout)."""
    content = copy_content(tmp_path / "content")
    git(content, "init", "-q")
    commit_all(content, T0)
    apply_edits(content / "banks" / "sample.yaml")
    commit_all(content, T1)
    touch_all(content, LATER)
    return content


def expected_stamps() -> dict[str, int]:
    return {qid: T1 if qid in EDITED | {"record-trade-year"} else T0 for qid in [*BANK_ORDER, "record-trade-year"]}


# --- Nothing the repository names is ever run ---


def arm_traps(content: Path, marker: Path) -> None:
    """fsmonitor, hooks, textconv and a filter, each writing `marker` when git runs it."""
    script = content.parent / "trap.sh"
    script.write_text(f"#!/bin/sh\necho \"$0 $*\" >> '{marker}'\ncat\n", encoding="utf-8")
    script.chmod(0o755)
    for key, value in [
        ("core.fsmonitor", str(script)),
        ("filter.trap.clean", str(script)),
        ("filter.trap.smudge", str(script)),
        ("filter.trap.process", str(script)),
        ("diff.trap.textconv", str(script)),
        ("core.hooksPath", str(content / ".git" / "hooks")),
    ]:
        git(content, "config", key, value)
    for hook in ("pre-commit", "post-checkout", "post-index-change", "reference-transaction", "pre-auto-gc"):
        shutil.copy(script, content / ".git" / "hooks" / hook)
    (content / ".gitattributes").write_text("*.yaml filter=trap diff=trap\n", encoding="utf-8")
    os.utime(content / ".gitattributes", (LATER, LATER))


def test_no_program_the_repository_names_is_run(history, tmp_path):
    marker = tmp_path / "ran"
    arm_traps(history, marker)
    subprocess.run(["git", "-C", str(history), "status", "--porcelain"], check=True, capture_output=True)
    assert marker.exists()  # the traps are armed: git itself runs them
    marker.unlink()
    data = deck(history, tmp_path / "deck.apkg")
    assert not marker.exists()
    assert stamps_by_question(data) == expected_stamps()


# --- The locale ---

NON_ASCII = ("Good-Neighborly Treaty?", "Good-Neighborly Treaty (Договор о добрососедстве, 睦邻友好条约)?")


def run_deck(content: Path, out: Path, locale: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("LC_", "LANG", "PYTHON"))}
    env |= {"PYTHONPATH": str(ROOT), **locale}
    command = [sys.executable, "-m", "quizgen", "deck", "--content", str(content), "--sources", str(SOURCES)]
    return subprocess.run([*command, "-o", str(out)], env=env, cwd=cwd, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    "locale",
    [
        {"LANG": "C", "LC_ALL": "C"},
        {"LC_ALL": "POSIX", "PYTHONUTF8": "0"},  # no UTF-8 mode: the preferred encoding is ASCII
        {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "latin-1", "PYTHONUTF8": "0"},
    ],
)
def test_a_bank_with_non_ascii_text_gives_the_same_bytes_in_any_locale(history, tmp_path, locale):
    bank = history / "banks" / "sample.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace(*NON_ASCII), encoding="utf-8")
    commit_all(history, T1 + 60)
    touch_all(history, LATER)
    utf8 = run_deck(history, tmp_path / "utf8.apkg", {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}, tmp_path)
    other = run_deck(history, tmp_path / "other.apkg", locale, tmp_path)
    # The edited sample bank has a cloze warning (every command shows the content's warnings);
    # what matters is that both locales read the same history and say the same.
    assert (utf8.returncode, other.returncode) == (0, 0)
    assert utf8.stderr == other.stderr and "git" not in utf8.stderr
    data = (tmp_path / "utf8.apkg").read_bytes()
    assert (tmp_path / "other.apkg").read_bytes() == data
    assert stamps_by_question(data) == expected_stamps() | {"treaty-signed": T1 + 60}


# --- A shallow clone ---


def shallow_clone(source: Path, target: Path, depth: int) -> Path:
    subprocess.run(
        ["git", "clone", "-q", f"--depth={depth}", f"file://{source}", str(target)], check=True, capture_output=True
    )
    return target


def head_of(repo: Path) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--short=7", "HEAD~0"], check=True, capture_output=True, text=True
    ).stdout.strip()


def shallow_warning(path: str, commit: str, what: str) -> str:
    return (
        f"{path}:1:1: warning: the content's git history is shallow (cut at commit {commit}): {what} stamped "
        "with that commit's time, which may be later than the real change, so students who re-import the deck "
        "get those notes replaced (their own edits to them are lost); run 'git fetch --unshallow' before "
        "building decks for students"
    )


def test_a_shallow_clone_says_so_and_stamps_with_the_boundary_commit_on_every_rebuild(
    history, tmp_path, monkeypatch, capsys
):
    clone = shallow_clone(history, tmp_path / "clone", depth=1)
    monkeypatch.chdir(tmp_path)
    first = deck(Path("clone"), tmp_path / "first.apkg")
    warnings = capsys.readouterr().err.splitlines()
    boundary = head_of(clone)
    assert warnings == [
        shallow_warning("clone/articles.yaml", boundary, "its last change is"),
        shallow_warning("clone/banks/sample.yaml", boundary, "10 of its questions, unchanged since then, are"),
    ]
    # Never the clone's checkout time, and the same on every rebuild of this clone.
    assert set(stamps_by_question(first).values()) == {T1}
    touch_all(clone, LATER + 500)
    assert deck(Path("clone"), tmp_path / "again.apkg") == first


def test_a_shallow_clone_dates_exactly_what_changed_after_its_boundary(history, tmp_path, monkeypatch, capsys):
    bank = history / "banks" / "sample.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("In which month and year", "When"), encoding="utf-8")
    commit_all(history, T1 + 100)
    clone = shallow_clone(history, tmp_path / "clone", depth=2)  # the commits of T1 + 100 and T1
    monkeypatch.chdir(tmp_path)
    data = deck(Path("clone"), tmp_path / "deck.apkg")
    boundary = subprocess.run(
        ["git", "-C", str(clone), "rev-parse", "--short=7", "HEAD~1"], check=True, capture_output=True, text=True
    ).stdout.strip()
    assert shallow_warning("clone/banks/sample.yaml", boundary, "9 of its questions, unchanged since then, are") in (
        capsys.readouterr().err.splitlines()
    )
    assert stamps_by_question(data) == dict.fromkeys(expected_stamps(), T1) | {"treaty-signed": T1 + 100}


# --- Odd old versions and broken repositories never crash ---


def commit_old_version(content: Path, text: str, when: int) -> None:
    """Commit `text` as the bank at `when`, then the bank as it was at a later time."""
    bank = content / "banks" / "sample.yaml"
    good = bank.read_text(encoding="utf-8")
    bank.write_text(text, encoding="utf-8")
    commit_all(content, when)
    bank.write_text(good, encoding="utf-8")
    commit_all(content, when + 10)


DEEP_ENTRY = "  - id: treaty-signed\n    deep:\n      " + "- " * 5000 + "x\n"  # parses; too deep for json


@pytest.mark.parametrize(
    "old",
    [
        pytest.param("questions:\n" + DEEP_ENTRY, id="nested-5000-json-recursion"),
        pytest.param("- " * 100_000 + "x\n", id="nested-100000-block-sequence"),
        pytest.param(b"questions: \xff\xfe not utf-8\n".decode("latin-1"), id="not-utf-8"),
        pytest.param("questions: [1, {id: 2}, {id: treaty-signed, 3: x}]\n", id="odd-keys"),
        pytest.param("questions: *nothing\n", id="garbled"),
    ],
)
def test_an_odd_old_version_counts_as_a_change_without_a_traceback(history, tmp_path, old):
    encoding = "latin-1" if "not-utf-8" in old or "\xff" in old else "utf-8"
    bank = history / "banks" / "sample.yaml"
    good = bank.read_text(encoding="utf-8")
    bank.write_bytes(old.encode(encoding))
    commit_all(history, T1 + 100)
    bank.write_text(good, encoding="utf-8")
    commit_all(history, T1 + 200)
    touch_all(history, LATER)
    # A subprocess, so that even a crash of the parser's native code is seen as a failure here.
    done = run_deck(history, tmp_path / "deck.apkg", {"LC_ALL": "C.UTF-8"}, tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    assert set(stamps_by_question((tmp_path / "deck.apkg").read_bytes()).values()) == {T1 + 200}


def file_time_warning(path: str, reason: str) -> str:
    return (
        f"{path}:1:1: warning: cannot read the git history of this file ({reason}): its notes are stamped with "
        "the file's modification time instead; repair the repository (or remove its .git) before building "
        "decks for students"
    )


def loose_object(repo: Path, rev: str) -> Path:
    sha = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", rev], check=True, capture_output=True, text=True
    ).stdout.strip()
    return repo / ".git" / "objects" / sha[:2] / sha[2:]


def test_a_missing_object_gives_file_times_and_a_warning(history, tmp_path, monkeypatch, capsys):
    old_blob = loose_object(history, "HEAD~1:banks/sample.yaml")
    old_blob.unlink()
    sha, missing = old_blob.parent.name, old_blob.name
    monkeypatch.chdir(tmp_path)
    data = deck(Path("content"), tmp_path / "deck.apkg")
    assert capsys.readouterr().err.splitlines() == [
        file_time_warning("content/banks/sample.yaml", f"missing object {sha}{missing[:5]}")
    ]
    assert set(stamps_by_question(data).values()) == {LATER}


def test_a_file_where_the_objects_folder_should_be_gives_file_times_and_warnings(
    history, tmp_path, monkeypatch, capsys
):
    shutil.rmtree(history / ".git" / "objects")
    (history / ".git" / "objects").write_text("not a folder\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    data = deck(Path("content"), tmp_path / "deck.apkg")
    err = capsys.readouterr().err.splitlines()
    assert [line.split(": warning: ")[0] for line in err] == [
        "content/articles.yaml:1:1",
        "content/banks/sample.yaml:1:1",
    ]
    assert all("cannot read the git history of this file" in line for line in err)
    assert set(stamps_by_question(data).values()) == {LATER}


def test_a_git_file_pointing_at_an_unrelated_repository_is_not_followed(history, tmp_path, monkeypatch, capsys):
    content = copy_content(tmp_path / "shared")
    touch_all(content, LATER)
    (content / ".git").write_text(f"gitdir: {history / '.git'}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    data = deck(Path("shared"), tmp_path / "deck.apkg")
    reason = (
        f"{content / '.git'} points at {history / '.git'}, which is neither a worktree of it nor inside an "
        "enclosing repository"
    )
    assert capsys.readouterr().err.splitlines() == [
        file_time_warning("shared/articles.yaml", reason),
        file_time_warning("shared/banks/sample.yaml", reason),
    ]
    assert set(stamps_by_question(data).values()) == {LATER}


def test_a_linked_worktree_reads_its_history(history, tmp_path, capsys):
    worktree = tmp_path / "worktree"
    git(history, "worktree", "add", "-q", str(worktree))
    touch_all(worktree, LATER)
    assert (worktree / ".git").is_file()
    data = deck(worktree, tmp_path / "deck.apkg")
    assert capsys.readouterr().err == ""
    assert stamps_by_question(data) == expected_stamps()


def test_content_in_a_subfolder_of_the_repository_read_from_another_working_directory(tmp_path, monkeypatch, capsys):
    project = tmp_path / "project"
    content = copy_content(project / "content")
    git(project, "init", "-q")
    commit_all(project, T0)
    apply_edits(content / "banks" / "sample.yaml")
    commit_all(project, T1)
    touch_all(project, LATER)
    monkeypatch.chdir(project)
    here = deck(Path("content"), tmp_path / "here.apkg")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    there = deck(content, tmp_path / "there.apkg")
    assert capsys.readouterr().err == ""
    assert stamps_by_question(here) == expected_stamps()
    assert there == here


def test_notes_never_date_before_the_field_format(tmp_path):
    content = copy_content(tmp_path / "content")
    touch_all(content, FIELDS_REVISED - 99)
    assert set(note_times(deck(content, tmp_path / "deck.apkg")).values()) == {FIELDS_REVISED}


def test_the_history_reader_runs_no_program():
    source = (ROOT / "quizgen" / "load" / "history.py").read_text(encoding="utf-8")
    assert "subprocess" not in source and "os.system" not in source


def test_build_strict_stops_on_a_shallow_history_before_writing(tmp_path, monkeypatch, capsys):
    content = copy_content(tmp_path / "content")  # unedited: the sample passes --strict
    git(content, "init", "-q")
    commit_all(content, T0)
    shallow_clone(content, tmp_path / "clone", depth=1)
    monkeypatch.chdir(tmp_path)
    status = main(["build", "--strict", "--content", "clone", "--sources", str(SOURCES), "-o", "out"])
    err = capsys.readouterr().err.splitlines()
    assert status == 1
    assert err[0].startswith("clone/articles.yaml:1:1: error: the content's git history is shallow (cut at commit ")
    assert err[-1] == "2 errors, 0 warnings in 2 files; nothing written"
    assert not (tmp_path / "out").exists()
