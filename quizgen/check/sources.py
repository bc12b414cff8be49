"""Article texts and the verbatim check of quoted source passages.

Both the article and the quote go through `normalize`; the article also
through `clean_article`. These are the only differences the check forgives,
documented in docs/bank-format.md ("Sources").
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from quizgen.model import Article

MAX_PASSAGE_WORDS = 40
MAX_EXCERPT_WORDS = 250  # a reading set's excerpt: about half a printed page

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_TRANSLATE = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'", "–": "-", "—": "-", "‑": "-"}
    | {ch: None for ch in _SUPERSCRIPTS}
)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_FOOTNOTE = re.compile(f"^[{_SUPERSCRIPTS}]+\\s")
_SPLIT_WORD_END = re.compile(r"[A-Za-z]-$")


@functools.lru_cache(maxsize=1 << 16)  # a passage is read by the source, answer and give-away checks alike
def normalize(text: str) -> str:
    """Forgive white space, escaped dollars, curly quotes, dashes and footnote markers."""
    return " ".join(text.replace("\\$", "$").translate(_TRANSLATE).split())


def normalize_tracked(text: str) -> tuple[str, list[int]]:
    """`normalize(text)`, and for each of its characters the index of the typed one it comes from."""
    chars: list[str] = []
    origin: list[int] = []
    pending_space = False
    for i, char in enumerate(text):
        if char == "\\" and text[i + 1 : i + 2] == "$":
            continue  # `\$` reads as `$`
        if char.isspace():
            pending_space = bool(chars)
            continue
        mapped = char.translate(_TRANSLATE)
        if not mapped:
            continue
        if pending_space:
            chars.append(" ")
            origin.append(i - 1)
            pending_space = False
        chars.append(mapped)
        origin.append(i)
    return "".join(chars), origin


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


def passage_problems(
    passage_text: str,
    article: ArticleText,
    max_words: int = MAX_PASSAGE_WORDS,
    shorter: str = "quote a shorter passage or several",
) -> Iterator[str]:
    """What is wrong with one quoted passage (or excerpt): too long, or not in the article."""
    count = len(normalize(passage_text).split(" "))
    if count > max_words:
        yield f"has {count} words (expected at most {max_words}; {shorter})"
    if not article.contains(passage_text):
        closest = article.closest(passage_text)
        difference = first_difference(passage_text, closest)
        shown = closest if count <= MAX_PASSAGE_WORDS else around_difference(passage_text, closest)
        yield f"is not verbatim in article '{article.id}': {difference} (closest passage: \"{shown}\")"


CONTEXT_WORDS = 8  # words shown either side of the first difference when a long excerpt is misquoted


def around_difference(typed: str, closest: str) -> str:
    """The article's words around where a long quote first differs, so the message stays readable."""
    ops = difflib.SequenceMatcher(None, normalize(typed), closest, autojunk=False).get_opcodes()
    at = next((j1 for tag, _, _, j1, _ in ops if tag != "equal"), 0)
    before, after = closest[:at].split(" "), closest[at:].split(" ")
    start, end = max(0, len(before) - CONTEXT_WORDS - 1), CONTEXT_WORDS
    words = before[start:-1] + [before[-1] + after[0]] + after[1 : end + 1]
    return ("..." if start else "") + " ".join(words) + ("..." if end + 1 < len(after) else "")


_QUOTE_MARKS = "\"'“”„‘’‚«»"


def first_difference(typed: str, closest: str) -> str:
    """What first differs between a passage as typed and the article's closest passage, named so
    that a difference the eye cannot see (a curly quote, a look-alike letter) is plain."""
    wanted, origin = normalize_tracked(typed)
    ops = [
        op for op in difflib.SequenceMatcher(None, wanted, closest, autojunk=False).get_opcodes() if op[0] != "equal"
    ]
    if not ops:
        return "it differs from the article only in what the check forgives"
    quotes = _surrounding_quotes(typed, wanted, origin, ops)
    if quotes:
        return quotes
    tag, i1, _, j1, _ = ops[0]
    if i1 >= len(wanted):
        return f"the passage ends where the article goes on with {_named(closest[j1], quoted=True)}"
    at = f"differs at character {origin[i1] + 1}"
    char = typed[origin[i1]]
    if tag == "insert":
        return f"{at}: the article has {_named(closest[j1], quoted=True)} there, which the passage does not have"
    if tag == "delete":
        return f"{at}: the passage has {_named(char, quoted=True)}, which the article does not have there"
    return f"{at}: the passage has {_named(char, quoted=True)} where the article has {_named(closest[j1], quoted=True)}"


def _surrounding_quotes(typed: str, wanted: str, origin: list[int], ops: list) -> str:
    """The message for a passage that is verbatim but for quotation marks typed around it."""
    extra = [(i1, i2) for tag, i1, i2, _, _ in ops if tag == "delete"]
    if len(ops) != 2 or len(extra) != 2 or extra[0][0] != 0 or extra[1][1] != len(wanted):
        return ""
    first, last = typed[origin[0]], typed[origin[-1]]
    if extra[0][1] != 1 or extra[1][0] != len(wanted) - 1 or first not in _QUOTE_MARKS or last not in _QUOTE_MARKS:
        return ""
    return (
        f"it starts with {_named(first)} and ends with {_named(last)}, which the article does not have there; "
        "remove the quotation marks"
    )


def _named(char: str, quoted: bool = False) -> str:
    name = unicodedata.name(char, "")
    shown = f"'{char}'" if quoted else char
    return f"{shown} (U+{ord(char):04X}{' ' + name if name else ''})"


def appears_in(spelling: str, passages: str) -> bool:
    """Does the answer appear in the (normalized, case-folded) passages, as a whole number or word?

    Each place the text is found is looked at either side: a number must not continue a longer
    number (`2001` is not in `12001` or `1.2001`) nor a word a longer word. Substring searches,
    not a regular expression per answer: thousands of different answers would each be compiled."""
    needle = normalize(spelling).casefold()
    if not needle:
        return False
    at = passages.find(needle)
    while at >= 0:
        if _starts_alone(passages, at, needle[0]) and _ends_alone(passages, at + len(needle), needle[-1]):
            return True
        at = passages.find(needle, at + 1)
    return False


def _starts_alone(text: str, at: int, first: str) -> bool:
    if at == 0 or not first.isalnum():
        return True
    before = text[at - 1]
    return not (_is_word(before) or (first.isdigit() and before == "."))


def _ends_alone(text: str, end: int, last: str) -> bool:
    if end == len(text) or not last.isalnum():
        return True
    after = text[end]
    return not after.isdecimal() if last.isdigit() else not _is_word(after)


def _is_word(char: str) -> bool:
    """A character of `\\w` in a regular expression: a letter, a digit or `_`."""
    return char.isalnum() or char == "_"
