"""When did the content behind a deck last change? The modification times Anki compares on import.

Anki updates a note it already holds only if the incoming note's modification
time is newer than its own (the importer's default, "update if newer"). So the
time written into a package must (1) stay the same while the content stays the
same, for byte-identical rebuilds, and (2) grow when the content changes. The
time a file last changed does both, if it is read where it survives a clone:

- a file tracked by git and unmodified: the committer time of the last commit on
  the first-parent line that changed it (a clone or checkout keeps it; a merge
  counts when it lands, not when its branch was written);
- a file with uncommitted edits, an untracked file, or no git at all (a tarball
  keeps file times): the file's modification time.

Within a tracked bank file each question gets its own time
(`question_changes`): the commit that gave its entry its present form, found
by walking the file's first-parent history back while the entry stays the
same. Editing one question then updates one note, and the students' own
edits and tags on the others are left alone.

The history is read with dulwich, never by running git: a content folder is
shared between colleagues, and git runs what a repository's config names
(core.fsmonitor, textconv, filters, hooks). dulwich only reads objects. Every
text is decoded as UTF-8, whatever the locale. A shallow clone, a broken
repository or an unreadable old version never raises: it gives a warning
(`Stamps.issues`) and the stamps described in docs/anki.md.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dulwich.errors import ChecksumMismatch, NotGitRepository, ObjectFormatException
from dulwich.objects import Blob, Commit, Tree
from dulwich.repo import InvalidWorktreeConfiguration, Repo, UnsupportedExtension, UnsupportedVersion

from quizgen.errors import WARNING, Issue
from quizgen.load.content import ARTICLES_FILE
from quizgen.load.fields import display_path
from quizgen.load.files import MAX_CONTENT_BYTES, UnsafeFile, decode_utf8, read_inside
from quizgen.load.yamlio import YamlProblem, parse
from quizgen.model import Content

UNSHALLOW_HINT = "run 'git fetch --unshallow' before building decks for students"

# What a broken or odd repository makes dulwich raise (missing or garbled objects, packs, refs, config).
_REPOSITORY_ERRORS = (
    OSError,
    KeyError,
    ValueError,
    IndexError,
    struct.error,
    zlib.error,
    NotGitRepository,
    ObjectFormatException,
    ChecksumMismatch,
    UnsupportedVersion,
    UnsupportedExtension,
    InvalidWorktreeConfiguration,
)


@dataclass(frozen=True)
class Stamps:
    """When each question's note last changed (seconds since the epoch, by question uid), and what to warn about."""

    by_uid: Mapping[str, int]
    issues: tuple[Issue, ...] = ()


def load_stamps(content: Content, content_dir: Path) -> Stamps:
    """Each question's last change: its own entry where git knows its bank's history, else its bank file;
    never before the article registry's last change (cards show article titles)."""
    reader = _Reader()
    registry = content_dir / ARTICLES_FILE
    shared = reader.last_change(registry, display_path(registry))
    stamps: dict[str, int] = {}
    for bank in content.banks:
        # Bank.path is for display (relative to the working directory); read the file the content names.
        path = content_dir / "banks" / Path(bank.path).name
        entries = reader.question_changes(path, bank.path) or {}
        whole_file = None  # the file's own time, read only for a question git cannot date
        for question in bank.questions:
            changed = entries.get(question.id)
            if changed is None:
                whole_file = whole_file or reader.last_change(path, bank.path)
                changed = whole_file
            stamps[question.uid] = max(changed, shared)
    return Stamps(stamps, tuple(dict.fromkeys(reader.issues)))


def last_change(path: Path) -> int:
    """Seconds since the epoch at which this file's content last changed (see the module docstring)."""
    return _Reader().last_change(path, str(path))


def question_changes(path: Path) -> dict[str, int] | None:
    """For each question id: when its entry last changed. None when git holds no history of the file."""
    return _Reader().question_changes(path, str(path))


@dataclass(frozen=True)
class _Version:
    """A first-parent commit that changed the file: its time and the file's blob there (None: absent)."""

    commit: bytes
    time: int
    blob: bytes | None
    cut: bool = False  # a shallow clone's boundary: what came before is unknown


class _Unreadable(Exception):
    """The repository cannot be read as git would; the message says why."""


