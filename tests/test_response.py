"""Every kind declares its response in one of the shared forms, and that response agrees with its key."""

from __future__ import annotations

import pytest

from quizgen.kinds import KIND_NAMES, KINDS
from quizgen.kinds import response as r
from tests.helpers import sample_questions


@pytest.fixture(scope="module")
def by_kind():
    return {question.kind: question for question in sample_questions()}


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_each_kind_answers_in_one_of_the_forms(by_kind, kind):
    assert type(KINDS[kind].response(by_kind[kind])) in r.FORMS


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_the_right_choices_are_the_options_the_kind_marks_right(by_kind, kind):
    question = by_kind[kind]
    response = KINDS[kind].response(question)
    if isinstance(response, r.OneOf | r.AnyOf):
        declared = sorted((option.text, option.correct) for option in KINDS[kind].options(question))
        assert sorted((choice.text, choice.correct) for choice in response.options) == declared
        assert sum(choice.correct for choice in response.options) == 1 or isinstance(response, r.AnyOf)


def test_gaps_rebuild_the_text_with_every_answer_filled_in(by_kind):
    from quizgen.kinds.cloze import filled

    question = by_kind["cloze"]
    response = KINDS["cloze"].response(question)
    rebuilt = "".join(piece if isinstance(piece, str) else piece.answer for piece in response.pieces)
    assert rebuilt == filled(question.prompt)
    assert response.gaps


def test_an_output_table_that_leaves_out_a_form_is_named():
    whole = dict.fromkeys(r.FORMS, print)
    assert r.missing_forms(whole) == []
    del whole[r.Order]
    whole[str] = print
    assert r.missing_forms(whole) == ["Order", "str (not a form)"]
