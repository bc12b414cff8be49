"""Strict YAML loading that keeps the line and column of every value.

Banks are edited by hand, so the loader refuses what would silently lose or
invent content: duplicate keys, anchors and aliases (which also rules out
"billion laughs" expansion), non-standard tags such as `!!python/object`,
binary, non-UTF-8 and oversized files. It never constructs Python objects
from tags: it composes the node tree with the safe parser (libyaml's when
available, for speed) and converts the plain nodes itself.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from quizgen.load.files import UnsafeFile, read_inside

MAX_FILE_BYTES = 8 * 1024 * 1024  # a 10,000-question bank is about 5 MB
# Banks nest about 6 levels. Deeper text is refused before any parser recurses into it: yaml-rs
# overflows its stack (a segfault, no message) somewhere past 10,000 levels of `- - - x`.
MAX_DEPTH = 64
DEPTH_MESSAGE = f"YAML nested more than {MAX_DEPTH} levels deep (content files need a handful)"

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
_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9][0-9_]*|0x[0-9a-fA-F_]+|0o[0-7_]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?")
_SPECIAL_FLOAT = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}
# Anything that may be a tag indicator (even inside quotes: the test is coarse) sends the file to
# the precise parser, which refuses real tags and reads the rest as the fast one would.
_TAG_START = "!"
# yaml-rs reads a merge key `<<:` as a plain key; the precise parser refuses it where it stands.
_MERGE_START, _MERGE_REST = "<<", re.compile(r"<<\s*:")


def _starts_token(text: str, token: str, rest: re.Pattern | None = None) -> bool:
    """Whether `token` (and `rest`, matched where it stands) begins a token: at a line's start, or after white
    space, `[`, `{` or `,`. A find loop, not a regular expression: an alternation tried at every position
    took 0.14 s on a 5 MB bank, and these characters are rare."""
    at = text.find(token)
    while at >= 0:
        if (at == 0 or text[at - 1].isspace() or text[at - 1] in "[{,") and (rest is None or rest.match(text, at)):
            return True
        at = text.find(token, at + 1)
    return False


class YamlProblem(Exception):
    """A file that cannot be read as a bank at all; carries its position."""

    def __init__(self, message: str, line: int = 1, col: int = 1):
        super().__init__(message)
        self.line = line
        self.col = col


class Document:
    """Plain data from a YAML file, with the position and raw text of each value (found on demand)."""

    def __init__(self, data: Any, text: str, located: _Located | None = None):
        self.data = data
        self._text = text
        if located is not None:
            self.__dict__["located"] = located

    @property
    def text(self) -> str:
        """The YAML text the data was parsed from."""
        return self._text

    @cached_property
    def located(self) -> _Located:
        try:
            return _compose(self._text)[1]
        except YamlProblem:  # the fast parser accepted what PyYAML refuses: no positions to give
            return _Located()

    @property
    def raw(self) -> dict[tuple, str]:
        return self.located.raw

    def where(self, path: tuple) -> tuple[int, int]:
        """Line and column of the value at `path`, or of its nearest located parent."""
        positions = self.located.positions
        while path:
            if path in positions:
                return positions[path]
            path = path[:-1]
        return positions.get((), (1, 1))

    def where_key(self, path: tuple) -> tuple[int, int]:
        """Line and column of the key that names the value at `path`."""
        return self.located.key_positions.get(path) or self.where(path)


@dataclass
class _Located:
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    raw: dict[tuple, str] = field(default_factory=dict)


def read_text(path: Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a content file as UTF-8 text, refusing oversized, binary and undecodable files, and what is
    not a regular file inside the file's folder (a shared folder's symlink to /etc/passwd, /dev/zero or
    a FIFO: read as is, the last two never ended)."""
    size = path.stat().st_size
    if size > max_bytes:
        raise YamlProblem(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit for a content file")
    try:
        data = read_inside(path, path.parent, max_bytes=max_bytes, what="content file")
    except UnsafeFile as exc:
        raise YamlProblem(str(exc).removeprefix(f"{path}: ")) from None
    if b"\0" in data:
        raise YamlProblem("binary file: it contains NUL bytes (expected UTF-8 YAML text)")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")  # the byte-order mark Windows editors save
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlProblem(
            f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded (save the file as UTF-8)", line, col
        ) from None


def parse(text: str) -> Document:
    """Parse one YAML document strictly into plain data; positions are found when first asked for."""
    text = text.removeprefix("\ufeff")  # a byte-order mark, from any path (files and old versions alike)
    if not _has_content(text):
        raise YamlProblem("empty file (expected a mapping)")
    if "\0" in text:  # old versions from git skip read_text; yaml-rs would read past a NUL
        raise YamlProblem(
            "binary file: it contains NUL bytes (expected UTF-8 YAML text)", *line_col(text, text.index("\0"))
        )
    check_depth(text)
    data, refusal = _fast_load(text)
    if data is _REFUSED:
        data, located = _compose(text, refusal)
        return Document(data, text, located)
    if data is None:
        raise YamlProblem("empty file (expected a mapping)")
    return Document(data, text)


_REFUSED = object()
# Where yaml-rs and PyYAML were found to disagree (tests/test_yaml_parsers.py): yaml-rs reads
# `0b101`, `0O17`, `0X1F` and `_1` as numbers (YAML 1.2 keeps them text), a block scalar of blank lines as "\n"
# (it is "") and adds a final newline the file lacks, accepts `:` with no key before it and control characters PyYAML refuses. Files with
# any of these take the precise path. Each test is a substring search or a rare-match loop: the
# fast path must stay fast on a 5 MB bank.
# (and the line breaks only PyYAML knows: NEL, U+2028, U+2029)
_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# A quick screen for those characters. The four odd ones are looked for in the text (a string of
# narrower characters answers at once); then in the UTF-8 bytes, where a C0 control or DEL is one byte
# (never part of a longer character) and a C1 control starts with \xc2; a lone surrogate does not
# encode. A few C-speed passes instead of a character-class search of 30 ms on a 5 MB bank.
_ALL_BUT_C0_AND_DEL = bytes(b for b in range(256) if b >= 0x20 and b != 0x7F or b in b"\t\n\r")
_C1_CONTROL = re.compile(rb"\xc2[\x80-\x9f]")


def surely_printable(text: str) -> bool:
    """True when the text has none of the characters of _NON_PRINTABLE; False when it may (search then)."""
    if any(odd in text for odd in "\u2028\u2029\ufffe\uffff"):
        return False
    try:
        data = text.encode()
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return not data.translate(None, _ALL_BUT_C0_AND_DEL) and not (b"\xc2" in data and _C1_CONTROL.search(data))


_BLOCK_HEADER = re.compile(r"(?:^|[\s:?-])[|>][-+0-9]*[ \t]*(?:#.*)?$")  # `| ` or `>-` ending a line
_SPACES_THEN_TAB = re.compile(r"^[ ?:-]*\t", re.MULTILINE)  # a tab among a line's indentation and indicators
_BLANK_LINE = re.compile(r"\n[ \t]*(?=\n|$)")
# `[ :`, `{ ?`, `, :` (a bare key or value in a flow collection), or `]:` (a collection as key). One
# pattern per opening character: each starts with a literal the regex engine finds fast, where one
# pattern starting with a character class took 0.14 s on a 5 MB bank.
_BARE_IN_FLOW = tuple(
    [re.compile(re.escape(c) + r"[ \t\n]*[?:](?=[\s,\]}]|$)") for c in "[{,"]
    + [re.compile(re.escape(c) + r"[ \t]*:(?=[\s,\]}]|$)") for c in "]}"]
)
_OCT, _HEX = "01234567_", "0123456789abcdefABCDEF_"
# (start, what may follow it, whether only a signed one is risky: yaml-rs reads `-0o7`, YAML 1.2 does not)
_NUMBER_STARTS = [
    ("_", "0123456789_", False),
    ("0b", "01_", False),
    ("0B", "01_", False),
    ("0O", _OCT, False),
    ("0X", _HEX, False),
    ("0o", _OCT, True),
    ("0x", _HEX, True),
]


def _risky_for_yaml_rs(text: str) -> bool:
    return (
        "\n\t" in text  # a line led by a tab: PyYAML refuses some that yaml-rs reads as text
        or text.startswith("\t")
        # a tab among the spaces and `- ` indicators that lead a line: libyaml refuses it in a block scalar
        # ("a tab where an indentation space is expected") and after `- `; yaml-rs reads it as text
        or ("\t" in text and bool(_SPACES_THEN_TAB.search(text)))
        or _risky_number(text)
        or _risky_underscore(text)
        or _blank_block_scalar(text)
        or (("[" in text or "{" in text) and any(pattern.search(text) for pattern in _BARE_IN_FLOW))
        or not surely_printable(text)
        and bool(_NON_PRINTABLE.search(text))
    )


def _risky_number(text: str) -> bool:
    """A plain scalar starting `_1`, `0b1`, `0O7`, `0X1` or `-0x1` (signs optional unless marked)."""
    for start, follows, signed_only in _NUMBER_STARTS:
        # A literal-led search finds the candidates in C: `_` alone is in every `multiple_choice`.
        for found in _number_start(start, follows).finditer(text):
            at = found.start()
            signed = at > 0 and text[at - 1] in "+-"
            before = at - 1 if signed else at
            opens = before == 0 or text[before - 1] in " \t\n[{,:"
            if opens and (signed or not signed_only):
                return True
    return False


_TOKEN_ENDS, _NUMBER_LEADS = " \t\n[]{},:#", tuple("0123456789.")


def _risky_underscore(text: str) -> bool:
    """A `_` in a number-like token with an exponent or a leading dot (`1e1_0`, `1e_1`, `.5_`): yaml-rs drops it
    and reads a number, where the precise parser keeps the text (it allows `_` only in the digits before `e`)."""
    at = text.find("_")
    while at >= 0:
        if at > 0 and text[at - 1] in "0123456789_eE+-.":
            start = at
            while start > 0 and text[start - 1] not in _TOKEN_ENDS:
                start -= 1
            end = at
            while end < len(text) and text[end] not in _TOKEN_ENDS:
                end += 1
            token = text[start:end].lstrip("+-")
            if token[:1] in _NUMBER_LEADS and ("e" in token or "E" in token or token.startswith(".")):
                return True
        at = text.find("_", at + 1)
    return False


@functools.cache
def _number_start(start: str, follows: str) -> re.Pattern:
    return re.compile(re.escape(start) + "[" + re.escape(follows) + "]")


def _blank_block_scalar(text: str) -> bool:
    """A block scalar (| or >) whose first line is blank, or one that may end the file without a newline."""
    if "|" not in text and ">" not in text:
        return False
    if not text.endswith("\n"):  # yaml-rs adds the missing final newline, PyYAML does not
        return True
    for blank in _BLANK_LINE.finditer(text):
        line_start = text.rfind("\n", 0, blank.start()) + 1
        line = text[line_start : blank.start()].rstrip()
        if _BLOCK_HEADER.search(line):
            return True
    return False


_FAST_POSITION = re.compile(r"at line (\d+), column (\d+)")


def _fast_load(text: str) -> tuple[Any, str]:
    """(the data, "") or (_REFUSED, yaml-rs's reason or "") when the fast parser is missing or declines."""
    try:
        import yaml_rs
    except ImportError:
        return _REFUSED, ""
    if (
        _starts_token(text, _TAG_START)
        or _starts_token(text, _MERGE_START, _MERGE_REST)
        or _BARE_VALUE.search("\n" + text)
        or _risky_for_yaml_rs(text)
    ):
        return _REFUSED, ""
    try:
        data = yaml_rs.loads(
            text,
            parse_datetime=False,
            alias_limits=yaml_rs.AliasLimits(max_total_replayed_events=0),
            duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error,
        )
    except (yaml_rs.YAMLDecodeError, RecursionError) as exc:
        return _REFUSED, str(exc)
    return data, ""


def _compose(text: str, fast_error: str = "") -> tuple[Any, _Located]:
    """PyYAML's composer: slower, but every value gets its line and column."""
    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_problem(exc, text) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"YAML syntax error: {exc}") from None
    except RecursionError:  # PyYAML's pure-Python composer recurses per level; check_depth should stop this first
        raise YamlProblem(DEPTH_MESSAGE) from None
    if node is None:
        raise YamlProblem("empty file (expected a mapping)")
    located = _Located()
    data = _convert(node, (), located, set())
    if fast_error:  # PyYAML accepts what yaml-rs refuses: report yaml-rs's reason, at its place
        raise _fast_problem(fast_error)
    return data, located


