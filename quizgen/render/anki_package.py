"""Writing an .apkg: genanki's collection schema, the notes and cards as rows, a zip with fixed dates.

genanki writes a note with a dozen Python calls and two INSERTs each, and
checks fields for unescaped HTML ours cannot contain; on a 10,000-question
deck that is most of the time. Here every note is one row and each of its
cards another, inserted in bulk. The rows are Anki's own table layout (as
genanki writes them); `tests/test_anki_import.py` imports the result with the
real Anki library.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import InitVar, dataclass, field
from functools import lru_cache

from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA

from quizgen.errors import QuizgenError
from quizgen.render.zip_archive import zip_bytes

# genanki's schema, its indexes apart: the same tables and indexes, built faster.
_INDEXES = "\n".join(line for line in APKG_SCHEMA.splitlines() if line.startswith("CREATE INDEX"))
_TABLES = "\n".join(line for line in APKG_SCHEMA.splitlines() if not line.startswith("CREATE INDEX"))


# The values every note and every new card share are written into the statements: each bound value
# costs a Python call per row. A note: id, guid, note type, mod, usn -1, tags, fields, sort field, csum 0,
# flags 0, data ''. A card: id, note, deck, template, mod, usn -1, type 0 and queue 0 (new), due, then
# the empty scheduling of a new card.
_NOTE_VALUES = "(?, ?, ?, ?, -1, ?, ?, ?, 0, 0, '')"
_CARD_VALUES = "(?, ?, ?, ?, ?, -1, 0, 0, ?, 0, 0, 0, 0, 0, 0, 0, 0, '')"
_ROWS_PER_INSERT = 100  # well under SQLite's 32,766 bound values per statement
DATABASE = "file:collection?vfs=memdb"  # in memory, private to its connection (see collection_bytes)
PAGE_SIZE = 16384  # bytes per database page
FIELD_SEPARATOR = "\x1f"  # between the fields of a note, as Anki stores them
# The characters refused in a field (_FIELD_BREAKERS below) as UTF-8 bytes.
_BREAKER_BYTES = bytes([*range(0x09), *range(0x0B, 0x20), 0x7F])


@dataclass(slots=True)
class NoteRow:
    """One note and where its cards go: everything the collection's tables need. Made before its time
    is known: the release step sets `stamp` (render/anki_release.py)."""

    guid: str
    model_id: int
    fields: InitVar[Sequence[str]]  # kept joined (`joined`): fixed once made, as the tags and cards are
    sort_field: str
    tags: tuple[str, ...]  # without spaces
    card_ords: tuple[int, ...]  # the card templates (for a cloze, deletion number - 1) it has cards for
    deck_id: int
    due: int  # the new-card position: bank order
    stamp: int = 0  # modification time: Anki updates its copy only if this is newer
    # Made once, as the note is (a deck's fields are megabytes: neither they nor their UTF-8 are kept
    # apart): the fields as Anki stores them, joined by U+001F; their digest (the release step's
    # fingerprint); and what the writer's guard refuses in them ("" for nearly every note).
    joined: str = field(init=False)
    digest: str = field(init=False)
    broken: str = field(init=False)

    def __post_init__(self, fields: Sequence[str]) -> None:
        self.tags, self.card_ords = tuple(self.tags), tuple(self.card_ords)
        self.joined = FIELD_SEPARATOR.join(fields)
        encoded = self.joined.encode()
        # No control byte but the separators, asked in one C pass (in UTF-8 each such character is one
        # byte, and no other character holds such a byte); else the field that holds one, found slowly.
        clean = len(encoded.translate(None, _BREAKER_BYTES)) == len(encoded) - (len(fields) - 1)
        self.broken = "" if clean and _printable(self.tags) else _control_character(self, fields)
        self.digest = note_digest(self, encoded)


def note_digest(note: NoteRow, encoded: bytes, look: str = "") -> str:
    """The digest of "\x1f".join([model id, *fields, tags, cards(, look)]) as UTF-8, `encoded` being the
    note's joined fields as UTF-8 (not joined and encoded again)."""
    digest = _digest_head(note.model_id).copy()  # copied: the cached one is never updated
    digest.update(encoded)
    digest.update(_digest_tail(note.tags, note.card_ords, look))
    return digest.hexdigest()


# A deck's notes share a few note types, tag sets and card lists (the tuples themselves, see
# anki_fields.note_tags): what the guard and the digest take of them is worked out once for each.
@lru_cache(maxsize=4096)
def _printable(tags: tuple[str, ...]) -> bool:
    return all(map(str.isprintable, tags))


@lru_cache(maxsize=64)
def _digest_head(model_id: int) -> hashlib.blake2b:
    return hashlib.blake2b(f"{model_id}{FIELD_SEPARATOR}".encode(), digest_size=12)


@lru_cache(maxsize=4096)
def _digest_tail(tags: tuple[str, ...], card_ords: tuple[int, ...], look: str) -> bytes:
    tail = f"{FIELD_SEPARATOR}{' '.join(tags)}{FIELD_SEPARATOR}{','.join(map(str, card_ords))}"
    if look:  # absent for the built-in look, so the fingerprints recorded before looks counted still hold
        tail = f"{tail}{FIELD_SEPARATOR}{look}"
    return tail.encode()


