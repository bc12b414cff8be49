"""Shared fixtures: paths to the test data, the real content and the article texts; the marker guard."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# The same examples on every run: a property test finds its cases when it is written, not on CI.
settings.register_profile("quizgen", derandomize=True, database=None)
settings.load_profile("quizgen")

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
VALID = DATA / "valid"
INVALID = DATA / "invalid"
CONTENT = ROOT / "content"
SOURCES = ROOT.parent / "shared" / "articles"

# The libraries each marker stands for (pyproject.toml registers the markers). `wheel` names none:
# its tests need a build, not a library.
MARKER_LIBRARIES = {"browser": ("playwright",), "anki": ("anki",), "pdf": ("weasyprint", "pypdf")}


def pytest_configure(config: pytest.Config) -> None:
    """Say it plainly when the article texts are missing, instead of failing dozens of source checks."""
    if not SOURCES.is_dir() or not any(SOURCES.glob("*.txt")):
        raise pytest.UsageError(
            f"the article texts are missing: expected the five articles in {SOURCES} "
            "(a clone of quizgen needs ../shared/articles beside it; see the README)"
        )


def pytest_collection_finish(session: pytest.Session) -> None:
    """When no selected test carries a marker, make its libraries unimportable for this run.

    So `-m "not pdf"` proves what it promises: a test that needs WeasyPrint but is not marked
    `pdf` fails with an ImportError instead of quietly passing here and failing where the
    library is missing. A library already imported while collecting means some test module
    imports it at module level, which would break the fast run on a machine without it.
    """
    present = {mark.name for item in session.items for mark in item.iter_markers()}
    for marker, libraries in MARKER_LIBRARIES.items():
        if marker in present:
            continue
        for name in libraries:
            if name in sys.modules:
                raise pytest.UsageError(
                    f"{name} was imported while collecting, yet no selected test is marked {marker}: "
                    f"import it inside the tests that need it"
                )
            sys.modules[name] = None  # `import name` now raises ImportError


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