def _fast_problem(message: str) -> YamlProblem:
    match = _FAST_POSITION.search(message)
    reason = [line for line in message.splitlines() if line.strip()][-1].strip()
    line, col = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
    return YamlProblem(f"YAML syntax error: {reason}", line, col)


def load(path: Path) -> Document:
    """Read and parse a content file."""
    return parse(read_text(path))


_CONTENT_LINE = re.compile(r"^[ \t]*[^\s#]", re.MULTILINE)


def _has_content(text: str) -> bool:
    """A line that is neither blank nor a comment (a line found by the search is one of those)."""
    if _CONTENT_LINE.search(text):
        return True
    return bool(text.strip()) and any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines())


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


def _convert(node: yaml.Node, path: tuple, doc: _Located, seen: set[int]) -> Any:
    # A node met twice is an alias: refuse it before expanding anything.
    if id(node) in seen:
        raise YamlProblem("anchors and aliases (&name / *name) are not allowed in content files", *_position(node))
    seen.add(id(node))
    if len(path) >= MAX_DEPTH and not isinstance(node, yaml.ScalarNode):  # in case check_depth was fooled:
        raise YamlProblem(DEPTH_MESSAGE, *_position(node))  # never recurse towards Python's limit
    doc.positions[path] = _position(node)
    if isinstance(node, yaml.MappingNode):
        return _convert_mapping(node, path, doc, seen)
    if isinstance(node, yaml.SequenceNode):
        _check_tag(node, _SEQ)
        return [_convert(item, path + (i,), doc, seen) for i, item in enumerate(node.value)]
    return _convert_scalar(node, path, doc)


