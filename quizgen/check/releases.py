"""Changes that would strand students' cards, found by comparing each question with its last release.

A released question lives on in students' collections as a note with cards
and a review history. Three changes break that link, and are refused:

- a changed kind whose note type is another: Anki files the import as
  "conflicting" (the student keeps the old card, never gets the new). A kind
  changed within one note type (true/false to short answer, both Basic) is an
  ordinary update, history kept, and is let through;
- a removed cloze number: the card of that deletion stays, and Anki shows
  "No cloze N found on card";
- a changed id: the note is matched by id, so a new id is a new note, and the
  old card stays behind. Found when a released question is gone, not listed
  under its bank's `retired:`, and a question new since the release has the
  same prompt (case and spacing aside). A reworded and renamed question is not
  caught; docs/anki.md says so.

And one that looks harmless: a question back under an id the release retired.
Its note comes back live, but its card keeps the retired one's history and
stays suspended for every student who suspended the retired cards as the deck
tells them to: the student never sees it. A retired id is spent.
"""

from __future__ import annotations

from pathlib import Path

from quizgen.errors import Issue
from quizgen.load.fields import Report, open_report
from quizgen.load.releases import Release, Released, prompt_digest
from quizgen.model import Bank, Content, Question
from quizgen.render.anki_notetypes import NOTE_TYPES, card_ords


def release_problems(content: Content, release: Release | None, content_dir: Path) -> list[Issue]:
    """Every change since `release` that would strand students' cards, located at the question."""
    if release is None:
        return []
    notes = release.notes
    live = {q.uid for q in content.questions}
    # Questions given a new id are looked for among the released ones gone, when a question is new.
    vanished = {} if live <= notes.keys() else _vanished(content, release, live)
    issues: list[Issue] = []
    for bank in content.banks:
        report: Report | None = None
        for index, question in enumerate(bank.questions):
            before = notes.get(question.uid)
            if (
                before is not None
                and not before.retired
                and before.kind == question.kind
                and before.note_type in _CARDS_FIXED
            ):
                continue  # nearly every question: released live, same kind, cards that cannot come and go
            found = _stranding(question, before, vanished)
            if found:
                report = report or open_report(_bank_file(bank, content_dir))
                report.add(("questions", index, found[0]), found[1])
        issues += report.issues if report else []
    return issues


# Note types whose cards never change with the text (all but cloze, one card per deletion).
_CARDS_FIXED = frozenset(key for key, note_type in NOTE_TYPES.items() if not note_type.cloze)


def _vanished(content: Content, release: Release, live: set[str]) -> dict[str, str]:
    """The released questions gone from the banks and not retired, by their prompt's digest."""
    retired = {f"{bank.id}/{r.id}" for bank in content.banks for r in bank.retired}
    return {
        entry.prompt: uid
        for uid, entry in release.notes.items()
        if not entry.retired and uid not in live and uid not in retired
    }


def _stranding(question: Question, before: Released | None, vanished: dict[str, str]) -> tuple[str, str] | None:
    """The key a change of this question since `before` (its released note) is reported at, and the message."""
    if before is None:
        old = vanished.get(prompt_digest(question.prompt)) if vanished else None
        return ("id", _renamed(question, old)) if old else None
    if before.retired:
        return "id", _unretired(question)
    if before.kind != question.kind and _note_type(question) != before.note_type:
        return "kind", _rekinded(question, before.kind)
    note_type = NOTE_TYPES[before.note_type]
    if note_type.cloze:  # only a cloze's cards come and go with its text
        gone = sorted(set(before.cards) - set(card_ords(question, note_type)))
        if gone:
            return "prompt", _uncloze(question, gone)
    return None


def _note_type(question: Question) -> str:
    """The key of the note type the deck makes this question's note in."""
    from quizgen.kinds import kind_of
    from quizgen.render.catalogue import english_text

    return kind_of(question).anki_fields(question, english_text).note_type


def _bank_file(bank: Bank, content_dir: Path) -> Path:
    # Bank.path is for display (relative to the working directory); read the file the content names.
    return content_dir / "banks" / Path(bank.path).name


def _renamed(question: Question, old: str) -> str:
    old_id = old.partition("/")[2] if old.startswith(f"{question.bank}/") else old
    return (
        f"question '{question.id}' has the prompt of released question '{old}', which is gone: a new id makes a "
        f"new note and strands every student's card of the old one; keep the id '{old_id}', or retire '{old_id}' "
        "(list it under its bank's 'retired:') to keep this one as a new question"
    )


def _unretired(question: Question) -> str:
    return (
        f"question '{question.id}' has the id of a question the last release retired: its note would come back "
        "with the old card's history, suspended for every student who suspended the retired cards; give it a new "
        "id"
    )


def _rekinded(question: Question, old_kind: str) -> str:
    return (
        f"question '{question.id}' was released as {old_kind} and is now {question.kind}: Anki would refuse the "
        f"change and strand every student's card of it; give it a new id (and retire '{question.id}'), or keep "
        f"kind {old_kind}"
    )


def _uncloze(question: Question, gone: list[int]) -> str:
    numbers = ", ".join(f"c{ord_ + 1}" for ord_ in gone)
    return (
        f"question '{question.id}' was released with cloze {numbers}, which it no longer has: students' cards "
        f'of it would show "No cloze found on card"; keep {numbers}, or give it a new id (and retire '
        f"'{question.id}')"
    )
