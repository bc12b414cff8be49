"""What goes into a note's fields and tags: escaped bank text, repeatable shuffles, tags without spaces."""

from __future__ import annotations

from dataclasses import replace

import pytest
from helpers import sample_questions

from quizgen.kinds.multiple_choice import MultipleChoice
from quizgen.kinds.ordering import Event, Ordering
from quizgen.model import Article, Passage
from quizgen.render.anki import NOTE_TYPES
from quizgen.render.anki_fields import note_fields, note_tags
from quizgen.render.anki_html import readable_date, shuffled, text

ARTICLES = {"a": Article("a", "A <b>bold</b> title", "Ann Author", "outlet", "2002", "a.txt")}
COMMON = {"bank": "b", "source": (Passage("a", "x"),), "tags": ("treaty",)}


def question(**overrides) -> MultipleChoice:
    values = {"id": "q", "kind": "multiple_choice", "prompt": "P", "answer": "A", "distractors": ("B", "C"), **COMMON}
    return MultipleChoice(**{**values, **overrides})


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('Tom & "Jerry"', "Tom &amp; &quot;Jerry&quot;"),
        ("[sound:boom.mp3]", "&#91;sound:boom.mp3]"),
        ("{{c1::Moscow::city}}", "{{c1::Moscow::city}}"),
    ],
)
def test_bank_text_reaches_a_field_escaped(raw, shown):
    assert text(raw) == shown


def test_no_field_of_any_kind_holds_raw_markup_from_the_bank():
    nasty = "<img src=x onerror=alert(1)>"
    for q in sample_questions():
        hostile = replace(q, prompt=q.prompt + nasty, explanation=nasty)
        fields = note_fields(hostile, ARTICLES).fields
        assert all("<img" not in value for value in fields.values()), q.kind
        assert "<b>" not in fields["Article"]


def test_every_kind_fills_exactly_the_fields_of_its_note_type():
    for q in sample_questions():
        built = note_fields(q, ARTICLES)
        assert set(built.fields) == set(NOTE_TYPES[built.note_type].fields), q.kind


def test_options_are_shuffled_the_same_way_every_build_and_differently_per_question():
    options = [f"option {i}" for i in range(6)]
    assert shuffled(options, "b/q1") == shuffled(options, "b/q1")
    assert shuffled(options, "b/q1") != shuffled(options, "b/q2")
    assert sorted(shuffled(options, "b/q1")) == sorted(options)


def test_events_to_order_are_never_shown_in_their_answer_order():
    for n in range(200):
        assert shuffled(["x", "y", "z"], f"b/q{n}", avoid_given_order=True) != ["x", "y", "z"]


def test_an_ordering_card_lists_dates_on_the_back_only():
    events = (Event("first", "1999"), Event("second", "2001-07"), Event("third", "2002-08-15"))
    q = Ordering(id="o", kind="ordering", prompt="Order", items=events, **COMMON)
    fields = note_fields(q, ARTICLES).fields
    assert "1999" not in fields["Events"]
    assert [fields["Order"].index(d) for d in ("1999", "Jul 2001", "15 Aug 2002")] == sorted(
        fields["Order"].index(d) for d in ("1999", "Jul 2001", "15 Aug 2002")
    )


@pytest.mark.parametrize(("date", "shown"), [("2001", "2001"), ("2002-08", "Aug 2002"), ("2001-07-05", "5 Jul 2001")])
def test_readable_dates(date, shown):
    assert readable_date(date) == shown


def test_the_answer_is_marked_among_the_options():
    fields = note_fields(question(answer="Right", distractors=("Wrong", "Also wrong")), ARTICLES).fields
    assert fields["Options"].count('class="qz-correct"') == 1
    assert 'class="qz-correct"><span class="qz-letter">' in fields["Options"]
    assert fields["Answer"].endswith(" </span>Right")


def test_tags_name_kind_article_bank_difficulty_and_topics_without_spaces():
    tags = note_tags(question(tags=("treaty", "date"), difficulty=3, bank="ni-2002"))
    assert tags == (
        "quizgen::kind::multiple_choice",
        "quizgen::article::a",
        "quizgen::bank::ni-2002",
        "quizgen::difficulty::3",
        "quizgen::treaty",
        "quizgen::date",
    )
    odd = note_tags(question(tags=("two words", "a::b")))
    assert all(" " not in tag for tag in odd)
    assert "quizgen::two_words" in odd and "quizgen::a:b" in odd


@pytest.mark.parametrize("names", [("Text",), ("Text", "Extra"), ("Extra", "Source", "Text")])
def test_a_note_types_fields_are_picked_in_its_order_whatever_their_number(names):
    from quizgen.render.anki import picker

    fields = {"Text": "the text", "Extra": "more", "Source": "a source"}
    assert picker(names)(fields) == tuple(fields[name] for name in names)
