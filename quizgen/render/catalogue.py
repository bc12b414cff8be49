"""The catalogue of what students read in one language: handouts, keys, study guides, Anki cards, practice page.

A catalogue is `catalogue/<language>.yaml` in a template folder (the user's
`--templates` folder first, then quizgen's own): a flat mapping of keys such
as `key.answer` to texts, with `{name}` placeholders filled in when used.
English is the reference: the kinds declare their English titles and
directions (`kind.<name>.title|directions`, see quizgen.kinds.kind_strings) and
`templates/catalogue/en.yaml` holds every other English text. Any other
language must give every key English has, no more, with the same
placeholders: a missing text would print English, or nothing, on a handout.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from quizgen.errors import ERROR, ContentError, Issue, QuizgenError
from quizgen.kinds import kind_strings
from quizgen.load.fields import display_path
from quizgen.load.files import MAX_TEMPLATE_BYTES, UnsafeFile, decode_utf8, read_inside
from quizgen.load.schema import CONTROL
from quizgen.load.yamlio import Document, YamlProblem, parse
from quizgen.model import LANGUAGE_CODE, canonical_language
from quizgen.render.builtin import builtin_templates_dir

ENGLISH = "en"
CATALOGUE_FOLDER = "catalogue"
BUILT_IN = builtin_templates_dir()  # the packaged copy in a wheel, else the checkout's templates/
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Catalogue:
    """Every user-visible text of one language, by key."""

    language: str
    texts: Mapping[str, str]

    def text(self, key: str, /, **params: object) -> str:
        """The text of `key` with its `{name}` placeholders filled from `params`."""
        try:
            template = self.texts[key]
        except KeyError:  # a key used in quizgen's code or a template that en.yaml lacks: a bug
            raise KeyError(f"no text '{key}' in the catalogue (add it to templates/catalogue/en.yaml)") from None
        if "{" not in template:  # most texts have no placeholder; a deck asks for thousands
            return template
        try:
            return _format_string(template).format_map(params)
        except KeyError as exc:
            raise KeyError(f"text '{key}' needs the parameter '{exc.args[0]}'") from None

    def count(self, count: int, unit: str) -> str:
        """'1 point', '3 points': the text of `count.<unit>.one` or `.other`."""
        return self.text(f"count.{unit}.{'one' if count == 1 else 'other'}", count=count)


@cache  # a few dozen texts with placeholders, each filled thousands of times in a deck
def _format_string(template: str) -> str:
    """The text as a str.format string: its `{name}` placeholders kept, every other brace doubled
    (a translator's literal brace stays text)."""
    pieces = PLACEHOLDER.split(template)  # text, name, text, name, ..., text
    parts = [
        f"{{{piece}}}" if index % 2 else piece.replace("{", "{{").replace("}", "}}")
        for index, piece in enumerate(pieces)
    ]
    return "".join(parts)


def load_catalogue(language: str, template_dirs: list[Path]) -> Catalogue:
    """The catalogue of `language` from the first template folder that has one, checked against English."""
    english = english_texts()
    path, folder = _find(language, template_dirs)
    language = canonical_language(language)  # a code, _find has checked: 'EN' is English
    texts = _read_texts(path, folder)
    defaults = kind_strings() if language == ENGLISH else {}
    issues = _check(texts, english, defaults, display_path(path))
    if issues:
        raise ContentError(issues)
    return Catalogue(language, {**defaults, **{key: text for key, (text, _, _) in texts.items()}})


@cache
def english() -> Catalogue:
    """quizgen's own English catalogue (what a build uses when no language is set)."""
    return load_catalogue(ENGLISH, [BUILT_IN])


def english_text(key: str, /, **params: object) -> str:
    """A text of the built-in English catalogue: the default `t` where no language is given."""
    return english().text(key, **params)


@cache
def english_texts() -> dict[str, str]:
    """Every key and its English text: the kinds' strings, then the built-in en.yaml."""
    folder = BUILT_IN / CATALOGUE_FOLDER
    texts = _read_texts(folder / f"{ENGLISH}.yaml", BUILT_IN)
    return {**kind_strings(), **{key: text for key, (text, _, _) in texts.items()}}


def available_languages(template_dirs: list[Path]) -> list[str]:
    """The languages some template folder has a catalogue for."""
    found = {path.stem for folder in template_dirs for path in (folder / CATALOGUE_FOLDER).glob("*.yaml")}
    return sorted(found)


def _find(language: str, template_dirs: list[Path]) -> tuple[Path, Path]:
    if not LANGUAGE_CODE.fullmatch(language):  # also keeps the name from reaching outside the folder
        raise QuizgenError(f"language '{language}' is not a language code (such as en, de or pt-BR)")
    for folder in template_dirs:
        catalogues = folder / CATALOGUE_FOLDER
        # Language codes ignore case: a pt-br.yaml is the catalogue of pt-BR. Names as the folder lists them
        # (a broken link too: reading it says why), so a file a case-blind disk also finds as PT-BR.yaml is one.
        spelled = sorted(p for p in catalogues.glob("*.yaml") if same_language(p.stem, language))
        if len(spelled) > 1:  # either may be the one a translator edits: refuse to guess
            names = ", ".join(p.name for p in spelled)
            raise QuizgenError(
                f"two catalogues for language '{canonical_language(language)}' in {catalogues}: {names} "
                "(language codes ignore case: keep one)"
            )
        if spelled:
            return spelled[0], folder
    looked = ", ".join(str(folder / CATALOGUE_FOLDER) for folder in template_dirs)
    known = ", ".join(available_languages(template_dirs))
    raise QuizgenError(f"no catalogue for language '{language}' (looked in {looked}; catalogues: {known})")


def same_language(name: str, language: str) -> bool:
    return LANGUAGE_CODE.fullmatch(name) is not None and canonical_language(name) == canonical_language(language)


def _read_texts(path: Path, folder: Path) -> dict[str, tuple[str, int, int]]:
    """key -> (text, line, col) of a catalogue file, read safely; ContentError if it is not a flat mapping."""
    where = display_path(path)
    try:
        data = read_inside(path, folder, max_bytes=MAX_TEMPLATE_BYTES, what="catalogue")
        doc = parse(decode_utf8(data))
    except UnsafeFile as exc:
        raise QuizgenError(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise ContentError(
            [Issue(where, 1, 1, ERROR, f"not UTF-8 (byte {exc.start}); save the file as UTF-8")]
        ) from None
    except YamlProblem as exc:
        raise ContentError([Issue(where, exc.line, exc.col, ERROR, str(exc))]) from None
    return _flat_texts(doc, where)


def _flat_texts(doc: Document, where: str) -> dict[str, tuple[str, int, int]]:
    if not isinstance(doc.data, dict):
        line, col = doc.where(())
        raise ContentError([Issue(where, line, col, ERROR, "a catalogue is a mapping of keys to texts")])
    texts, issues = {}, []
    for key, value in doc.data.items():
        line, col = doc.where_key((key,))
        if not isinstance(value, str):
            vline, vcol = doc.where((key,))
            issues.append(Issue(where, vline, vcol, ERROR, f"'{key}': expected a text, not {_kind(value)}"))
        else:
            texts[str(key)] = (value, line, col)
    if issues:
        raise ContentError(issues)
    return texts


def _kind(value: object) -> str:
    return {dict: "a mapping", list: "a list", type(None): "nothing"}.get(type(value), f"'{value}'")


def _check(
    texts: dict[str, tuple[str, int, int]], english: dict[str, str], defaults: dict[str, str], where: str
) -> list[Issue]:
    """Unknown keys, missing keys and placeholders that English does not have (or lacks)."""
    issues = []
    for key, (text, line, col) in texts.items():
        if key not in english:
            close = difflib.get_close_matches(key, list(english), n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            issues.append(Issue(where, line, col, ERROR, f"unknown key '{key}'{hint}"))
            continue
        unprintable = _unprintable(key, text)
        if unprintable:  # an empty text prints nothing on a handout, as a missing key would
            issues.append(Issue(where, line, col, ERROR, unprintable))
            continue
        wanted, given = set(PLACEHOLDER.findall(english[key])), set(PLACEHOLDER.findall(text))
        for name in sorted(given - wanted):
            message = f"'{key}': unknown placeholder {{{name}}}{_expected(wanted)}"
            issues.append(Issue(where, line, col, ERROR, message))
        for name in sorted(wanted - given):
            issues.append(Issue(where, line, col, ERROR, f"'{key}': the text lacks the placeholder {{{name}}}"))
    missing = [key for key in english if key not in texts and key not in defaults]
    for key in missing:
        issues.append(Issue(where, 1, 1, ERROR, f"missing key '{key}' (English: '{english[key]}')"))
    return issues


def _unprintable(key: str, text: str) -> str:
    """Why `text` cannot stand for the English of `key` (blank, or a control character), or ''."""
    if not text.strip():
        return f"'{key}': the text is empty (give the text in this language)"
    found = CONTROL.search(text)
    if found:
        character = f"U+{ord(found.group()):04X}"
        return f"'{key}': the text contains the control character {character} (remove it; only tab and newline are allowed)"
    return ""


def _expected(wanted: set[str]) -> str:
    return f" (expected {', '.join('{' + n + '}' for n in sorted(wanted))})" if wanted else " (this text has none)"
