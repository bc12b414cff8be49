"""Find a `#` that silently cut an unquoted value short: `prompt: Who led it (see #3)?`.

YAML reads ` #` as the start of a comment even in the middle of a sentence,
so the prompt above becomes "Who led it (see". A cheap scan of the raw lines
finds the candidates; only files that have one are composed again, with
PyYAML, to confirm that the `#` follows a plain (unquoted) text value on its
line. Clean files stay as fast as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

from quizgen.load.yamlio import Loader, resolve_plain

# Text, white space, then `#`, on a line that is not itself a comment.
_CANDIDATE = re.compile(r"^[ \t]*[^ \t#\n].*?\S[ \t]+#", re.MULTILINE)


def trailing_comments(text: str) -> Iterator[tuple[int, int, str]]:
    """(line, column, message) for each comment that directly follows an unquoted text value."""
    candidates = _candidate_lines(text)
    if not candidates:
        return
    try:
        root = yaml.compose(text, Loader=Loader)
    except yaml.YAMLError:  # a file PyYAML refuses gets its own error elsewhere
        return
    lines = text.splitlines()
    for node in _plain_text_scalars(root):
        line = node.end_mark.line
        if line not in candidates or line >= len(lines):
            continue
        rest = lines[line][node.end_mark.column :]
        if rest.lstrip(" \t").startswith("#") and rest[:1] in (" ", "\t"):
            col = node.end_mark.column + len(rest) - len(rest.lstrip(" \t"))
            comment = lines[line][col:].rstrip()
            yield (
                line + 1,
                col + 1,
                f"'#' after text starts a YAML comment: the rest of the line ({comment}) "
                "is not part of the value; put the value in quotes",
            )


def _candidate_lines(text: str) -> set[int]:
    """The lines (from 0) where text is followed by white space and `#`. Only lines holding a `#` are
    tried: the pattern run over a whole 5 MB bank took 0.2 s, and most lines have none."""
    lines, line, counted_to = set(), 0, 0
    at = text.find("#")
    while at >= 0:
        line += text.count("\n", counted_to, at)
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        if _CANDIDATE.match(text, start, end):
            lines.add(line)
        counted_to = end  # the rest of this line holds no newline: count on from its end
        at = text.find("#", end)
    return lines


def _plain_text_scalars(node: yaml.Node | None) -> Iterator[yaml.ScalarNode]:
    """Every unquoted scalar read as text (not a number, boolean or null), keys excluded."""
    stack = [node] if node is not None else []
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:  # an alias; the loader refuses those, with its own error
            continue
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            stack.extend(value for _, value in current.value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif current.style in (None, "") and isinstance(resolve_plain(current.value), str):
            yield current
