"""The note types of quizgen's decks: their ids, names and fields, which never change once shipped.

Anki files a note type with a changed field list as a new note type "... (quizgen)+" and then
refuses to update the notes of the old one (a test holds them to a checked-in fingerprint). Kept
apart from the deck writer, without genanki, so that `validate` can compare the content with the
last release without loading it.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizgen.model import Question

SOURCE_FIELDS = ("Source", "Article", "Reference")


@dataclass(frozen=True)
class NoteType:
    """A note type: its id, name and fields never change (a new look only moves `revised` forward)."""

    key: str  # names the template files: templates/anki/<key>.front.html and <key>.back.html
    model_id: int
    name: str
    fields: tuple[str, ...]
    template: str  # the one card template's name (for a cloze: one card per deletion)
    revised: int  # seconds since the epoch at which the templates or CSS last changed
    cloze: bool = False
    sort_field: int = 0


NOTE_TYPES: dict[str, NoteType] = {
    nt.key: nt
    for nt in (
        NoteType(
            "basic",
            1593740826,
            "Basic (quizgen)",
            ("Prompt", "Instruction", "Answer", "Details", "Explanation", *SOURCE_FIELDS),
            "Question",
            1795407490,
        ),
        NoteType(
            "choice",
            1285091473,
            "Multiple choice (quizgen)",
            ("Prompt", "Instruction", "Options", "Answer", "Explanation", *SOURCE_FIELDS),
            "Choice",
            1795407490,
        ),
        NoteType(
            "cloze", 1962374015, "Cloze (quizgen)", ("Text", "Extra", *SOURCE_FIELDS), "Cloze", 1795407490, cloze=True
        ),
        NoteType(
            "matching",
            1437902258,
            "Matching (quizgen)",
            ("Prompt", "Items", "Choices", "Pairs", "Explanation", *SOURCE_FIELDS),
            "Matching",
            1795407490,
        ),
        NoteType(
            "ordering",
            1120775394,
            "Ordering (quizgen)",
            ("Prompt", "Events", "Order", "Explanation", *SOURCE_FIELDS),
            "Ordering",
            1795407490,
        ),
        NoteType(
            "essay",
            1846635307,
            "Essay (quizgen)",
            ("Prompt", "Key points", "Explanation", *SOURCE_FIELDS),
            "Essay",
            1795407490,
        ),
    )
}


def card_ords(question: Question, note_type: NoteType) -> tuple[int, ...]:
    """The card templates a question's note has cards for (for a cloze: deletion number - 1)."""
    return tuple([n - 1 for n in question.card_numbers]) if note_type.cloze else ONE_CARD


ONE_CARD = (0,)  # every note but a cloze's: one tuple for all of them (a deck holds thousands)
