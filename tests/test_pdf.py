"""The PDFs themselves (pypdf): no key in the handout, the key's letters, pages, versions, bytes, safety.

Rendering is the slow part, so the sample quiz is rendered once per session.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import SOURCES, VALID
from helpers import HOSTILE, hostile_content, key_texts, read_pdf

from quizgen.cli import main
from quizgen.draw.select import Selection
from quizgen.draw.versions import make_versions
from quizgen.load.content import require_content
from quizgen.load.quizzes import QuizDefinition
from quizgen.model import format_number
from quizgen.pipeline import Source, build
from quizgen.render.handouts import DOCUMENT_DATE, render_key, render_student
from quizgen.render.pdf import html_to_pdf, make_fetcher, render_pdfs
from quizgen.render.templates import TEMPLATES_DIR, make_env, template_dirs

pytestmark = pytest.mark.pdf


@pytest.fixture(scope="session")
def content():
    return require_content(VALID)


@pytest.fixture(scope="session")
def sample(content):
    """Versions A and B of the sample quiz, and their PDFs (rendered by two worker processes)."""
    quiz = QuizDefinition(id="sample", title="Sample quiz", seed=7, versions=2)
    versions = make_versions(quiz, content)
    env = make_env()
    htmls = [render(env, version) for version in versions for render in (render_student, render_key)]
    pdfs = render_pdfs(htmls, template_dirs(), jobs=2)
    return {
        "versions": versions,
        "htmls": htmls,
        "student": [pdfs[0], pdfs[2]],
        "key": [pdfs[1], pdfs[3]],
    }


def pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in read_pdf(pdf).pages]


def flat(text: str) -> str:
    return " ".join(text.replace("“", '"').replace("”", '"').split())


def test_the_student_pdf_shows_nothing_of_the_key(sample, content):
    for pdf in sample["student"]:
        text = flat(" ".join(pages(pdf)))
        for secret in key_texts(content):
            assert flat(secret) not in text, secret
        assert "ANSWER" not in text and "WHY" not in text
        assert "Answer key" not in text


def test_the_key_grid_gives_the_right_letter_for_every_question(sample):
    for version, pdf in zip(sample["versions"], sample["key"], strict=True):
        first_page = pages(pdf)[0]
        for item in version.questions:
            if item.kind in ("multiple_choice", "multiple_select", "true_false", "matching"):
                row = rf"^{item.number} {re.escape(item.answer)} {item.points}$"  # number, answer, points
                assert re.search(row, first_page, re.MULTILINE), (version.code, item.number)
        mc = next(q for q in version.questions if q.kind == "multiple_choice")
        right = next(c for c in mc.choices if c.correct)
        assert f"ANSWER {right.letter} {right.text}" in pages(pdf)[0]


def test_every_page_has_the_version_and_page_x_of_y(sample):
    for code, pdf in zip("AB", sample["student"], strict=True):
        texts = pages(pdf)
        assert len(texts) == 2  # nine questions, with the essay's ruled space
        for number, text in enumerate(texts, start=1):
            assert f"Page {number} of {len(texts)}" in text
            assert f"Version {code}" in text


def test_no_question_is_split_across_pages(sample):
    version = sample["versions"][0]
    texts = [flat(text) for text in pages(sample["student"][0])]
    for item in version.questions:
        if item.kind != "cloze":
            holding = [i for i, text in enumerate(texts) if flat(item.question.prompt) in text]
            assert len(holding) == 1, item.number


def test_two_versions_differ_in_order(sample, content):
    orders = []
    for pdf in sample["student"]:
        text = flat(" ".join(pages(pdf)))
        prompts = [flat(q.prompt) for q in content.questions if q.kind != "cloze"]
        orders.append(sorted(prompts, key=text.index))
    assert orders[0] != orders[1]
    assert sorted(orders[0]) == sorted(orders[1])


def test_the_same_seed_gives_identical_bytes(sample, content):
    quiz = QuizDefinition(id="sample", title="Sample quiz", seed=7, versions=2)
    again = render_student(make_env(), make_versions(quiz, content)[0])
    assert html_to_pdf(again, template_dirs()) == sample["student"][0]  # in this process, not a worker
    info = read_pdf(sample["student"][0]).metadata
    assert info["/CreationDate"] == info["/ModDate"] == "D:" + re.sub(r"\D", "", DOCUMENT_DATE) + "Z"


def test_bank_html_prints_literally_and_fetches_nothing(content):
    quiz = QuizDefinition(id="x", title="Hostile", seed=1, versions=1, selection=Selection(kinds=("multiple_choice",)))
    [version] = make_versions(quiz, hostile_content(content))
    fetcher = make_fetcher(template_dirs())
    pdf = html_to_pdf(render_key(make_env(), version), template_dirs(), fetcher)
    text = flat(" ".join(pages(pdf)))
    assert flat(HOSTILE) in text
    assert fetcher.requests == []
    assert "/EmbeddedFiles" not in str(read_pdf(pdf).trailer["/Root"])


def test_the_fetcher_serves_the_template_folders_and_refuses_everything_else(tmp_path):
    outside = tmp_path / "secret.css"
    outside.write_text("body { color: red }", encoding="utf-8")
    (tmp_path / "link.css").symlink_to(outside)
    html = (
        '<link rel="stylesheet" href="print.css">'
        f'<link rel="stylesheet" href="{outside.as_uri()}">'
        '<link rel="attachment" href="file:///etc/passwd">'
        '<img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png"><img src="data:image/png;base64,AAAA">'
        "<p>text</p>"
    )
    fetcher = make_fetcher([TEMPLATES_DIR, tmp_path / "none"])
    pdf = html_to_pdf(html, [TEMPLATES_DIR], fetcher)
    allowed = [url for url in fetcher.requests if url not in fetcher.refused]
    assert allowed == [(TEMPLATES_DIR / "print.css").as_uri()]
    assert outside.as_uri() in fetcher.refused and "file:///etc/passwd" in fetcher.refused
    assert "http://127.0.0.1:9/x.png" in fetcher.refused
    assert fetcher.allowed_path((tmp_path / "link.css").as_uri()) is None  # a symlink cannot lead outside
    assert "/EmbeddedFiles" not in str(read_pdf(pdf).trailer["/Root"])


def test_the_quiz_command_writes_a_student_and_a_key_per_version(tmp_path):
    args = ["quiz", "--content", str(VALID), "--sources", str(SOURCES), "--kind", "multiple_choice"]
    args += ["--kind", "true_false", "--versions", "1", "--title", "Pop quiz", "--paper", "letter", "-o", str(tmp_path)]
    assert main([*args, "--jobs", "1"]) == 0
    pdfs = sorted(p.name for p in tmp_path.iterdir() if p.name != ".quizgen-manifest.json")
    assert pdfs == ["pop-quiz-v1-key.pdf", "pop-quiz-v1-student.pdf"]
    page = read_pdf(tmp_path / "pop-quiz-v1-student.pdf").pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)  # Letter


def test_build_renders_every_quiz_and_a_study_guide_per_article(tmp_path):
    content_dir = tmp_path / "content"
    shutil.copytree(VALID, content_dir)
    (content_dir / "quizzes").mkdir()
    (content_dir / "quizzes" / "pop.yaml").write_text(
        "quiz: pop\ntitle: Pop quiz\nseed: 3\nversions: 2\ndraw: {kinds: [true_false, numeric]}\n", encoding="utf-8"
    )
    calls = []
    written = build(Source(content_dir, SOURCES), tmp_path / "out", jobs=2, progress=lambda *call: calls.append(call))
    written = written.paths
    pdfs = sorted(str(p.relative_to(tmp_path / "out")) for p in written if p.suffix == ".pdf")
    assert pdfs == [
        "quizzes/pop/pop-v1-key.pdf",
        "quizzes/pop/pop-v1-student.pdf",
        "quizzes/pop/pop-v2-key.pdf",
        "quizzes/pop/pop-v2-student.pdf",
        "study-guides/ni-2002.pdf",
    ]
    assert calls[0] == (0, 5) and calls[-1] == (5, 5) and len(calls) == 6
    assert format_number(10.7) in " ".join(pages((tmp_path / "out/study-guides/ni-2002.pdf").read_bytes()))


def test_a_title_longer_than_the_line_wraps_inside_the_page(tmp_path):
    """A word wider than the line (a long title or student name) is broken, never printed past the edge."""
    title = "Mid-term_quiz_on_Sino-Russian_relations_for_class_10B_with_the_reading_set_of_Jiang_Li_2001"
    args = ["quiz", "--content", str(VALID), "--sources", str(SOURCES), "--kind", "true_false", "--versions", "1"]
    assert main([*args, "--title", title, "-o", str(tmp_path), "--jobs", "1"]) == 0
    (student,) = tmp_path.glob("*-student.pdf")
    boxes = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(student), "-"], capture_output=True, text=True, check=True
    ).stdout
    width = float(re.search(r'<page width="([\d.]+)"', boxes)[1])
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', boxes)
    assert "".join(word for _, _, word in words if "_" in word) == title.replace(" ", "")
    assert max(float(x_max) for _, x_max, _ in words) <= width
