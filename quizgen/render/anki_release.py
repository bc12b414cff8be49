"""Note times from the release record, retired notes, and the record a release writes.

Anki replaces a note it holds only if the incoming note is strictly newer
(`should_update` in rslib's apkg importer, notes.rs), and every student touch
(an edit, a mark, a tag) makes the held note as new as that moment. So a note
whose content changed is stamped with the time of the build that carries the
change: later than anything the student did before it. A note whose content is
what was released keeps the stamp it was released with: never newer than the
student's copy, so the student's note is left alone. "Content" is what the
note holds (note type, fields, tags, cards), so adding an article, a bank or a
question changes no other note.

A question that was released and is gone (deleted, or listed under a bank's
`retired:`) is shipped as a retired note: same GUID and note type, its front
saying it was withdrawn (and why), tagged `quizgen::retired`, last in the new
cards' order. Nothing is deleted: the deck's description tells students how to
suspend or delete them all in one step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from quizgen.kinds.base import Text
from quizgen.load.releases import Release, Released, prompt_digest
from quizgen.render.anki_fields import tag_part
from quizgen.render.anki_html import element, text
from quizgen.render.anki_package import NoteRow, note_digest

RETIRED_TAG = "quizgen::retired"


def fingerprint(note: NoteRow, look: str = "") -> str:
    """What the student's note would hold after an import of this one; equal for equal notes. `look`: the
    digest of its note type's card faces when they are not the built-in ones (see anki.custom_looks)."""
    # Worked out once, when the note is made (NoteRow.digest); a teacher's look is digested with it.
    return note_digest(note, note.joined.encode(), look) if look else note.digest


class Live(NamedTuple):  # a tuple: one per note of a 10,000-note deck, made cheaply
    """What the record keeps of a live question besides its note: its kind, note type and prompt."""

    kind: str
    note_type: str
    prompt: str


@dataclass(frozen=True)
class Stamped:
    """A deck's notes with their times, which of them changed since the release (uids in deck order),
    and what the next record needs: each note's uid, question (None: retired) and fingerprint."""

    notes: list[NoteRow]
    changed: list[str]
    uids: Sequence[str]
    lives: Sequence[Live | None]
    fingerprints: list[str]


def stamp_notes(
    notes: Sequence[NoteRow],
    uids: Sequence[str],
    lives: Sequence[Live | None],
    release: Release | None,
    now: int,
    looks: Mapping[int, str] | None = None,
) -> Stamped:
    """Each note stamped, in place: its released stamp if it holds what was released, else `now` (see module
    docstring). `lives[i]` is None for a retired note; `looks`: a digest per note type (model id) whose card
    faces are not the built-in ones, so a change of them re-stamps its notes."""
    looks = looks or {}
    held = release.notes if release else {}
    changed, digests = [], []
    for note, uid, live in zip(notes, uids, lives, strict=True):
        digest = fingerprint(note, looks.get(note.model_id, ""))
        digests.append(digest)
        before = held.get(uid)
        if before is not None and before.fingerprint == digest and before.retired == (live is None):
            note.stamp = before.stamp
        else:
            changed.append(uid)
            # Strictly newer than what the student was given, even when `now` is behind it (a slow clock,
            # a SOURCE_DATE_EPOCH from before the release): Anki takes only a newer note.
            note.stamp = now if before is None else max(now, before.stamp + 1)
    return Stamped(list(notes), changed, uids, lives, digests)


def next_release(stamped: Stamped, release: Release | None, now: int) -> Release:
    """The record of a release of these notes at `now` (unchanged content: the record as it was)."""
    held = release.notes if release else {}
    record = {
        uid: _entry(note, digest, live, held.get(uid))
        for note, uid, live, digest in zip(
            stamped.notes, stamped.uids, stamped.lives, stamped.fingerprints, strict=True
        )
    }
    released_at = now if stamped.changed or release is None else release.time
    return Release(released_at, record)


def _entry(note: NoteRow, digest: str, live: Live | None, before: Released | None) -> Released:
    cards = tuple(note.card_ords)
    if live is None:  # retired: what it was when it was live
        return Released(note.stamp, digest, before.kind, before.note_type, cards, before.prompt, retired=True)
    return Released(note.stamp, digest, live.kind, live.note_type, cards, prompt_digest(live.prompt))


def retired_uids(release: Release | None, live: Iterable[str], banks: Iterable[str] | None) -> list[str]:
    """Released questions that are no longer live, in uid order; only those of `banks` unless None (all)."""
    if release is None:
        return []
    gone = release.notes.keys() - live  # sorted after: a few of 10,000
    wanted = None if banks is None else set(banks)
    return sorted(uid for uid in gone if wanted is None or uid.partition("/")[0] in wanted)


def retired_fields(field_names: Sequence[str], cloze: bool, released: Released, uid: str, reason: str, t: Text):
    """The fields of a withdrawn question's note: its front says so (and why), its back how to suspend it."""
    said = t("anki.retired.front") + (" " + t("anki.retired.reason", reason=reason) if reason else "")
    front = element("p", text(said), "qz-retired")
    if cloze:  # every card the note has keeps a deletion, or Anki shows "No cloze found on card"
        blank = text(t("anki.retired.blank"))
        front += " ".join(f"{{{{c{ord_ + 1}::{blank}}}}}" for ord_ in released.cards)
    values = dict.fromkeys(field_names, "")
    values[field_names[0]] = front
    values[field_names[1]] = element("p", text(t("anki.retired.help")), "qz-retired")
    values["Reference"] = text(uid)
    return [values[name] for name in field_names]


def retired_tags(uid: str) -> list[str]:
    return [RETIRED_TAG, f"quizgen::bank::{tag_part(uid.partition('/')[0])}"]
