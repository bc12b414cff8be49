"""The practice page in a real browser: Debian's Chromium driven by Playwright, pages opened from file://.

One browser for the module; each test gets a fresh context, so its
localStorage starts empty.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from helpers import chromium

from quizgen.load.content import require_content
from quizgen.model import Question
from quizgen.render.practice import render_practice

ROOT = Path(__file__).resolve().parent.parent
VALID = ROOT / "tests" / "data" / "valid"
INJECT = ROOT / "tests" / "data" / "practice-inject"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


pytestmark = pytest.mark.browser


# ---- fixtures -------------------------------------------------------------------


# One per module, not per session: test_practice_srs.py imports this fixture, and two sync
# Playwright instances cannot run at once, so each module's closes before the next opens.
@pytest.fixture(scope="module")
def browser():
    yield from chromium()


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The valid sample content (one question of each kind) and its practice page's URL."""
    content = require_content(VALID)
    path = tmp_path_factory.mktemp("practice") / "sample.html"
    path.write_text(render_practice(content.questions, content, title="Sample"), encoding="utf-8")
    return content, path.as_uri()


@pytest.fixture(scope="module")
def inject_url(tmp_path_factory):
    content = require_content(INJECT)
    path = tmp_path_factory.mktemp("practice") / "inject.html"
    path.write_text(render_practice(content.questions, content, title="Injected"), encoding="utf-8")
    return path.as_uri()


class Recorder:
    """What a page did besides drawing: requests, uncaught errors, console errors."""

    def __init__(self, page):
        self.finished: list[str] = []
        self.failed: list[tuple[str, str]] = []
        self.errors: list[str] = []
        page.on("requestfinished", lambda request: self.finished.append(request.url))
        page.on("requestfailed", lambda request: self.failed.append((request.url, request.failure)))
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)


# The page shuffles with Math.random; a seeded generator makes every run take the same path.
SEEDED_RANDOM = """(() => {
    let state = 20011;
    Math.random = () => {
        state = (state + 0x6d2b79f5) | 0;
        let t = Math.imul(state ^ (state >>> 15), 1 | state);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
})();"""


def open_page(browser, url: str, viewport=DESKTOP):
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(5000)  # a page that works answers in milliseconds; fail fast otherwise
    context.add_init_script(SEEDED_RANDOM)
    page = context.new_page()
    page.recorder = Recorder(page)
    page.goto(url)
    page.wait_for_selector("#question-heading")
    return context, page


@pytest.fixture
def page(browser, sample):
    context, page = open_page(browser, sample[1])
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, sample):
    context, page = open_page(browser, sample[1], PHONE)
    yield page
    context.close()


# ---- driving the page ---------------------------------------------------------------


def start_round(page, *, kind: str = "", tag: str = "", count: int | None = None, shuffle: bool = False) -> None:
    page.locator("#setup summary").click()
    page.select_option("#filter-kind", kind)
    page.select_option("#filter-tag", tag)
    if count is not None:
        page.fill("#filter-count", str(count))
    page.set_checked("#filter-shuffle", shuffle)
    page.click("#start")


def current(page, content) -> Question:
    uid = page.get_attribute("#question", "data-uid")
    return next(q for q in content.questions if q.uid == uid)


def check(page) -> None:
    page.locator("#question form button[type=submit]").click()


def arrange(page, texts: list[str]) -> None:
    """Move the ordering items, with their buttons, into the given order."""
    for target, text in enumerate(texts):
        position = page.locator(".order-text").all_inner_texts().index(text)
        for _ in range(position - target):
            page.get_by_role("button", name=f"Move “{text}” up").click()


def answer(page, q: Question, right: bool) -> None:
    """Answer the question on screen, rightly or wrongly, the way a student would."""
    ANSWERS[q.kind](page, q, right)


def _multiple_choice(page, q, right):
    page.locator("#question .option", has_text=q.answer if right else q.distractors[0]).click()


def _true_false(page, q, right):
    page.get_by_role("button", name="True" if q.answer == right else "False", exact=True).click()


