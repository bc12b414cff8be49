"""Load a whole content directory: configuration, article registry, tags and banks.

`load_content` reads and checks everything before anything is written, and
returns every issue found, in every file, at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from quizgen.check.items import content_item_warnings
from quizgen.check.sources import ArticleText, Library, clean_article
from quizgen.errors import ERROR, WARNING, ContentError, Issue
from quizgen.load.banks import LoadedBank, bank_files, load_bank
from quizgen.load.fields import check_mapping, display_path, open_report
from quizgen.load.schema import Field
from quizgen.model import Article, Content

CONFIG_FILE = "quizgen.yaml"
ARTICLES_FILE = "articles.yaml"
TAGS_FILE = "tags.yaml"

CONFIG_FIELDS = (Field("sources", "text", description="the directory of article texts, relative to this file"),)
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

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.is_error]

    def strict(self) -> Validation:
        """Warnings promoted to errors, as `--strict` asks."""
        issues = [issue.as_error() for issue in self.issues]
        return Validation(None if issues else self.content, issues, self.sources_dir)


def load_content(content_dir: Path, sources_dir: Path | None = None) -> Validation:
    """Read, check and cross-check every file of a content directory."""
    issues: list[Issue] = []
    config = _load_mapping_file(content_dir / CONFIG_FILE, {"sources": ""}, issues, optional=True)
    articles = _load_articles(content_dir / ARTICLES_FILE, issues)
    tags = _load_tags(content_dir / TAGS_FILE, issues)
    sources_dir = sources_dir or _configured_sources(content_dir, config)
    texts = _load_texts(content_dir, sources_dir, articles, issues)
    library = Library(articles, tags, texts)
    loaded = [load_bank(path, library) for path in bank_files(content_dir)]
    for result in loaded:
        issues += result.issues
    issues += _cross_bank_issues(loaded)
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
    content = None if has_errors or None in banks else Content(articles, banks, tags)
    return Validation(content, sorted(issues), sources_dir if texts is not None else None)


def validate_all(content_dir: Path, sources_dir: Path | None = None, strict: bool = False) -> Validation:
    """The banks and, when they are sound, the quiz definitions that draw on them."""
    from quizgen.load.quizzes import check_quizzes

    validation = load_content(content_dir, sources_dir)
    if validation.content is not None:
        _, quiz_issues = check_quizzes(content_dir, validation.content)
        issues = sorted(validation.issues + quiz_issues)
        content = None if any(issue.is_error for issue in issues) else validation.content
        validation = Validation(content, issues, validation.sources_dir)
    return validation.strict() if strict else validation


def require_content(content_dir: Path, sources_dir: Path | None = None, strict: bool = False) -> Content:
    """The content, or ContentError with every issue: what every build step starts with."""
    validation = load_content(content_dir, sources_dir)
    if strict:
        validation = validation.strict()
    if validation.content is None:
        raise ContentError(validation.issues)
    return validation.content


def _load_mapping_file(path: Path, default: dict, issues: list[Issue], optional: bool = False) -> dict:
    if optional and not path.exists():
        return default
    report = open_report(path)
    if report.doc is None:
        issues += report.issues
        return default
    cleaned = check_mapping(report.doc.data, (), CONFIG_FIELDS, report, "")
    issues += report.issues
    return cleaned or default


def _configured_sources(content_dir: Path, config: dict) -> Path | None:
    return (content_dir / config["sources"]).resolve() if config.get("sources") else None


def _load_articles(path: Path, issues: list[Issue]) -> dict[str, Article]:
    report = open_report(path, "article registry: ")
    if report.doc is None:
        issues += report.issues
        return {}
    top = check_mapping(report.doc.data, (), (Field("articles", "list", True, 1),), report, "")
    articles: dict[str, Article] = {}
    for i, raw in enumerate(top["articles"] if top else []):
        entry = check_mapping(raw, ("articles", i), ARTICLE_FIELDS, report, f"article {i + 1}: ")
        if entry and entry["id"] in articles:
            report.add(("articles", i, "id"), f"article '{entry['id']}' is defined twice (ids must be unique)")
        elif entry:
            articles[entry["id"]] = Article(**entry)
    issues += report.issues
    return articles


def _load_tags(path: Path, issues: list[Issue]) -> dict[str, str]:
    report = open_report(path, "tag vocabulary: ")
    if report.doc is None:
        issues += report.issues
        return {}
    data = report.doc.data
    tags = data.get("tags") if isinstance(data, dict) else None
    if not isinstance(tags, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in tags.items()):
        report.add((), "expected 'tags:' mapping each tag to its description")
        issues += report.issues
        return {}
    return tags


def read_tags(path: Path) -> dict[str, str]:
    """The tag vocabulary alone (for `quizgen schema`); empty if it cannot be read."""
    return _load_tags(path, [])


def _load_texts(
    content_dir: Path, sources_dir: Path | None, articles: dict[str, Article], issues: list[Issue]
) -> dict[str, ArticleText] | None:
    where = display_path(content_dir / CONFIG_FILE)
    if sources_dir is None or not sources_dir.is_dir():
        shown = sources_dir if sources_dir else "(none configured)"
        issues.append(
            Issue(
                where,
                1,
                1,
                WARNING,
                f"sources directory {shown} not found: source passages were not checked (give --sources DIR)",
            )
        )
        return None
    texts = {}
    for article in articles.values():
        path = sources_dir / article.file
        try:
            texts[article.id] = ArticleText(article.id, clean_article(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            issues.append(
                Issue(
                    display_path(content_dir / ARTICLES_FILE),
                    1,
                    1,
                    ERROR,
                    f"article '{article.id}': cannot read {path}: {exc}",
                )
            )
    return texts


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
