"""Characters no installed font can draw: WeasyPrint prints them as blanks, with no box and no warning.

The coverage is fontconfig's view of the installed fonts (the fonts WeasyPrint can fall back
to), read once from one `fc-list` call run from `/`, never from a content folder.
"""

from __future__ import annotations

import bisect
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache

HELP = "install a font that covers it, see docs/fonts.md"
NO_FONTCONFIG = "fontconfig's fc-list is not installed, so no character was checked for a font (see docs/fonts.md)"


class Coverage:
    """Code point ranges some installed font covers, merged and sorted for bisection."""

    def __init__(self, ranges: list[tuple[int, int]]):
        merged: list[list[int]] = []
        for low, high in sorted(ranges):
            if merged and low <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], high)
            else:
                merged.append([low, high])
        self.lows = [low for low, _ in merged]
        self.highs = [high for _, high in merged]

    def covers(self, char: str) -> bool:
        point = ord(char)
        at = bisect.bisect_right(self.lows, point) - 1
        return at >= 0 and point <= self.highs[at]


def parse_charsets(output: str) -> Coverage:
    """Coverage from `fc-list --format '%{charset}\\n'` output: hex code points and ranges (`20-7e`)."""
    ranges = []
    for item in output.split():
        low, _, high = item.partition("-")
        ranges.append((int(low, 16), int(high or low, 16)))
    return Coverage(ranges)


@cache
def installed_coverage() -> Coverage | None:
    """What the installed fonts cover, or None when fontconfig is missing."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    result = subprocess.run(
        [fc_list, "--format", "%{charset}\n"], capture_output=True, text=True, cwd="/", timeout=60, check=False
    )
    if result.returncode != 0:
        return None
    return parse_charsets(result.stdout)


def _needs_a_glyph(char: str) -> bool:
    # Blanks, controls and format characters (zero-width joiners, marks of direction) draw nothing.
    return not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf")


def undrawable(text: str, coverage: Coverage | None = None) -> list[str]:
    """The distinct characters of `text`, in order of first use, that no installed font can draw."""
    coverage = coverage or installed_coverage()
    if coverage is None:
        return []
    return [char for char in dict.fromkeys(text) if _needs_a_glyph(char) and not coverage.covers(char)]


def describe(char: str) -> str:
    """`'ᚠ' (U+16A0 RUNIC LETTER FEHU)`; a character without a name is named by its code point only."""
    name = unicodedata.name(char, "")
    return f"'{char}' (U+{ord(char):04X}{' ' + name if name else ''})"


def font_warnings(
    texts: Iterable[tuple[str, object]], coverage: Coverage | None = None
) -> Iterator[tuple[object, str]]:
    """(where, message) for each character no installed font can draw, once per character and place.

    Without fontconfig it yields one warning (where None) that nothing was checked.
    """
    coverage = coverage or installed_coverage()
    if coverage is None:
        yield None, NO_FONTCONFIG
        return
    for text, where in texts:
        for char in undrawable(text, coverage):
            yield where, f"no installed font can draw {describe(char)}: it would print as a blank in PDFs ({HELP})"
