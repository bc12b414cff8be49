"""The release record (content/releases.json): what students were last given, note by note.

`quizgen release` writes it and the teacher commits it with the content. For
every note ever shipped (by question uid) it keeps the modification time the
note was given (`stamp`), a fingerprint of what the note holds, and what a
later version must not change without a new id (kind, note type, cards,
prompt). A deck build compares each note with it: an unchanged note keeps its
stamp (Anki leaves the student's note alone), a changed one takes the build's
time (newer than any touch of the student before the build, so it arrives).
See docs/anki.md.

The file is content a colleague may hand over: it is read like every content
file (inside the folder, under the size cap) and checked entry by entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

import msgspec

from quizgen.errors import ERROR, Issue, QuizgenError
from quizgen.load.fields import display_path
from quizgen.load.files import MAX_CONTENT_BYTES, UnsafeFile, decode_utf8, parse_json, read_inside

RELEASES_FILE = "releases.json"
FORMAT = 1
LAST_TIME = 253402300799  # 9999-12-31T23:59:59Z


_Time = Annotated[int, msgspec.Meta(ge=0, le=LAST_TIME)]  # note and card ids are stamp * 1000 in 64 bits
_Text = Annotated[str, msgspec.Meta(min_length=1)]
_Card = Annotated[int, msgspec.Meta(ge=0)]


class Released(msgspec.Struct, frozen=True, gc=False):
    """One note as last released. A msgspec record, its fields typed as the record must hold them: a
    10,000-note record is read and checked into these in C at every build (see `_decoded`)."""

    stamp: _Time  # the modification time it was shipped with
    fingerprint: _Text  # a digest of its note type, fields, tags and cards
    kind: _Text
    note_type: _Text
    cards: Annotated[tuple[_Card, ...], msgspec.Meta(min_length=1)]  # card ordinals (a cloze: deletion - 1)
    prompt: _Text  # a digest of its prompt, case and spacing folded (finds a question given a new id)
    retired: bool = False


class _RecordFile(msgspec.Struct, gc=False):
    """releases.json as `release_json` writes it."""

    format: Literal[1]  # FORMAT
    released: _Time
    notes: dict[str, Released]


_DECODER = msgspec.json.Decoder(_RecordFile)


@dataclass(frozen=True)
class Release:
    """The last release: when it was made and every note it shipped, by question uid."""

    time: int = 0
    notes: dict[str, Released] = field(default_factory=dict)


def releases_path(content_dir: Path) -> Path:
    return content_dir / RELEASES_FILE


def load_release(content_dir: Path) -> tuple[Release | None, list[Issue]]:
    """The recorded release (None when there is none yet), or None and the problems of a broken file."""
    path = releases_path(content_dir)
    if not path.exists():
        return None, []
    shown = display_path(path)
    try:
        raw = read_inside(path, content_dir, max_bytes=MAX_CONTENT_BYTES)
    except UnsafeFile as exc:
        return None, [Issue(shown, 1, 1, ERROR, str(exc))]
    try:
        # Decoded first: msgspec skips the values of keys it does not know without checking their UTF-8.
        text = decode_utf8(raw)
    except UnicodeDecodeError as exc:
        return None, [Issue(shown, 1, 1, ERROR, f"not UTF-8 (byte {exc.start})")]
    release = _decoded(text)
    if release is not None:
        return release, []
    try:
        data = parse_json(text)
    except json.JSONDecodeError as exc:
        return None, [Issue(shown, exc.lineno, exc.colno, ERROR, f"not JSON: {exc.msg} {_REWRITE}")]
    try:
        return _release(data), []
    except (TypeError, ValueError, KeyError) as exc:
        return None, [Issue(shown, 1, 1, ERROR, f"not a release record written by quizgen ({exc}) {_REWRITE}")]


_REWRITE = "(restore it from git: `git checkout -- content/releases.json`; never edit it by hand)"


def _decoded(text: bytes | str) -> Release | None:
    """The record if it is sound, read and checked in C (nearly every build); else None, and the reading
    below, in Python, says what is wrong. Both take the same records to the same release (a test holds it)."""
    try:
        record = _DECODER.decode(text)
    except msgspec.MsgspecError:
        return None
    if not all(map(_is_uid, record.notes)):
        return None
    return Release(record.released, record.notes)


def _release(data: object) -> Release:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"expected a mapping with format: {FORMAT}")
    notes = data["notes"]
    if not isinstance(notes, dict):
        raise ValueError("'notes' should be a mapping")
    return Release(_time(data["released"]), {_uid(uid): _released(uid, entry) for uid, entry in notes.items()})


def _uid(uid: str) -> str:
    if not _is_uid(uid):
        raise ValueError(f"note '{uid}' should be named bank/question")
    return uid


def _is_uid(uid: str) -> bool:
    # A retired note's GUID and subdeck come from its two parts.
    bank, slash, question = uid.partition("/")
    return bool(bank and slash and question) and "/" not in question


def _released(uid: str, entry: object) -> Released:
    if not isinstance(entry, dict):
        raise ValueError(f"note '{uid}' should be a mapping")
    cards = entry["cards"]
    if not isinstance(cards, list):
        raise ValueError(f"note '{uid}': 'cards' should be a list")
    if not cards:  # every note has a card (a retired one is shipped with the cards it had)
        raise ValueError(f"note '{uid}': 'cards' should not be empty")
    texts = entry["fingerprint"], entry["kind"], entry["note_type"], entry["prompt"]
    # One check of the four texts (nearly every entry is sound), then each alone for the message.
    if not all(type(value) is str and value for value in texts):
        texts = tuple(_text(value) for value in texts)
    fingerprint, kind, note_type, prompt = texts
    stamp = entry["stamp"]
    if type(stamp) is not int or not 0 <= stamp <= LAST_TIME:  # (type(), not isinstance(): True is no time)
        stamp = _time(stamp)
    if not all(type(card) is int and card >= 0 for card in cards):
        cards = [_whole(card) for card in cards]
    return Released(stamp, fingerprint, kind, note_type, tuple(cards), prompt, entry.get("retired", False) is True)


def _whole(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{value!r} should be a whole number")
    return value


def _time(value: object) -> int:
    # Note and card ids are stamp * 1000 in a 64-bit SQLite integer.
    if _whole(value) > LAST_TIME:
        raise ValueError(f"{value!r} should be a time before the year 10000")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{value!r} should be a text")
    return value


def prompt_digest(prompt: str) -> str:
    """A question's prompt with case and spacing folded: how a released question given a new id is found."""
    return hashlib.blake2b(" ".join(prompt.casefold().split()).encode(), digest_size=8).hexdigest()


