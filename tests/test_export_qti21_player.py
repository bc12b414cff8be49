"""The QTI 2.1 export scored by a real player: @citolab/qti-components in Debian's Chromium.

That player plays QTI 3.0, so the exported package first goes through its
makers' converter (@citolab/qti-convert, `qti-convert-pkg`), as a platform
built on it would import a QTI 2.1 package. Each item is then rendered on a
harness page (tests/js/qti_harness.mjs, bundled with esbuild), answered as the
bank states the key, and as a distractor, and the player runs the item's own
response processing: the key must score MAXSCORE (the question's points), a
distractor 0. Nothing here scores an answer itself.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from helpers import chromium

from quizgen.export.qti21 import FORMAT
from quizgen.kinds import kind_of
from quizgen.kinds import response as r
from quizgen.load.content import require_content
from quizgen.model import format_number, number_range
from quizgen.render.catalogue import english_text

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "tests" / "js"
SITE = "http://qti.test/"  # served by page.route from a temp folder: no network, no server
WRONG_TEXT = "zzqx"

pytestmark = pytest.mark.browser


# ---- the answers, from the bank's response forms ------------------------------------------------


def key_answer(response: r.Response) -> dict:
    """What a candidate who knows the key gives, in the harness's terms."""
    return r.dispatch(KEYS, response)


def distractor_answer(response: r.Response) -> dict | None:
    """A wrong answer that must score 0 (None for an essay, which the player does not score)."""
    return r.dispatch(DISTRACTORS, response)


def _verdict_text(value: bool) -> str:
    return english_text("answer.true" if value else "answer.false")


def _wrong_number(response: r.Number) -> str:
    return format_number(response.value + 10 * response.tolerance + abs(response.value) + 1)


KEYS = {
    r.OneOf: lambda q: {"choose": [c.text for c in q.options if c.correct]},
    r.AnyOf: lambda q: {"choose": [c.text for c in q.options if c.correct]},
    r.Verdict: lambda q: {"choose": [_verdict_text(q.answer)]},
    r.Typed: lambda q: {"type": [q.accepted[0]]},
    r.Number: lambda q: {"type": [format_number(q.value)]},
    r.Gaps: lambda q: {"type": [gap.answer for gap in q.gaps]},
    r.Pairs: lambda q: {"pairs": [[p.left, p.right] for p in q.pairs]},
    r.Order: lambda q: {"order": list(q.items)},
    r.Open: lambda q: {"type": [" ".join(q.key_points)]},
}
DISTRACTORS = {
    r.OneOf: lambda q: {"choose": [next(c.text for c in q.options if not c.correct)]},
    r.AnyOf: lambda q: {"choose": [next(c.text for c in q.options if not c.correct)]},
    r.Verdict: lambda q: {"choose": [_verdict_text(not q.answer)]},
    r.Typed: lambda q: {"type": [WRONG_TEXT]},
    r.Number: lambda q: {"type": [_wrong_number(q)]},
    r.Gaps: lambda q: {"type": [WRONG_TEXT for _ in q.gaps]},
    r.Pairs: lambda q: {"pairs": [[p.left, q.pairs[(i + 1) % len(q.pairs)].right] for i, p in enumerate(q.pairs)]},
    r.Order: lambda q: {"order": list(reversed(q.items))},
    r.Open: lambda q: None,
}


def test_the_answer_tables_cover_every_form():
    assert r.missing_forms(KEYS) == []
    assert r.missing_forms(DISTRACTORS) == []


# ---- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The harness page, its bundled script and the player's stylesheet, in a temp folder."""
    node_modules = JS / "node_modules"
    if not (node_modules / "@citolab" / "qti-convert").is_dir() or shutil.which("node") is None:
        pytest.fail("the QTI player is missing: run scripts/setup (npm ci --prefix tests/js)")
    folder = tmp_path_factory.mktemp("qti-site")
    esbuild = node_modules / ".bin" / "esbuild"
    bundle = [str(esbuild), str(JS / "qti_harness.mjs"), "--bundle", "--format=esm", "--log-level=warning"]
    subprocess.run([*bundle, f"--outfile={folder / 'harness.js'}"], check=True, cwd=JS)
    shutil.copy(node_modules / "@citolab" / "qti-components" / "dist" / "item.css", folder / "item.css")
    (folder / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="stylesheet" href="item.css">'
        '<script type="module" src="harness.js"></script></head><body><main id="host"></main><p id="score"></p></body></html>',
        encoding="utf-8",
    )
    return folder


def converted_items(content, tmp: Path) -> dict[str, str]:
    """uid -> the QTI 3.0 item that @citolab/qti-convert makes of quizgen's QTI 2.1 item."""
    package = tmp / "qti21.zip"
    package.write_bytes(FORMAT.export(content.questions, content).data)
    converter = JS / "node_modules" / "@citolab" / "qti-convert" / "dist" / "qti-convert-pkg.mjs"
    subprocess.run(["node", str(converter), str(package)], check=True, cwd=JS, capture_output=True)
    items = {}
    with zipfile.ZipFile(tmp / "qti21-qti3.zip") as archive:
        for name in archive.namelist():
            if name.startswith("items/"):
                xml = archive.read(name).decode("utf-8")
                items[ET.fromstring(xml).get("title")] = xml
    return items


@pytest.fixture(scope="module")  # not session: another module's Playwright may not run beside this one
def browser():
    yield from chromium()


@pytest.fixture
def player(browser, site):
    """A page with the player loaded; any page error fails the test."""
    context = browser.new_context(viewport={"width": 900, "height": 700})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    def serve(route):
        path = site / route.request.url.removeprefix(SITE).split("?")[0]
        route.fulfill(path=str(path)) if path.is_file() else route.fulfill(status=404)

    page.route(f"{SITE}**", serve)
    page.goto(f"{SITE}index.html")
    page.wait_for_function("window.qtiHarness !== undefined")
    yield page
    context.close()
    assert errors == []


