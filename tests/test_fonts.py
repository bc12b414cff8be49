"""Every script a course may use is drawn in our PDFs, and what no font can draw is named."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from quizgen.check.fonts import NO_FONTCONFIG, font_warnings, installed_coverage, parse_charsets, undrawable
from quizgen.render.pdf import html_to_pdf
from quizgen.render.templates import make_env, render

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = {
    "Chinese": "中华人民共和国",
    "Russian": "Российская Федерация",
    "Korean": "대한민국",
    "Arabic": "العربية",
    "Devanagari": "हिन्दी",
    "Thai": "ภาษาไทย",
    "Emoji": "😀",
}


def test_charsets_parse_into_merged_ranges():
    coverage = parse_charsets("20-7e 41 a0-17f\n400-45f 4e2d\n")
    assert [coverage.covers(c) for c in "A\x7f¡ж中丁"] == [True, False, True, True, True, False]


def test_every_script_a_course_may_use_has_an_installed_font():
    assert undrawable(" ".join(SCRIPTS.values()) + " ж 中 한 ع") == []


def test_a_character_no_font_has_is_named_with_its_code_point():
    assert undrawable("a\U0010fffd b\ue000\U0010fffd\n") == ["\U0010fffd", "\ue000"]
    warnings = list(font_warnings([("ok ж 中 한 ع", ("bank.yaml", 3)), ("x \U0010fffd", ("bank.yaml", 7))]))
    assert warnings == [
        (
            ("bank.yaml", 7),
            "no installed font can draw '\U0010fffd' (U+10FFFD): it would print as a blank in PDFs"
            " (install a font that covers it, see docs/fonts.md)",
        )
    ]


def test_a_named_character_is_described_by_its_unicode_name():
    runic = parse_charsets("20-7e")  # a coverage without runes, as on a machine without fonts-noto-core
    assert list(font_warnings([("ᚠ", "here")], runic)) == [
        (
            "here",
            "no installed font can draw 'ᚠ' (U+16A0 RUNIC LETTER FEHU FEOH FE F): it would print as a blank in PDFs"
            " (install a font that covers it, see docs/fonts.md)",
        )
    ]


def test_blanks_controls_and_joiners_need_no_glyph():
    assert undrawable("\t\n \u00a0\u200d\u200e\x07", parse_charsets("41")) == []


def test_without_fontconfig_the_check_says_so_once():
    code = (
        "from quizgen.check.fonts import font_warnings, undrawable\n"
        "print(list(font_warnings([('\\U0010fffd', 1), ('x', 2)])), undrawable('\\U0010fffd'))"
    )
    env = {**os.environ, "PATH": "/nonexistent", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.stdout.strip() == f"[(None, {NO_FONTCONFIG!r})] []"


def embedded_fonts(html: str) -> set[str]:
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(html_to_pdf(html, [ROOT / "templates"])))
    return {
        str(f.get_object()["/BaseFont"]).split("+")[-1] for p in pdf.pages for f in p["/Resources"]["/Font"].values()
    }


@pytest.mark.pdf
def test_digits_stay_in_the_latin_fonts():
    # Naming Noto Color Emoji in the CSS made Pango draw "1." and page numbers with it.
    assert embedded_fonts(script_page({"Numbers": "1. 12 of 3"})) == {
        "Liberation-Serif",
        "Liberation-Serif-Bold",
        "Liberation-Sans",
        "Liberation-Sans-Bold",
    }


def script_page(scripts: dict[str, str] = SCRIPTS) -> str:
    rows = "".join(
        f'<div class="question"><span class="q-num">{i}.</span><p class="prompt">{name}: {text}</p></div>'
        for i, (name, text) in enumerate(scripts.items(), 1)
    )
    # print.css is a template (its page footer comes from the catalogue): rendered, then inlined as base.html does.
    css = render(make_env(), "print.css")
    return f"<html><head><style>{css}</style></head><body><h1>Scripts</h1>{rows}</body></html>"


@pytest.mark.pdf
def test_a_page_in_every_script_embeds_noto_fonts_and_its_text_extracts_back():
    from pypdf import PdfReader

    fonts = embedded_fonts(script_page())
    pdf = PdfReader(io.BytesIO(html_to_pdf(script_page(), [ROOT / "templates"])))
    assert {"Noto-Serif-CJK-SC", "Noto-Sans-Arabic", "Noto-Serif-Devanagari", "Noto-Serif-Thai"} <= fonts, fonts
    assert "Noto-Color-Emoji" in fonts, fonts
    text = "".join(page.extract_text() for page in pdf.pages)
    for name in ("Chinese", "Russian", "Korean", "Thai", "Emoji"):
        assert SCRIPTS[name] in text, (name, text)


def test_the_coverage_is_read_once():
    assert installed_coverage() is installed_coverage()