@dataclass
class _Repository:
    """A repository opened read-only with dulwich, and the work tree it belongs to."""

    repo: Repo
    work_tree: Path
    shallow: frozenset[bytes]
    subtrees: dict[tuple[bytes, bytes], tuple[int, bytes] | None] = field(default_factory=dict)

    def head(self) -> bytes | None:
        """The commit HEAD names; None on a branch with no commit yet."""
        return self.repo.refs.follow(b"HEAD")[1]

    def changes(self, parts: tuple[bytes, ...]) -> Iterator[_Version]:
        """The first-parent commits whose file at `parts` differs from their first parent's, newest first."""
        head = self.head()
        if head is None:
            return
        commit, seen = self.commit(head), set()
        blob = self.blob_id(commit, parts)
        while True:
            if commit.id in seen:
                raise _Unreadable(f"its history loops back to commit {commit.id.decode()[:7]}")
            seen.add(commit.id)
            cut = commit.id in self.shallow
            if cut or not commit.parents:  # as git log does: a root (or a shallow boundary) adds the file
                if blob is not None:
                    yield _Version(commit.id, commit.commit_time, blob, cut)
                return
            parent = self.commit(commit.parents[0])
            parent_blob = self.blob_id(parent, parts)
            if blob != parent_blob:
                yield _Version(commit.id, commit.commit_time, blob)
            commit, blob = parent, parent_blob

    def commit(self, sha: bytes) -> Commit:
        found = self.repo.object_store[sha]
        if not isinstance(found, Commit):
            raise _Unreadable(f"object {sha.decode()[:7]} should be a commit")
        return found

    def blob_id(self, commit: Commit, parts: tuple[bytes, ...]) -> bytes | None:
        """The id of the file at `parts` in this commit; None where no regular file is there."""
        sha = commit.tree
        for depth, name in enumerate(parts):
            key = (sha, name)
            if key not in self.subtrees:
                tree = self.repo.object_store[sha]
                if not isinstance(tree, Tree):
                    raise _Unreadable(f"object {sha.decode()[:7]} should be a folder (tree)")
                self.subtrees[key] = tree[name] if name in tree else None  # noqa: SIM401 (a Tree has no .get)
            entry = self.subtrees[key]
            last = depth == len(parts) - 1
            if entry is None or (entry[0] & 0o170000) != (0o100000 if last else 0o040000):
                return None
            sha = entry[1]
        return sha

    def blob_bytes(self, sha: bytes | None) -> bytes | None:
        """A blob's bytes; None for no blob, a non-blob or one over the size cap (counted as a change)."""
        if sha is None:
            return None
        found = self.repo.object_store[sha]
        if not isinstance(found, Blob):
            return None
        data = found.as_raw_string()
        return data if len(data) <= MAX_CONTENT_BYTES else None


class _Reader:
    """Reads file times and git histories, collecting the warnings; one repository per work tree."""

    def __init__(self) -> None:
        self.issues: list[Issue] = []
        self.repositories: dict[Path, _Repository | None] = {}
        self.unreadable: set[Path] = set()  # files whose history failed: dated by their file time only

    def last_change(self, path: Path, shown: str) -> int:
        """The file's last change: its last commit when unmodified, else its modification time (never less)."""
        mtime = int(path.stat().st_mtime)
        if path in self.unreadable:
            return mtime
        try:
            found = self._repository(path)
            if found is None:
                return mtime
            repository, parts = found
            latest = next(repository.changes(parts), None)
            if latest is None:
                return mtime
            if latest.cut:
                self._warn_cut(shown, latest, "its last change is")
            if self._differs_from(repository, path, latest.blob):
                return max(mtime, latest.time)
            return latest.time
        except _REPOSITORY_ERRORS + (_Unreadable,) as exc:
            self._warn_unreadable(path, shown, exc)
            return mtime

    def question_changes(self, path: Path, shown: str) -> dict[str, int] | None:
        """For each question id: when its entry last changed. None when git holds no history of the file."""
        try:
            found = self._repository(path)
            if found is None:
                return None
            return self._walk(*found, path, shown)
        except _REPOSITORY_ERRORS + (_Unreadable,) as exc:
            self._warn_unreadable(path, shown, exc)
            return None

    def _walk(self, repository: _Repository, parts: tuple[bytes, ...], path: Path, shown: str) -> dict[str, int] | None:
        history = repository.changes(parts)
        latest = next(history, None)
        if latest is None:
            return None
        current = _entries(_read_current(path))
        mtime = int(path.stat().st_mtime)
        committed = _entries(_decode(repository.blob_bytes(latest.blob)))
        # An entry that differs from the last commit (edited, new) changed when the file did.
        stamps = {qid: max(mtime, latest.time) for qid, entry in current.items() if committed.get(qid) != entry}
        since = {qid: latest.time for qid in current if qid not in stamps}
        oldest = latest
        for version in history:
            if not since:
                break
            oldest = version
            older = _entries(_decode(repository.blob_bytes(version.blob)))
            for qid in list(since):
                if older.get(qid) == current[qid]:
                    since[qid] = version.time  # already in this form here: the change is older still
                else:
                    stamps[qid] = since.pop(qid)
        if oldest.cut and since:
            self._warn_cut(shown, oldest, f"{len(since)} of its questions, unchanged since then, are")
        return stamps | since

    def _repository(self, path: Path) -> tuple[_Repository, tuple[bytes, ...]] | None:
        """The repository holding the file and the file's path in it; None outside any repository."""
        real = path.resolve()
        found = _find_git(real.parent)
        if found is None:
            return None
        work_tree, control = found
        if work_tree not in self.repositories:
            repo = Repo(str(work_tree), controldir=str(control), worktree=str(work_tree))
            self.repositories[work_tree] = _Repository(repo, work_tree, frozenset(repo.get_shallow()))
        repository = self.repositories[work_tree]
        parts = tuple(part.encode("utf-8", "surrogateescape") for part in real.relative_to(work_tree).parts)
        return repository, parts

    def _differs_from(self, repository: _Repository, path: Path, blob: bytes | None) -> bool:
        """Whether the working file's bytes differ from the committed blob's. No filters (clean, smudge,
        eol conversion) are applied, by design: they are programs or settings a shared repository names.
        A file that only a filter makes equal counts as edited and takes its modification time."""
        try:
            working = read_inside(path, path.parent, max_bytes=MAX_CONTENT_BYTES)
        except UnsafeFile:
            return True
        return blob is None or repository.blob_bytes(blob) != working

    def _warn_cut(self, shown: str, boundary: _Version, what: str) -> None:
        commit = boundary.commit.decode()[:7]
        self.issues.append(
            Issue(
                shown,
                1,
                1,
                WARNING,
                f"the content's git history is shallow (cut at commit {commit}): {what} stamped with that "
                "commit's time, which may be later than the real change, so students who re-import the deck "
                f"get those notes replaced (their own edits to them are lost); {UNSHALLOW_HINT}",
            )
        )

    def _warn_unreadable(self, path: Path, shown: str, exc: Exception) -> None:
        self.unreadable.add(path)
        reason = str(exc) or type(exc).__name__
        if isinstance(exc, KeyError) and exc.args and isinstance(exc.args[0], bytes):
            reason = f"missing object {exc.args[0].decode('ascii', 'replace')[:7]}"  # dulwich's KeyError: the id
        self.issues.append(
            Issue(
                shown,
                1,
                1,
                WARNING,
                f"cannot read the git history of this file ({reason}): its notes are stamped with the file's "
                "modification time instead; repair the repository (or remove its .git) before building decks "
                "for students",
            )
        )


