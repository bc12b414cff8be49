"""Give-aways: a question whose printed text states its own answer, or another question's.

A quiz prints many questions side by side, so nothing a student reads of one
as given (its prompt or statement, matching items, events, a cloze's text and
hints) may state the answer of another. Options to choose from are not
statements (a year among the options of one question says nothing about
another), so they are not searched. Every answer is checked, whatever its
length, and a give-away is reported at the field where it stands.

Three rules keep the check useful. A one-word answer in lower case
("alliance", "two") is ordinary vocabulary, not a name. A one-word name that
the course's questions print everywhere ("Russia", "China") proves nothing.
And a question that prints its options (multiple choice, say) shows a one-word
answer to every student anyway, so only its longer or numeric answers count.
So a one-word answer without a digit counts when the student must recall it
and it is a name that the texts of at most COMMON_WORD_QUESTIONS questions
contain.

A quiz also prints each reading set's excerpt once, above its questions: given
the excerpts, the excerpt counts as shown text of each of its set's questions,
so no other question drawn with it may have its answer stated there. The set's
own questions are answered from it by design, so it is not searched for theirs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from quizgen.check.sources import appears_in, normalize
from quizgen.kinds import kind_of
from quizgen.model import Bank, Question

COMMON_WORD_QUESTIONS = 5
EXCERPT = ("excerpt",)  # the path of a set's excerpt among what its questions show
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Giveaway:
    """Where `question` prints `answer`, the answer of `answered`."""

    question: Question
    path: tuple  # the field below the question, e.g. ("pairs", 2, "right")
    answer: str
    answered: Question


class Giveaways:
    """What every question shows and which of its answers are distinctive, indexed for quick lookups."""

    def __init__(self, questions: Iterable[Question], excerpts: Mapping[tuple[str, str], str] | None = None):
        """`excerpts` by (bank id, set id): printed with their questions, so searched as theirs (a draw's check)."""
        self.questions = list(questions)
        self.shown = {q.uid: [(path, _folded(text)) for path, text in kind_of(q).shown(q)] for q in self.questions}
        for question in self.questions:
            excerpt = (excerpts or {}).get((question.bank, question.set)) if question.set else None
            if excerpt:
                self.shown[question.uid].append((EXCERPT, _folded(excerpt)))
        answer_words = {word for q in self.questions for answer in kind_of(q).answers(q) for word in _words(answer)}
        self.index = _word_index(self.shown, answer_words)
        self._distinctive_of: dict[str, list[str]] = {}  # by uid: a draw asks again for every pair it tries

    def distinctive(self, question: Question) -> list[str]:
        """The answers that would give the question away if another question printed them."""
        if question.uid not in self._distinctive_of:
            kind = kind_of(question)
            answers = [answer for answer in kind.answers(question) if self._distinctive(answer, kind.recall)]
            self._distinctive_of[question.uid] = answers
        return self._distinctive_of[question.uid]

    def _distinctive(self, answer: str, recall: bool) -> bool:
        words = _words(answer)
        if not words:
            return False
        if len(words) >= 2 or any(ch.isdigit() for ch in answer):
            return True
        is_name = not answer.strip()[:1].islower()  # "Songgotu", "Iraq", and scripts without case
        return recall and is_name and len(self.index.get(words[0], ())) <= COMMON_WORD_QUESTIONS

    def in_question(self, question: Question, answered: Question) -> list[Giveaway]:
        """Where `question` prints a distinctive answer of `answered`."""
        found = []
        for answer in self.distinctive(answered):
            for path, text in self.shown[question.uid]:
                if path == EXCERPT and _same_set(question, answered):
                    continue  # the excerpt states its own questions' answers: that is what it is for
                if appears_in(answer, text):
                    found.append(Giveaway(question, path, answer, answered))
                    break
        return found

    def can_share_a_quiz(self, first: Question, second: Question) -> bool:
        """Neither question gives away the other's answer."""
        return not self.in_question(first, second) and not self.in_question(second, first)

    def everywhere(self) -> Iterator[Giveaway]:
        """Every question that prints another's distinctive answer."""
        by_uid = {q.uid: q for q in self.questions}
        for answered in self.questions:
            for answer in self.distinctive(answered):
                for uid in sorted(self._candidates(answer) - {answered.uid}):
                    found = [g for g in self.in_question(by_uid[uid], answered) if g.answer == answer]
                    yield from found[:1]

    def _candidates(self, answer: str) -> set[str]:
        # Only questions holding every word of an answer can contain it: this keeps the
        # check near-linear on large banks instead of comparing every pair.
        sets = sorted((self.index.get(word, set()) for word in _words(answer)), key=len)
        return set.intersection(*sets) if sets else set()


def _same_set(first: Question, second: Question) -> bool:
    return bool(first.set) and (first.bank, first.set) == (second.bank, second.set)


def _folded(text: str) -> str:
    return normalize(text).casefold()


def _words(text: str) -> list[str]:
    return _WORD.findall(_folded(text))


def _word_index(shown: dict[str, list[tuple[tuple, str]]], wanted: set[str]) -> dict[str, set[str]]:
    """For each of the `wanted` words (those of the answers: the only ones looked up), the questions
    whose shown text has it; a set intersection per question keeps the rest of the words out of Python."""
    index: dict[str, set[str]] = {}
    for uid, texts in shown.items():
        for word in wanted.intersection(_WORD.findall(" ".join(text for _, text in texts))):  # one scan each
            index.setdefault(word, set()).add(uid)
    return index


def field_name(path: tuple) -> str:
    """A field as a teacher reads it: ('pairs', 2, 'right') -> 'pair 3 (right)'."""
    if not path:
        return "question"
    name = {
        "pairs": "pair",
        "items": "event",
        "distractors": "distractor",
        "answers": "answer",
        "accept": "accepted answer",
    }
    words = [name.get(path[0], path[0])]
    if len(path) > 1 and isinstance(path[1], int):
        words.append(str(path[1] + 1))
    if len(path) > 2:
        words.append(f"({path[2]})")
    return " ".join(words)


def bank_leaks(bank: Bank) -> Iterator[tuple[Question, tuple, str]]:
    """(question, field path, message) for every question that prints its own or another's answer."""
    for question in bank.questions:
        for message in kind_of(question).self_leaks(question):
            yield question, ("prompt",), message
    for found in Giveaways(bank.questions).everywhere():
        yield (
            found.question,
            found.path,
            f"the {field_name(found.path)} gives away '{found.answer}', the answer of question '{found.answered.id}' "
            "(rephrase so a quiz from this bank cannot be answered from another question)",
        )
