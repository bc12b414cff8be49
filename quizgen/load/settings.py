"""Course settings: content/quizgen.yaml, validated like a bank (located errors, unknown keys refused).

Everything that belongs to one course rather than to quizgen lives here: the
course title, the Anki deck's name and file, the language of every printed and
shown string, the default paper and where the article texts are. A colleague's
course therefore never comes out under this course's name.
"""

from __future__ import annotations

import re
from pathlib import Path

from quizgen.errors import Issue
from quizgen.load.fields import Report, check_fields, open_report
from quizgen.load.schema import SLUG, Field
from quizgen.model import DEFAULT_COURSE, LANGUAGE_CODE, CourseSettings, canonical_language

SETTINGS_FILE = "quizgen.yaml"
PAPERS = {"a4": "A4", "letter": "Letter"}

SETTINGS_FIELDS = (
    Field("course", "text", description="the course title: handouts, the deck and practice pages"),
    Field("deck", "mapping", description="the Anki deck: {name, file}"),
    Field("language", "text", description="the catalogue of printed and shown strings, e.g. en or pt-BR (default en)"),
    Field("paper", "text", description="the default paper of quizzes: A4 or Letter (default A4)"),
    Field("sources", "text", description="the directory of article texts, relative to this file"),
)
DECK_FIELDS = (
    Field("name", "text", description="the parent deck students see (default: the course title)"),
    Field("file", "text", description="the .apkg file under output/anki/ (default: from the deck name)"),
)


def file_name_of(title: str) -> str:
    """A file-name-safe slug of a title: 'Sino-Russian Relations' -> 'sino-russian-relations'."""
    return "-".join(re.findall(r"[a-z0-9]+", title.lower())) or "course"


def load_settings(content_dir: Path, issues: list[Issue]) -> CourseSettings:
    """The course settings (defaults for what is missing); problems are added to `issues`."""
    path = content_dir / SETTINGS_FILE
    if not path.exists():
        return CourseSettings()
    report = open_report(path, "course settings: ")
    if report.doc is None:
        issues += report.issues
        return CourseSettings()
    settings = _settings_from(report)
    issues += report.issues
    return settings


def _settings_from(report: Report) -> CourseSettings:
    # The values that are right are kept: a typo in one key must not drop the others (the sources
    # directory among them, which would add a misleading "none configured" error).
    label = "" if isinstance(report.doc.data, dict) else "course settings: "
    top, _ = check_fields(report.doc.data, (), SETTINGS_FIELDS, report, label)
    deck = {}
    if isinstance(top.get("deck"), dict):
        deck, _ = check_fields(top["deck"], ("deck",), DECK_FIELDS, report, "deck: ")
    course = top.get("course", DEFAULT_COURSE)
    name = deck.get("name", course)
    return CourseSettings(
        course=course,
        deck_name=name,
        deck_file=_deck_file(deck.get("file"), name, report),
        language=_language(top.get("language", "en"), report),
        language_at=(report.path, *report.doc.where(("language",))) if "language" in top else ("", 0, 0),
        paper=_paper(top.get("paper", "A4"), report),
        sources=top.get("sources", ""),
        sources_at=report.doc.where(("sources",)) if "sources" in top else (1, 1),
    )


def _deck_file(given: str | None, name: str, report: Report) -> str:
    if given is None:
        return f"{file_name_of(name)}.apkg"
    stem = given.removesuffix(".apkg")
    if not SLUG.fullmatch(stem):
        # 'MyCourse.apkg' is a plain file name; what it lacks is the slug form, so say which it is.
        problem = "is a path, not a file name" if "/" in given or "\\" in given else "is not a slug"
        report.add(
            ("deck", "file"),
            f"deck: 'file' '{given}' {problem} (expected lowercase letters, digits and dashes "
            f"with .apkg, e.g. {_suggested(given)}.apkg)",
        )
        return f"{file_name_of(name)}.apkg"
    return f"{stem}.apkg"


def _suggested(given: str) -> str:
    """The slug a wrong deck file name likely meant: 'Geo Course.APKG' -> 'geo-course'."""
    last = given.replace("\\", "/").rsplit("/", 1)[-1]
    return file_name_of(re.sub(r"(?i)\.apkg$", "", last))


def _language(given: str, report: Report) -> str:
    if not LANGUAGE_CODE.fullmatch(given):
        report.add(("language",), f"'language' is '{given}' (expected a language code such as en, de or pt-BR)")
        return "en"
    return canonical_language(given)


def _paper(given: str, report: Report) -> str:
    if given.lower() not in PAPERS:
        report.add(("paper",), f"'paper' is '{given}' (expected A4 or Letter)")
        return "A4"
    return PAPERS[given.lower()]