def _multiple_select(page, q, right):
    for option in q.answers if right else q.distractors[:1]:
        page.get_by_label(option, exact=True).check()
    check(page)


def _short_answer(page, q, right):
    # Case, accents, punctuation and surrounding space must not matter.
    page.fill("#typed-answer", f"  {q.answer.upper().replace('I', 'Í')}. " if right else "Harbin")
    check(page)


def _numeric(page, q, right):
    page.fill("#typed-answer", str(q.answer + q.tolerance / 2).replace(".", ",") if right else str(q.answer + 1))
    check(page)


def _cloze(page, q, right):
    blanks = page.locator("#question input.blank")
    for i, (_, text, _) in enumerate(q.deletions):
        blanks.nth(i).fill(text.lower() + "!" if right else "wrong")
    check(page)


def _matching(page, q, right):
    rights = [p.right for p in q.pairs]
    chosen = rights if right else rights[1:] + rights[:1]
    for pair, choice in zip(q.pairs, chosen, strict=True):
        page.get_by_label(pair.left, exact=True).select_option(choice)
    check(page)


def _ordering(page, q, right):
    texts = [item.text for item in q.items]
    arrange(page, texts if right else texts[::-1])
    check(page)


def _essay(page, q, right):
    page.fill("#essay-answer", "Putin saw a chance to end confrontation.")
    check(page)
    page.get_by_role("button", name="I got it" if right else "I missed it").click()


ANSWERS = {
    "multiple_choice": _multiple_choice,
    "multiple_select": _multiple_select,
    "true_false": _true_false,
    "short_answer": _short_answer,
    "numeric": _numeric,
    "cloze": _cloze,
    "matching": _matching,
    "ordering": _ordering,
    "essay": _essay,
}


def correct_answer_texts(q: Question) -> list[str]:
    """What the feedback must show as the correct answer, per kind."""
    kind = q.kind
    if kind == "multiple_choice":
        return [f"Correct answer: {q.answer}"]
    if kind == "multiple_select":
        return ["Correct answers:", *q.answers]
    if kind == "true_false":
        return [f"Correct answer: {'True' if q.answer else 'False'}", q.correction]
    if kind == "short_answer":
        return [f"Correct answer: {q.answer}"]
    if kind == "numeric":
        return [f"Correct answer: {q.answer_text} {q.unit}"]
    if kind == "cloze":
        return ["Full text: " + re.sub(r"\{\{c\d+::(.*?)(::.*?)?\}\}", r"\1", q.prompt)]
    if kind == "matching":
        return [f"{p.left} → {p.right}" for p in q.pairs]
    if kind == "ordering":
        return [f"{item.text} ({item.date})" for item in q.items]
    return list(q.key_points)  # essay: shown with the self-assessment buttons


def answer_every_question(page, content, right: bool) -> set[str]:
    """Answer the whole round; check each feedback; return the kinds met."""
    kinds = set()
    article = content.articles["ni-2002"]
    for number in range(1, len(content.questions) + 1):
        assert page.inner_text("#question-heading") == f"Question {number} of {len(content.questions)}"
        q = current(page, content)
        kinds.add(q.kind)
        answer(page, q, right)
        feedback = page.locator("#feedback")
        verdict = feedback.locator(".verdict").inner_text()
        assert verdict.startswith("✓" if right else "✗"), (q.uid, verdict)
        shown = page.inner_text("#question")
        for text in correct_answer_texts(q):
            assert text in shown, (q.uid, text)
        text = feedback.inner_text()
        assert not re.search(r"\b(null|undefined|NaN)\b", text), (q.uid, text)
        assert q.explanation in text
        assert q.source[0].text.replace("\\$", "$") in text  # the texts' escaped US\\$ reads US$
        assert f"— {article.author}, {article.title} ({article.date})" in text
        assert page.inner_text("#score") == f"Score: {number if right else 0} of {number} right"
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"], q.uid
        feedback.locator("button.next").click()
    return kinds


# ---- the tests ---------------------------------------------------------------------


