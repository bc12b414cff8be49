"""The catalogue: every text a student reads comes from it, a translation must be complete, and mistakes say where.

The completeness proof is a pseudo-language: every English text wrapped in ⟦ ⟧
with its letters accented. Rendered in it, a handout, a key, a study guide,
the practice page (in Chromium, before and after answering) and the Anki
cards (as the anki library renders them) may show only pseudo text, bank
content, and a short list of deliberate exceptions (numbers, letters,
punctuation, question references).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import DATA, SOURCES, VALID
from helpers import chromium

from quizgen.draw.studyguide import study_guides
from quizgen.draw.versions import make_versions
from quizgen.errors import ContentError, QuizgenError
from quizgen.kinds import kind_of
from quizgen.load.content import require_content
from quizgen.load.quizzes import QuizDefinition
from quizgen.model import canonical_language
from quizgen.pipeline import Source, draw_quizzes, load, plan_prints, render_anki, render_practice_pages
from quizgen.render.anki import render_deck
from quizgen.render.catalogue import PLACEHOLDER, english_texts, load_catalogue
from quizgen.render.handouts import render_guide, render_key, render_student
from quizgen.render.practice import render_practice
from quizgen.render.templates import course_catalogue, make_env, template_dirs

ROOT = Path(__file__).resolve().parent.parent
EN_YAML = ROOT / "templates" / "catalogue" / "en.yaml"
SAMPLE_QUIZ = QuizDefinition(id="sample", title="Sample quiz", seed=7, class_line="HIST 214", versions=2)

ACCENTS = str.maketrans("aeiouycnsAEIOUYCNS", "áéíöüýçñšÁÉÍÖÜÝÇÑŠ")
PSEUDO_SPAN = re.compile(r"⟦[^⟦⟧]*⟧")  # innermost first: a placeholder may hold another pseudo text
# Where bank texts are joined in one text node (a byline, an answer in words, a tag line).
JOINS = re.compile(r" · |; | = | → |, ")
EDGES = " \n\t.,;:()“”\"'—·-–0123456789"
# What may show outside pseudo text and bank content: numbers, single letters (option letters,
# Roman numerals), question references (bank/id), punctuation and symbols between texts.
EXCEPTION = re.compile(
    r"((\d+-[A-Z]\s*)+|\d+([.,]\d+)*|[A-Z]|[IVX]+|[a-z0-9-]+/[a-z0-9-]+|[\s\W_·—→✓✗±↑↓]+)", re.UNICODE
)


def pseudo_text(text: str) -> str:
    """⟦Ánšwér {count}⟧: letters accented, placeholders kept, so untranslated English stands out."""
    pieces = PLACEHOLDER.split(text)
    out = "".join("{" + p + "}" if i % 2 else p.translate(ACCENTS) for i, p in enumerate(pieces))
    return "⟦" + out + "⟧"


def yaml_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture(scope="module")
def xx_templates(tmp_path_factory):
    """A templates folder holding only catalogue/xx.yaml: the pseudo-language of every English key."""
    folder = tmp_path_factory.mktemp("xx-templates")
    (folder / "catalogue").mkdir()
    lines = [f"{key}: {yaml_quote(pseudo_text(text))}" for key, text in english_texts().items()]
    (folder / "catalogue" / "xx.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def content():
    return require_content(VALID, SOURCES)


def bank_strings(content, quizzes=(SAMPLE_QUIZ,)) -> set[str]:
    """Every text the content itself supplies: questions, reading sets, articles, tags, banks, quiz definitions."""
    found: set[str] = set()

    def walk(value):
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, (list, tuple, set, frozenset)):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(key)
                walk(item)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for field in dataclasses.fields(value):
                walk(getattr(value, field.name))

    walk(content.questions)
    walk([kind_of(q).practice_record(q) for q in content.questions])  # a cloze's full text, among others
    walk(list(content.articles.values()))
    walk(content.tags)
    walk([(b.title, b.description, b.sets) for b in content.banks])
    walk([q.uid for q in content.questions])
    walk(list(quizzes))
    return found


class VisibleText(HTMLParser):
    """The text a reader meets: text nodes (not in <style> or <script>) and the attributes read aloud or shown."""

    ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self.hidden += 1
        for key, value in attrs:
            if key in self.ATTRIBUTES and value:
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.texts.append(data)


def visible_texts(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser.texts


def leaks(texts: list[str], content_strings: set[str]) -> list[str]:
    """The texts, or pieces of them, that are neither pseudo, bank content nor a deliberate exception."""
    corpus = "\n".join(content_strings).casefold()
    found = []
    for text in texts:
        while PSEUDO_SPAN.search(text):
            text = PSEUDO_SPAN.sub("\0", text)
        for piece in text.split("\0"):
            if not piece.strip() or EXCEPTION.fullmatch(piece.strip()):
                continue
            if not all(_is_content(part, corpus) for part in JOINS.split(piece)):
                found.append(piece.strip())
    return found


def _is_content(part: str, corpus: str) -> bool:
    core = re.sub(r"^[A-Z] ", "", part.strip(EDGES))  # a key's "B economic and trade cooperation"
    return not core or EXCEPTION.fullmatch(core) is not None or core.casefold() in corpus


def assert_only_pseudo(html: str, content, quizzes=(SAMPLE_QUIZ,)) -> None:
    bad = leaks(visible_texts(html), bank_strings(content, quizzes))
    assert bad == [], f"texts outside the catalogue: {bad}"


# ---- the pseudo-language covers every printed document ------------------------------


@pytest.fixture(scope="module")
def xx(xx_templates):
    return load_catalogue("xx", template_dirs(xx_templates))


@pytest.fixture(scope="module")
def xx_version(content, xx):
    return make_versions(SAMPLE_QUIZ, content, xx.text)[0]


def test_the_pseudo_catalogue_loads_complete(xx):
    assert set(xx.texts) == set(english_texts())


def test_a_student_handout_in_the_pseudo_language_shows_no_english(content, xx, xx_templates, xx_version):
    html = render_student(make_env(xx_templates, xx), xx_version)
    assert '<html lang="xx">' in html
    assert "⟦Pört {ñümbér}" not in html and "⟦Párt" in html
    assert_only_pseudo(html, content)


def test_a_key_in_the_pseudo_language_shows_no_english(content, xx, xx_templates, xx_version):
    html = render_key(make_env(xx_templates, xx), xx_version, details=True)
    assert "⟦Áñšwér⟧" in html
    assert_only_pseudo(html, content)


def test_a_study_guide_in_the_pseudo_language_shows_no_english(content, xx, xx_templates):
    guide = study_guides(content, xx.text)[0]
    html = render_guide(make_env(xx_templates, xx), guide)
    assert_only_pseudo(html, content)


@pytest.fixture(scope="module")
def xx_sets(tmp_path_factory):
    """tests/data/valid-sets (a quiz with a reading set) as a course whose quizgen.yaml says `language: xx`."""
    root = tmp_path_factory.mktemp("xx-sets") / "content"
    shutil.copytree(DATA / "valid-sets", root)
    (root / "quizgen.yaml").write_text("language: xx\n", encoding="utf-8")
    return root


def test_a_course_in_the_pseudo_language_prints_reading_sets_without_english(xx_sets, xx_templates):
    # The stages `build` runs, with the catalogue it loads from the course's settings.
    content = load(Source(xx_sets, SOURCES)).content
    catalogue = course_catalogue(content, xx_templates)
    assert catalogue.language == "xx"
    quizzes, _ = draw_quizzes(xx_sets, content, catalogue)
    plan = plan_prints(content, quizzes, xx_templates, catalogue)
    definitions = [versions[0].quiz for versions in quizzes]
    readings = [document for document in plan.documents if "excerpt" in document.html]
    # student handouts, keys and the study guide of the set's article all hold the set
    assert {document.path.split("/")[0] for document in readings} == {"quizzes", "study-guides"}
    assert "⟦Párt {ñümbér}" not in readings[0].html
    for document in plan.documents:
        assert '<html lang="xx">' in document.html, document.path
        assert_only_pseudo(document.html, content, definitions)
    for path, html in render_practice_pages(content, xx_templates, catalogue):
        assert '<html lang="xx">' in html, path
        assert_only_pseudo(html, content)


@pytest.mark.anki
def test_a_reading_set_card_in_the_pseudo_language_shows_no_english(xx_sets, xx_templates, tmp_path):
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    content = load(Source(xx_sets, SOURCES)).content
    deck, _ = render_anki(content, xx_sets, content.questions, catalogue=course_catalogue(content, xx_templates))
    (tmp_path / "xx.apkg").write_bytes(deck)
    col = Collection(str(tmp_path / "collection.anki2"))
    request = ImportAnkiPackageRequest(package_path=str(tmp_path / "xx.apkg"), options=ImportAnkiPackageOptions())
    col.import_anki_package(request)
    cards = [col.get_card(cid) for cid in sorted(col.find_cards(""))]
    sides = [side for card in cards for side in (card.question(), card.answer())]
    col.close()
    assert any("qz-excerpt" in side for side in sides)
    for side in sides:
        assert_only_pseudo(side, content)


def test_the_page_footer_is_translated(xx, xx_templates, xx_version):
    html = render_student(make_env(xx_templates, xx), xx_version)
    assert 'content: "⟦Págé " counter(page) " öf " counter(pages) "⟧";' in html


def in_language(content, language: str):
    """The content as a course whose content/quizgen.yaml says `language: <language>`."""
    return dataclasses.replace(content, settings=dataclasses.replace(content.settings, language=language))


def test_the_static_practice_page_shows_no_english(content, xx_templates):
    # No catalogue given: the page takes the course's language from its settings.
    xx_content = in_language(content, "xx")
    html = render_practice(xx_content.questions, xx_content, title="Sample", templates_dir=xx_templates)
    assert '<html lang="xx">' in html
    assert_only_pseudo(html, content)


# ---- the practice page in a browser ------------------------------------------------------


@pytest.fixture(scope="module")
def page_url(tmp_path_factory, content, xx_templates):
    path = tmp_path_factory.mktemp("xx-practice") / "practice.html"
    xx_content = in_language(content, "xx")
    html = render_practice(xx_content.questions, xx_content, title="Sample", templates_dir=xx_templates)
    path.write_text(html, encoding="utf-8")
    return path.as_uri()


@pytest.fixture(scope="module")
def browser():
    yield from chromium()


def page_texts(page) -> list[str]:
    """Visible text nodes and read-aloud attributes of the page as it stands."""
    return page.evaluate(
        """() => {
          const out = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const node = walker.currentNode;
            const parent = node.parentElement;
            if (!node.textContent.trim() || parent.closest('script,style,[hidden]')) continue;
            out.push(node.textContent);
          }
          for (const el of document.querySelectorAll('[aria-label],[placeholder],[title]'))
            for (const a of ['aria-label', 'placeholder', 'title']) if (el.getAttribute(a)) out.push(el.getAttribute(a));
          out.push(document.title);
          return out;
        }"""
    )


ANSWER_ONE = {
    # how to give some answer to each kind, so the feedback (right or wrong) is shown
    "multiple_choice": lambda page: page.click("#question .option >> nth=0"),
    "true_false": lambda page: page.click("#question .option >> nth=0"),
    "multiple_select": lambda page: (page.check("#option-0"), page.click("#question button[type=submit]")),
    "short_answer": lambda page: (page.fill("#typed-answer", "x"), page.click("#question button[type=submit]")),
    "numeric": lambda page: (page.fill("#typed-answer", "1"), page.click("#question button[type=submit]")),
    "cloze": lambda page: (
        [page.fill(f"#question input.blank >> nth={i}", "x") for i in range(page.locator("input.blank").count())],
        page.click("#question button[type=submit]"),
    ),
    "matching": lambda page: (
        [page.select_option(f"#match-{i}", index=1) for i in range(page.locator("#question select").count())],
        page.click("#question button[type=submit]"),
    ),
    "ordering": lambda page: page.click("#question button[type=submit]"),
    "essay": lambda page: (
        page.click("#question button[type=submit]"),
        page.click("#question .assess button >> nth=1"),
    ),
}


@pytest.mark.browser
def test_the_practice_page_in_chromium_shows_no_english_for_any_kind(browser, page_url, content):
    strings = bank_strings(content)
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(page_url)
    page.evaluate("document.getElementById('setup').open = true")
    page.uncheck("#filter-shuffle")
    page.fill("#filter-count", str(len(content.questions)))
    page.click("#start")
    assert leaks(page_texts(page), strings) == []
    seen = set()
    for _ in content.questions:
        kind = page.get_attribute("#question", "data-kind")
        ANSWER_ONE[kind](page)
        page.wait_for_selector("#feedback .verdict")
        assert leaks(page_texts(page), strings) == [], kind
        seen.add(kind)
        page.click("#feedback button.next")
    page.wait_for_selector("#summary-heading")
    assert leaks(page_texts(page), strings) == []
    assert seen == {q.kind for q in content.questions}
    assert errors == []
    context.close()


# ---- Anki cards as the anki library renders them ----------------------------------------


@pytest.fixture(scope="module")
def xx_cards(tmp_path_factory, content, xx):
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    root = tmp_path_factory.mktemp("xx-anki")
    # The deck's templates are the built-in ones; the catalogue comes from the pseudo folder.
    deck = render_deck(
        content,
        content.questions,
        catalogue=xx,
    )
    (root / "xx.apkg").write_bytes(deck)
    col = Collection(str(root / "collection.anki2"))
    request = ImportAnkiPackageRequest(package_path=str(root / "xx.apkg"), options=ImportAnkiPackageOptions())
    col.import_anki_package(request)
    cards = [col.get_card(cid) for cid in sorted(col.find_cards(""))]
    rendered = [(card.question(), card.answer()) for card in cards]
    col.close()
    return rendered


@pytest.mark.anki
def test_every_anki_card_front_and_back_shows_no_english(xx_cards, content):
    assert len(xx_cards) >= len(content.questions)
    strings = bank_strings(content)
    for front, back in xx_cards:
        for side in (front, back):
            assert leaks(visible_texts(side), strings) == [], side


# ---- mistakes in a catalogue -----------------------------------------------------------------


def write_catalogue(folder: Path, language: str, texts: dict[str, str]) -> Path:
    (folder / "catalogue").mkdir(exist_ok=True)
    path = folder / "catalogue" / f"{language}.yaml"
    path.write_text("".join(f"{key}: {yaml_quote(text)}\n" for key, text in texts.items()), encoding="utf-8")
    return path


def issues_of(folder: Path, language: str) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_catalogue(language, template_dirs(folder))
    return [str(issue) for issue in caught.value.issues]


def test_a_missing_key_is_an_error_naming_the_file_and_the_english(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    texts = dict(english_texts())
    del texts["key.answer"]
    write_catalogue(tmp_path, "de", texts)
    assert issues_of(tmp_path, "de") == ["catalogue/de.yaml:1:1: error: missing key 'key.answer' (English: 'Answer')"]


def test_a_missing_kind_title_is_an_error_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    texts = dict(english_texts())
    del texts["kind.essay.title"]
    write_catalogue(tmp_path, "de", texts)
    assert issues_of(tmp_path, "de") == [
        "catalogue/de.yaml:1:1: error: missing key 'kind.essay.title' (English: 'Essay')"
    ]


def test_an_unknown_key_is_located_with_a_suggestion(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    texts = {**english_texts(), "key.anwser": "Antwort"}
    write_catalogue(tmp_path, "de", texts)
    line = list(texts).index("key.anwser") + 1
    assert issues_of(tmp_path, "de") == [
        f"catalogue/de.yaml:{line}:1: error: unknown key 'key.anwser' (did you mean 'key.answer'?)"
    ]


def test_a_placeholder_english_lacks_or_has_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    texts = {**english_texts(), "student.version": "Version {nummer}"}
    write_catalogue(tmp_path, "de", texts)
    line = list(texts).index("student.version") + 1
    assert issues_of(tmp_path, "de") == [
        f"catalogue/de.yaml:{line}:1: error: 'student.version': the text lacks the placeholder {{version}}",
        f"catalogue/de.yaml:{line}:1: error: 'student.version': unknown placeholder {{nummer}} (expected {{version}})",
    ]


def test_a_value_that_is_not_a_text_is_located(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "catalogue").mkdir()
    (tmp_path / "catalogue" / "de.yaml").write_text("key.answer:\n  - Antwort\n", encoding="utf-8")
    assert issues_of(tmp_path, "de") == ["catalogue/de.yaml:2:3: error: 'key.answer': expected a text, not a list"]


def test_an_unknown_language_says_which_catalogues_exist(tmp_path):
    write_catalogue(tmp_path, "xx", {})
    with pytest.raises(QuizgenError) as caught:
        load_catalogue("fr", template_dirs(tmp_path))
    looked = f"{tmp_path / 'catalogue'}, {ROOT / 'templates' / 'catalogue'}"
    assert str(caught.value) == f"no catalogue for language 'fr' (looked in {looked}; catalogues: en, xx)"


def test_a_language_name_cannot_reach_outside_the_folder(tmp_path):
    with pytest.raises(QuizgenError) as caught:
        load_catalogue("../../etc/passwd", template_dirs(tmp_path))
    assert str(caught.value) == "language '../../etc/passwd' is not a language code (such as en, de or pt-BR)"


def test_a_user_english_catalogue_may_reword_and_leaves_kind_strings_to_the_kinds(tmp_path):
    (tmp_path / "catalogue").mkdir()
    text = EN_YAML.read_text(encoding="utf-8").replace('key.answer: "Answer"', 'key.answer: "Solution"')
    (tmp_path / "catalogue" / "en.yaml").write_text(text, encoding="utf-8")
    catalogue = load_catalogue("en", template_dirs(tmp_path))
    assert catalogue.text("key.answer") == "Solution"
    assert catalogue.text("kind.essay.title") == "Essay"


def test_an_anki_marker_with_an_unknown_key_names_the_template(tmp_path):
    from quizgen.render.anki import NOTE_TYPES, TEMPLATE_DIR, load_templates

    for item in TEMPLATE_DIR.iterdir():
        shutil.copy(item, tmp_path / item.name)
    front = tmp_path / "basic.front.html"
    front.write_text("<div>\n  [[t:anki.nope]]{{Prompt}}</div>", encoding="utf-8")
    with pytest.raises(QuizgenError) as caught:
        load_templates(NOTE_TYPES["basic"], tmp_path)
    assert str(caught.value) == (
        f"{front}:2:3: unknown catalogue key 'anki.nope' in [[t:anki.nope]] (see catalogue/en.yaml)"
    )


def test_every_english_text_is_used_somewhere():
    """No dead key in en.yaml: each is used by a template, the page's script or quizgen's code."""
    sources = "\n".join(
        path.read_text(encoding="utf-8")
        for folder in (ROOT / "templates", ROOT / "quizgen")
        for path in folder.rglob("*")
        if path.suffix in (".html", ".js", ".py", ".css")
    )
    dynamic = ("kind.", "count.")  # built from a kind or unit name: kind.<name>.title, count.<unit>.one
    unused = [
        key
        for key in english_texts()
        if not key.startswith(dynamic) and f'"{key}"' not in sources and f"[[t:{key}]]" not in sources
    ]
    assert unused == []


def course_asking_for(tmp_path: Path, language: str) -> Path:
    root = tmp_path / "content"
    shutil.copytree(DATA / "valid", root)
    (root / "quizgen.yaml").write_text(f"course: Test\nlanguage: {language}\n", encoding="utf-8")
    return root


def test_a_course_language_with_no_catalogue_is_reported_where_quizgen_yaml_asks_for_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    content = load(Source(course_asking_for(tmp_path, "pt-BR"), SOURCES)).content
    assert content.settings.language == "pt-BR"  # a region subtag is a language code
    with pytest.raises(ContentError) as caught:
        course_catalogue(content)
    looked = ROOT / "templates" / "catalogue"
    assert [str(issue) for issue in caught.value.issues] == [
        f"content/quizgen.yaml:2:11: error: no catalogue for language 'pt-BR' (looked in {looked}; catalogues: en)"
    ]


def test_a_course_language_that_is_not_a_code_is_a_located_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ContentError) as caught:
        load(Source(course_asking_for(tmp_path, "'../etc'"), SOURCES))
    assert [str(issue) for issue in caught.value.issues] == [
        "content/quizgen.yaml:2:11: error: 'language' is '../etc' (expected a language code such as en, de or pt-BR)"
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "the text is empty (give the text in this language)"),
        ("  ", "the text is empty (give the text in this language)"),
        (
            "Ant\\x00wort",
            "the text contains the control character U+0000 (remove it; only tab and newline are allowed)",
        ),
        (
            "Ant\\x1bwort",
            "the text contains the control character U+001B (remove it; only tab and newline are allowed)",
        ),
    ],
)
def test_an_empty_text_or_one_with_a_control_character_is_refused_where_it_stands(tmp_path, monkeypatch, text, problem):
    monkeypatch.chdir(tmp_path)
    texts = {**english_texts(), "key.answer": "@"}
    path = write_catalogue(tmp_path, "de", texts)  # the text as escaped YAML: a raw NUL is a YAML error
    path.write_text(path.read_text(encoding="utf-8").replace('"@"', f'"{text}"'), encoding="utf-8")
    line = list(texts).index("key.answer") + 1
    assert issues_of(tmp_path, "de") == [f"catalogue/de.yaml:{line}:1: error: 'key.answer': {problem}"]


@pytest.mark.parametrize(
    "template",
    ["a {x} b", "{x}{y}", "{{x}} {x}", "{0} {x} {a.b}", "{x}}", "plain { text", "{ x } and {y}", "é {x} 日本", "}{x}{"],
)
def test_a_text_is_filled_placeholder_by_placeholder_and_its_other_braces_stay(template):
    from quizgen.render.catalogue import PLACEHOLDER, Catalogue

    params = {name: f"<{name}>{{x}}" for name in PLACEHOLDER.findall(template)}
    expected = PLACEHOLDER.sub(lambda match: params[match.group(1)], template)
    assert Catalogue("en", {"k": template}).text("k", **params) == expected


def test_a_text_asked_without_its_parameter_names_it():
    from quizgen.render.catalogue import Catalogue

    with pytest.raises(KeyError, match="text 'k' needs the parameter 'y'"):
        Catalogue("en", {"k": "{x} and {y}"}).text("k", x=1)


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("en", "en"),
        ("EN", "en"),
        ("pt-br", "pt-BR"),
        ("PT-BR", "pt-BR"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("sr-LATN", "sr-Latn"),
        ("es-419", "es-419"),
        ("de-CH-1996", "de-CH-1996"),
        ("en-US-X-TWAIN", "en-US-x-twain"),
    ],
)
def test_a_language_code_is_put_in_the_case_bcp_47_recommends(given, canonical):
    assert canonical_language(given) == canonical


def test_a_course_language_in_capitals_is_english_all_the_same(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    content = load(Source(course_asking_for(tmp_path, "EN"), SOURCES)).content
    assert content.settings.language == "en"
    assert course_catalogue(content).text("key.answer") == "Answer"


def test_a_catalogue_file_is_found_whatever_the_case_of_its_name(tmp_path):
    write_catalogue(tmp_path, "pt-br", {**english_texts(), "key.answer": "Resposta"})
    catalogue = load_catalogue("PT-BR", template_dirs(tmp_path))
    assert (catalogue.language, catalogue.text("key.answer")) == ("pt-BR", "Resposta")


@pytest.mark.parametrize("asked", ["pt-BR", "pt-br"])
def test_two_catalogues_of_one_language_spelled_apart_are_refused(tmp_path, asked):
    # Either could be the one a translator edits: choosing one would print the other's words unseen.
    for spelling in ("pt-BR", "pt-br"):
        write_catalogue(tmp_path, spelling, {**english_texts(), "key.answer": f"Resposta ({spelling})"})
    with pytest.raises(QuizgenError) as caught:
        load_catalogue(asked, template_dirs(tmp_path))
    folder = tmp_path / "catalogue"
    assert str(caught.value) == (
        f"two catalogues for language 'pt-BR' in {folder}: pt-BR.yaml, pt-br.yaml (language codes ignore case: keep one)"
    )


@pytest.mark.parametrize(
    ("given", "canonical"),
    [("en-x-ab", "en-x-ab"), ("EN-US-X-AB-CDEF", "en-US-x-ab-cdef"), ("zh-cmn-hans-cn", "zh-cmn-Hans-CN")],
)
def test_a_language_code_after_its_private_use_part_is_lower_case(given, canonical):
    # RFC 5646 2.1.1: a region is upper case and a script title case only before a singleton (x-...).
    assert canonical_language(given) == canonical


@pytest.mark.parametrize("target", ["outside.yaml", "missing.yaml"])
def test_a_catalogue_found_in_another_case_that_links_out_of_its_folder_is_refused(tmp_path, target):
    folder = tmp_path / "mine"
    (folder / "catalogue").mkdir(parents=True)
    (tmp_path / "outside.yaml").write_text("key.answer: leaked\n", encoding="utf-8")
    (folder / "catalogue" / "pt-br.yaml").symlink_to(tmp_path / target)
    with pytest.raises(QuizgenError) as caught:
        load_catalogue("pt-BR", template_dirs(folder))
    assert str(caught.value) == (
        f"{folder}/catalogue/pt-br.yaml: refused: this catalogue resolves to {tmp_path / target}, outside {folder}"
    )
