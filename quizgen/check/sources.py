"""Article texts and the verbatim check of quoted source passages.

Both the article and the quote go through `normalize`; the article also
through `clean_article`. These are the only differences the check forgives,
documented in docs/bank-format.md ("Sources").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from quizgen.model import Article

MAX_PASSAGE_WORDS = 40

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_TRANSLATE = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'", "–": "-", "—": "-", "‑": "-"}
    | {ch: None for ch in _SUPERSCRIPTS}
)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_FOOTNOTE = re.compile(f"^[{_SUPERSCRIPTS}]+\\s")
_SPLIT_WORD_END = re.compile(r"[A-Za-z]-$")


def normalize(text: str) -> str:
    """Forgive white space, escaped dollars, curly quotes, dashes and footnote markers."""
    return " ".join(text.replace("\\$", "$").translate(_TRANSLATE).split())


def clean_article(raw: str) -> str:
    """Drop footnote paragraphs and rejoin words split across page breaks, then normalize."""
    paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(raw) if p.strip()]
    body = [p for p in paragraphs if not _FOOTNOTE.match(p)]
    joined: list[str] = []
    for paragraph in body:
        if joined and _SPLIT_WORD_END.search(joined[-1]) and paragraph[:1].islower():
            joined[-1] = joined[-1][:-1] + paragraph  # "Al-" + "though" -> "Although"
        else:
            joined.append(paragraph)
    return normalize("\n\n".join(joined))


@dataclass(frozen=True)
class Library:
    """What banks are checked against: the registry, the tags and (if found) the article texts."""

    articles: dict[str, Article]
    tags: dict[str, str]
    texts: dict[str, ArticleText] | None = None  # None: the sources directory is missing

    def expected_articles(self) -> str:
        return "expected one of: " + ", ".join(self.articles) if self.articles else "the registry is empty"


@dataclass(frozen=True)
class ArticleText:
    """An article's cleaned text, searched for quotes and answers."""

    id: str
    text: str

    @property
    def folded(self) -> str:
        return self.text.casefold()

    def contains(self, quote: str) -> bool:
        return normalize(quote) in self.text

    def closest(self, quote: str) -> str:
        """The passage of the article most like the quote, as long as the quote."""
        words, wanted = self.text.split(" "), normalize(quote).split(" ")
        matcher = difflib.SequenceMatcher(None, words, wanted, autojunk=False)
        match = matcher.find_longest_match(0, len(words), 0, len(wanted))
        start = max(0, match.a - match.b)
        return " ".join(words[start : start + len(wanted)])


def passage_problems(passage_text: str, article: ArticleText) -> Iterator[str]:
    """What is wrong with one quoted passage: too long, or not in the article."""
    count = len(normalize(passage_text).split(" "))
    if count > MAX_PASSAGE_WORDS:
        yield f"has {count} words (expected at most {MAX_PASSAGE_WORDS}; quote a shorter passage or several)"
    if not article.contains(passage_text):
        closest = article.closest(passage_text)
        yield f"is not verbatim in article '{article.id}' (closest passage: \"{closest}\")"


def appears_in(spelling: str, passages: str) -> bool:
    """Does the answer appear in the (normalized, case-folded) passages, as a whole number or word?"""
    needle = normalize(spelling).casefold()
    if not needle:
        return False
    pattern = re.escape(needle)
    if needle[0].isalnum():
        pattern = r"(?<![\w.])" + pattern if needle[0].isdigit() else r"(?<!\w)" + pattern
    if needle[-1].isalnum():
        pattern += r"(?![\d])" if needle[-1].isdigit() else r"(?!\w)"
    return re.search(pattern, passages) is not None
