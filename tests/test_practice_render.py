"""The practice page as HTML text: embedded data, escaping, the Content-Security-Policy, CLI and build."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest

from quizgen.cli import main
from quizgen.errors import QuizgenError
from quizgen.load.content import require_content
from quizgen.pipeline import render_practice_pages
from quizgen.render.practice import embed_json, question_set_id, render_practice
from quizgen.write import Writer

ROOT = Path(__file__).resolve().parent.parent
VALID = ROOT / "tests" / "data" / "valid"
INJECT = ROOT / "tests" / "data" / "practice-inject"
TEMPLATES = ROOT / "templates"

DATA_BLOCK = re.compile(r'<script type="application/json" id="quizgen-data">(.*?)</script>', re.DOTALL)
SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)
CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


@pytest.fixture(scope="module")
def content():
    return require_content(VALID)


@pytest.fixture(scope="module")
def html(content):
    return render_practice(content.questions, content, title="Sample")


def page_data(html: str) -> dict:
    return json.loads(DATA_BLOCK.search(html).group(1))


def policy(html: str) -> dict[str, str]:
    text = CSP.search(html).group(1).replace("&#39;", "'")
    return dict(part.strip().split(" ", 1) for part in text.split(";"))


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def test_the_policy_allows_exactly_the_inline_script_and_style(html):
    rules = policy(html)
    assert rules["default-src"] == "'none'"
    assert rules["connect-src"] == "'none'"
    assert rules["form-action"] == "'none'"
    assert rules["base-uri"] == "'none'"
    assert rules["img-src"] == "data:"
    scripts = SCRIPT.findall(html)  # the FSRS scheduler, then the page's own script
    assert scripts == [
        (TEMPLATES / "practice" / "fsrs.js").read_text(encoding="utf-8"),
        (TEMPLATES / "practice" / "practice.js").read_text(encoding="utf-8"),
    ]
    assert rules["script-src"] == " ".join(sha256_source(script) for script in scripts)
    assert rules["style-src"] == sha256_source(STYLE.search(html).group(1))
    assert "unsafe" not in CSP.search(html).group(1)


def test_the_policy_comes_before_anything_it_governs(html):
    head = html[: html.index("</head>")]
    assert head.index("Content-Security-Policy") < head.index("<style>")
    assert "Content-Security-Policy" not in html[html.index("</head>") :]


def test_the_page_names_no_network_resource(html):
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", html, re.IGNORECASE)
    assert not re.search(r"<(link|script|img|iframe)[^>]*\s(src|href)=\"(?!data:)", html)


def test_every_question_is_embedded_with_what_its_kind_needs(content, html):
    data = page_data(html)
    by_uid = {q["uid"]: q for q in data["questions"]}
    assert list(by_uid) == [q.uid for q in content.questions]
    assert by_uid["sample/treaty-signed"]["options"][0] == "July 2001"
    assert by_uid["sample/three-pillars"]["answers"] == ["political exchanges", "economic and trade cooperation"]
    assert by_uid["sample/first-leader"]["answer"] is False
    assert by_uid["sample/pipeline-terminal"]["accept"] == ["Daqin"]
    numeric = by_uid["sample/trade-2001"]
    assert (numeric["answer"], numeric["answer_text"], numeric["tolerance"], numeric["unit"]) == (
        10.7,
        "10.7",
        0.05,
        "billion US$",
    )
    assert by_uid["sample/sco-cloze"]["segments"] == [
        {"text": "Since the September 11 attacks, China and Russia have strengthened their cooperation in "},
        {"blank": 1, "answer": "Central Asia", "hint": ""},
        {"text": " within the framework of the "},
        {"blank": 2, "answer": "Shanghai Cooperation Organization", "hint": ""},
        {"text": "."},
    ]
    assert by_uid["sample/trade-sequence"]["items"][0] == {"text": "Bilateral trade hits a record high", "date": "2001"}
    assert len(by_uid["sample/why-stand-with-us"]["key_points"]) == 3
    assert by_uid["sample/trade-2001"]["source"][0]["text"].endswith("a record high of US$ 10.7 billion")
    assert data["articles"] == {
        "ni-2002": {
            "title": "Sino-Russian Relations since the September 11 Incident",
            "author": "Ni Xiaoquan",
            "date": "2002-12",
        }
    }
    assert set(data["kinds"]) == {q.kind for q in content.questions}


def test_a_cloze_hint_reaches_the_page():
    content = require_content(INJECT)
    cloze = next(
        q for q in page_data(render_practice(content.questions, content, title="x"))["questions"] if "segments" in q
    )
    assert cloze["segments"][1] == {"blank": 1, "answer": "Moscow", "hint": "<i>city</i>"}


def test_markup_in_bank_text_never_reaches_the_html_unescaped():
    content = require_content(INJECT)
    html = render_practice(content.questions, content, title="<b>title</b>")
    block = DATA_BLOCK.search(html).group(1)
    assert "<" not in block  # so '</script>' and '<!--' inside the data cannot end or hide the block
    assert "window.pwned" in block
    assert "window.pwned" not in html.replace(block, "")
    assert "<title>Practice: &lt;b&gt;title&lt;/b&gt;</title>" in html
    assert page_data(html)["questions"][0]["prompt"] == "<script>window.pwned=1</script>"


@pytest.mark.parametrize("text", ["</script>", "<!--", "</SCRIPT >", "a\u2028b", '"quoted"\\'])
def test_embedded_json_reads_back_unchanged(text):
    data = {"prompt": text}
    assert json.loads(embed_json(data)) == data
    assert "<" not in embed_json(data)


@pytest.mark.parametrize("name", ["practice.js", "fsrs.js"])
def test_the_scripts_never_parse_text_as_html_nor_evaluate_code(name):
    code = re.sub(r"//.*", "", (TEMPLATES / "practice" / name).read_text(encoding="utf-8"))
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function", code)


def test_the_same_questions_give_the_same_bytes(content, html):
    assert render_practice(content.questions, content, title="Sample") == html


def test_progress_is_namespaced_by_the_question_set(content):
    questions = content.questions
    assert question_set_id(questions) == question_set_id(list(reversed(questions)))
    assert question_set_id(questions) != question_set_id(questions[:-1])


def test_a_user_template_directory_overrides_the_style_and_the_policy_follows(content, tmp_path):
    (tmp_path / "practice").mkdir()
    (tmp_path / "practice" / "practice.css").write_text("body { color: teal; }\n", encoding="utf-8")
    html = render_practice(content.questions, content, title="x", templates_dir=tmp_path)
    assert STYLE.search(html).group(1) == "body { color: teal; }\n"
    assert policy(html)["style-src"] == sha256_source("body { color: teal; }\n")


@pytest.mark.parametrize("name", ["practice.js", "fsrs.js"])
def test_a_script_template_that_would_end_its_element_early_is_refused(content, tmp_path, name):
    (tmp_path / "practice").mkdir()
    (tmp_path / "practice" / name).write_text("const s = '</script>';\n", encoding="utf-8")
    with pytest.raises(QuizgenError) as caught:
        render_practice(content.questions, content, title="x", templates_dir=tmp_path)
    where = tmp_path / "practice" / name
    assert str(caught.value).startswith(f"{where}:1:12: template practice/{name} contains '</script'")


def test_a_user_scheduler_replaces_the_built_in_one_and_the_policy_follows(content, tmp_path):
    (tmp_path / "practice").mkdir()
    (tmp_path / "practice" / "fsrs.js").write_text("window.QuizgenFSRS = null;\n", encoding="utf-8")
    html = render_practice(content.questions, content, title="x", templates_dir=tmp_path)
    assert SCRIPT.findall(html)[0] == "window.QuizgenFSRS = null;\n"
    assert policy(html)["script-src"].split()[0] == sha256_source("window.QuizgenFSRS = null;\n")


def test_a_page_needs_a_question(content):
    with pytest.raises(QuizgenError, match="at least one question"):
        render_practice([], content, title="x")


def test_one_page_per_article_with_questions_and_one_for_everything(content, tmp_path):
    writer = Writer(tmp_path)
    for relative, html in render_practice_pages(content):  # the stage `quizgen build` runs
        writer.write(relative, html)
    assert sorted(p.name for p in (tmp_path / "practice").iterdir()) == ["all.html", "ni-2002.html"]
    article_page = (tmp_path / "practice" / "ni-2002.html").read_text(encoding="utf-8")
    assert "<title>Practice: Sino-Russian Relations since the September 11 Incident</title>" in article_page
    assert "<title>Practice: All articles</title>" in (tmp_path / "practice" / "all.html").read_text(encoding="utf-8")


def test_the_practice_command_writes_the_selected_questions(tmp_path, capsys):
    out = tmp_path / "page.html"
    status = main(["practice", "--content", str(VALID), "--kind", "cloze", "--kind", "essay", "-o", str(out)])
    assert status == 0
    kinds = [q["kind"] for q in page_data(out.read_text(encoding="utf-8"))["questions"]]
    assert kinds == ["cloze", "essay"]
    assert f"wrote {out}: 2 question(s)" in capsys.readouterr().out


def test_the_practice_command_draws_count_questions_repeatably(tmp_path):
    pages = []
    for name in ("a.html", "b.html"):
        assert (
            main(["practice", "--content", str(VALID), "--count", "4", "--seed", "7", "-o", str(tmp_path / name)]) == 0
        )
        pages.append((tmp_path / name).read_bytes())
    assert pages[0] == pages[1]
    assert len(page_data(pages[0].decode("utf-8"))["questions"]) == 4


def test_the_practice_command_titles_a_one_article_page_after_it(tmp_path):
    out = tmp_path / "page.html"
    assert main(["practice", "--content", str(VALID), "--article", "ni-2002", "-o", str(out)]) == 0
    assert (
        page_data(out.read_text(encoding="utf-8"))["title"] == "Sino-Russian Relations since the September 11 Incident"
    )


def test_the_practice_command_rejects_an_unknown_filter_value(tmp_path, capsys):
    out = tmp_path / "page.html"
    assert main(["practice", "--content", str(VALID), "--tag", "nope", "-o", str(out)]) == 1
    assert "error: unknown tag 'nope'" in capsys.readouterr().err
    assert not out.exists()
