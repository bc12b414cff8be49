"""Field-level checking of YAML mappings against the declared format.

Inner checkers raise plain messages; `Report` adds the file, line and column.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizgen.errors import ERROR, WARNING, Issue
from quizgen.load.comments import trailing_comments
from quizgen.load.schema import (
    EVENT_FIELDS,
    EXPECTED,
    PAIR_FIELDS,
    PASSAGE_FIELDS,
    SCALAR_CHECKERS,
    YAML_CONTROL,
    ControlCharacter,
    Field,
    type_name,
    unescaped,
)
from quizgen.load.yamlio import Document, YamlProblem, parse, read_text, surely_printable


@dataclass
class Report:
    """Collects located issues for one file."""

    path: str
    doc: Document | None = None
    issues: list[Issue] = field(default_factory=list)
    text: str = ""  # the file as read, to point inside a value

    def add(self, where: tuple, message: str, *, severity: str = ERROR, at_key: bool = False) -> None:
        if self.doc is None:
            line, col = 1, 1
        else:
            line, col = self.doc.where_key(where) if at_key else self.doc.where(where)
        self.issues.append(Issue(self.path, line, col, severity, message))

    def add_at(self, line: int, col: int, message: str, *, severity: str = ERROR) -> None:
        self.issues.append(Issue(self.path, line, col, severity, message))

    def text_position(self, where: tuple, snippet: str) -> tuple[int, int]:
        """Where `snippet` is written as is in the value at `where` (searched from the value's start over
        the lines a value may span), else the value's own position."""
        line, col = self.doc.where(where) if self.doc else (1, 1)
        lines = self.text.splitlines()
        for number in range(line, min(line + 200, len(lines) + 1)):
            start = col - 1 if number == line else 0
            found = lines[number - 1].find(snippet, start)
            if found >= 0:
                return number, found + 1
        return line, col

    def char_position(self, where: tuple, char: str) -> tuple[int, int]:
        """Where `char` is written in the value at `where`: itself or its escape on the value's line,
        else the value's own position."""
        line, col = self.doc.where(where) if self.doc else (1, 1)
        lines = self.text.splitlines()
        if not 0 < line <= len(lines):
            return line, col
        code = ord(char)
        spellings = (char, f"\\x{code:02x}", f"\\u{code:04x}", f"\\U{code:08x}")
        written = lines[line - 1].lower()
        found = [written.find(s.lower(), col - 1) for s in spellings]
        found = [index for index in found if index >= 0]
        return (line, min(found) + 1) if found else (line, col)

    def warn(self, where: tuple, message: str) -> None:
        self.add(where, message, severity=WARNING)

    def raw(self, where: tuple) -> str | None:
        return self.doc.raw.get(where) if self.doc else None


def yaml_files(folder: Path) -> list[Path]:
    """The YAML files of a content folder, in a stable order (none if the folder is missing)."""
    return sorted(p for p in folder.glob("*.y*ml") if p.is_file()) if folder.is_dir() else []


ARCHIVE = "archive"  # a subfolder for files kept unread on purpose (old quizzes, retired banks)


def unread_yaml(folder: Path) -> list[Issue]:
    """A warning for each YAML file under `folder` that is not read: in a subfolder, or named .YAML
    (the teacher meant it as content; skipped in silence, its questions were simply missing). Files in
    an `archive/` subfolder, or in a hidden one, are kept unread on purpose: no warning, so --strict holds."""
    if not folder.is_dir():
        return []
    read = set(yaml_files(folder))
    issues = []
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in (".yaml", ".yml") or path in read or not path.is_file():
            continue
        if any(part.lower() == ARCHIVE or part.startswith(".") for part in path.relative_to(folder).parts[:-1]):
            continue
        why = "it is in a subfolder" if path.parent != folder else "its extension is not .yaml"
        where = display_path(folder)
        message = (
            f"not read: {why} (only {where}/*.yaml files are read; move or rename it, "
            f"or keep it in {where}/{ARCHIVE}/ to leave it unread)"
        )
        issues.append(Issue(display_path(path), 1, 1, WARNING, message))
    return issues


