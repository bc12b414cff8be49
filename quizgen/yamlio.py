"""Strict YAML loading that keeps the line and column of every value.

Banks are edited by hand, so the loader refuses what would silently lose or
invent content: duplicate keys, anchors and aliases (which also rules out
"billion laughs" expansion), non-standard tags such as `!!python/object`,
binary, non-UTF-8 and oversized files. It never constructs Python objects
from tags: it composes the node tree with the safe parser (libyaml's when
available, for speed) and converts the plain nodes itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 8 * 1024 * 1024  # a 10,000-question bank is about 5 MB

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_TRUE = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"}
_INT_PLAIN = re.compile(r"[-+]?[0-9]+")

Path_ = tuple  # a path into the document: keys and list indexes


class YamlProblem(Exception):
    """A file that cannot be read as a bank at all; carries its position."""

    def __init__(self, message: str, line: int = 1, col: int = 1):
        super().__init__(message)
        self.line = line
        self.col = col


@dataclass
class Document:
    """Plain data from a YAML file, with the position and raw text of each value."""

    data: Any
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    raw: dict[tuple, str] = field(default_factory=dict)

    def where(self, path: tuple) -> tuple[int, int]:
        """Line and column of the value at `path`, or of its nearest located parent."""
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def where_key(self, path: tuple) -> tuple[int, int]:
        """Line and column of the key that names the value at `path`."""
        return self.key_positions.get(path) or self.where(path)


def read_text(path: Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a content file as UTF-8 text, refusing oversized, binary and undecodable files."""
    size = path.stat().st_size
    if size > max_bytes:
        raise YamlProblem(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit for a content file")
    data = path.read_bytes()
    if b"\0" in data:
        raise YamlProblem("binary file: it contains NUL bytes (expected UTF-8 YAML text)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlProblem(
            f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded (save the file as UTF-8)", line, col
        ) from None


def parse(text: str) -> Document:
    """Parse one YAML document strictly into plain data with positions."""
    if not text.strip() or not _has_content(text):
        raise YamlProblem("empty file (expected a mapping)")
    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_problem(exc, text) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"YAML syntax error: {exc}") from None
    if node is None:
        raise YamlProblem("empty file (expected a mapping)")
    doc = Document(data=None)
    doc.data = _convert(node, (), doc, set())
    return doc


def load(path: Path) -> Document:
    """Read and parse a content file."""
    return parse(read_text(path))


def _has_content(text: str) -> bool:
    return any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines())


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    lines = text.splitlines()
    if "\t" in problem or (0 < line <= len(lines) and lines[line - 1][:col].count("\t")):
        return YamlProblem("YAML syntax error: tab character used for indentation (indent with spaces)", line, col)
    context = f" {exc.context}" if exc.context else ""
    return YamlProblem(f"YAML syntax error: {problem}{context}", line, col)


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _convert(node: yaml.Node, path: tuple, doc: Document, seen: set[int]) -> Any:
    # A node met twice is an alias: refuse it before expanding anything.
    if id(node) in seen:
        raise YamlProblem("anchors and aliases (&name / *name) are not allowed in content files", *_position(node))
    seen.add(id(node))
    doc.positions[path] = _position(node)
    if isinstance(node, yaml.MappingNode):
        return _convert_mapping(node, path, doc, seen)
    if isinstance(node, yaml.SequenceNode):
        _check_tag(node, _SEQ)
        return [_convert(item, path + (i,), doc, seen) for i, item in enumerate(node.value)]
    return _convert_scalar(node, path, doc)


def _convert_mapping(node: yaml.MappingNode, path: tuple, doc: Document, seen: set[int]) -> dict:
    _check_tag(node, _MAP)
    result: dict = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise YamlProblem("merge keys (<<) are not allowed in content files", *_position(key_node))
        if not isinstance(key_node, yaml.ScalarNode):
            raise YamlProblem("a mapping key must be plain text", *_position(key_node))
        key = key_node.value
        if key in result:
            first = doc.key_positions[path + (key,)]
            raise YamlProblem(f"duplicate key '{key}' (first defined on line {first[0]})", *_position(key_node))
        doc.key_positions[path + (key,)] = _position(key_node)
        result[key] = _convert(value_node, path + (key,), doc, seen)
    return result


def _check_tag(node: yaml.Node, expected: str) -> None:
    if node.tag != expected:
        raise YamlProblem(
            f"tag '{_short(node.tag)}' is not allowed in content files (plain YAML only)", *_position(node)
        )


def _convert_scalar(node: yaml.ScalarNode, path: tuple, doc: Document) -> Any:
    tag, value = node.tag, node.value
    if tag not in _SCALAR_TAGS:
        raise YamlProblem(f"tag '{_short(tag)}' is not allowed in content files (plain YAML only)", *_position(node))
    doc.raw[path] = value
    if tag == _STR:
        return value
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return value in _TRUE
    if tag == "tag:yaml.org,2002:int":
        return int(value.replace("_", ""), 0) if not _INT_PLAIN.fullmatch(value) else int(value)
    if tag == "tag:yaml.org,2002:float":
        return _to_float(value)
    return value  # timestamps stay as written: dates in banks are text


def _to_float(value: str) -> float:
    lowered = value.lower().replace("_", "")
    if lowered in {".inf", "+.inf"}:
        return float("inf")
    if lowered == "-.inf":
        return float("-inf")
    if lowered == ".nan":
        return float("nan")
    return float(lowered)


def _short(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")