def _find_git(folder: Path) -> tuple[Path, Path] | None:
    """(work tree, git folder) of the repository holding `folder`: the first `.git` up the tree, as git finds it."""
    for candidate in (folder, *folder.parents):
        dotgit = candidate / ".git"
        if dotgit.is_dir():
            return candidate, dotgit
        if dotgit.is_file():
            return candidate, _follow_gitfile(dotgit)
        if dotgit.is_symlink() or dotgit.exists():
            raise _Unreadable(f"{dotgit} is neither a folder nor a file")
    return None


def _follow_gitfile(dotgit: Path) -> Path:
    """The git folder a `.git` file names (`gitdir: <path>`), if it owns this work tree.

    A linked worktree's git folder says so (its `gitdir` file names this `.git`
    file back); a submodule's lies inside an enclosing folder's `.git`. Any
    other target is refused: a shared content folder must not make quizgen
    read, and date notes from, an unrelated repository elsewhere on the disk.
    """
    try:
        text = decode_utf8(read_inside(dotgit, dotgit.parent, max_bytes=4096))
    except (UnsafeFile, UnicodeDecodeError) as exc:
        raise _Unreadable(f"cannot read {dotgit}: {exc}") from None
    if not text.startswith("gitdir: "):
        raise _Unreadable(f"{dotgit} does not start with 'gitdir: '")
    target = (dotgit.parent / text[len("gitdir: ") :].strip()).resolve()
    if _points_back(target, dotgit) or any(target.is_relative_to(parent / ".git") for parent in dotgit.parent.parents):
        return target
    raise _Unreadable(
        f"{dotgit} points at {target}, which is neither a worktree of it nor inside an enclosing repository"
    )


def _points_back(target: Path, dotgit: Path) -> bool:
    """Whether `target` is the git folder of a linked worktree whose `gitdir` file names `dotgit`."""
    try:
        back = decode_utf8(read_inside(target / "gitdir", target, max_bytes=4096)).strip()
    except (UnsafeFile, UnicodeDecodeError):
        return False
    return (target / back).resolve() == dotgit.resolve()


def _read_current(path: Path) -> str | None:
    try:
        return _decode(read_inside(path, path.parent, max_bytes=MAX_CONTENT_BYTES))
    except UnsafeFile:
        return None


def _decode(data: bytes | None) -> str | None:
    """UTF-8 text, whatever the locale; None for bytes that are not UTF-8."""
    if data is None:
        return None
    try:
        return decode_utf8(data)
    except UnicodeDecodeError:
        return None


def _entries(text: str | None) -> dict[str, str]:
    """A digest of each question's entry, by id; {} for a version that cannot be read (so it counts as changed)."""
    if text is None:
        return {}
    try:
        data = parse(text).data
    except (YamlProblem, RecursionError, MemoryError):  # the loader refuses deep nesting; guard here as well
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        return {}
    article = data.get("article")  # the bank's default article is part of every note's citation
    try:
        return {
            q["id"]: hashlib.sha256(json.dumps([article, q], sort_keys=True, default=str).encode()).hexdigest()
            for q in data["questions"]
            if isinstance(q, dict) and isinstance(q.get("id"), str)
        }
    # An old version with keys JSON cannot sort (`1: x`) or nested past JSON's recursion limit: counts as changed.
    except (TypeError, ValueError, RecursionError, MemoryError):
        return {}
