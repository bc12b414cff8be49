"""Warnings for questions that give away an answer, their own or another's in the same bank.

A quiz drawn from one bank prints many questions side by side, so the prompt
of one must not state the answer of another. Only distinctive answers are
checked (numbers of two digits or more, answers with a digit, or of two words
or more): a one-word answer such as "Russia" is everywhere and proves nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from quizgen.check.sources import appears_in, normalize
from quizgen.model import (
    CLOZE_DELETION,
    Bank,
    Cloze,
    Matching,
    MultipleChoice,
    MultipleSelect,
    Numeric,
    Ordering,
    Question,
    ShortAnswer,
    TrueFalse,
    cloze_visible_text,
)


def distinctive_answers(question: Question) -> list[str]:
    """The answers of a question that would give it away if printed elsewhere."""
    if isinstance(question, (MultipleChoice, ShortAnswer)):
        answers = [question.answer]
    elif isinstance(question, MultipleSelect):
        answers = list(question.answers)
    elif isinstance(question, Cloze):
        answers = [text for _, text, _ in question.deletions]
    elif isinstance(question, Numeric):
        answers = [question.answer_text] if len(question.answer_text) >= 2 else []
    else:
        answers = []
    return [a for a in answers if re.search(r"\d", a) or len(a.split()) >= 2]


def shown_text(question: Question) -> str:
    """Everything a student reads of a question besides its options, folded for matching."""
    parts = [cloze_visible_text(question.prompt) if isinstance(question, Cloze) else question.prompt]
    if isinstance(question, Matching):
        parts += [pair.left for pair in question.pairs] + [pair.right for pair in question.pairs]
    if isinstance(question, Ordering):
        parts += [item.text for item in question.items]
    return normalize(" ".join(parts)).casefold()


def gives_away(question: Question, other: Question) -> bool:
    """Does `question`, as printed, state a distinctive answer of `other`?"""
    shown = shown_text(question)
    return any(appears_in(answer, shown) for answer in distinctive_answers(other))


def can_share_a_quiz(first: Question, second: Question) -> bool:
    """Neither question gives away the other's answer."""
    return not gives_away(first, second) and not gives_away(second, first)


def self_leaks(question: Question) -> Iterator[str]:
    """A question that prints its own answer."""
    if isinstance(question, (MultipleChoice, ShortAnswer)) and appears_in(question.answer, shown_text(question)):
        yield f"the prompt contains its own answer '{question.answer}'"
    if isinstance(question, Cloze):
        yield from _cloze_self_leaks(question)
    if (
        isinstance(question, TrueFalse)
        and question.correction
        and normalize(question.correction) == normalize(question.prompt)
    ):
        yield "the correction repeats the false statement"


def _cloze_self_leaks(question: Cloze) -> Iterator[str]:
    for number in question.card_numbers:
        hidden = [text for n, text, _ in question.deletions if n == number]
        # What the card for cN shows: the other deletions filled in, cN blanked.
        shown = CLOZE_DELETION.sub(
            lambda m, number=number: "[...]" if int(m.group(1)) == number else m.group(2), question.prompt
        )
        for text in hidden:
            if appears_in(text, normalize(shown).casefold()):
                yield f"cloze card c{number} shows its hidden text '{text}' elsewhere in the sentence"


def bank_leaks(bank: Bank) -> Iterator[tuple[Question, str]]:
    """(question, message) for every question that leaks its own or another's answer."""
    for question in bank.questions:
        for message in self_leaks(question):
            yield question, message
    shown = {q.id: shown_text(q) for q in bank.questions}
    by_id = {q.id: q for q in bank.questions}
    index = _word_index(shown)
    for question in bank.questions:
        for answer in distinctive_answers(question):
            for other_id in sorted(_candidates(answer, index) - {question.id}):
                if appears_in(answer, shown[other_id]):
                    yield (
                        by_id[other_id],
                        (
                            f"the prompt gives away '{answer}', the answer of question '{question.id}' "
                            "(rephrase so a quiz from this bank cannot be answered from another question)"
                        ),
                    )


_WORD = re.compile(r"\w+")


def _word_index(shown: dict[str, str]) -> dict[str, set[str]]:
    # Only prompts holding every word of an answer can contain it: this keeps
    # the check linear-ish on large banks instead of comparing every pair.
    index: dict[str, set[str]] = {}
    for qid, text in shown.items():
        for word in set(_WORD.findall(text)):
            index.setdefault(word, set()).add(qid)
    return index


def _candidates(answer: str, index: dict[str, set[str]]) -> set[str]:
    words = _WORD.findall(normalize(answer).casefold())
    sets = sorted((index.get(word, set()) for word in words), key=len)
    return set.intersection(*sets) if sets else set()
