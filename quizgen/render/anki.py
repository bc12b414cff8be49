"""Anki decks (.apkg) that update in place: stable note GUIDs, note types and modification times.

The promise: a student who re-imports a rebuilt deck keeps every review, and
gets the teacher's fixes. Anki matches an incoming note to the one it holds by
GUID, and replaces its fields only if the incoming note is newer (see
docs/anki.md). So:

- the GUID derives from the quizgen namespace, the bank id and the question id;
- each note type has a hard-coded id and a fixed list of fields and card
  templates (a test holds them to a checked-in fingerprint), because Anki files
  a changed one as a new note type "... (quizgen)+" and then refuses to update
  the notes of the old one;
- the modification time of a note is the time its question last changed
  (handed in as `stamps`, which load/history.py reads from the bank's git
  history, else the bank file's time) and never before FIELDS_REVISED, so an
  unchanged bank rebuilds byte-identical and an edited question imports as
  newer.

genanki is imported only by this module and anki_package (which writes the
file), and they only by the commands that make decks, so `quizgen --help`
stays fast.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import genanki

from quizgen.errors import QuizgenError
from quizgen.kinds.base import Text
from quizgen.load.files import MAX_TEMPLATE_BYTES, decode_utf8, read_inside
from quizgen.model import Content, Question
from quizgen.render.anki_fields import note_fields, note_tags
from quizgen.render.anki_html import text as anki_text
from quizgen.render.anki_package import NoteRow, apkg_bytes, collection_bytes
from quizgen.render.catalogue import BUILT_IN, Catalogue, english, english_text, load_catalogue
from quizgen.render.templates import TEMPLATES_DIR

# Not overridable by a user's --templates directory, unlike the HTML outputs: a
# note type's look may only change together with its `revised` time below.
TEMPLATE_DIR = TEMPLATES_DIR / "anki"
CSS_FILE = "quizgen.css"
INCLUDE = "<!--#include {name}-->"
INCLUDES = ("source.html",)
TEXT_MARKER = re.compile(r"\[\[t:([^\]]*)\]\]")  # [[t:anki.cloze]]: a catalogue text in a card template

GUID_NAMESPACE = "quizgen"

# When the way fields are filled (anki_notes) last changed. Notes are never
# older than this, so a student's notes are refreshed when it moves forward.
FIELDS_REVISED = 1795407490

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


@dataclass(frozen=True)
class CardTemplates:
    """A note type's card faces and CSS, as read from templates/anki/."""

    front: str
    back: str
    css: str


def load_templates(
    note_type: NoteType, template_dir: Path = TEMPLATE_DIR, catalogue: Catalogue | None = None
) -> CardTemplates:
    """Read the front, back and CSS of a note type; `<!--#include x.html-->` pulls in a shared part,
    `[[t:key]]` the text of `key` in the catalogue (default: English)."""
    catalogue = catalogue or english()
    parts = {name: _read(template_dir, name, catalogue) for name in INCLUDES}

    def expand(page: str) -> str:
        for name, part in parts.items():
            page = page.replace(INCLUDE.format(name=name), part.strip())
        return page

    front = expand(_read(template_dir, f"{note_type.key}.front.html", catalogue))
    back = expand(_read(template_dir, f"{note_type.key}.back.html", catalogue))
    return CardTemplates(front, back, _read(template_dir, CSS_FILE))


def _read(template_dir: Path, name: str, catalogue: Catalogue | None = None) -> str:
    # Read like every template: a regular file inside its folder (no symlink out), under the size cap.
    path = template_dir / name
    data = read_inside(path, template_dir, max_bytes=MAX_TEMPLATE_BYTES, what="Anki template")
    try:
        source = decode_utf8(data)
    except UnicodeDecodeError as exc:
        raise QuizgenError(f"{path}: cannot read this Anki template: not UTF-8 (byte {exc.start})") from None
    return translate(source, catalogue, path) if catalogue else source


def translate(source: str, catalogue: Catalogue, path: Path) -> str:
    """Replace each `[[t:key]]` of a card template with the catalogue's text, as HTML that Anki shows as is."""

    def text_of(match: re.Match) -> str:
        key = match.group(1)
        if key not in catalogue.texts:
            raise QuizgenError(f"{path}: unknown catalogue key '{key}' in [[t:{key}]] (see catalogue/en.yaml)")
        # Escaped, and braces encoded so no translation can add a {{field}} or {{#section}} to a card.
        return anki_text(catalogue.text(key)).replace("{", "&#123;").replace("}", "&#125;")

    return TEXT_MARKER.sub(text_of, source)


class _Model(genanki.Model):
    """A genanki model whose modification time is its note type's `revised`, not the build's."""

    def __init__(self, note_type: NoteType, templates: CardTemplates):
        super().__init__(
            note_type.model_id,
            note_type.name,
            fields=[{"name": name} for name in note_type.fields],
            templates=[{"name": note_type.template, "qfmt": templates.front, "afmt": templates.back}],
            css=templates.css,
            model_type=genanki.Model.CLOZE if note_type.cloze else genanki.Model.FRONT_BACK,
            sort_field_index=note_type.sort_field,
        )
        self.revised = note_type.revised

    def to_json(self, timestamp: float, deck_id: int) -> dict:
        # Anki takes an incoming note type only if it is newer than the one it holds:
        # its time must move with its look, not with the content.
        return {**super().to_json(timestamp, deck_id), "mod": self.revised}


