"""Load a whole content directory: configuration, article registry, tags and banks.

`load_content` reads and checks everything before anything is written, and
returns every issue found, in every file, at once.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from quizgen.check.items import content_item_warnings
from quizgen.check.sources import ArticleText, Library, clean_article
from quizgen.errors import ERROR, WARNING, ContentError, Issue
from quizgen.load.banks import LoadedBank, bank_files, load_bank
from quizgen.load.fields import Report, check_fields, check_mapping, display_path, open_report, unread_yaml
from quizgen.load.files import MAX_ARTICLE_BYTES, UnsafeFile, decode_utf8, read_inside
from quizgen.load.schema import CONTROL, Field, type_name
from quizgen.load.settings import SETTINGS_FILE as CONFIG_FILE
from quizgen.load.settings import load_settings
from quizgen.model import Article, Content

ARTICLES_FILE = "articles.yaml"
TAGS_FILE = "tags.yaml"

ARTICLE_FIELDS = (
    Field("id", "slug", True),
    Field("title", "text", True),
    Field("author", "text", True),
    Field("outlet", "text", True),
    Field("date", "text", True),
    Field("file", "text", True, description="file name in the sources directory"),
)


@dataclass(frozen=True)
class Validation:
    """The outcome of loading content: the content (None if any error) and all issues, sorted."""

    content: Content | None
    issues: list[Issue]
    sources_dir: Path | None
    # The banks that loaded without errors, even when others did not: what quiz files are checked
    # against, so one broken bank does not hide every problem in the quizzes.
    loaded: Content | None = None
    every_bank_loaded: bool = True

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.is_error]

    def strict(self) -> Validation:
        """Warnings promoted to errors, as `--strict` asks."""
        issues = [issue.as_error() for issue in self.issues]
        content = None if issues else self.content
        return Validation(content, issues, self.sources_dir, self.loaded, self.every_bank_loaded)


def load_content(content_dir: Path, sources_dir: Path | None = None, check_sources: bool = True) -> Validation:
    """Read, check and cross-check every file of a content directory.

    Without the article texts no passage can be verified, so a missing sources directory is an
    error, unless `check_sources` is False (`--no-source-check`): then it is a warning."""
    issues: list[Issue] = []
    settings = load_settings(content_dir, issues)
    articles, file_at = _load_articles(content_dir / ARTICLES_FILE, issues)
    tags = _load_tags(content_dir / TAGS_FILE, issues)
    # A directory given with --sources is reported at the file's start; one from quizgen.yaml where it is written.
    at = (1, 1) if sources_dir else settings.sources_at
    sources_dir = sources_dir or settings.sources_dir(content_dir)
    texts = _load_texts(content_dir, sources_dir, articles, file_at, issues, check_sources, at)
    library = Library(articles, tags, texts)
    loaded = [load_bank(path, library) for path in bank_files(content_dir)]
    for result in loaded:
        issues += result.issues
    issues += _cross_bank_issues(loaded)
    issues += unread_yaml(content_dir / "banks")
    issues += content_item_warnings([result.bank for result in loaded if result.bank is not None])
    if not loaded:
        issues.append(
            Issue(
                display_path(content_dir / "banks"),
                1,
                1,
                ERROR,
                "no bank files found (expected content/banks/*.yaml)",
            )
        )
    banks = tuple(result.bank for result in loaded)
    has_errors = any(issue.is_error for issue in issues)
    content = None if has_errors or None in banks else Content(articles, banks, tags, settings)
    sound = Content(articles, tuple(bank for bank in banks if bank is not None), tags, settings)
    checked_dir = sources_dir if texts is not None else None
    return Validation(content, sorted(issues), checked_dir, sound, None not in banks)


def require_content(
    content_dir: Path, sources_dir: Path | None = None, strict: bool = False, check_sources: bool = True
) -> Content:
    """The content, or ContentError with every issue: what every build step starts with."""
    validation = load_content(content_dir, sources_dir, check_sources)
    if strict:
        validation = validation.strict()
    if validation.content is None:
        raise ContentError(validation.issues)
    return validation.content


def _load_articles(path: Path, issues: list[Issue]) -> tuple[dict[str, Article], dict[str, tuple[int, int]]]:
    """The registry, and where each article's `file:` is written (for problems reading it)."""
    report = open_report(path, "article registry: ")
    if report.doc is None:
        issues += report.issues
        return {}, {}
    top = check_mapping(report.doc.data, (), (Field("articles", "list", True, 1),), report, "")
    articles: dict[str, Article] = {}
    file_at: dict[str, tuple[int, int]] = {}
    for i, raw in enumerate(top["articles"] if top else []):
        entry, ok = check_fields(raw, ("articles", i), ARTICLE_FIELDS, report, f"article {i + 1}: ")
        if "id" in entry and entry["id"] in articles:
            report.add(("articles", i, "id"), f"article '{entry['id']}' is defined twice (ids must be unique)")
        elif ok:
            articles[entry["id"]] = Article(**entry)
            file_at[entry["id"]] = report.doc.where(("articles", i, "file"))
            _check_file_name(entry, ("articles", i, "file"), report)
        elif "id" in entry:
            # Known, though broken (its problem is reported above): banks quoting it are not also told
            # it is unknown, one error per passage. Without a `file_at`, its text is not read.
            articles[entry["id"]] = Article(**{name: entry.get(name, "") for name in ARTICLE_NAMES})
    issues += report.issues
    return articles, file_at


