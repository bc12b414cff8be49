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

See docs/anki.md for the reasoning and its limits.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

from quizgen.load.yamlio import YamlProblem, parse


def last_change(path: Path) -> int:
    """Seconds since the epoch at which this file's content last changed (see the module docstring)."""
    mtime = int(path.stat().st_mtime)
    committed, dirty = _git_state(path)
    if committed is None or dirty:
        return max(mtime, committed or 0)
    return committed


def question_changes(path: Path) -> dict[str, int] | None:
    """For each question id: when its entry last changed. None when git holds no history of the file."""
    history = _history(path)
    if not history:
        return None
    current = _entries(path.read_text(encoding="utf-8"))
    mtime = int(path.stat().st_mtime)
    head_time = history[0][1]
    committed = _entries(_show(path, history[0][0]))
    # An entry that differs from the last commit (edited, new) changed when the file did.
    stamps = {qid: max(mtime, head_time) for qid, entry in current.items() if committed.get(qid) != entry}
    since = {qid: head_time for qid in current if qid not in stamps}
    for commit, time in history[1:]:
        if not since:
            break
        older = _entries(_show(path, commit))
        for qid in list(since):
            if older.get(qid) == current[qid]:
                since[qid] = time  # already in this form here: the change is older still
            else:
                stamps[qid] = since.pop(qid)
    return stamps | since


def _history(path: Path) -> list[tuple[str, int]]:
    """(commit, committer time) of each first-parent commit that changed the file, newest first."""
    log = _git(str(path.parent), "log", "--first-parent", "--format=%H %ct", "--", path.name)
    return [(commit, int(time)) for commit, time in (line.split() for line in log.splitlines())]


def _show(path: Path, commit: str) -> str:
    return _git(str(path.parent), "show", f"{commit}:./{path.name}")


def _entries(text: str) -> dict[str, str]:
    """A digest of each question's entry, by id; {} for a version that cannot be read (so it counts as changed)."""
    try:
        data = parse(text).data
    except YamlProblem:
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
    except (TypeError, ValueError):  # an old version with keys JSON cannot sort (`1: x`): counts as changed
        return {}


def _git_state(path: Path) -> tuple[int | None, bool]:
    """(committer time of the last first-parent commit touching `path`, has uncommitted changes)."""
    folder, name = str(path.parent), path.name
    log = _git(folder, "log", "--first-parent", "-1", "--format=%ct", "--", name)
    if not log:
        return None, False
    status = _git(folder, "status", "--porcelain", "--", name)
    return int(log), bool(status)


def _git(folder: str, *args: str) -> str:
    """A git command's output in `folder`, stripped; '' if git is missing or it is not a work tree."""
    # GIT_* variables from a surrounding hook or test run must not point us at another repository.
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    try:
        done = subprocess.run(
            ["git", "-C", folder, *args], capture_output=True, text=True, env=env, check=False, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""
