"""What the repository tracks: no installed packages, no links that only make sense on one machine."""

from __future__ import annotations

import subprocess

from conftest import ROOT


def tracked_links() -> list[str]:
    listing = subprocess.run(["git", "ls-files", "-s"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [line.split("\t", 1)[1] for line in listing.splitlines() if line.startswith("120000 ")]


def test_no_symbolic_link_is_tracked():
    # A worktree's `tests/js/node_modules -> /elsewhere` once got committed: a clean clone then had
    # a dangling link where `npm ci` must make the folder.
    assert tracked_links() == []