ARTICLE_NAMES = tuple(field.name for field in dataclasses.fields(Article))


def _check_file_name(entry: dict, where: tuple, report: Report) -> None:
    """A `file:` must name a file directly inside the sources directory: no path, no way out."""
    problem = _file_name_problem(entry["file"])
    if problem:
        report.add(where, f"article '{entry['id']}': 'file' {entry['file']!r} {problem}")


def _file_name_problem(name: str) -> str:
    if PurePosixPath(name).is_absolute() or PureWindowsPath(name).is_absolute() or PureWindowsPath(name).drive:
        return "is an absolute path (expected a file name in the sources directory)"
    if "/" in name or "\\" in name:
        return "contains a path separator (expected a file name directly in the sources directory)"
    if name in (".", ".."):
        return "is not a file name (expected a file name in the sources directory)"
    return ""


def _load_tags(path: Path, issues: list[Issue]) -> dict[str, str]:
    report = open_report(path, "tag vocabulary: ")
    if report.doc is None:
        issues += report.issues
        return {}
    data = report.doc.data
    tags = data.get("tags") if isinstance(data, dict) else None
    if not isinstance(tags, dict):
        report.add((), "expected 'tags:' mapping each tag to its description")
        issues += report.issues
        return {}
    wrong = [tag for tag, description in tags.items() if not (isinstance(tag, str) and isinstance(description, str))]
    for tag in wrong:  # each where it stands: "expected a mapping" at the top hid which one
        if not isinstance(tag, str):
            report.add(("tags", tag), f"tag '{tag}' is a {type_name(tag)} (expected a tag name)", at_key=True)
        else:
            report.add(("tags", tag), f"tag '{tag}': the description is a {type_name(tags[tag])} (expected text)")
    if wrong:
        issues += report.issues
        return {}
    for tag, description in tags.items():
        found = CONTROL.search(tag + description)
        if found:
            where = ("tags", tag)
            line, col = report.char_position(where, found.group())
            message = f"tag '{tag.encode('unicode_escape').decode()}': contains the control character "
            report.add_at(
                line, col, message + f"U+{ord(found.group()):04X} (remove it; only tab and newline are allowed)"
            )
    issues += report.issues
    return {} if any(issue.is_error for issue in report.issues) else tags


def read_tags(path: Path) -> dict[str, str]:
    """The tag vocabulary alone (for `quizgen schema`); empty if it cannot be read."""
    return _load_tags(path, [])


def _load_texts(
    content_dir: Path,
    sources_dir: Path | None,
    articles: dict[str, Article],
    file_at: dict[str, tuple[int, int]],
    issues: list[Issue],
    check_sources: bool,
    sources_at: tuple[int, int],
) -> dict[str, ArticleText] | None:
    if sources_dir is None or not sources_dir.is_dir():
        issues.append(_missing_sources(content_dir, sources_dir, check_sources, sources_at))
        return None
    registry = display_path(content_dir / ARTICLES_FILE)
    texts = {}
    for article in articles.values():
        if article.id not in file_at or _file_name_problem(article.file):  # reported in articles.yaml
            continue
        try:
            data = read_inside(
                sources_dir / article.file, sources_dir, max_bytes=MAX_ARTICLE_BYTES, what="article text"
            )
            text = clean_article(decode_utf8(data))
            if not text.strip():  # every passage would be "not verbatim", one error per passage
                message = f"article '{article.id}': {sources_dir / article.file}: the article text is empty"
                issues.append(Issue(registry, *file_at[article.id], ERROR, message + " (expected the article's text)"))
                continue
            texts[article.id] = ArticleText(article.id, text)
        except UnsafeFile as exc:
            issues.append(Issue(registry, *file_at[article.id], ERROR, f"article '{article.id}': {exc}"))
        except UnicodeDecodeError as exc:
            message = f"article '{article.id}': {sources_dir / article.file}: not UTF-8 at byte {exc.start:,}"
            issues.append(Issue(registry, *file_at[article.id], ERROR, message + " (save the file as UTF-8)"))
    return texts


def _missing_sources(content_dir: Path, sources_dir: Path | None, check_sources: bool, at: tuple[int, int]) -> Issue:
    shown = sources_dir if sources_dir else "(none configured)"
    where = display_path(content_dir / CONFIG_FILE)
    if check_sources:
        message = (
            f"sources directory {shown} not found: source passages cannot be checked "
            "(give --sources DIR, or --no-source-check to go on without the check)"
        )
        return Issue(where, *at, ERROR, message)
    message = (
        f"sources directory {shown} not found: source passages were not checked (turned off with --no-source-check)"
    )
    return Issue(where, *at, WARNING, message)


def _cross_bank_issues(loaded: list[LoadedBank]) -> list[Issue]:
    issues: list[Issue] = []
    first: dict[str, str] = {}
    for result in loaded:
        bank = result.bank
        if bank is None:
            continue
        if bank.id in first:
            issues.append(
                Issue(
                    bank.path,
                    1,
                    1,
                    ERROR,
                    f"bank id '{bank.id}' is also used by {first[bank.id]} (bank ids must be unique across content/)",
                )
            )
        first.setdefault(bank.id, bank.path)
    return issues