def release_json(release: Release) -> bytes:
    """The record as it is written: sorted, one note per line, so a release's git diff shows what changed."""
    lines = [f'{{"format": {FORMAT}, "released": {release.time}, "notes": {{']
    entries = []
    for uid in sorted(release.notes):
        entry = {k: v for k, v in msgspec.structs.asdict(release.notes[uid]).items() if k != "retired" or v}
        entry["cards"] = list(entry["cards"])
        entries.append(f"{json.dumps(uid)}: {json.dumps(entry, sort_keys=True)}")
    lines.append(",\n".join(entries))
    lines.append("}}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def build_time() -> int:
    """Now, or SOURCE_DATE_EPOCH when it is set (reproducible builds: the same commit, the same bytes)."""
    pinned = os.environ.get("SOURCE_DATE_EPOCH")
    if pinned is None:
        return int(time.time())
    # ASCII digits only ('²'.isdigit() is true, but int() refuses it), and a time SQLite's 64-bit note
    # and card ids (stamp * 1000) can hold: the year 9999 at most.
    digits = pinned.strip()
    if not (digits.isascii() and digits.isdigit()) or int(digits) > LAST_TIME:
        raise QuizgenError(f"SOURCE_DATE_EPOCH={pinned!r} is not a whole number of seconds since 1970")
    return int(digits)
