"""Attack pass on what a teacher feeds quizgen: course settings, catalogues, template folders and
quiz definitions that are broken or odd, each refused with a located message (or accepted)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import DATA, SOURCES, VALID

from quizgen.errors import TemplateError
from quizgen.load.content import load_content
from quizgen.load.settings import load_settings
from quizgen.pipeline import Source
from quizgen.pipeline import validate as validate_pipeline
from quizgen.render.templates import TEMPLATES_DIR, make_env, render


def settings_issues(tmp_path: Path, text: str) -> tuple[object, list[tuple[int, int, str]]]:
    """The settings read from `text` as content/quizgen.yaml, and its issues as (line, col, message)."""
    (tmp_path / "quizgen.yaml").write_text(text, encoding="utf-8")
    issues = []
    settings = load_settings(tmp_path, issues)
    return settings, [(i.line, i.col, i.message) for i in issues]


def test_a_typo_in_one_settings_key_keeps_the_other_settings(tmp_path):
    text = "course: Geography\ndeck:\n  nam: Geo deck\n  file: geo.apkg\npapr: Letter\nsources: ../articles\n"
    settings, issues = settings_issues(tmp_path, text)
    assert issues == [
        (5, 1, "unknown key 'papr' (did you mean 'paper'?)"),
        (3, 3, "deck: unknown key 'nam' (did you mean 'name'?)"),
    ]
    assert (settings.course, settings.deck_file, settings.sources) == ("Geography", "geo.apkg", "../articles")


def test_settings_that_are_not_a_mapping_name_the_keys_they_may_have(tmp_path):
    _, issues = settings_issues(tmp_path, "- course\n")
    assert issues == [
        (1, 1, "course settings: is a list (expected a mapping of course, deck, language, paper, sources)")
    ]


def test_every_top_level_problem_of_a_quiz_definition_is_reported_at_once(content_with):
    content_dir = content_with(VALID / "banks" / "sample.yaml")
    (content_dir / "quizzes").mkdir()
    shutil.copy(DATA / "quizzes-invalid" / "several-top-level-errors.yaml", content_dir / "quizzes")
    validation = validate_pipeline(Source(content_dir, SOURCES))
    assert [(Path(i.path).name, i.line, i.col, i.message) for i in validation.issues] == [
        ("several-top-level-errors.yaml", 1, 1, "missing required key 'title' (the title printed on the handout)"),
        ("several-top-level-errors.yaml", 2, 1, "unknown key 'titel' (did you mean 'title'?)"),
        ("several-top-level-errors.yaml", 3, 7, "'seed' 1.5 is not a whole number of at least 0"),
        (
            "several-top-level-errors.yaml",
            4,
            11,
            "'versions' 0 is out of range (expected a whole number of at least 1)",
        ),
        ("several-top-level-errors.yaml", 5, 8, "'paper' is 'A5' (expected A4 or Letter)"),
    ]


def test_an_empty_article_text_is_one_error_at_its_file_value_not_one_per_passage(content_with, tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    (sources / "000_650b964cab84bf9c.txt").write_text("\n  \n", encoding="utf-8")  # ni-2002, quoted by sample
    validation = load_content(content_with(VALID / "banks" / "sample.yaml"), sources)
    assert [(Path(i.path).name, i.line, i.col, i.message) for i in validation.issues] == [
        (
            "articles.yaml",
            8,
            11,
            f"article 'ni-2002': {sources / '000_650b964cab84bf9c.txt'}: the article text is empty "
            "(expected the article's text)",
        )
    ]


def test_each_tag_that_is_not_a_name_with_a_text_is_located(content_with):
    content_dir = content_with(VALID / "banks" / "sample.yaml")
    (content_dir / "tags.yaml").write_text(
        "tags:\n  trade: 12\n  energy: [oil, gas]\n  12: a number\n", encoding="utf-8"
    )
    validation = load_content(content_dir, SOURCES)
    assert [(Path(i.path).name, i.line, i.col, i.message) for i in validation.issues] == [
        ("tags.yaml", 2, 10, "tag 'trade': the description is a number (expected text)"),
        ("tags.yaml", 3, 11, "tag 'energy': the description is a list (expected text)"),
        ("tags.yaml", 4, 3, "tag '12' is a number (expected a tag name)"),
    ]


def test_a_sources_directory_that_is_not_there_is_reported_where_quizgen_yaml_names_it(content_with):
    content_dir = content_with(VALID / "banks" / "sample.yaml")
    (content_dir / "quizgen.yaml").write_text("course: Geography\nsources:  ../no-such-folder\n", encoding="utf-8")
    validation = load_content(content_dir)
    assert [(Path(i.path).name, i.line, i.col, i.message) for i in validation.issues] == [
        (
            "quizgen.yaml",
            2,
            11,
            f"sources directory {(content_dir / '../no-such-folder').resolve()} not found: source passages cannot be "
            "checked (give --sources DIR, or --no-source-check to go on without the check)",
        )
    ]


def test_a_bidirectional_override_in_a_bank_text_is_refused_where_it_stands(content_with):
    validation = load_content(content_with(DATA / "attack-content" / "bidi-override.yaml"), SOURCES)
    assert [(Path(i.path).name, i.line, i.col, i.message) for i in validation.issues] == [
        (
            "bidi-override.yaml",
            8,
            82,
            "question 'first-leader': 'prompt' contains the control character U+202E "
            "(remove it; only tab and newline are allowed)",
        )
    ]


def test_an_include_of_a_missing_or_outside_file_names_the_template_and_line_that_asks(tmp_path):
    (tmp_path / "key.html").write_text('line one\n{% include "../../etc/passwd" %}\n', encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        render(make_env(tmp_path), "key.html")
    assert str(caught.value) == (
        f"{tmp_path / 'key.html'}:2:1: template error: template '../../etc/passwd' not found "
        f"(looked in {tmp_path}, {TEMPLATES_DIR})"
    )


@pytest.mark.parametrize(
    ("given", "problem", "suggested"),
    [
        ("Geo Course.APKG", "is not a slug", "geo-course.apkg"),
        ("../../evil.apkg", "is a path, not a file name", "evil.apkg"),
        ("decks\\\\My Deck.apkg", "is a path, not a file name", "my-deck.apkg"),
    ],
)
def test_a_deck_file_that_is_not_a_slug_says_what_it_is_and_suggests_one(tmp_path, given, problem, suggested):
    settings, issues = settings_issues(tmp_path, f'deck:\n  file: "{given}"\n')
    shown = given.replace("\\\\", "\\")
    assert issues == [
        (
            2,
            9,
            f"deck: 'file' '{shown}' {problem} (expected lowercase letters, digits and dashes with .apkg, "
            f"e.g. {suggested})",
        )
    ]
    assert settings.deck_file == "course.apkg"


def test_a_typo_in_one_bank_header_key_is_one_error_not_one_per_passage(content_with):
    validation = load_content(content_with(DATA / "attack-content" / "header-typo.yaml"), SOURCES)
    assert [(Path(i.path).name, i.line, i.col, i.message) for i in validation.issues] == [
        ("header-typo.yaml", 5, 1, "unknown key 'descripton' (did you mean 'description'?)")
    ]


def test_a_typo_in_an_article_entry_is_reported_there_and_not_at_every_passage_quoting_it(content_with):
    content_dir = content_with(VALID / "banks" / "sample.yaml")
    shutil.copy(DATA / "articles-invalid" / "author-typo.yaml", content_dir / "articles.yaml")
    validation = load_content(content_dir, SOURCES)
    assert [(Path(i.path).name, i.line, i.col, i.message) for i in validation.issues] == [
        ("articles.yaml", 3, 5, "article 1: missing required key 'author' (non-empty text)"),
        ("articles.yaml", 5, 5, "article 1: unknown key 'autor' (did you mean 'author'?)"),
    ]


def test_accepted_answers_that_repeat_are_each_located_at_the_repeat(content_with):
    validation = load_content(content_with(DATA / "attack-content" / "accept-repeats.yaml"), SOURCES)
    label = "question 'pipeline-terminal': accepted answer"
    assert [(Path(i.path).name, i.line, i.col, i.message) for i in validation.issues] == [
        ("accept-repeats.yaml", 10, 21, f"{label} 'daqing' is the answer itself (list only other answers)"),
        ("accept-repeats.yaml", 10, 29, f"{label} 'daqin' is listed twice (accepted answers must be distinct)"),
    ]


def test_a_numeric_spelling_in_digits_that_is_another_number_is_refused(content_with):
    validation = load_content(content_with(DATA / "attack-content" / "numeric-accept-other-number.yaml"), SOURCES)
    assert [(Path(i.path).name, i.line, i.col, i.message) for i in validation.issues] == [
        (
            "numeric-accept-other-number.yaml",
            12,
            31,
            "question 'trade-2001': accepted spelling '10.8' is another number than the answer 10.7",
        )
    ]


def test_every_draw_problem_of_a_quiz_definition_is_reported_at_the_value_at_fault(content_with):
    content_dir = content_with(VALID / "banks" / "sample.yaml")
    (content_dir / "quizzes").mkdir()
    for name in ("several-draw-problems.yaml", "several-kinds-short.yaml"):
        shutil.copy(DATA / "quizzes-invalid" / name, content_dir / "quizzes")
    validation = validate_pipeline(Source(content_dir, SOURCES))
    unknown = "draw: unknown bank '{}' (expected one of: sample)"
    assert [(Path(i.path).name, i.line, i.col, i.message) for i in validation.issues] == [
        ("several-draw-problems.yaml", 5, 11, unknown.format("sampel")),
        ("several-draw-problems.yaml", 5, 27, unknown.format("smaple")),
        ("several-kinds-short.yaml", 4, 7, "sets: 2 reading set(s) wanted but the selection has 0"),
        ("several-kinds-short.yaml", 6, 10, "per_kind: 5 cloze question(s) wanted but the selection has 1"),
        ("several-kinds-short.yaml", 7, 10, "per_kind: 4 essay question(s) wanted but the selection has 1"),
    ]


def test_a_content_file_that_is_dev_zero_a_fifo_or_a_link_outside_is_refused_without_reading_it(content_with):
    content_dir = content_with(VALID / "banks" / "sample.yaml")
    (content_dir / "tags.yaml").unlink()
    (content_dir / "tags.yaml").symlink_to("/dev/zero")  # read as is, it filled the memory
    os.mkfifo(content_dir / "quizgen.yaml")  # read as is, it waited for a writer forever
    (content_dir / "banks" / "secret.yaml").symlink_to("/etc/passwd")
    validation = load_content(content_dir, SOURCES)
    assert [(Path(i.path).name, i.line, i.col, i.message) for i in validation.issues] == [
        ("secret.yaml", 1, 1, f"refused: this content file resolves to /etc/passwd, outside {content_dir / 'banks'}"),
        ("quizgen.yaml", 1, 1, "course settings: refused: this content file is not a regular file"),
        ("tags.yaml", 1, 1, f"tag vocabulary: refused: this content file resolves to /dev/zero, outside {content_dir}"),
    ]


def test_a_bank_in_a_subfolder_or_named_yaml_in_capitals_is_said_to_be_not_read(content_with, monkeypatch):
    content_dir = content_with(VALID / "banks" / "sample.yaml")
    monkeypatch.chdir(content_dir)
    (content_dir / "banks" / "unit-2").mkdir()
    shutil.copy(VALID / "banks" / "sample.yaml", content_dir / "banks" / "unit-2" / "more.yaml")
    shutil.copy(VALID / "banks" / "sample.yaml", content_dir / "banks" / "OLD.YML")
    for kept in ("archive", "Archive/2025", ".drafts"):  # unread on purpose: no warning
        (content_dir / "banks" / kept).mkdir(parents=True)
        shutil.copy(VALID / "banks" / "sample.yaml", content_dir / "banks" / kept / "old.yaml")
    validation = load_content(content_dir, SOURCES)
    assert [(i.path, i.line, i.col, i.severity, i.message) for i in validation.issues] == [
        (
            "banks/OLD.YML",
            1,
            1,
            "warning",
            "not read: its extension is not .yaml (only banks/*.yaml files are read; move or rename it,"
            " or keep it in banks/archive/ to leave it unread)",
        ),
        (
            "banks/unit-2/more.yaml",
            1,
            1,
            "warning",
            "not read: it is in a subfolder (only banks/*.yaml files are read; move or rename it,"
            " or keep it in banks/archive/ to leave it unread)",
        ),
    ]


def test_a_wrong_number_or_boolean_is_quoted_as_the_file_writes_it(content_with):
    content_dir = content_with(VALID / "banks" / "sample.yaml")
    (content_dir / "quizzes").mkdir()
    shutil.copy(DATA / "quizzes-invalid" / "values-as-typed.yaml", content_dir / "quizzes")
    validation = validate_pipeline(Source(content_dir, SOURCES))
    whole = "(expected a whole number of at least 1)"
    assert [(Path(i.path).name, i.line, i.col, i.message) for i in validation.issues] == [
        ("values-as-typed.yaml", 3, 6, "'seed' is empty (expected a number)"),
        ("values-as-typed.yaml", 4, 11, f"'versions' 'true' is not a whole number {whole}"),
        ("values-as-typed.yaml", 6, 12, f"points: 'numeric' '1e9' is not a whole number {whole}"),
    ]


def test_a_cloze_problem_is_located_at_the_deletion_at_fault(content_with):
    validation = load_content(content_with(DATA / "attack-content" / "cloze-deletion-at-fault.yaml"), SOURCES)
    label = "question 'sco-cloze': cloze"
    assert [(Path(i.path).name, i.line, i.col, i.message) for i in validation.issues] == [
        ("cloze-deletion-at-fault.yaml", 8, 78, f"{label} deletion c2 is empty (expected the hidden text)"),
        (
            "cloze-deletion-at-fault.yaml",
            8,
            92,
            f"{label} has a malformed deletion '{{{{c3::unclosed' (expected {{{{cN::answer}}}} or "
            "{{cN::answer::hint}}, with two braces on each side)",
        ),
    ]
