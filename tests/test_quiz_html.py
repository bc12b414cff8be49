"""The printable HTML: structure of handouts, keys and study guides, templates, escaping, and a golden file."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import VALID
from helpers import HOSTILE, hostile_content, key_texts

from quizgen.draw.studyguide import study_guides
from quizgen.draw.versions import make_versions
from quizgen.errors import TemplateError
from quizgen.load.content import require_content
from quizgen.load.quizzes import QuizDefinition
from quizgen.model import Content
from quizgen.render.handouts import render_guide, render_key, render_student
from quizgen.render.templates import make_env

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("QUIZGEN_UPDATE_GOLDEN") == "1"  # set to rewrite the golden files after a deliberate change


@pytest.fixture(scope="module")
def content() -> Content:
    return require_content(VALID)


@pytest.fixture(scope="module")
def versions(content):
    quiz = QuizDefinition(id="sample", title="Sample quiz", seed=7, class_line="HIST 214", versions=2)
    return make_versions(quiz, content)


@pytest.fixture(scope="module")
def env():
    return make_env()


def escaped(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;").replace("'", "&#39;")
    )


def test_the_handout_has_a_title_block_and_one_numbered_section_per_kind(env, versions, content):
    html = render_student(env, versions[0])
    for label in ("Name", "Class", "Date", "Score"):
        assert f'<td class="label">{label}</td>' in html
    assert "/ 20</td>" in html
    kinds = re.findall(r'<section class="section kind-(\w+)">', html)
    assert kinds == [q.kind for q in content.questions]
    assert re.findall(r'id="q(\d+)"', html) == [str(n) for n in range(1, 10)]
    assert re.findall(r"<h2>Part (\w+)\.", html) == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]


def test_each_kind_has_its_layout(env, versions):
    html = render_student(env, versions[0])
    assert html.count('<span class="letter">') == 4 + 4 + 3  # MC and MS options, matching's right column
    assert 'ul class="options per-row-4"' in html  # short options: four to a row
    assert html.count('<span class="bubble"></span>') == 2  # true / false circles
    assert html.count('<div class="rule"></div>') == 2 + 12  # short answer, essay sized by its 6 points
    assert '<span class="answer-box"></span><span class="unit">billion US$</span>' in html
    assert html.count('<span class="blank"></span>') == 2
    assert html.count('<span class="write-box"></span>') == 3
    assert html.count('<span class="slot"></span>') == 3


def test_every_page_shows_the_version_and_page_x_of_y(env, versions):
    html = render_student(env, versions[1])
    assert '<span class="runcode">Version B</span>' in html
    assert 'content: "Page " counter(page) " of " counter(pages);' in html
    assert "content: string(runcode);" in html
    assert ".keep, .question { break-inside: avoid; }" in html


def test_the_handout_shows_nothing_of_the_key(env, versions, content):
    html = render_student(env, versions[0])
    for text in key_texts(content):
        assert escaped(text) not in html, text
    assert "Answer</span>" not in html


def test_the_key_gives_each_answer_in_the_versions_lettering(env, versions):
    for version in versions:
        html = render_key(env, version)
        grid = re.findall(
            r'<li><span class="p">\d+</span><span class="n">(\d+)</span><span class="a">(.*?)</span>', html
        )
        assert grid == [(str(q.number), escaped(q.answer)) for q in version.questions]
        mc = next(q for q in version.questions if q.kind == "multiple_choice")
        right = next(c for c in mc.choices if c.correct)
        assert f"<strong>{right.letter}</strong> {right.text}" in html


def test_key_details_can_be_turned_off(env, versions, content):
    explanation = escaped(content.questions[0].explanation)
    assert explanation in render_key(env, versions[0])
    terse = render_key(env, versions[0], details=False)
    assert explanation not in terse
    assert "Ni Xiaoquan" not in terse


def test_the_study_guide_groups_every_question_by_its_first_tag(env, content):
    [guide] = study_guides(content)
    html = render_guide(env, guide)
    headings = re.findall(r"<h2>(\w+)<span", html)
    assert headings == ["Treaty", "Trade", "Energy", "Diplomacy", "Organization", "Person", "Argument"]
    assert guide.count == len(content.questions)
    assert "10.7 billion US$ (within 0.05)" in html
    assert '<span class="filled">Central Asia</span>' in html


def test_html_in_bank_text_is_escaped_everywhere(env, content):
    hostile = hostile_content(content)
    quiz = QuizDefinition(id="x", title=HOSTILE, class_line=HOSTILE, instructions=HOSTILE, seed=1, versions=1)
    [version] = make_versions(quiz, hostile)
    [guide] = study_guides(hostile)
    for html in (render_student(env, version), render_key(env, version), render_guide(env, guide)):
        assert "<img" not in html and "<link" not in html
        assert escaped(HOSTILE) in html


def test_a_user_template_overrides_one_by_name(tmp_path, versions):
    (tmp_path / "question").mkdir()
    (tmp_path / "question" / "true_false.html").write_text("<p>MY TRUE FALSE {{ item.number }}</p>", encoding="utf-8")
    html = render_student(make_env(tmp_path), versions[0])
    assert "<p>MY TRUE FALSE 3</p>" in html
    assert '<span class="bubble">' not in html
    assert 'class="letter"' in html  # the others still come from templates/


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("key.html", "line one\n{% if %}\n", r"key\.html:2:1: template error: Expected an expression"),
        (
            "student.html",
            "line one\nline two\n{{ verison.code }}\n",
            r"student\.html:3:1: template error: 'verison' is undefined",
        ),
        (
            "question/essay.html",
            "{{ item.question.answer }}",
            r"essay\.html:1:1: template error: .*has no attribute 'answer'",
        ),
    ],
)
def test_a_broken_template_names_its_file_and_line(tmp_path, versions, name, text, expected):
    (tmp_path / name).parent.mkdir(exist_ok=True)
    (tmp_path / name).write_text(text, encoding="utf-8")
    env = make_env(tmp_path)
    with pytest.raises(TemplateError) as raised:
        render_key(env, versions[0]) if name == "key.html" else render_student(env, versions[0])
    assert re.search(expected, str(raised.value)), str(raised.value)
    assert str(tmp_path) in str(raised.value)


def test_a_missing_templates_folder_is_an_error(tmp_path):
    with pytest.raises(TemplateError, match="templates directory .*nowhere not found"):
        make_env(tmp_path / "nowhere")


@pytest.mark.parametrize("which", ["student", "key"])
def test_golden_html(env, versions, which):
    """The whole v1 handout and key of the sample quiz, seed 7, as checked in."""
    html = render_student(env, versions[0]) if which == "student" else render_key(env, versions[0])
    golden = GOLDEN / f"sample-seed7-v1-{which}.html"
    if UPDATE:
        golden.write_text(html, encoding="utf-8")
    assert html == golden.read_text(encoding="utf-8")


def test_a_runtime_error_in_a_users_template_names_the_file_and_line(tmp_path):
    from quizgen.errors import TemplateError
    from quizgen.render.templates import make_env, render

    (tmp_path / "student.html").write_text("line one\n{{ 1 // 0 }}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as raised:
        render(make_env(tmp_path), "student.html")
    assert (
        str(raised.value)
        == f"{tmp_path / 'student.html'}:2:1: template error: ZeroDivisionError: integer division or modulo by zero"
    )