def make_models(template_dir: Path = TEMPLATE_DIR, catalogue: Catalogue | None = None) -> dict[str, genanki.Model]:
    """One genanki model per note type, keyed like NOTE_TYPES."""
    return {key: _Model(nt, load_templates(nt, template_dir, catalogue)) for key, nt in NOTE_TYPES.items()}


def note_guid(question: Question) -> str:
    """Identity across rebuilds: the quizgen namespace, the bank id and the question id, never the text."""
    return genanki.guid_for(GUID_NAMESPACE, question.bank, question.id)


def deck_id(key: str) -> int:
    """A stable deck id from a name that never changes (a bank id); Anki itself matches decks by name."""
    digest = hashlib.sha256(f"quizgen deck {key}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def deck_title(title: str) -> str:
    """A bank title as one deck level ('::' would nest a deck)."""
    return " ".join(title.replace("::", ":").split())


def note_row(question: Question, content: Content, deck: int, due: int, stamp: int, t: Text) -> NoteRow:
    """A question's note: its fields in its note type's order, tags, GUID and cards."""
    reading = content.reading_set_of(question)
    built = note_fields(question, content.articles, t, reading.excerpt if reading else "")
    note_type = NOTE_TYPES[built.note_type]
    fields = [built.fields[name] for name in note_type.fields]
    cards = [n - 1 for n in question.card_numbers] if note_type.cloze else [0]
    return NoteRow(
        note_guid(question),
        note_type.model_id,
        fields,
        fields[note_type.sort_field],
        note_tags(question),
        cards,
        deck,
        due,
        stamp,
    )


@dataclass(frozen=True)
class DeckPlan:
    """The decks (as Anki JSON, by id) and the notes of a package, in bank order."""

    decks: dict[int, dict]
    notes: list[NoteRow]


def plan_decks(
    content: Content, questions: Sequence[Question], name: str, stamps: Mapping[str, int], t: Text | None = None
) -> DeckPlan:
    """The parent deck, then one subdeck per bank (named by its title) with its notes in bank order;
    `t` (default: English) words the notes' instructions."""
    t = t or english_text
    if not questions:
        raise QuizgenError("an Anki deck needs at least one question")
    parent = deck_title(name)
    chosen = {question.uid for question in questions}
    decks = {deck_id(f"parent {parent}"): genanki.Deck(deck_id(f"parent {parent}"), parent).to_json()}
    notes: list[NoteRow] = []
    for bank in content.banks:
        picked = [question for question in bank.questions if question.uid in chosen]
        if not picked:
            continue
        subdeck = deck_id(f"bank {bank.id}")
        title = f"{parent}::{deck_title(bank.title)}"
        decks[subdeck] = genanki.Deck(subdeck, title, html.escape(bank.description)).to_json()
        notes += [
            note_row(q, content, subdeck, len(notes) + i, max(stamps[q.uid], FIELDS_REVISED), t)
            for i, q in enumerate(picked)
        ]
    return DeckPlan(decks, notes)


def package_bytes(plan: DeckPlan, models: Mapping[str, genanki.Model]) -> bytes:
    """The .apkg file of a plan, with its note types."""
    used = {note.model_id for note in plan.notes}
    first_deck = plan.notes[0].deck_id
    types = {m.model_id: m.to_json(0, first_deck) for m in models.values() if m.model_id in used}
    # Note and card ids only need to be unique in the package (Anki matches notes by GUID);
    # counting them from the newest stamp keeps them repeatable.
    first_id = max(note.stamp for note in plan.notes) * 1000
    return apkg_bytes(collection_bytes(plan.decks, types, plan.notes, first_id))


def render_deck(
    content: Content,
    questions: Sequence[Question],
    stamps: Mapping[str, int],
    *,
    name: str | None = None,
    template_dir: Path = TEMPLATE_DIR,
    catalogue: Catalogue | None = None,
) -> bytes:
    """The .apkg bytes for these questions: parent deck `name`, a subdeck per bank, each note stamped
    with its question's last change (`stamps`, by uid; see load/history.load_stamps) or FIELDS_REVISED.
    The parent deck is the course's (content/quizgen.yaml `deck: name`) unless `name` is given; the
    cards are worded by `catalogue` (default: the course's language, its catalogue looked up in the
    template folder holding `template_dir`, then the built-in one)."""
    name = name or content.settings.deck_name
    catalogue = catalogue or load_catalogue(content.settings.language, _catalogue_dirs(template_dir))
    plan = plan_decks(content, questions, name, stamps, catalogue.text)
    return package_bytes(plan, make_models(template_dir, catalogue))


def _catalogue_dirs(template_dir: Path) -> list[Path]:
    """The template folder holding `template_dir` (an anki/ folder), then the built-in one."""
    return list(dict.fromkeys([template_dir.resolve().parent, BUILT_IN]))