def _convert_mapping(node: yaml.MappingNode, path: tuple, doc: _Located, seen: set[int]) -> dict:
    _check_tag(node, _MAP)
    result: dict = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise YamlProblem("merge keys (<<) are not allowed in content files", *_position(key_node))
        if not isinstance(key_node, yaml.ScalarNode):
            raise YamlProblem("a mapping key must be plain text", *_position(key_node))
        # A plain key is resolved like a plain value (`1: x` has the key 1), as yaml-rs reads it.
        key = resolve_plain(key_node.value) if key_node.style in (None, "") else key_node.value
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


def _convert_scalar(node: yaml.ScalarNode, path: tuple, doc: _Located) -> Any:
    tag, value = node.tag, node.value
    if tag not in _SCALAR_TAGS:
        raise YamlProblem(f"tag '{_short(tag)}' is not allowed in content files (plain YAML only)", *_position(node))
    doc.raw[path] = value
    plain = node.style in (None, "")  # libyaml's composer marks a plain scalar '', PyYAML's None
    return resolve_plain(value) if plain else value


def resolve_plain(value: str) -> Any:
    """An unquoted scalar by the YAML 1.2 core schema (what yaml-rs does too)."""
    if _NULL.fullmatch(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    try:
        if _INT.fullmatch(value):
            return int(value.replace("_", ""), 0) if value[:2] in ("0x", "0o") else int(value.replace("_", ""))
        if value.lower() in _SPECIAL_FLOAT:
            return _SPECIAL_FLOAT[value.lower()]
        if _FLOAT.fullmatch(value):
            return float(value.replace("_", ""))
    except ValueError:  # "0x_" fits the patterns but is no number: it stays text, as yaml-rs reads it
        pass
    return value


def _short(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


# --- The nesting bound: one linear pass over the text, no parser involved. ---
# A block collection nested in another starts on a new, deeper-indented line, or compactly after
# `- `, `? ` or `: ` on the same line; a flow collection opens with `[` or `{`. The scan counts
# those, so it can over-count (a multi-line plain scalar whose lines look like list items) but a
# real nesting level never goes uncounted.

_INDICATOR = re.compile(r"[-?:](?=[ \t]|$)[ \t]*", re.MULTILINE)
_KEY = re.compile(
    # quoted keys may have blanks before the colon; a plain key's blanks are in its lazy run (a
    # `[ \t]*` there would make a long line of blanks quadratic)
    r"""(?:"(?:[^"\\\n]|\\.)*"[ \t]*|'(?:[^'\n]|'')*'[ \t]*|[^\s"'#\[\]{}](?:[^:\n]|:(?=\S))*?):(?=[ \t]|$)[ \t]*""",
    re.MULTILINE,
)
_PROPERTIES = re.compile(r"(?:[&!][^\s]*[ \t]+)*")  # an anchor or tag before a value
_BLOCK_SCALAR = re.compile(r"[|>][-+0-9]*[ \t]*(?:#[^\n]*)?(?=\n|$)")
_QUOTED = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^']|'')*'""", re.DOTALL)
_FLOW_TOKEN = re.compile(r"""[\[\]{}]|(?<![^\s\[{,:])(?:"(?:[^"\\]|\\.)*"?|'(?:[^']|'')*'?)|(?<=\s)#[^\n]*""")


def check_depth(text: str, limit: int = MAX_DEPTH) -> None:
    """Refuse text nested deeper than `limit`, at the line where it gets there, without parsing it."""
    if _quick_bound(text, limit) <= limit:
        return
    _exact_depth(text, limit)


_CHAINS = re.compile(r"\n( *[-?:][ \t]+(?:[-?:][ \t]+)*)")  # a line opening with `- `, `? ` or `: `
# `? key` or `:` with no key before it: explicit keys, which yaml-rs lets be collections
_BARE_VALUE = re.compile(r"\n *(?:-[ \t]+)*[?:](?:[ \t]|\n|$)")
_CHAIN_ITEM = re.compile(r"[-?:][ \t]+")
_FLOW_BRACKETS, _BLANKS = "[{", " \t\n"


def _quick_bound(text: str, limit: int) -> int:
    """An upper bound on the depth `_exact_depth` finds, from a few C-speed passes (banks stay far below).

    The exact scan's stack holds entries of non-decreasing columns, at most two per column (a
    key, then a sequence as its value), so twice the number of columns an entry can start at
    bounds its block depth; the deepest single flow collection bounds what flow adds on top.
    """
    text = "\n" + text
    columns = set(range(_max_indent(text) + 1))
    for chain in set(_CHAINS.findall(text)):
        if len(chain) > 2 * limit:
            return limit + 1
        column = len(chain) - len(chain.lstrip(" "))
        columns.update(column + item.end() for item in _CHAIN_ITEM.finditer(chain, column))
        if len(columns) > limit:
            return limit + 1
    return 2 * len(columns) + _deepest_flow(text, limit)


def _max_indent(text: str) -> int:
    """The widest run of spaces after a newline, by doubling then bisecting substring searches."""
    width = 1
    while "\n" + " " * width in text:
        width *= 2
    present, absent = width // 2, width
    while absent - present > 1:
        middle = (present + absent) // 2
        present, absent = (middle, absent) if "\n" + " " * middle in text else (present, middle)
    return present


def _deepest_flow(text: str, limit: int) -> int:
    """The deepest flow collection: one may open at any `[` or `{` after a blank (or a newline)."""
    deepest, scanned_to = 0, 0
    for start in _flow_starts(text):
        if start < scanned_to:  # inside a flow collection already measured
            continue
        depth, scanned_to = _flow_depth(text, start, limit)
        deepest = max(deepest, depth)
        if deepest > limit:
            break
    return deepest


def _flow_starts(text: str) -> list[int]:
    """Where a `[` or `{` follows a blank, in order. Substring searches for the brackets (rare in banks), then
    a look at the character before: a regular expression led by a character class took 60 ms on 5 MB."""
    starts = []
    for bracket in _FLOW_BRACKETS:
        at = text.find(bracket)
        while at >= 0:
            if at > 0 and text[at - 1] in _BLANKS:
                starts.append(at)
            at = text.find(bracket, at + 1)
    return sorted(starts)


def _flow_depth(text: str, at: int, limit: int) -> tuple[int, int]:
    """The deepest `[`/`{` level (up to just past `limit`) of the flow collection at `at`, and where it closes."""
    depth = deepest = 0
    for token in _FLOW_TOKEN.finditer(text, at):
        char = token.group()[0]
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest, token.end()
        elif char in "]}":
            depth -= 1
            if depth <= 0:
                return deepest, token.end()
    return deepest, len(text)


def _exact_depth(text: str, limit: int) -> None:
    """Follow the nesting line by line and raise at the first place it passes `limit`."""
    stack: list[tuple[int, str]] = []  # (column, "-" for a sequence entry or "k" for a mapping key)
    pos, end, skip_deeper_than = 0, len(text), None
    while pos < end:
        eol = text.find("\n", pos)
        eol = end if eol < 0 else eol
        indent = _indent(text, pos, eol)
        start = pos + indent
        if start == eol or text[start] == "#" or (skip_deeper_than is not None and indent > skip_deeper_than):
            pos = eol + 1  # a blank line, a comment, or a line of a block scalar (| or >)
            continue
        skip_deeper_than = None
        pos = _scan_line(text, start, indent, stack, limit)
        if isinstance(pos, tuple):  # the line ends in a block scalar owned by the given column
            pos, skip_deeper_than = pos


_SPACES = re.compile(r" *")


def _indent(text: str, start: int, eol: int) -> int:
    return min(_SPACES.match(text, start).end(), eol) - start


def _scan_line(text: str, start: int, indent: int, stack: list, limit: int):
    """Push this line's nesting onto `stack`; return where the next line starts (and a block-scalar owner)."""
    line_start = start - indent
    at = start
    first = True
    while True:
        column = at - line_start
        indicator = _INDICATOR.match(text, at)
        key = None if indicator else _KEY.match(text, at)
        if not (indicator or key):
            break
        kind = "-" if indicator and text[at] == "-" else "k"
        if first:  # a new line at `column` closes what is deeper, and siblings at the same column
            while stack and (
                stack[-1][0] > column or (stack[-1][0] == column and (kind == "k" or stack[-1][1] == "-"))
            ):
                stack.pop()
            first = False
        stack.append((column, kind))
        if len(stack) > limit:
            raise YamlProblem(DEPTH_MESSAGE, _line_of(text, at), column + 1)
        at = (indicator or key).end()
        if key:
            break
    if first:  # no structure on this line: it only ends what was deeper
        while stack and stack[-1][0] > indent:
            stack.pop()
    at = _PROPERTIES.match(text, at).end()
    eol = text.find("\n", at)
    eol = len(text) if eol < 0 else eol
    if at < eol and text[at] in "[{":
        return _scan_flow(text, at, len(stack), limit)
    if at < eol and text[at] in "\"'":
        quoted = _QUOTED.match(text, at)
        if quoted and quoted.end() > eol:  # a quoted scalar over several lines: its lines are not structure
            after = text.find("\n", quoted.end())
            return len(text) if after < 0 else after + 1
    if _BLOCK_SCALAR.match(text, at):
        owner = stack[-1][0] if stack else -1
        return eol + 1, owner
    return eol + 1


def _scan_flow(text: str, at: int, block_depth: int, limit: int) -> int:
    """Count `[`/`{` levels from `at` until the flow collection closes; return the next line's start."""
    depth = 0
    for token in _FLOW_TOKEN.finditer(text, at):
        char = token.group()[0]
        if char in "[{":
            depth += 1
            if block_depth + depth > limit:
                where = token.start()
                return_line = _line_of(text, where)
                raise YamlProblem(DEPTH_MESSAGE, return_line, where - (text.rfind("\n", 0, where) + 1) + 1)
        elif char in "]}":
            depth -= 1
            if depth <= 0:
                after = text.find("\n", token.end())
                return len(text) if after < 0 else after + 1
    return len(text)


def line_col(text: str, pos: int) -> tuple[int, int]:
    """(line, column) of a character offset in a text, both from 1."""
    return _line_of(text, pos), pos - (text.rfind("\n", 0, pos) + 1) + 1


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1