def display_path(path: Path) -> str:
    """A path as messages show it: relative to where quizgen runs, when it can be."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def open_report(path: Path, what: str = "") -> Report:
    """A Report on a content file holding its parsed document, or (doc None) the reason it cannot be read."""
    report = Report(display_path(path))
    try:
        report.text = read_text(path)
        if _refuse_raw_controls(report, what):
            return report
        report.doc = parse(report.text)
    except YamlProblem as exc:
        report.issues.append(Issue(report.path, exc.line, exc.col, ERROR, f"{what}{exc}"))
    except OSError as exc:
        report.issues.append(Issue(report.path, 1, 1, ERROR, f"{what}cannot read the file: {exc.strerror}"))
    if report.doc is not None:
        for line, col, message in trailing_comments(report.text):
            report.add_at(line, col, f"{what}{message}", severity=WARNING)
    return report


def _refuse_raw_controls(report: Report, what: str) -> bool:
    """Report each control character written as such in the file (YAML forbids them, so the file
    cannot be parsed with positions); True if there was any."""
    # A quick screen of the whole file, then a search; lines only for a file that has one.
    if "\r" not in report.text and surely_printable(report.text) or not YAML_CONTROL.search(report.text):
        return False
    found = False
    for number, line in enumerate(report.text.split("\n"), start=1):
        for match in YAML_CONTROL.finditer(line.removesuffix("\r")):
            found = True
            message = f"{what}the file contains the control character U+{ord(match.group()):04X} "
            report.add_at(number, match.start() + 1, message + "(remove it; only tab and newline are allowed)")
    return found


def check_mapping(value: Any, where: tuple, fields: tuple[Field, ...], report: Report, label: str) -> dict | None:
    """Check keys and values of a mapping; return the cleaned values, or None if any is wrong."""
    cleaned, ok = check_fields(value, where, fields, report, label)
    return cleaned if ok else None


def check_fields(value: Any, where: tuple, fields: tuple[Field, ...], report: Report, label: str) -> tuple[dict, bool]:
    """Check keys and values of a mapping: the values that are right, and whether all were."""
    if not isinstance(value, dict):
        required = ", ".join(f.name for f in fields if f.required)
        # A mapping of only optional keys names them all: "expected a mapping with " and nothing said nothing.
        keys = f"with {required}" if required else "of " + ", ".join(f.name for f in fields)
        report.add(where, f"{label}is a {type_name(value)} (expected a mapping {keys})")
        return {}, False
    ok = _check_keys(value, where, fields, report, label)
    cleaned = {}
    for spec in fields:
        if spec.name in value:
            result = check_value(value[spec.name], where + (spec.name,), spec, report, label)
            if result is INVALID:
                ok = False
            else:
                cleaned[spec.name] = result
    return cleaned, ok


def _check_keys(value: dict, where: tuple, fields: tuple[Field, ...], report: Report, label: str) -> bool:
    allowed = [spec.name for spec in fields]
    ok = True
    for key in value:
        if key not in allowed:
            ok = False
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "expected one of: " + ", ".join(allowed)
            report.add(where + (key,), f"{label}unknown key '{key}' ({hint})", at_key=True)
    for spec in fields:
        if spec.required and spec.name not in value:
            ok = False
            expected = spec.description or EXPECTED.get(spec.type, spec.type)
            report.add(where, f"{label}missing required key '{spec.name}' ({expected})")
    return ok


INVALID = object()
_TEXT_TYPES = {"text", "text_or_empty", "date"}


def check_value(value: Any, where: tuple, spec: Field, report: Report, label: str) -> Any:
    """Check one value against its field spec; report and return INVALID if it is wrong."""
    if spec.plain_text and type(value) is str and value.isprintable():
        # Nearly every value of a bank: a one-line text without controls. The same result as the general
        # path below (check_text), without its calls; anything else (empty, too long, a number) goes there.
        text = value.strip()
        if text and len(text) <= spec.limit:  # (replacing `\$` only shortens it)
            return unescaped(text)
    checker = _COMPOUND.get(spec.type)
    if checker:
        return checker(value, where, spec, report, label)
    # The raw text is only needed to read a number or boolean back as text (`answer: 1996`);
    # asking for it costs a second parse, so only text fields with such values ask.
    raw = report.raw(where) if spec.type in _TEXT_TYPES and not isinstance(value, str) else None
    try:
        cleaned = (spec.checker or SCALAR_CHECKERS[spec.type])(value, raw)
    except ControlCharacter as exc:
        line, col = report.char_position(where, exc.char)
        report.add_at(line, col, f"{label}'{spec.name}' {exc}")
        return INVALID
    except ValueError as exc:
        expected = spec.expected or EXPECTED.get(spec.type, spec.type)
        report.add(where, f"{label}'{spec.name}' {_as_typed(exc, value, where, report)} (expected {expected})")
        return INVALID
    limit = spec.limit
    if limit and isinstance(cleaned, str) and len(cleaned) > limit:
        report.add(where, f"{label}'{spec.name}' has {len(cleaned):,} characters (expected at most {limit:,})")
        return INVALID
    return cleaned


def _as_typed(exc: ValueError, value: Any, where: tuple, report: Report) -> str:
    """The checker's message quoting the value as the file has it: `1e9`, not '1000000000.0';
    `true`, not 'True'; nothing written, not 'None'."""
    if value is None:
        return "is empty"
    message = str(exc)
    if isinstance(value, str):
        return message
    typed = report.raw(where)
    return message.replace(f"'{value}'", f"'{typed}'", 1) if typed else message


SOURCE_TEXT = Field("source", "text")


def _check_list(value: Any, where: tuple, spec: Field, report: Report, label: str) -> list | None:
    if not isinstance(value, list):
        report.add(where, f"{label}'{spec.name}' is a {type_name(value)} (expected a list)")
        return None
    if not value and spec.min_items:
        hint = f"; {spec.description}" if spec.description else ""
        report.add(where, f"{label}'{spec.name}' is an empty list (expected at least {spec.min_items} item(s){hint})")
        return None
    if len(value) < spec.min_items:
        report.add(where, f"{label}'{spec.name}' has {len(value)} item(s) (expected at least {spec.min_items})")
        return None
    return value


def _check_text_list(value: Any, where: tuple, spec: Field, report: Report, label: str) -> Any:
    items = _check_list(value, where, spec, report, label)
    if items is None:
        return INVALID
    item_spec = spec.item
    cleaned = [check_value(item, where + (i,), item_spec, report, label) for i, item in enumerate(items)]
    return INVALID if INVALID in cleaned else tuple(cleaned)


def _check_records(record_fields: tuple[Field, ...], what: str):
    def check(value: Any, where: tuple, spec: Field, report: Report, label: str) -> Any:
        items = _check_list(value, where, spec, report, label)
        if items is None:
            return INVALID
        cleaned = [
            check_mapping(item, where + (i,), record_fields, report, f"{label}{what} {i + 1}: ")
            for i, item in enumerate(items)
        ]
        return INVALID if None in cleaned else tuple(cleaned)

    return check


def _check_is_mapping(value: Any, where: tuple, spec: Field, report: Report, label: str) -> Any:
    """A nested mapping, kept as it is: its own keys are checked by whoever knows them."""
    if not isinstance(value, dict):
        expected = f"a mapping: {spec.description}" if spec.description else "a mapping"
        report.add(where, f"{label}'{spec.name}' is a {type_name(value)} (expected {expected})")
        return INVALID
    return value


def _check_source(value: Any, where: tuple, spec: Field, report: Report, label: str) -> Any:
    """A passage, a list of passages, or a list of {article, text}: all become (article or '', text)."""
    if isinstance(value, str) or not isinstance(value, list):
        value, where_items = [value], [where]
    else:
        if not value:
            report.add(where, f"{label}'source' is an empty list (expected at least one passage)")
            return INVALID
        where_items = [where + (i,) for i in range(len(value))]
    cleaned = []
    for item, item_where in zip(value, where_items, strict=False):
        if isinstance(item, dict):
            record = check_mapping(item, item_where, PASSAGE_FIELDS, report, f"{label}source passage: ")
            cleaned.append(INVALID if record is None else (record["article"], record["text"]))
        else:
            text = check_value(item, item_where, SOURCE_TEXT, report, label)
            cleaned.append(INVALID if text is INVALID else ("", text))
    return INVALID if INVALID in cleaned else tuple(cleaned)


def _none_invalid(value: Any) -> Any:
    return INVALID if value is None else value


_COMPOUND = {
    "text_list": _check_text_list,
    "tags": _check_text_list,
    "pairs": _check_records(PAIR_FIELDS, "pair"),
    "events": _check_records(EVENT_FIELDS, "item"),
    "source": _check_source,
    "list": lambda value, where, spec, report, label: _none_invalid(_check_list(value, where, spec, report, label)),
    "mapping": lambda value, where, spec, report, label: _check_is_mapping(value, where, spec, report, label),
}
