"""Anki decks (.apkg) that update in place: stable note GUIDs, note types and modification times.

The promise: a student who re-imports a rebuilt deck keeps every review, and
gets the teacher's fixes. Anki matches an incoming note to the one it holds by
GUID, and replaces its fields only if the incoming note is newer (see
docs/anki.md). So:

- the GUID derives from the quizgen namespace, the bank id and the question id;
- each note type (render/anki_notetypes.py) has a hard-coded id and a fixed list of fields and card
  templates (a test holds them to a checked-in fingerprint), because Anki files
  a changed one as a new note type "... (quizgen)+" and then refuses to update
  the notes of the old one;
- the modification time of a note is the one it was last released with, if it
  holds what was released, else the build's time (render/anki_release.py), and
  never before FIELDS_REVISED: an unchanged note leaves the student's alone, a
  changed one is newer than any touch of the student before the build.

genanki is imported only by this module and anki_package (which writes the
file), and they only by the commands that make decks, so `quizgen --help`
stays fast.
"""

from __future__ import annotations

import gc
import hashlib
import html
import operator
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import genanki
from genanki.util import BASE91_TABLE

from quizgen.errors import QuizgenError
from quizgen.kinds.base import Text
from quizgen.load.files import MAX_TEMPLATE_BYTES, decode_utf8, read_inside
from quizgen.load.releases import Release, Released, build_time
from quizgen.load.yamlio import line_col
from quizgen.model import Content, Question
from quizgen.render.anki_fields import note_fields, note_tags
from quizgen.render.anki_html import text as anki_text
from quizgen.render.anki_notetypes import NOTE_TYPES, NoteType, card_ords
from quizgen.render.anki_package import NoteRow, apkg_bytes, collection_bytes
from quizgen.render.anki_release import (
    Live,
    Stamped,
    next_release,
    retired_fields,
    retired_tags,
    retired_uids,
    stamp_notes,
)
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
        raise QuizgenError(f"cannot read this Anki template: not UTF-8 (byte {exc.start})", (str(path), 1, 1)) from None
    return translate(source, catalogue, path) if catalogue else source


def translate(source: str, catalogue: Catalogue, path: Path) -> str:
    """Replace each `[[t:key]]` of a card template with the catalogue's text, as HTML that Anki shows as is."""

    def text_of(match: re.Match) -> str:
        key = match.group(1)
        if key not in catalogue.texts:
            where = (str(path), *line_col(source, match.start()))
            raise QuizgenError(f"unknown catalogue key '{key}' in [[t:{key}]] (see catalogue/en.yaml)", where)
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
    return guid_for(GUID_NAMESPACE, question.bank, question.id)


# Every pair of base-91 digits: a GUID's ten digits are five pairs, found in a few whole-number steps.
_BASE91_PAIRS = [first + second for first in BASE91_TABLE for second in BASE91_TABLE]
_PAIR, _QUAD = 91**2, 91**4  # a pair's and two pairs' worth; divisors below 2**30 take CPython's fast path


def guid_for(*values: str) -> str:
    """genanki.guid_for's value (a test holds them equal), without its loop over bytes and digits:
    a 10,000-note deck computes 10,000 of them."""
    return base91(int.from_bytes(hashlib.sha256("__".join(values).encode()).digest()[:8], "big"))


def base91(number: int) -> str:
    """A number below 2 ** 64 in Anki's base-91 digits, as genanki writes a GUID."""
    high, low = divmod(number, _QUAD)
    top, middle = divmod(high, _QUAD)  # below 91 ** 2: a 64-bit number has ten base-91 digits at most
    pairs = _BASE91_PAIRS
    digits = f"{pairs[top]}{pairs[middle // _PAIR]}{pairs[middle % _PAIR]}{pairs[low // _PAIR]}{pairs[low % _PAIR]}"
    return digits.lstrip(BASE91_TABLE[0])  # genanki writes no leading zero digits (and "" for zero)


