"""Writing outputs: all or nothing, never one path twice, never over or away anything that is not ours.

A build's files are staged in a folder inside the output folder, fsynced and
listed in a journal, then renamed into place one after another. Each file is
replaced atomically; the set is made whole on the next run if a crash cuts the
renames short (the journal is rolled forward; a staging folder without one is
discarded). A manifest records what each build wrote, so the next build
removes its own leftovers and nothing else. See docs/outputs.md.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from quizgen.errors import QuizgenError
from quizgen.load.files import parse_json

MANIFEST = ".quizgen-manifest.json"
STAGING_PREFIX = ".quizgen-staging-"
TEMP_PREFIX = ".quizgen-tmp-"
OUR_PREFIX = ".quizgen-"  # no output may start with it, so these names stay ours
JOURNAL = "journal.json"
STAGED_MANIFEST = "manifest"
KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace one regular file at once (readers see the old bytes or the new); a replaced file keeps its mode."""
    path = Path(path)
    old = _check_file_target(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temps(path)
    except OSError as exc:
        raise _cannot(path, exc) from None
    temp = path.parent / f"{TEMP_PREFIX}{path.name}.{secrets.token_hex(4)}"
    try:
        with _new_file(temp, old) as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # tells a later run that this temporary file is not abandoned
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # the rename must not land before the bytes do
            _check_file_target(path)  # nothing became a FIFO or a link there meanwhile
            os.replace(temp, path)
        _fsync_folder(path.parent)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise _cannot(path, exc) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


class Writer:
    """Publishes a build's files under one folder, all or nothing; refuses to write one path twice."""

    def __init__(self, root: Path, *, prune: bool = True):
        self.root = Path(root)
        self.prune = prune  # False: write_all keeps the previous outputs it does not remake (ad-hoc quizzes pile up)
        self.written: list[Path] = []
        self.hashes: dict[str, str] = {}  # what this writer published: relative path -> sha256
        self.kept: list[Path] = []  # earlier outputs this build did not make, left because they were changed

    def write_all(self, outputs: list[tuple[str, bytes | str]]) -> list[Path]:
        """Publish a whole build; then (with prune) remove the previous build's outputs this one did not make."""
        return self._publish(self._checked(outputs), whole_build=self.prune)

    def write(self, relative: str, data: bytes | str) -> Path:
        """Publish one more output; the previous build's other outputs stay."""
        return self._publish(self._checked([(relative, data)]), whole_build=False)[0]

    def _checked(self, outputs: list[tuple[str, bytes | str]]) -> dict[str, bytes]:
        files: dict[str, bytes] = {}
        for relative, data in outputs:
            if relative in files or relative in self.hashes:
                raise QuizgenError(f"two outputs would be written to {self.root / relative}; rename one of them")
            if not _is_plain_relative(relative):
                raise QuizgenError(f"cannot write {self.root / relative}: not a plain path inside {self.root}")
            files[relative] = data.encode("utf-8") if isinstance(data, str) else data
        return files

    def _publish(self, files: dict[str, bytes], *, whole_build: bool) -> list[Path]:
        root = self.root
        _make_root(root, next(iter(files), ""))
        with _locked(root):
            self.kept += recover(root)
            olds = {relative: _check_target(root, relative) for relative in files}
            for relative in files:
                _remove_stale_temps(root / relative)
            previous = read_manifest(root)
            self.hashes.update({relative: _sha256(data) for relative, data in files.items()})
            manifest = dict(self.hashes) if whole_build else {**previous, **self.hashes}
            unmade = {relative: digest for relative, digest in previous.items() if relative not in manifest}
            staging = _stage(root, files, olds, manifest, unmade)
            with _signals_held():
                self.kept += _roll_forward(root, staging)
        paths = [root / relative for relative in files]
        self.written += paths
        return paths


def recover(root: Path) -> list[Path]:
    """Finish (journal present) or discard (no journal) what a killed run left in `root`; the outputs it kept."""
    kept: list[Path] = []
    for entry in sorted(os.scandir(root), key=lambda entry: entry.name):
        if entry.name.startswith(STAGING_PREFIX) and entry.is_dir(follow_symlinks=False):
            if _read_journal(Path(entry.path)) is None:
                shutil.rmtree(entry.path)  # staging had not finished: the old outputs are all still in place
            else:
                kept += _roll_forward(root, Path(entry.path))
    return kept


def read_manifest(root: Path) -> dict[str, str]:
    """The previous build's outputs (relative path -> sha256); empty if there is none or it is not ours."""
    try:
        files = parse_json((root / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if not isinstance(files, dict):
        return {}
    return {path: digest for path, digest in files.items() if _is_plain_relative(path) and isinstance(digest, str)}


def _stage(root: Path, files: dict[str, bytes], olds: dict, manifest: dict[str, str], unmade: dict[str, str]) -> Path:
    """Every file and the new manifest, fsynced in a staging folder, then the journal that lists the moves."""
    current, staging = root / next(iter(files), ""), None
    try:
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
        moves = []
        for index, (relative, data) in enumerate(files.items()):
            current = root / relative
            _write_new(staging / str(index), data, olds[relative])
            moves.append([str(index), relative])
        current = root / MANIFEST
        text = json.dumps({"version": 1, "files": dict(sorted(manifest.items()))}, indent=1)
        _write_new(staging / STAGED_MANIFEST, text.encode("utf-8"), _lstat(root / MANIFEST))
        moves.append([STAGED_MANIFEST, MANIFEST])  # last: it names what is in place once all else is
        _fsync_folder(staging)
        journal = json.dumps({"version": 1, "moves": moves, "remove": unmade}).encode("utf-8")
        _write_new(staging / (JOURNAL + ".part"), journal, None)
        os.replace(staging / (JOURNAL + ".part"), staging / JOURNAL)  # a journal exists whole or not at all
        _fsync_folder(staging)
    except OSError as exc:
        _discard(staging)
        raise QuizgenError(f"cannot write {current}: {exc.strerror or exc}; no output was replaced") from None
    except BaseException:
        _discard(staging)
        raise
    return staging


def _discard(staging: Path | None) -> None:
    if staging is not None:
        shutil.rmtree(staging, ignore_errors=True)


def _roll_forward(root: Path, staging: Path) -> list[Path]:
    """Rename the journal's files into place (those not moved yet), remove what the build did not make."""
    journal = _read_journal(staging)
    pending = [(staging / name, relative) for name, relative in journal["moves"] if (staging / name).exists()]
    try:
        for _, relative in pending:  # every check and folder first, so the renames follow each other closely
            _check_target(root, relative)
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
        for source, relative in pending:
            os.replace(source, root / relative)
        for folder in {(root / relative).parent for _, relative in pending}:
            _fsync_folder(folder)
    except OSError as exc:
        raise QuizgenError(
            f"cannot finish writing into {root}: {exc.strerror or exc}; the next run finishes it"
        ) from None
    kept = _remove_unmade(root, journal["remove"])
    (staging / JOURNAL).unlink()
    shutil.rmtree(staging)
    return kept


def _remove_unmade(root: Path, unmade: dict[str, str]) -> list[Path]:
    """Remove earlier outputs still as we wrote them, and folders left empty; return those changed since."""
    kept = []
    for relative, digest in sorted(unmade.items()):
        path = root / relative
        if not _is_plain_relative(relative) or _folders_not_ours(root, relative):
            continue
        status = _lstat(path)
        if status is None:
            continue
        if not stat.S_ISREG(status.st_mode) or _file_sha256(path) != digest:
            kept.append(path)
            continue
        path.unlink()
        for folder in path.relative_to(root).parents[:-1]:
            with contextlib.suppress(OSError):  # not empty: someone else's file is there, or another output
                os.rmdir(root / folder)
    return kept


def _check_target(root: Path, relative: str) -> os.stat_result | None:
    """The status of the file an output replaces (None if new); refuse links, devices and folders on the way."""
    blocker = _folders_not_ours(root, relative)
    if blocker is not None:
        raise QuizgenError(f"cannot write {root / relative}: {blocker} is {_kind(blocker)}, not a folder")
    return _check_file_target(root / relative)


def _check_file_target(path: Path) -> os.stat_result | None:
    """The status of a regular file at `path`, or None if there is none; anything else is refused."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _cannot(path, exc) from None
    if not stat.S_ISREG(status.st_mode):
        raise QuizgenError(
            f"cannot write {path}: it is {_kind(path)}, not a regular file; quizgen replaces only regular files"
        )
    return status


def _folders_not_ours(root: Path, relative: str) -> Path | None:
    """The first folder on the way to `relative` that is a link or not a folder (we never follow links inside)."""
    folder = root
    for part in relative.split("/")[:-1]:
        folder = folder / part
        status = _lstat(folder)
        if status is None:
            return None
        if not stat.S_ISDIR(status.st_mode):
            return folder
    return None


def _make_root(root: Path, first: str) -> None:
    """The output folder must be a folder (a link to one is fine: the user chose the path) or not exist yet."""
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _cannot(root / first, exc) from None
    if not root.is_dir():
        raise QuizgenError(f"cannot write {root / first}: {root} is {_kind(root)}, not a folder")


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """One writer per output folder at a time, so recovery never mistakes a live build for a dead one."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released by the kernel even after SIGKILL
        except BlockingIOError:
            raise QuizgenError(f"another quizgen is writing into {root}; run again when it has finished") from None
        except OSError:
            pass  # a file system without locks: go on, as a single writer
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while files move into place (milliseconds): an interrupted build is all or nothing."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM, signal.SIGALRM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _remove_stale_temps(path: Path) -> None:
    """Remove temporary files killed runs left beside `path`: only our names, only if no live writer holds them."""
    if not path.parent.is_dir():
        return
    ours = re.compile(
        rf"{re.escape(TEMP_PREFIX + path.name)}\.[0-9a-f]{{8}}"
        rf"|\.{re.escape(path.name)}\.[a-z0-9_]{{8}}\.tmp"  # what quizgen 0.1's mkstemp named them
    )
    for entry in os.scandir(path.parent):
        if ours.fullmatch(entry.name) and entry.is_file(follow_symlinks=False) and _abandoned(Path(entry.path)):
            os.unlink(entry.path)


def _abandoned(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def _new_file(path: Path, old: os.stat_result | None):
    """A new file opened for writing: the umask's mode, or the mode of the file it will replace."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600 if old else 0o666)
    try:
        if old is not None:
            os.fchmod(fd, stat.S_IMODE(old.st_mode) & 0o777)  # a key chmod'ed 600 stays private
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "wb")


def _write_new(path: Path, data: bytes, old: os.stat_result | None) -> None:
    with _new_file(path, old) as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _read_journal(staging: Path) -> dict | None:
    try:
        journal = parse_json((staging / JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    moves, remove = journal.get("moves"), journal.get("remove")
    plain = isinstance(moves, list) and all(move[1] == MANIFEST or _is_plain_relative(move[1]) for move in moves)
    return journal if plain and isinstance(remove, dict) else None


def _is_plain_relative(relative: object) -> bool:
    """A path of plain names below the root: no '..', no absolute path, none of our own names."""
    if not isinstance(relative, str) or not relative:
        return False
    parts = relative.split("/")
    return not parts[0].startswith(OUR_PREFIX) and all(
        part not in ("", ".", "..") and "\0" not in part for part in parts
    )


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)  # the renames themselves must reach the disk
    finally:
        os.close(fd)


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None


def _kind(path: Path) -> str:
    status = _lstat(path)
    mode = status.st_mode if status else 0
    return next((name for test, name in KINDS if test(mode)), "not a regular file")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _cannot(path: Path, exc: OSError) -> QuizgenError:
    return QuizgenError(f"cannot write {path}: {exc.strerror or exc}")
