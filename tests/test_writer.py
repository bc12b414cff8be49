"""Outputs are published all or nothing, keep their modes, never go twice to one path, and prune only our own."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, VALID

from quizgen.cli import main
from quizgen.errors import QuizgenError
from quizgen.write import MANIFEST, STAGING_PREFIX, Writer, _stage, read_manifest, recover, write_atomic


def names(folder: Path) -> list[str]:
    """Every file and folder under `folder`, relative, sorted."""
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


@pytest.fixture
def umask():
    """Set the process umask for one test, then put the old one back."""
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


def test_outputs_are_written_whole_with_a_manifest_and_nothing_else(tmp_path):
    paths = Writer(tmp_path).write_all([("a/b.txt", "text"), ("c.bin", b"\x00\x01")])
    assert paths == [tmp_path / "a/b.txt", tmp_path / "c.bin"]
    assert (tmp_path / "a/b.txt").read_text() == "text"
    assert names(tmp_path) == [MANIFEST, "a", "a/b.txt", "c.bin"]  # no staging folder, no temporary file
    assert read_manifest(tmp_path) == {
        "a/b.txt": "982d9e3eb996f559e633f4d194def3761d909f5a3b647d1a851fead67c32c9d1",
        "c.bin": "b413f47d13ee2fe6c845b2ee141af81de858df4ec549a58b7970bb96645bc8d2",
    }


@pytest.mark.parametrize(("mask", "mode"), [(0o077, 0o600), (0o022, 0o644), (0o002, 0o664)])
def test_a_new_output_gets_the_mode_the_umask_gives(tmp_path, umask, mask, mode):
    umask(mask)
    Writer(tmp_path).write_all([("quizzes/q/q-v1-key.pdf", b"%PDF")])
    write_atomic(tmp_path / "deck.apkg", b"deck")
    assert (tmp_path / "quizzes/q/q-v1-key.pdf").stat().st_mode & 0o777 == mode
    assert (tmp_path / "deck.apkg").stat().st_mode & 0o777 == mode


def test_a_replaced_output_keeps_its_mode_whatever_the_umask(tmp_path, umask):
    umask(0o022)
    Writer(tmp_path).write_all([("key.pdf", b"old key")])
    write_atomic(tmp_path / "deck.apkg", b"old deck")
    (tmp_path / "key.pdf").chmod(0o600)  # a teacher keeps the key private
    (tmp_path / "deck.apkg").chmod(0o640)
    Writer(tmp_path).write_all([("key.pdf", b"new key")])
    write_atomic(tmp_path / "deck.apkg", b"new deck")
    assert (tmp_path / "key.pdf").read_bytes() == b"new key"
    assert (tmp_path / "key.pdf").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "deck.apkg").stat().st_mode & 0o777 == 0o640


def test_one_path_is_never_written_twice(tmp_path):
    writer = Writer(tmp_path)
    writer.write("deck.apkg", b"first")
    with pytest.raises(QuizgenError, match="two outputs would be written to"):
        writer.write("deck.apkg", b"second")
    assert (tmp_path / "deck.apkg").read_bytes() == b"first"


def test_outputs_sharing_a_path_stop_the_write_before_any_file(tmp_path):
    writer = Writer(tmp_path / "out")
    with pytest.raises(QuizgenError, match="two outputs would be written to"):
        writer.write_all([("practice/all.html", "a"), ("anki/deck.apkg", b"b"), ("practice/all.html", "c")])
    assert not (tmp_path / "out").exists()


def test_a_path_that_cannot_be_written_is_a_message_not_a_traceback(tmp_path):
    (tmp_path / "taken").write_text("a file where a folder should be")
    with pytest.raises(QuizgenError, match=r"cannot write .*taken/deck.apkg"):
        Writer(tmp_path / "taken").write("deck.apkg", b"x")


def test_the_cli_reports_an_unwritable_output(tmp_path, capsys):
    (tmp_path / "taken").write_text("a file")
    assert main(["deck", "--content", str(VALID), "-o", str(tmp_path / "taken" / "x.apkg")]) == 1
    assert f"error: cannot write {tmp_path}/taken/x.apkg: Not a directory" in capsys.readouterr().err


def test_a_renamed_quiz_leaves_no_old_folder_but_user_files_and_edited_outputs_stay(tmp_path):
    out = tmp_path / "out"
    Writer(out).write_all([("quizzes/old/old-key.pdf", b"k"), ("quizzes/old/old.pdf", b"s"), ("notes/n.pdf", b"n")])
    (out / "notes" / "n.pdf").write_bytes(b"annotated by the teacher")
    (out / "mine.txt").write_text("the teacher's own file")
    writer = Writer(out)
    writer.write_all([("quizzes/new/new.pdf", b"s2")])
    assert names(out) == [MANIFEST, "mine.txt", "notes", "notes/n.pdf", "quizzes", "quizzes/new", "quizzes/new/new.pdf"]
    assert writer.kept == [out / "notes/n.pdf"]  # for the CLI's warning: changed since we wrote it, so left
    assert read_manifest(out) == {"quizzes/new/new.pdf": writer.hashes["quizzes/new/new.pdf"]}


def test_a_writer_without_prune_keeps_earlier_outputs(tmp_path):
    Writer(tmp_path).write_all([("pop-v1.pdf", b"1")])
    Writer(tmp_path, prune=False).write_all([("test-v1.pdf", b"2")])
    assert names(tmp_path) == [MANIFEST, "pop-v1.pdf", "test-v1.pdf"]
    assert sorted(read_manifest(tmp_path)) == ["pop-v1.pdf", "test-v1.pdf"]


def test_a_staging_folder_without_journal_is_discarded_and_the_old_outputs_stay(tmp_path):
    Writer(tmp_path).write_all([("a.pdf", b"old")])
    (tmp_path / f"{STAGING_PREFIX}dead" / "x").mkdir(parents=True)  # a build killed while staging
    (tmp_path / f"{STAGING_PREFIX}dead" / "0").write_bytes(b"half")
    assert recover(tmp_path) == []
    assert names(tmp_path) == [MANIFEST, "a.pdf"]
    assert (tmp_path / "a.pdf").read_bytes() == b"old"


def test_a_journalled_publication_cut_short_is_finished_by_the_next_run(tmp_path):
    Writer(tmp_path).write_all([("a.pdf", b"old a"), ("b.pdf", b"old b"), ("gone.pdf", b"old")])
    files = {"a.pdf": b"new a", "b.pdf": b"new b"}
    manifest = {relative: hashlib.sha256(data).hexdigest() for relative, data in files.items()}
    staging = _stage(tmp_path, files, {"a.pdf": None, "b.pdf": None}, manifest, read_manifest(tmp_path))
    journal = json.loads((staging / "journal.json").read_text())
    first, relative = journal["moves"][0]
    os.replace(staging / first, tmp_path / relative)  # the crash came after the first rename
    assert (tmp_path / "a.pdf").read_bytes() == b"new a" and (tmp_path / "b.pdf").read_bytes() == b"old b"
    Writer(tmp_path).write("c.pdf", b"c")  # the next run rolls forward before it writes
    assert names(tmp_path) == [MANIFEST, "a.pdf", "b.pdf", "c.pdf"]
    assert (tmp_path / "b.pdf").read_bytes() == b"new b"


def test_stale_temporary_files_of_ours_go_and_nothing_else(tmp_path):
    out = tmp_path / "anki"
    out.mkdir()
    stale = [".quizgen-tmp-deck.apkg.0123abcd", ".deck.apkg.k2j_x9a0.tmp"]  # ours, and quizgen 0.1's mkstemp
    others = [".notes.tmp", ".quizgen-tmp-deck.apkg.not-ours", "deck.apkg.bak"]
    for name in stale + others:
        (out / name).write_bytes(b"x")
    held = out / ".quizgen-tmp-deck.apkg.fedcba98"  # a live writer's: it holds a lock on it
    held.write_bytes(b"x")
    with open(held, "rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        write_atomic(out / "deck.apkg", b"deck")
    assert names(out) == sorted([*others, held.name, "deck.apkg"])
    Writer(tmp_path).write_all([("anki/deck.apkg", b"deck 2")])
    assert names(out) == sorted([*others, "deck.apkg"])


def test_a_second_writer_into_one_folder_is_refused(tmp_path):
    Writer(tmp_path).write_all([("a.pdf", b"a")])
    held = os.open(tmp_path, os.O_RDONLY)  # what a live build holds on its output folder
    fcntl.flock(held, fcntl.LOCK_EX)
    with pytest.raises(QuizgenError) as caught:
        Writer(tmp_path).write_all([("a.pdf", b"b")])
    os.close(held)
    assert str(caught.value) == f"another quizgen is writing into {tmp_path}; run again when it has finished"
    assert (tmp_path / "a.pdf").read_bytes() == b"a"


def make_fifo(path: Path) -> None:
    os.mkfifo(path)


def make_symlink(path: Path) -> None:
    (path.parent / "elsewhere.apkg").write_bytes(b"not ours")
    path.symlink_to(path.parent / "elsewhere.apkg")


def make_socket(path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))


@pytest.mark.parametrize(
    ("make", "kind"),
    [(make_fifo, "a FIFO (named pipe)"), (make_symlink, "a symbolic link"), (make_socket, "a socket")],
)
def test_a_single_file_target_that_is_not_a_regular_file_is_refused(tmp_path, make, kind):
    target = tmp_path / "deck.apkg"
    make(target)
    with pytest.raises(QuizgenError) as caught:
        write_atomic(target, b"deck")
    assert str(caught.value) == (
        f"cannot write {target}: it is {kind}, not a regular file; quizgen replaces only regular files"
    )
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "elsewhere.apkg") == ["deck.apkg"]


def test_the_deck_command_does_not_replace_dev_full(capsys):
    assert main(["deck", "--content", str(VALID), "-o", "/dev/full"]) == 1
    err = capsys.readouterr().err
    assert "error: cannot write /dev/full: it is a character device, not a regular file" in err


def test_a_linked_folder_inside_the_output_folder_is_refused(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "quizzes").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(QuizgenError) as caught:
        Writer(tmp_path / "out").write_all([("a.pdf", b"a"), ("quizzes/q.pdf", b"q")])
    assert (
        str(caught.value)
        == f"cannot write {tmp_path}/out/quizzes/q.pdf: {tmp_path}/out/quizzes is a symbolic link, not a folder"
    )
    assert names(tmp_path / "out") == ["quizzes"] and names(tmp_path / "elsewhere") == []


def test_a_linked_output_folder_is_followed(tmp_path):
    (tmp_path / "share").mkdir()
    (tmp_path / "out").symlink_to(tmp_path / "share")
    Writer(tmp_path / "out").write_all([("a.pdf", b"a")])
    assert names(tmp_path / "share") == [MANIFEST, "a.pdf"]


def tmpfs(tmp_path, size: str):
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], check=True)
    return mount


@pytest.fixture
def small_disk(tmp_path):
    """A 200 KiB tmpfs: a full disk that the test controls."""
    mount = tmp_path / "disk"
    yield tmpfs(tmp_path, "200k")
    subprocess.run(["umount", str(mount)], check=True)


@pytest.fixture
def build_disk(tmp_path):
    """A 320 KiB tmpfs: room for one build of the valid sample (~225 kB), not for a second staged beside it."""
    mount = tmp_path / "disk"
    yield tmpfs(tmp_path, "320k")
    subprocess.run(["umount", str(mount)], check=True)


def test_a_full_disk_fails_the_build_and_leaves_the_previous_outputs(small_disk):
    Writer(small_disk).write_all([("a.pdf", b"old a"), ("b.pdf", b"old b")])
    before = {name: (small_disk / name).read_bytes() for name in names(small_disk)}
    with pytest.raises(QuizgenError) as caught:
        Writer(small_disk).write_all([("a.pdf", b"new a"), ("b.pdf", b"x" * 400_000)])
    assert str(caught.value) == f"cannot write {small_disk}/b.pdf: No space left on device; no output was replaced"
    assert {name: (small_disk / name).read_bytes() for name in names(small_disk)} == before


def test_a_full_disk_fails_the_deck_command_and_leaves_the_old_deck(small_disk, capsys):
    (small_disk / "filler").write_bytes(b"x" * 190_000)
    (small_disk / "deck.apkg").write_bytes(b"old deck")
    assert main(["deck", "--content", str(VALID), "-o", str(small_disk / "deck.apkg")]) == 1
    assert f"error: cannot write {small_disk}/deck.apkg: No space left on device" in capsys.readouterr().err
    assert names(small_disk) == ["deck.apkg", "filler"] and (small_disk / "deck.apkg").read_bytes() == b"old deck"


def test_a_full_disk_fails_a_real_build_and_leaves_the_previous_build_whole(build_disk):
    small_disk = build_disk
    command = [sys.executable, "-m", "quizgen", "build", "--content", str(VALID), "-o", str(small_disk), "-j", "1"]
    assert subprocess.run(command, capture_output=True, cwd=ROOT).returncode == 0  # ~225 kB of 320 kB
    before = {name: (small_disk / name).read_bytes() for name in names(small_disk) if (small_disk / name).is_file()}
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)  # staging needs 225 kB more
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: cannot write {small_disk}/")
    assert result.stderr.endswith(": No space left on device; no output was replaced\n")
    after = {name: (small_disk / name).read_bytes() for name in names(small_disk) if (small_disk / name).is_file()}
    assert after == before


def test_a_manifest_nested_too_deeply_is_not_ours_and_the_build_goes_on(tmp_path):
    (tmp_path / MANIFEST).write_text('{"files": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    assert read_manifest(tmp_path) == {}
    Writer(tmp_path).write_all([("a.pdf", b"%PDF-1.7 a")])
    assert (tmp_path / "a.pdf").read_bytes() == b"%PDF-1.7 a"