def deck_id(key: str) -> int:
    """A stable deck id from a name that never changes (a bank id); Anki itself matches decks by name."""
    digest = hashlib.sha256(f"quizgen deck {key}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def deck_title(title: str) -> str:
    """A bank title as one deck level ('::' would nest a deck)."""
    return " ".join(title.replace("::", ":").split())


def note_row(question: Question, content: Content, deck: int, due: int, t: Text) -> tuple[NoteRow, Live]:
    """A question's note (its fields in its note type's order, tags, GUID and cards; stamped later),
    and what the release record keeps of it."""
    reading = content.reading_set_of(question)
    built = note_fields(question, content.articles, t, reading.excerpt if reading else "")
    note_type = NOTE_TYPES[built.note_type]
    fields = _IN_ORDER[note_type.key](built.fields)
    row = NoteRow(
        note_guid(question),
        note_type.model_id,
        fields,
        fields[note_type.sort_field],
        note_tags(question),
        card_ords(question, note_type),
        deck,
        due,
    )
    return row, Live(question.kind, note_type.key, question.prompt)


def picker(names: Sequence[str]) -> Callable[[Mapping[str, str]], tuple[str, ...]]:
    """A function that picks these fields' values from a note's fields by name, in this order, in one call."""
    if len(names) == 1:  # itemgetter of one name gives the value, not a tuple: its characters would be fields
        (name,) = names
        return lambda fields: (fields[name],)
    return operator.itemgetter(*names)


_IN_ORDER = {key: picker(note_type.fields) for key, note_type in NOTE_TYPES.items()}


def retired_row(uid: str, released: Released, reason: str, deck: int, due: int, t: Text) -> NoteRow:
    """The note of a withdrawn question: same GUID and note type as when it was live."""
    note_type = NOTE_TYPES[released.note_type]
    bank, _, question_id = uid.partition("/")
    fields = retired_fields(note_type.fields, note_type.cloze, released, uid, reason, t)
    guid = guid_for(GUID_NAMESPACE, bank, question_id)
    sort = fields[note_type.sort_field]
    return NoteRow(guid, note_type.model_id, fields, sort, retired_tags(uid), released.cards, deck, due)


@dataclass(frozen=True)
class DeckPlan:
    """The decks (as Anki JSON, by id) and the stamped notes of a package, in bank order (retired ones
    last); which notes changed since the last release; and the record a release of it writes."""

    decks: dict[int, dict]
    stamped: Stamped
    release: Release | None
    now: int
    looks: Mapping[int, str] = field(default_factory=dict)  # custom_looks of the package's note types

    @property
    def notes(self) -> list[NoteRow]:
        return self.stamped.notes

    @property
    def changed(self) -> list[str]:
        return self.stamped.changed

    def record(self) -> Release:
        """The release record of this deck (what `quizgen release` writes)."""
        return next_release(self.stamped, self.release, self.now)


def plan_decks(
    content: Content,
    questions: Sequence[Question],
    name: str,
    release: Release | None,
    now: int,
    t: Text | None = None,
    *,
    whole: bool = False,
    looks: Mapping[int, str] | None = None,
) -> DeckPlan:
    """The parent deck, then one subdeck per bank (named by its title) with its notes in bank order,
    then the retired notes (every one when `whole`, else those of the chosen banks); each note stamped
    from `release` or with `now`; `t` (default: English) words the notes."""
    t = t or english_text
    if not questions:
        raise QuizgenError("an Anki deck needs at least one question")
    parent = deck_title(name)
    chosen = {question.uid for question in questions}
    parent_id = deck_id(f"parent {parent}")
    decks = {parent_id: genanki.Deck(parent_id, parent, anki_text(t("anki.deck.description"))).to_json()}
    rows: list[NoteRow] = []
    uids: list[str] = []
    lives: list[Live | None] = []
    subdecks: dict[str, int] = {}
    for bank in content.banks:
        picked = [question for question in bank.questions if question.uid in chosen]
        if not picked:
            continue
        subdeck = subdecks[bank.id] = deck_id(f"bank {bank.id}")
        title = f"{parent}::{deck_title(bank.title)}"
        decks[subdeck] = genanki.Deck(subdeck, title, html.escape(bank.description)).to_json()
        for question in picked:
            row, live = note_row(question, content, subdeck, len(rows), t)
            rows.append(row)
            uids.append(question.uid)
            lives.append(live)
    reasons = {f"{bank.id}/{r.id}": r.reason for bank in content.banks for r in bank.retired}
    live_uids = {question.uid for question in content.questions}
    for uid in retired_uids(release, live_uids, None if whole else subdecks):
        deck = subdecks.get(uid.partition("/")[0], parent_id)
        rows.append(retired_row(uid, release.notes[uid], reasons.get(uid, ""), deck, len(rows), t))
        uids.append(uid)
        lives.append(None)
    now = max(now, FIELDS_REVISED)
    looks = looks or {}
    return DeckPlan(decks, stamp_notes(rows, uids, lives, release, now, looks), release, now, looks)


def package_bytes(plan: DeckPlan, models: Mapping[str, genanki.Model]) -> bytes:
    """The .apkg file of a plan, with its note types."""
    used = {note.model_id for note in plan.notes}
    first_deck = plan.notes[0].deck_id
    types = {m.model_id: m.to_json(0, first_deck) for m in models.values() if m.model_id in used}
    for model_id in plan.looks.keys() & types.keys():
        # A teacher's card faces: Anki takes the note type only if newer than the student's, so its time
        # moves with its notes' newest stamp, which a change of those faces moves (stamp_notes).
        newest = max(note.stamp for note in plan.notes if note.model_id == model_id)
        types[model_id]["mod"] = max(types[model_id]["mod"], newest)
    # Note and card ids only need to be unique in the package (Anki matches notes by GUID);
    # counting them from the newest stamp keeps them repeatable.
    first_id = max(note.stamp for note in plan.notes) * 1000
    return apkg_bytes(collection_bytes(plan.decks, types, plan.notes, first_id))


@dataclass(frozen=True)
class Deck:
    """A built deck: the .apkg bytes and its plan (which notes changed, the record a release writes)."""

    data: bytes
    plan: DeckPlan


def build_deck(
    content: Content,
    questions: Sequence[Question],
    release: Release | None = None,
    now: int | None = None,
    *,
    name: str | None = None,
    whole: bool = False,
    template_dir: Path = TEMPLATE_DIR,
    catalogue: Catalogue | None = None,
) -> Deck:
    """The deck of these questions: parent deck `name`, a subdeck per bank, each note stamped from the
    release record (`release`, see load/releases.py) or, where it changed, with `now` (default: the build
    time, SOURCE_DATE_EPOCH when set). The parent deck is the course's (content/quizgen.yaml `deck: name`)
    unless `name` is given; the cards are worded by `catalogue` (default: the course's language, its
    catalogue looked up in the template folder holding `template_dir`, then the built-in one)."""
    name = name or content.settings.deck_name
    catalogue = catalogue or load_catalogue(content.settings.language, _catalogue_dirs(template_dir))
    now = build_time() if now is None else now
    models = make_models(template_dir, catalogue)
    looks = custom_looks(models)
    with collector_paused():
        plan = plan_decks(content, questions, name, release, now, catalogue.text, whole=whole, looks=looks)
        return Deck(package_bytes(plan, models), plan)


def custom_looks(models: Mapping[str, genanki.Model]) -> dict[int, str]:
    """A digest of the card faces and CSS of each note type whose look is not the built-in one (a teacher's
    templates, or a catalogue's words in them, as another course language); by model id."""
    built_in = make_models(TEMPLATE_DIR)  # read at the call: quizgen's own faces keep the `revised` rule
    return {model.model_id: digest for key, model in models.items() if (digest := _look(model)) != _look(built_in[key])}


def _look(model: genanki.Model) -> str:
    faces = [model.css] + [part for t in model.templates for part in (t["qfmt"], t["afmt"])]
    return hashlib.blake2b("\x1f".join(faces).encode(), digest_size=12).hexdigest()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a deck is built, as it was before.

    A deck makes some ten objects per note, none of them in a reference cycle (they are freed
    as they go), but the count of new objects sets the collector off every few hundred notes,
    and each time it walks the whole loaded content again: a tenth of a 10,000-note deck's time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def render_deck(content: Content, questions: Sequence[Question], release: Release | None = None, **options) -> bytes:
    """The .apkg bytes of `build_deck` (same options)."""
    return build_deck(content, questions, release, **options).data


def _catalogue_dirs(template_dir: Path) -> list[Path]:
    """The template folder holding `template_dir` (an anki/ folder), then the built-in one."""
    return list(dict.fromkeys([template_dir.resolve().parent, BUILT_IN]))
