"""Shared fixtures: paths to the test data, the real content and the article texts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
VALID = DATA / "valid"
INVALID = DATA / "invalid"
CONTENT = ROOT / "content"
SOURCES = ROOT.parent / "shared" / "articles"


@pytest.fixture
def content_with(tmp_path: Path):
    """A content directory holding the registry, the tags and the given bank files."""

    def make(*banks: Path) -> Path:
        root = tmp_path / "content"
        (root / "banks").mkdir(parents=True)
        for name in ("articles.yaml", "tags.yaml"):
            shutil.copy(VALID / name, root / name)
        for bank in banks:
            shutil.copy(bank, root / "banks" / bank.name)
        return root

    return make
