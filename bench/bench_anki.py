"""Benchmark: a synthetic 10,000-question bank to .apkg through quizgen, against bare genanki.

The bank is bench/synthetic.py's (the sample bank's questions, one of every
kind, numbered), loaded, validated and released (`quizgen release`, so the
deck is stamped from content/releases.json as every later build is) before any
clock starts. Bare genanki writes the very same notes (fields, tags, GUIDs,
note types): the fields and tags are prepared with quizgen beforehand, the
GUIDs it computes with genanki.guid_for as any genanki script would. quizgen's
time is the deck stage of `quizgen build` (pipeline.render_anki): reading and
checking the release record (the guards included), building the fields from
the questions, fingerprinting and stamping every note, its fixed-date zip, and
writing the file. The course's catalogue is loaded before the clock, as
`build` loads it once for every output. Every run starts after gc.collect().
Both run in this process, alternately; the best of the runs counts, in
wall-clock time and in this process's CPU time (the machine may be shared).

Run: python bench/bench_anki.py [--questions 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import genanki

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import ROOT, write_synthetic_content  # noqa: E402

from quizgen.load.content import require_content  # noqa: E402
from quizgen.model import Content  # noqa: E402
from quizgen.pipeline import Source, course_catalogue, release, render_anki  # noqa: E402
from quizgen.render.anki import NOTE_TYPES, deck_id, load_templates  # noqa: E402
from quizgen.render.anki_fields import note_fields, note_tags  # noqa: E402
from quizgen.render.catalogue import Catalogue  # noqa: E402
from quizgen.render.zip_archive import zip_bytes  # noqa: E402

SOURCES = ROOT.parent / "shared" / "articles"
STAMP = 1_800_000_000


def timed(work) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds of this process) of work()."""
    gc.collect()  # each run starts from the same heap: the garbage of the one before is not its cost
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def through_quizgen(content: Content, content_dir: Path, out: Path, catalogue: Catalogue) -> None:
    data, _ = render_anki(content, content_dir, content.questions, name="Bench", catalogue=catalogue, whole=True)
    out.write_bytes(data)


def prepared_notes(content: Content) -> list[tuple[str, list[str], list[str], tuple[str, str]]]:
    """(note type key, fields in order, tags, (bank id, question id)) of every note, as quizgen builds them."""
    notes = []
    for q in content.questions:
        built = note_fields(q, content.articles)
        order = NOTE_TYPES[built.note_type].fields
        notes.append((built.note_type, [built.fields[f] for f in order], list(note_tags(q)), (q.bank, q.id)))
    return notes


def bare_models() -> dict[str, genanki.Model]:
    models = {}
    for key, nt in NOTE_TYPES.items():
        t = load_templates(nt)
        models[key] = genanki.Model(
            nt.model_id,
            nt.name,
            fields=[{"name": f} for f in nt.fields],
            templates=[{"name": nt.template, "qfmt": t.front, "afmt": t.back}],
            css=t.css,
            model_type=genanki.Model.CLOZE if nt.cloze else genanki.Model.FRONT_BACK,
        )
    return models


def through_genanki(notes: list, out: Path) -> None:
    models = bare_models()
    deck = genanki.Deck(deck_id("bank synthetic"), "Bench::Synthetic")
    for due, (key, fields, tags, (bank, question)) in enumerate(notes):
        guid = genanki.guid_for("quizgen", bank, question)  # identity is genanki's work, as in any genanki script
        deck.add_note(genanki.Note(model=models[key], fields=fields, tags=tags, guid=guid, due=due))
    genanki.Package([genanki.Deck(deck_id("parent Bench"), "Bench"), deck]).write_to_file(str(out), timestamp=STAMP)


def through_genanki_deflated(notes: list, out: Path) -> None:
    """Bare genanki, then its package deflated as quizgen ships its own (ISA-L, render/zip_archive.py;
    genanki stores the collection uncompressed: 15 MB where quizgen's file is 1.2 MB), so both clocks
    include the same compression."""
    through_genanki(notes, out)
    with zipfile.ZipFile(out) as stored:
        members = [(info.filename, stored.read(info)) for info in stored.infolist()]
    out.write_bytes(zip_bytes(members))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    ours, bare, bare_fields, bare_deflated = [], [], [], []
    with tempfile.TemporaryDirectory() as folder:
        content_dir = Path(folder) / "content"
        write_synthetic_content(content_dir, args.questions)
        content = require_content(content_dir, SOURCES)
        notes = prepared_notes(content)
        catalogue = course_catalogue(content)  # loaded once per build, for every output (pipeline.build)
        release(Source(content_dir, SOURCES), Path(folder) / "released", STAMP)
        for _ in range(args.runs):
            ours.append(timed(lambda: through_quizgen(content, content_dir, Path(folder) / "quizgen.apkg", catalogue)))
            bare.append(timed(lambda: through_genanki(notes, Path(folder) / "genanki.apkg")))
            bare_fields.append(timed(lambda: through_genanki(prepared_notes(content), Path(folder) / "genanki.apkg")))
            bare_deflated.append(timed(lambda: through_genanki_deflated(notes, Path(folder) / "deflated.apkg")))
        names = ("quizgen.apkg", "genanki.apkg", "deflated.apkg")
        sizes = {name: (Path(folder) / name).stat().st_size / 1e6 for name in names}
    wall = min(t[0] for t in ours), min(t[0] for t in bare)
    cpu = min(t[1] for t in ours), min(t[1] for t in bare)
    print(f"{len(content.questions)} questions, best of {args.runs} runs    wall s   CPU s")
    print(f"quizgen      ({sizes['quizgen.apkg']:4.1f} MB .apkg)   {wall[0]:6.2f}  {cpu[0]:6.2f}")
    print(f"bare genanki ({sizes['genanki.apkg']:4.1f} MB .apkg)   {wall[1]:6.2f}  {cpu[1]:6.2f}")
    print(f"ratio (target <= 1.3)            {wall[0] / wall[1]:6.2f}  {cpu[0] / cpu[1]:6.2f}")
    # For context only (not the target): genanki given the questions, its fields built by quizgen in the clock.
    both = min(t[0] for t in bare_fields), min(t[1] for t in bare_fields)
    print(f"bare genanki, fields in the clock  {both[0]:6.2f}  {both[1]:6.2f}")
    print(f"ratio to that (context)          {wall[0] / both[0]:6.2f}  {cpu[0] / both[1]:6.2f}")
    # The same output on both sides: genanki's package deflated as quizgen's is.
    deflated = min(t[0] for t in bare_deflated), min(t[1] for t in bare_deflated)
    print(f"bare genanki, deflated ({sizes['deflated.apkg']:4.1f} MB) {deflated[0]:6.2f}  {deflated[1]:6.2f}")
    print(f"ratio to that (same output)      {wall[0] / deflated[0]:6.2f}  {cpu[0] / deflated[1]:6.2f}")


if __name__ == "__main__":
    main()