def test_every_kind_answered_right_gives_full_score(page, sample):
    content, _ = sample
    start_round(page, count=len(content.questions))
    kinds = answer_every_question(page, content, right=True)
    assert kinds == {q.kind for q in content.questions} and len(kinds) == 9
    assert page.inner_text("#summary .final-score") == "You got 9 of 9 right."
    assert "Nothing to review" in page.inner_text("#summary")
    assert page.recorder.errors == []


def test_every_kind_answered_wrong_on_a_phone_then_review_the_missed(phone_page, sample):
    content, _ = sample
    page = phone_page
    start_round(page, count=len(content.questions))
    answer_every_question(page, content, right=False)
    summary = page.inner_text("#summary")
    assert page.inner_text("#summary .final-score") == "You got 0 of 9 right."
    assert content.questions[0].prompt in summary  # the review sheet lists what was missed
    page.get_by_role("button", name="Review the ones I missed (9)").click()
    assert page.inner_text("#position") == "Review round of 9 questions"
    assert page.inner_text("#score") == "Score: 0 of 0 right"
    answer(page, current(page, content), right=True)
    assert page.inner_text("#score") == "Score: 1 of 1 right"
    assert page.recorder.errors == []


def test_an_unanswered_question_is_not_graded(page, sample):
    content, _ = sample
    start_round(page, kind="short_answer")
    check(page)
    assert page.inner_text("#feedback") == "Type an answer first."
    assert page.inner_text("#score") == "Score: 0 of 0 right"
    page.fill("#typed-answer", "Daqin")  # the text's own spelling is accepted
    page.keyboard.press("Enter")
    assert page.inner_text("#feedback .verdict") == "✓ Right."


def test_filters_choose_the_questions_of_the_round(page, sample):
    content, _ = sample
    page.locator("#setup summary").click()
    page.select_option("#filter-tag", "energy")
    assert page.inner_text("#available") == "1 question match."
    page.select_option("#filter-tag", "date")
    page.select_option("#filter-kind", "ordering")
    assert page.inner_text("#available") == "1 question match."
    page.select_option("#filter-kind", "")
    page.click("#start")
    dated = [q for q in content.questions if "date" in q.tags]
    assert page.inner_text("#position") == f"Round of {len(dated)} questions"
    assert current(page, content) in dated


def test_progress_is_kept_across_a_reload_and_can_be_reset(page, sample):
    content, _ = sample
    start_round(page, count=len(content.questions))
    for right in (True, False, True):
        answer(page, current(page, content), right)
        page.locator("#feedback button.next").click()
    page.reload()
    page.wait_for_selector("#question-heading")
    assert page.inner_text("#question-heading") == "Question 4 of 9"
    assert page.inner_text("#score") == "Score: 2 of 3 right"
    page.locator("#setup summary").click()
    assert "answered 3 of 9 questions" in page.inner_text("#history")
    assert page.inner_text("#review-history") == "Practise the ones I missed (1)"
    page.click("#review-history")
    assert page.inner_text("#position") == "Review round of 1 question"
    page.locator("#setup summary").click()
    page.click("#reset")
    assert page.inner_text("#score") == "Score: 0 of 0 right"
    assert page.inner_text("#history") == "You have answered none of the 9 questions on this page yet."
    assert page.is_disabled("#review-history")
    page.reload()
    page.wait_for_selector("#question-heading")
    assert page.inner_text("#question-heading") == "Question 1 of 9"


FOCUSED = "document.activeElement.getAttribute('aria-label') || document.activeElement.innerText"
# Whether the button named `label` comes before the focused element (then Shift+Tab goes to it).
TARGET_IS_BEFORE = """(label) => {
    const target = [...document.querySelectorAll('button')].find(b => (b.getAttribute('aria-label') || b.innerText) === label);
    return Boolean(target && target.compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING);
}"""


def _tab_to(page, label: str, limit: int = 20) -> None:
    """Press Tab (or Shift+Tab) until the control named `label` has the focus."""
    for _ in range(limit):
        if page.evaluate(FOCUSED) == label:
            return
        page.keyboard.press("Shift+Tab" if page.evaluate(TARGET_IS_BEFORE, label) else "Tab")
    raise AssertionError(f"Tab never reached {label!r}")


