"""Reading sets: an excerpt printed once with the 3 to 6 questions answered from it, in every output."""

from __future__ import annotations

from dataclasses import replace

import jsonschema
import pytest
from conftest import DATA, SOURCES, VALID

from quizgen.check.leaks import Giveaways
from quizgen.draw.fit import QuizSelectionError, check_fits
from quizgen.draw.select import Selection
from quizgen.draw.studyguide import study_guides
from quizgen.draw.versions import make_versions
from quizgen.errors import QuizgenError
from quizgen.load.bank_format import json_schema
from quizgen.load.content import require_content
from quizgen.load.quizzes import QuizDefinition, load_quiz_file
from quizgen.load.yamlio import parse, read_text
from quizgen.model import Content, Question, ReadingSet
from quizgen.pipeline import load_quizzes
from quizgen.render.handouts import render_guide, render_key, render_student
from quizgen.render.templates import make_env

SETS = DATA / "valid-sets"
BANK = SETS / "banks" / "sets.yaml"
SET_IDS = ["first-leader", "alliance-supplied", "spheres-opened"]


@pytest.fixture(scope="module")
def content():
    return require_content(SETS, SOURCES)


def test_a_bank_holds_its_sets_and_each_question_names_its_set(content):
    bank = content.bank("sets")
    assert [(s.id, s.title, s.article) for s in bank.sets] == [
        ("sept11-turn", "Ni on the months after September 11", "ni-2002")
    ]
    assert isinstance(bank.sets[0], ReadingSet)
    assert bank.sets[0].excerpt.startswith("The September 11 terrorist attacks on the United States, however,")
    assert [q.id for q in bank.set_questions("sept11-turn")] == SET_IDS
    assert {q.id: q.set for q in bank.questions}["treaty-signed"] == ""
    assert content.reading_set_of(bank.questions[1]) is bank.sets[0]
    assert content.reading_set_of(bank.questions[0]) is None


def test_the_json_schema_accepts_sets_and_refuses_unknown_set_keys():
    schema = json_schema()
    data = parse(read_text(BANK)).data
    jsonschema.validate(data, schema)
    data["sets"][0]["excerpts"] = "typo"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


# ---- quizzes ------------------------------------------------------------------------


def quiz(**overrides) -> QuizDefinition:
    values = {"id": "reading", "title": "Reading", "seed": 11, "selection": Selection(banks=("sets",)), "sets": 1}
    return QuizDefinition(**(values | overrides))


def with_question(content: Content, question: Question) -> Content:
    bank = content.bank("sets")
    return replace(content, banks=(replace(bank, questions=bank.questions + (question,)),))


def test_the_quiz_file_takes_sets_and_draws_the_set_whole_as_its_last_section(content):
    (definition,) = load_quizzes(SETS, content)
    assert (definition.sets, definition.count) == (1, 2)
    for version in make_versions(definition, content):
        *kinds, reading = version.sections
        assert all(section.reading is None for section in kinds)
        assert sum(len(section.questions) for section in kinds) == 2
        assert not any(q.question.set for section in kinds for q in section.questions)
        assert (reading.kind, reading.title, reading.reading.id) == (
            "reading",
            "Ni on the months after September 11",
            "sept11-turn",
        )
        assert [q.question.id for q in reading.questions] == SET_IDS  # bank order in every version
        assert [q.number for q in reading.questions] == [3, 4, 5]


def test_options_of_set_questions_are_still_shuffled_per_version(content):
    versions = make_versions(quiz(versions=4), content)
    orders = {tuple(c.text for c in v.sections[-1].questions[1].choices) for v in versions}
    assert len(orders) > 1


def test_sets_alone_draw_only_the_reading_set(content):
    (version, _) = make_versions(quiz(), content)
    assert [section.kind for section in version.sections] == ["reading"]


def test_a_quiz_without_sets_never_draws_a_set_question(content):
    for version in make_versions(quiz(sets=0), content):
        assert sorted(q.question.id for q in version.questions) == ["sco-founded", "trade-2001", "treaty-signed"]


def test_asking_for_more_sets_than_the_selection_has_points_at_sets(content):
    with pytest.raises(QuizSelectionError) as raised:
        check_fits(quiz(sets=2), content)
    assert str(raised.value) == "sets: 2 reading set(s) wanted but the selection has 1"
    assert raised.value.where == ("sets",)


def test_count_counts_only_the_questions_outside_sets(content):
    with pytest.raises(QuizSelectionError, match="^count: 4 questions wanted but the selection has 3$"):
        check_fits(quiz(count=4), content)


