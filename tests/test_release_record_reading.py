"""The release record's two readers agree: the fast one (msgspec, in C) takes only records the precise
one takes, to the very same release; everything else goes to the precise one for its message."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.load.releases import LAST_TIME, Release, Released, _decoded, _release, load_release, release_json

SOUND = {"stamp": 1_800_000_000, "fingerprint": "ab12", "kind": "cloze", "note_type": "cloze", "cards": [0, 2]}
ODD_VALUES = [
    *(True, False, None, 0, 1, -1, 1.0, 2.5, LAST_TIME, LAST_TIME + 1, 2**70, "", "x", "1", [], [0], [-1]),
    *([True], [1.0], [0, "1"], {}, {"a": 1}, float("nan"), float("inf")),
]
KEYS = ["stamp", "fingerprint", "kind", "note_type", "cards", "prompt", "retired", "extra"]
UIDS = ["bank/q1", "bank/q2", "other/q", "no-slash", "/q", "bank/", "a/b/c", "ü/日本"]


def precise(text: str) -> Release | None:
    """The reading in Python, as load_release falls back to it: the release, or None for a refused record."""
    try:
        return _release(json.loads(text))
    except (TypeError, ValueError, KeyError):
        return None


@st.composite
def records(draw) -> str:
    """A record of a few entries, most of them sound, some with a value, a key or a uid gone wrong."""
    notes = {}
    for uid in draw(st.lists(st.sampled_from(UIDS), max_size=4)):
        entry = {**SOUND, "prompt": draw(st.sampled_from(["p1", "p2"]))}
        for _ in range(draw(st.integers(0, 2))):
            key = draw(st.sampled_from(KEYS))
            if draw(st.booleans()):
                entry.pop(key, None)
            else:
                entry[key] = draw(st.sampled_from(ODD_VALUES))
        notes[uid] = entry
    record = {"format": draw(st.sampled_from([1, 1, 1, 1.0, True, 2, "1"])), "notes": notes}
    record["released"] = draw(st.sampled_from([1_800_000_000, 1_800_000_000, 0, -5, True, 1.5, LAST_TIME + 1]))
    if draw(st.booleans()):
        record = {"notes": record["notes"], "released": record["released"], "format": record["format"]}
    return json.dumps(record)  # NaN and Infinity as Python's json writes (and reads) them


@settings(max_examples=600)
@given(records())
def test_the_fast_reader_takes_a_record_only_to_the_precise_reader_s_release(text):
    fast = _decoded(text.encode())  # msgspec takes bytes or text: both agree
    assert fast is None or fast == precise(text)
    assert _decoded(text) == fast


def test_the_fast_reader_takes_a_sound_record():
    release = Release(1_800_000_100, {"b/q": Released(1_800_000_000, "ab", "cloze", "cloze", (0, 1), "p")})
    data = release_json(release)
    assert _decoded(data) == release == precise(data.decode())


def test_a_record_the_fast_reader_refuses_is_still_read_precisely(tmp_path):
    # `format: 1.0` is a record the precise reading takes (1.0 == 1), and msgspec's typed one does not.
    record = {"format": 1.0, "released": 5, "notes": {"b/q": {**SOUND, "prompt": "p", "retired": "yes"}}}
    (tmp_path / "releases.json").write_text(json.dumps(record))
    assert _decoded(json.dumps(record)) is None
    release, issues = load_release(tmp_path)
    assert issues == [] and release == Release(
        5, {"b/q": Released(1_800_000_000, "ab12", "cloze", "cloze", (0, 2), "p")}
    )


def test_a_record_with_a_byte_order_mark_is_read_as_before(tmp_path):
    record = {"format": 1, "released": 5, "notes": {"b/q": {**SOUND, "prompt": "p"}}}
    (tmp_path / "releases.json").write_bytes(b"\xef\xbb\xbf" + json.dumps(record).encode())
    release, issues = load_release(tmp_path)
    assert issues == [] and release == Release(
        5, {"b/q": Released(1_800_000_000, "ab12", "cloze", "cloze", (0, 2), "p")}
    )


def test_a_record_that_is_not_utf8_is_located(tmp_path):
    (tmp_path / "releases.json").write_bytes(b'{"format": 1, "released": 5, "notes": {"b/q\xff": {}}}')
    release, issues = load_release(tmp_path)
    assert release is None and [issue.message for issue in issues] == ["not UTF-8 (byte 43)"]


def test_a_broken_record_is_reported_by_the_precise_reader(tmp_path):
    record = {"format": 1, "released": 5, "notes": {"b/q": {**SOUND, "prompt": "p", "cards": [-1]}}}
    (tmp_path / "releases.json").write_text(json.dumps(record))
    release, issues = load_release(tmp_path)
    assert release is None
    assert [issue.message for issue in issues] == [
        "not a release record written by quizgen (-1 should be a whole number) "
        "(restore it from git: `git checkout -- content/releases.json`; never edit it by hand)"
    ]


def test_a_record_not_utf8_in_a_key_the_reader_does_not_know_is_still_located(tmp_path):
    # msgspec skips an unknown key's value without checking its bytes; the record is still not UTF-8.
    record = b'{"format": 1, "released": 5, "notes": {}, "note": "\xff"}'
    (tmp_path / "releases.json").write_bytes(record)
    release, issues = load_release(tmp_path)
    assert release is None and [issue.message for issue in issues] == ["not UTF-8 (byte 51)"]


def test_a_record_nested_too_deeply_is_located_not_a_crash(tmp_path):
    (tmp_path / "releases.json").write_text('{"notes": ' + "[" * 100_000 + "]" * 100_000 + "}")
    release, issues = load_release(tmp_path)
    assert release is None and [(issue.line, issue.col, issue.message) for issue in issues] == [
        (
            1,
            1,
            "not JSON: nested too deeply (restore it from git: `git checkout -- content/releases.json`; "
            "never edit it by hand)",
        )
    ]