def play(page, xml: str, given: dict) -> dict:
    """Load, answer and score one item in the player; every response variable must then hold the answer."""
    result = page.evaluate("([xml, given]) => qtiHarness.loadAnswerScore(xml, given)", [xml, given])
    unanswered = [name for name, value in result["responses"] if name != "numAttempts" and value in (None, "", [])]
    assert unanswered == [], f"the player did not take the answer {given} for {unanswered}"
    return result


# ---- the checks -------------------------------------------------------------------------------------


def test_every_shipped_question_scores_full_marks_for_the_key_and_zero_for_a_distractor(player, tmp_path):
    content = require_content(ROOT / "content")
    items = converted_items(content, tmp_path)
    wrong, scored, essays = [], 0, 0
    for question in content.questions:
        response = kind_of(question).response(question)
        xml = items[question.uid]
        key = play(player, xml, key_answer(response))
        if float(key["MAXSCORE"]) != question.points:
            wrong.append(f"{question.uid}: MAXSCORE {key['MAXSCORE']}, points {question.points}")
        distractor = distractor_answer(response)
        if distractor is None:  # an essay: the player stores the text and leaves the score to a person
            essays += 1
            if float(key["SCORE"]) != 0:
                wrong.append(f"{question.uid}: an essay was scored {key['SCORE']}")
            continue
        scored += 1
        if float(key["SCORE"]) != question.points:
            wrong.append(f"{question.uid}: the key scored {key['SCORE']} of {question.points} ({key['responses']})")
        got = play(player, xml, distractor)
        if float(got["SCORE"]) != 0:
            wrong.append(f"{question.uid}: a distractor scored {got['SCORE']} ({got['responses']})")
    print(f"QTI 2.1 player: {scored} items scored, key = max and distractor = 0 for all; {essays} essays unscored")
    assert wrong == []
    assert scored + essays == len(content.questions)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The valid sample (one question of each kind), its questions by kind and its items as the player gets them."""
    content = require_content(ROOT / "tests" / "data" / "valid")
    items = converted_items(content, tmp_path_factory.mktemp("qti-sample"))
    return {question.kind: (question, items[question.uid]) for question in content.questions}


def load(page, xml: str):
    page.evaluate("xml => qtiHarness.load(xml).then(() => null)", xml)


def score(page) -> dict:
    return page.evaluate("qtiHarness.score()")


def test_a_candidate_clicking_the_key_of_a_choice_question_gets_full_marks(player, sample):
    question, xml = sample["multiple_choice"]
    load(player, xml)
    player.get_by_text(question.answer, exact=True).click()
    assert score(player)["SCORE"] == format_number(question.points)


def test_a_candidate_typing_the_cloze_answers_gets_full_marks_and_sees_the_sources(player, sample):
    question, xml = sample["cloze"]
    load(player, xml)
    boxes = player.locator("qti-text-entry-interaction input")
    gaps = kind_of(question).response(question).gaps
    assert boxes.count() == len(gaps)
    for i, gap in enumerate(gaps):
        boxes.nth(i).fill(gap.answer)
        boxes.nth(i).press("Tab")
    assert score(player)["SCORE"] == format_number(question.points)
    feedback = player.locator("qti-modal-feedback")
    assert question.source[0].text in feedback.inner_text()
    Path("/work/shots").mkdir(parents=True, exist_ok=True)
    player.screenshot(path="/work/shots/qti-item.png")


def test_a_distractor_among_the_right_options_lowers_the_score(player, sample):
    question, xml = sample["multiple_select"]
    response = kind_of(question).response(question)
    everything_right = [choice.text for choice in response.options if choice.correct]
    one_wrong = next(choice.text for choice in response.options if not choice.correct)
    got = play(player, xml, {"choose": [*everything_right, one_wrong]})
    assert 0 < float(got["SCORE"]) < question.points


def test_every_accepted_spelling_scores_in_any_case(player, sample):
    question, xml = sample["short_answer"]
    for spelling in kind_of(question).response(question).accepted:
        for typed in (spelling, spelling.upper(), spelling.lower()):
            assert play(player, xml, {"type": [typed]})["SCORE"] == format_number(question.points), typed


def test_a_number_scores_within_its_tolerance_and_not_beyond(player, sample):
    question, xml = sample["numeric"]
    response = kind_of(question).response(question)
    lowest, highest = number_range(response.value, response.tolerance)
    for inside in (lowest, highest):
        assert float(play(player, xml, {"type": [inside]})["SCORE"]) == question.points, inside
    outside = format_number(float(highest) + response.tolerance)
    assert float(play(player, xml, {"type": [outside]})["SCORE"]) == 0


def test_matching_pairs_earn_a_share_each(player, sample):
    question, xml = sample["matching"]
    pairs = kind_of(question).response(question).pairs
    left_two_swapped = [[pairs[0].left, pairs[1].right], [pairs[1].left, pairs[0].right]]
    rest = [[pair.left, pair.right] for pair in pairs[2:]]
    got = play(player, xml, {"pairs": left_two_swapped + rest})
    assert float(got["SCORE"]) == pytest.approx(question.points * len(rest) / len(pairs))


def test_an_essay_keeps_its_key_points_in_a_rubric_the_candidate_does_not_see(player, sample):
    question, xml = sample["essay"]
    load(player, xml)
    rubric = player.locator("qti-rubric-block")
    assert rubric.get_attribute("view") == "scorer"
    held = rubric.evaluate("node => node.textContent")
    assert [point for point in question.key_points if point not in held] == []
    assert not rubric.is_visible()  # the player keeps a scorer's rubric from the candidate
