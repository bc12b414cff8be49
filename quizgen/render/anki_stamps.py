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

See docs/anki.md for the reasoning and its limits.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from pathlib import Path


def last_change(path: Path) -> int:
    """Seconds since the epoch at which this file's content last changed (see the module docstring)."""
    mtime = int(path.stat().st_mtime)
    committed, dirty = _git_state(path)
    if committed is None or dirty:
        return max(mtime, committed or 0)
    return committed


def newest_change(paths: Iterable[Path]) -> int:
    """The latest `last_change` of several files (0 for none)."""
    return max((last_change(path) for path in paths), default=0)


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