def collection_bytes(
    decks: Mapping[int, dict], models: Mapping[int, dict], notes: Sequence[NoteRow], first_id: int
) -> bytes:
    """A collection database holding these decks, note types (as Anki JSON) and notes; ids count from `first_id`."""
    for note in notes:
        refuse_broken_fields(note)
    # Built in memory and serialized: the bytes of the same database written to a file, without the file.
    # SQLite's memdb holds it in one buffer that serialize() hands over as it is, where ":memory:" copies
    # its pages out first: a third of the memory, and none of the 40 MB the system had to map afresh at
    # every deck. (A name without a leading "/" is private to this connection. Its header records the
    # SQLite version, as a database file's does; apkg_bytes zeroes it.)
    connection = sqlite3.connect(DATABASE, uri=True)
    try:
        # Pages four times SQLite's default: a deck's fields are megabytes, and fewer, larger pages
        # take them a third faster (and a smaller file); every SQLite, Anki's too, reads any page size.
        connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        connection.executescript(_TABLES)
        connection.executescript(APKG_COL)
        _merge_json(connection, "decks", {str(i): deck for i, deck in decks.items()})
        _merge_json(connection, "models", {str(i): model for i, model in models.items()})
        _insert(connection, "notes", _NOTE_VALUES, _note_rows(notes, first_id))
        _insert(connection, "cards", _CARD_VALUES, _card_rows(notes, first_id))
        connection.executescript(_INDEXES)  # indexing once after the bulk insert beats updating it per row
        connection.commit()
        return connection.serialize()
    finally:
        connection.close()


def _numbered(notes: Sequence[NoteRow], first_id: int) -> Iterator[tuple[int, NoteRow]]:
    """Each note with its id, counted on from `first_id`: its cards take the ids right after it."""
    note_id = first_id
    for note in notes:
        yield note_id, note
        note_id += 1 + len(note.card_ords)


def _note_rows(notes: Sequence[NoteRow], first_id: int) -> Iterator[tuple]:
    for note_id, note in _numbered(notes, first_id):
        yield note_id, note.guid, note.model_id, note.stamp, _tag_text(note.tags), note.joined, note.sort_field


@lru_cache(maxsize=4096)  # a few tag sets (shared tuples) among a deck's notes
def _tag_text(tags: tuple[str, ...]) -> str:
    """The tags column as Anki writes it: space-separated, with a space at each end."""
    return f" {' '.join(tags)} "


def _card_rows(notes: Sequence[NoteRow], first_id: int) -> Iterator[tuple]:
    for note_id, note in _numbered(notes, first_id):
        for card_id, ord_ in enumerate(note.card_ords, note_id + 1):
            yield card_id, note_id, note.deck_id, ord_, note.stamp, note.due


def _insert(connection: sqlite3.Connection, table: str, values: str, rows: Iterator[tuple]) -> None:
    """Insert rows a hundred to a statement: per statement, not per row, SQLite runs its program and
    Python makes its call (the statement of a full hundred is prepared once, from sqlite3's cache).
    The rows are made as they go in, not held all at once."""
    width = values.count("?")  # the values each row binds
    bound = itertools.chain.from_iterable(rows)  # the rows' values in one run, taken a hundred rows at a time
    while part := list(itertools.islice(bound, _ROWS_PER_INSERT * width)):
        statement = f"INSERT INTO {table} VALUES {', '.join([values] * (len(part) // width))}"  # table: one of two
        connection.execute(statement, part)


# Anki joins a note's fields with U+001F: one inside a field would make a note with too many
# fields, and Anki then refuses the whole package. Validation refuses control characters in
# bank text; this is the writer's own guard, so no path can emit a broken note.
_FIELD_BREAKERS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def refuse_broken_fields(note: NoteRow) -> None:
    """Raise QuizgenError for a note whose field (or tag) holds a control character."""
    if note.broken:
        raise QuizgenError(note.broken)


def _control_character(note: NoteRow, fields: Sequence[str]) -> str:
    """What the guard says of the first field (or tag) holding a control character ("" for none)."""
    for index, value in enumerate([*fields, *note.tags]):
        found = _FIELD_BREAKERS.search(value)  # (a tab, a newline or another unprintable character is fine)
        if found:
            return (
                f"Anki note {note.guid}: field {index + 1} holds the control character U+{ord(found.group()):04X}, "
                "which would break the whole deck (remove it from the bank)"
            )
    return ""


def _merge_json(connection: sqlite3.Connection, column: str, entries: dict) -> None:
    """Add entries to one of the `col` row's JSON maps (decks, models)."""
    (current,) = connection.execute(f"SELECT {column} FROM col").fetchone()  # column: one of two fixed names
    connection.execute(f"UPDATE col SET {column} = ?", (json.dumps({**json.loads(current), **entries}),))


def apkg_bytes(collection: bytes) -> bytes:
    """The .apkg zip around a collection, with fixed dates so that equal input gives equal bytes."""
    return zip_bytes([("collection.anki2", _unversioned(collection)), ("media", b"{}")])


def _unversioned(collection: bytes) -> list[bytes | memoryview]:
    """The collection with the header fields that say how often and by which SQLite it was written
    (the change counter at 24, version-valid-for and the library's version at 92, sqlite.org/fileformat.html)
    set to zero, as an in-memory database's are: the deck's bytes do not depend on the SQLite that made it.
    In pieces, so the megabytes after the header are not copied."""
    header = bytearray(collection[:100])
    header[24:28], header[92:100] = bytes(4), bytes(8)
    return [bytes(header), memoryview(collection)[100:]]