def test_an_ordering_question_by_keyboard_alone(page, sample):
    content, _ = sample
    start_round(page, kind="ordering")
    assert page.evaluate("document.activeElement.id") == "question-heading"  # from here on, keys only
    q = current(page, content)
    texts = [item.text for item in q.items]
    for target, text in enumerate(texts):
        position = page.locator(".order-text").all_inner_texts().index(text)
        if position > target:
            _tab_to(page, f"Move “{text}” up")
            for _ in range(position - target):
                page.keyboard.press("Enter")  # the focus follows the moved item's button
            # At the top "Up" is disabled, so the focus moves to the same item's "Down".
            assert page.evaluate(FOCUSED) == f"Move “{text}” {'down' if target == 0 else 'up'}"
            assert (
                page.inner_text("#question [aria-live]:not(#feedback)") == f"“{text}” is now number {target + 1} of 3."
            )
    _tab_to(page, "Check my answer")
    # The focus ring is visible: a real outline, not the browser's default removed.
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    assert page.evaluate("parseFloat(getComputedStyle(document.activeElement).outlineWidth)") >= 2
    page.keyboard.press("Enter")
    assert page.inner_text("#feedback .verdict") == "✓ Right."
    assert page.evaluate("document.activeElement.innerText") == "See my score"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "summary-heading"
    assert page.inner_text("#summary .final-score") == "You got 1 of 1 right."


def test_controls_have_labels(page, sample):
    content, _ = sample
    start_round(page, count=len(content.questions))
    unlabelled = """() => [...document.querySelectorAll('input, select, textarea')]
        .filter(e => !e.labels?.length && !e.getAttribute('aria-label')).map(e => e.outerHTML)"""
    for _ in content.questions:
        assert page.evaluate(unlabelled) == []
        answer(page, current(page, content), right=False)
        page.locator("#feedback button.next").click()


def test_injected_markup_shows_literally_and_never_runs(browser, inject_url):
    context, page = open_page(browser, inject_url)
    try:
        start_round(page, kind="multiple_choice")
        assert page.inner_text("#prompt") == "<script>window.pwned=1</script>"
        options = page.locator("#question .option").all_inner_texts()
        assert sorted(options) == sorted(
            [
                "July 2001",
                '<img src=x onerror="window.pwned=1">',
                "</script><script>window.pwned=1</script>",
                "<!-- May 2002",
            ]
        )
        assert "<script>window.pwned=1</script>Evil title" in page.inner_text("#question .meta")
        page.locator("#question .option", has_text="<img").click()
        feedback = page.inner_text("#feedback")
        assert '<b onmouseover="window.pwned=1">bold</b><iframe' in feedback
        assert '— <img src=x onerror="window.pwned=1">, <script>window.pwned=1</script>Evil title' in feedback
        page.locator("#feedback button.next").click()
        start_round(page, kind="matching")
        assert page.inner_text("#prompt") == '<img src=x onerror="window.pwned=1">'
        assert page.get_by_label("<svg onload=window.pwned=1>", exact=True).count() == 1
        assert page.get_by_label("&lt;escaped&gt;", exact=True).count() == 1
        start_round(page, kind="cloze")
        assert page.inner_text("#question .cloze-text").startswith("<b>The treaty</b> was signed in")
        assert page.get_attribute("#question input.blank", "placeholder") == "<i>city</i>"
        page.hover("#question")
        assert page.evaluate("typeof window.pwned") == "undefined"
        counts = page.evaluate(
            "['script', 'img', 'svg', 'iframe', 'b', 'a'].map(t => document.getElementsByTagName(t).length)"
        )
        assert counts == [3, 0, 0, 0, 0, 1]  # the data block, the scheduler and the page script; the skip link
        assert page.recorder.finished == [inject_url]
        assert page.recorder.failed == []
        assert page.recorder.errors == []
    finally:
        context.close()


FETCH = """async (url) => {
    try { await fetch(url); return "fetched"; } catch (error) { return "refused"; }
}"""