def test_the_quiz_file_refuses_a_negative_number_of_sets(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("quiz: bad\ntitle: Bad\nseed: 1\nsets: -1\n", encoding="utf-8")
    issues = load_quiz_file(path).report.issues
    assert [(i.line, i.col, i.message) for i in issues] == [
        (4, 7, "'sets' -1 is out of range (expected a whole number of at least 0)")
    ]


# ---- the give-away check knows the excerpt is printed --------------------------------------


def test_the_excerpt_gives_away_an_answer_of_a_question_outside_its_set(content):
    bank = content.bank("sets")
    first_leader, _, spheres = bank.set_questions("sept11-turn")
    outside = replace(spheres, id="asia-outside", set="", prompt="Where did American troops enter?")
    giveaways = Giveaways([*bank.questions, outside], content.excerpts())
    (found,) = giveaways.in_question(first_leader, outside)
    assert (found.path, found.answer) == (("excerpt",), "Central Asia")
    assert not giveaways.can_share_a_quiz(first_leader, outside)
    assert giveaways.can_share_a_quiz(first_leader, spheres)  # its own set: answered from it by design
    assert Giveaways([*bank.questions, outside]).can_share_a_quiz(first_leader, outside)  # the bank check


def test_a_draw_leaves_out_a_question_the_excerpt_answers(content):
    spheres = content.bank("sets").set_questions("sept11-turn")[2]
    outside = replace(spheres, id="asia-outside", set="", prompt="Where did American troops enter?")
    leaky = with_question(content, outside)
    for seed in range(6):
        for version in make_versions(quiz(seed=seed, count=3), leaky):
            assert "asia-outside" not in [q.question.id for q in version.questions]
    with pytest.raises(QuizgenError, match="cannot draw 4 .* do not give away each other's answers"):
        make_versions(quiz(count=4), leaky)


# ---- printed handouts, keys and guides ----------------------------------------------------


def test_the_handout_prints_the_excerpt_once_with_its_questions_right_after_it(content):
    env = make_env()
    (definition,) = load_quizzes(SETS, content)
    for version in make_versions(definition, content):
        html = render_student(env, version)
        assert html.count('<blockquote class="excerpt">') == 1
        assert html.count("Read the passage, then answer the questions after it.") == 1
        reading = html.index("Part III. Reading: Ni on the months after September 11")
        excerpt = html.index("The September 11 terrorist attacks on the United States, however,")
        prompts = [html.index(q.question.prompt.replace("'", "&#39;")) for q in version.sections[-1].questions]
        assert reading < excerpt < prompts[0] < prompts[1] < prompts[2]
        assert html.index("</section>", excerpt) > prompts[2]  # one section holds them all


def test_the_key_answers_the_set_under_its_heading_without_the_excerpt(content):
    (definition,) = load_quizzes(SETS, content)
    version = make_versions(definition, content)[0]
    html = render_key(make_env(), version)
    heading = html.index("Part III. Reading: Ni on the months after September 11")
    assert html.index("the Northern Alliance of Afghanistan", heading) > heading
    assert "changed the whole situation" not in html
    assert 'class="excerpt"' not in html


def test_the_study_guide_prints_the_excerpt_before_the_sets_questions(content):
    (guide,) = study_guides(content)
    (reading,) = guide.readings
    assert [e.question.id for e in reading.entries] == SET_IDS
    assert not any(e.question.set for group in guide.groups for e in group.entries)
    assert guide.count == 6
    html = render_guide(make_env(), guide)
    assert html.count('<blockquote class="excerpt">') == 1
    excerpt = html.index('<blockquote class="excerpt">')
    assert html.index("Reading: Ni on the months after September 11") < excerpt
    assert excerpt < html.index("According to the excerpt, Putin was the last foreign leader")


# ---- Anki: the excerpt leads the prompt field, with no new field or style ---------------------

BRACED = " {{c3::Taliban}}"  # not in any article: set here, past the checks, to try the escaping


def braced_content(content: Content) -> Content:
    """The sets bank with a cloze question in its set, and `{{c2::...}}` typed into the excerpt."""
    sample = require_content(VALID, SOURCES)
    cloze = next(q for q in sample.questions if q.kind == "cloze")
    bank = content.bank("sets")
    reading = replace(bank.sets[0], excerpt=bank.sets[0].excerpt + BRACED)
    joined = replace(cloze, bank="sets", set="sept11-turn")
    return replace(content, banks=(replace(bank, questions=bank.questions + (joined,), sets=(reading,)),))


@pytest.fixture(scope="module")
def anki_cards(content, tmp_path_factory):
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    from quizgen.render.anki import render_deck

    braced = braced_content(content)
    root = tmp_path_factory.mktemp("anki-sets")
    package = root / "sets.apkg"
    package.write_bytes(render_deck(braced, braced.questions))
    col = Collection(str(root / "collection.anki2"))
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions()))
    found = {}
    for cid in sorted(col.find_cards("")):
        card = col.get_card(cid)
        found.setdefault(card.note()["Reference"], []).append((card.question(), card.answer()))
    yield found
    col.close()


@pytest.mark.anki
def test_each_set_questions_card_front_shows_the_excerpt_and_others_do_not(anki_cards):
    excerpt_start = "The September 11 terrorist attacks on the United States, however, changed the whole situation."
    for qid in [*SET_IDS, "sco-cloze"]:
        for front, _ in anki_cards[f"sets/{qid}"]:
            assert '<blockquote class="qz-passage qz-excerpt">' + excerpt_start in front
    for qid in ["treaty-signed", "trade-2001", "sco-founded"]:
        (front, _), *_ = anki_cards[f"sets/{qid}"]
        assert "qz-excerpt" not in front


@pytest.mark.anki
def test_braces_in_an_excerpt_never_become_a_cloze(anki_cards):
    cloze_cards = anki_cards["sets/sco-cloze"]
    assert len(cloze_cards) == 2  # its own deletions c1 and c2: no card 3 from the excerpt's {{c3::
    for front, back in cloze_cards:
        assert "&#123;&#123;c3::Taliban&#125;&#125;" in front  # shown literally, as braces
        assert "&#123;&#123;c3::Taliban&#125;&#125;" in back


def test_the_note_types_are_unchanged():
    from quizgen.render.anki import NOTE_TYPES

    for note_type in NOTE_TYPES.values():
        assert "Excerpt" not in note_type.fields


# ---- the practice page ----------------------------------------------------------------


def test_the_practice_record_carries_the_excerpt_only_for_set_questions(content):
    from quizgen.render.practice import practice_data

    records = {r["uid"]: r for r in practice_data(content.questions, content, "Sets")["questions"]}
    assert records["sets/first-leader"]["excerpt"] == content.bank("sets").sets[0].excerpt
    assert "excerpt" not in records["sets/treaty-signed"]


# The practice page in Chromium with a reading set: tests/test_practice_browser.py (it owns the browser).
