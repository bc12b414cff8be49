"""What the cards show, as the real Anki library renders them: the front never gives the answer away,
and the back of every card shows the answer, the source passage and its article."""

from __future__ import annotations

import html

import pytest
from conftest import SOURCES, VALID
from helpers import import_package

from quizgen.kinds import KIND_NAMES as KINDS
from quizgen.load.content import require_content
from quizgen.render.anki import render_deck

pytestmark = pytest.mark.anki

# Text only the back of each kind's card may show.
ANSWERS = {
    "multiple_choice": ['<hr id="answer">'],
    "multiple_select": ['<hr id="answer">'],
    "true_false": ["Correct statement", ">False<"],
    "short_answer": ["Daqing", "Also accepted"],
    "numeric": ["10.7 billion", "10.65 to 10.75"],
    "cloze": ["Central Asia"],
    "matching": ['class="qz-pairs"'],
    "ordering": ['class="qz-date"', "Aug 2002"],
    "essay": ["good opportunity to end confrontation"],
}


@pytest.fixture(scope="module")
def cards(tmp_path_factory):
    """The first card of each kind, from a fresh collection that imported the sample bank."""
    from anki.collection import Collection

    root = tmp_path_factory.mktemp("anki-cards")
    content = require_content(VALID, SOURCES)
    package = root / "sample.apkg"
    package.write_bytes(render_deck(content, content.questions))
    col = Collection(str(root / "collection.anki2"))
    import_package(col, package)
    kinds = {q.uid: q for q in content.questions}
    found = {}
    for cid in sorted(col.find_cards("")):
        card = col.get_card(cid)
        uid = card.note()["Reference"]
        found.setdefault(kinds[uid].kind, (card, kinds[uid]))
    yield found
    col.close()


@pytest.mark.parametrize("kind", KINDS)
def test_the_front_does_not_give_the_answer_away(cards, kind):
    card, _ = cards[kind]
    front = card.question()
    assert 'class="qz-back' not in front
    for answer in ANSWERS[kind]:
        assert answer not in front
        assert answer in card.answer()


@pytest.mark.parametrize("kind", KINDS)
def test_the_back_shows_the_source_passage_and_its_article(cards, kind):
    card, question = cards[kind]
    back = card.answer()
    for passage in question.source:
        assert html.escape(passage.text.replace("\\$", "$")) in back
    assert "Sino-Russian Relations since the September 11 Incident" in back
    assert "Ni Xiaoquan" in back


@pytest.mark.parametrize("kind", KINDS)
def test_cards_carry_their_note_type_css_and_no_script(cards, kind):
    card, _ = cards[kind]
    assert ".qz-prompt" in card.css()
    assert "<script" not in card.question() + card.answer()


def test_the_cloze_back_reveals_only_its_own_deletion(cards):
    card, _ = cards["cloze"]
    assert card.ord == 0
    assert '<span class="cloze"' in card.answer()
    assert "Central Asia" in card.answer()
    assert "[...]" in card.question()