def test_the_content_security_policy_allows_no_network(browser, page, sample, tmp_path):
    served = []

    def fulfil(route):
        served.append(route.request.url)
        route.fulfill(status=200, body="ok", headers={"Access-Control-Allow-Origin": "*"})

    # Control: a page without the policy does reach the (intercepted) network.
    plain = tmp_path / "plain.html"
    plain.write_text("<!DOCTYPE html><title>plain</title>", encoding="utf-8")
    control = browser.new_context()
    control.route(re.compile(r"^https?://"), fulfil)
    control_page = control.new_page()
    control_page.goto(plain.as_uri())
    assert control_page.evaluate(FETCH, "https://example.org/control") == "fetched"
    control.close()
    assert served == ["https://example.org/control"]

    policy = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
    assert "default-src 'none'" in policy and "connect-src 'none'" in policy
    page.context.route(re.compile(r"^https?://"), fulfil)
    page.evaluate(
        "window.violations = []; document.addEventListener('securitypolicyviolation', e => violations.push(e.effectiveDirective))"
    )
    assert page.evaluate(FETCH, "https://example.org/leak") == "refused"
    page.evaluate("new Image().src = 'https://example.org/pixel.png'")
    page.evaluate(
        "document.head.appendChild(Object.assign(document.createElement('script'), {src: 'https://example.org/x.js'}))"
    )
    page.wait_for_function("violations.length >= 3")
    assert sorted(page.evaluate("violations")) == ["connect-src", "img-src", "script-src-elem"]
    # Nothing got past the policy: no request reached the network, the image and script were stopped by it.
    assert served == ["https://example.org/control"]
    assert page.recorder.finished == [sample[1]]
    assert sorted(page.recorder.failed) == [
        ("https://example.org/pixel.png", "csp"),
        ("https://example.org/x.js", "csp"),
    ]


def test_a_typed_answer_keeps_its_decimal_point(browser, sample, tmp_path):
    content, _ = sample
    short = next(q for q in content.questions if q.kind == "short_answer")
    figure = dataclasses.replace(short, prompt="How many billion dollars?", answer="10.7", accept=())
    path = tmp_path / "figure.html"
    path.write_text(render_practice([figure], content, title="Figure"), encoding="utf-8")
    verdicts = {}
    for typed in ("107", " 10,7. "):  # punctuation and spaces are forgiven; a decimal point is not
        context, page = open_page(browser, path.as_uri())  # a fresh context: no stored progress
        page.fill("#typed-answer", typed)
        page.keyboard.press("Enter")
        verdicts[typed] = page.inner_text("#feedback .verdict")
        context.close()
    assert verdicts == {"107": "✗ Not quite.", " 10,7. ": "✓ Right."}


def test_the_practice_page_shows_the_excerpt_as_text_above_a_set_question(browser, tmp_path):
    """A reading set's excerpt above each of its questions, as text (markup typed in it shows literally)."""
    content = require_content(ROOT / "tests" / "data" / "valid-sets")
    bank = content.bank("sets")
    markup = dataclasses.replace(bank.sets[0], excerpt='<img src=x onerror="window.pwned=1"> ' + bank.sets[0].excerpt)
    shown = dataclasses.replace(content, banks=(dataclasses.replace(bank, sets=(markup,)),))
    path = tmp_path / "sets.html"
    path.write_text(render_practice(shown.questions, shown, title="Sets"), encoding="utf-8")
    context, page = open_page(browser, path.as_uri())
    try:
        start_round(page, kind="true_false")
        assert page.get_attribute("#question", "data-uid") == "sets/first-leader"
        assert page.inner_text("#excerpt") == markup.excerpt
        assert page.inner_text("#prompt").startswith("According to the excerpt, Putin was the last")
        assert page.evaluate("document.getElementsByTagName('img').length") == 0
        start_round(page, kind="numeric")
        assert page.locator("#excerpt").count() == 0
        assert page.evaluate("typeof window.pwned") == "undefined"
        assert page.recorder.errors == []
    finally:
        context.close()
