"""Benchmark: a synthetic 10,000-question bank to .apkg through quizgen, against bare genanki.

Bare genanki writes the very same notes (fields, tags, GUIDs, note types),
prepared before its clock starts; quizgen's time includes building those
fields from the questions, its fixed-date zip and writing the file. Both run
in this process, alternately, and the best of the runs counts.

    python bench/bench_anki.py [--questions 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import genanki

from quizgen.model import (
    Article,
    Bank,
    Cloze,
    Content,
    Essay,
    Event,
    Matching,
    MultipleChoice,
    MultipleSelect,
    Numeric,
    Ordering,
    Pair,
    Passage,
    ShortAnswer,
    TrueFalse,
)
from quizgen.render.anki import NOTE_TYPES, deck_id, load_templates, note_guid, render_deck
from quizgen.render.anki_notes import note_fields, note_tags

STAMP = 1_800_000_000
ARTICLE = Article(
    "ni-2002", "Sino-Russian Relations since the September 11 Incident", "Ni Xiaoquan", "essay", "2002", "x"
)


def synthetic_question(i: int):
    """Question number i: the nine kinds in turn, with text about as long as the real banks'."""
    common = {
        "bank": "synthetic",
        "id": f"q-{i:05d}",
        "prompt": f"In which year did event number {i} of the Sino-Russian relationship take place, according to Ni?",
        "source": (
            Passage("ni-2002", f"In {1990 + i % 30} bilateral trade between China and Russia hit a record high"),
        ),
        "tags": ("trade", "date"),
        "explanation": "The passage gives the year & the figure <verbatim>.",
    }
    kind = i % 9
    if kind == 0:
        return MultipleChoice(
            kind="multiple_choice", answer="July 2001", distractors=("May 2002", "June 1999"), **common
        )
    if kind == 1:
        return MultipleSelect(kind="multiple_select", answers=("a", "b"), distractors=("c", "d"), **common)
    if kind == 2:
        return TrueFalse(kind="true_false", answer=False, correction="It was the first.", **common)
    if kind == 3:
        return ShortAnswer(kind="short_answer", answer="Daqing", accept=("Daqin",), **common)
    if kind == 4:
        return Numeric(kind="numeric", answer=10.7, unit="billion US$", tolerance=0.05, **common)
    if kind == 5:
        return Cloze(
            kind="cloze", **{**common, "prompt": f"Trade in {{{{c1::{1990 + i % 30}}}}} hit {{{{c2::a record}}}}."}
        )
    if kind == 6:
        return Matching(kind="matching", pairs=(Pair("a", "1"), Pair("b", "2"), Pair("c", "3")), **common)
    if kind == 7:
        return Ordering(kind="ordering", items=(Event("x", "1999"), Event("y", "2001"), Event("z", "2002")), **common)
    return Essay(kind="essay", key_points=("one point", "another point"), **common)


def synthetic_content(count: int) -> Content:
    questions = tuple(synthetic_question(i) for i in range(count))
    bank = Bank("synthetic", "Synthetic Bank", "synthetic.yaml", questions, article="ni-2002")
    return Content({"ni-2002": ARTICLE}, (bank,), {})


def through_quizgen(content: Content, out: Path) -> float:
    start = time.perf_counter()
    out.write_bytes(render_deck(content, content.questions, {"synthetic": STAMP}, name="Bench"))
    return time.perf_counter() - start


def prepared_notes(content: Content) -> list[tuple[str, list[str], list[str], str]]:
    """(note type key, fields in order, tags, GUID) of every note, as quizgen builds them."""
    notes = []
    for q in content.questions:
        built = note_fields(q, content.articles)
        order = NOTE_TYPES[built.note_type].fields
        notes.append((built.note_type, [built.fields[f] for f in order], note_tags(q), note_guid(q)))
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


def through_genanki(notes: list, out: Path) -> float:
    start = time.perf_counter()
    models = bare_models()
    deck = genanki.Deck(deck_id("bank synthetic"), "Bench::Synthetic Bank")
    for due, (key, fields, tags, guid) in enumerate(notes):
        deck.add_note(genanki.Note(model=models[key], fields=fields, tags=tags, guid=guid, due=due))
    genanki.Package([genanki.Deck(deck_id("parent Bench"), "Bench"), deck]).write_to_file(str(out), timestamp=STAMP)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    content = synthetic_content(args.questions)
    notes = prepared_notes(content)
    ours, bare = [], []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.runs):
            ours.append(through_quizgen(content, Path(folder) / "quizgen.apkg"))
            bare.append(through_genanki(notes, Path(folder) / "genanki.apkg"))
        sizes = {name: (Path(folder) / name).stat().st_size for name in ("quizgen.apkg", "genanki.apkg")}
    print(f"{args.questions} questions, best of {args.runs} runs")
    print(f"quizgen:      {min(ours):6.2f} s  ({sizes['quizgen.apkg'] / 1e6:.1f} MB)")
    print(f"bare genanki: {min(bare):6.2f} s  ({sizes['genanki.apkg'] / 1e6:.1f} MB)")
    print(f"ratio:        {min(ours) / min(bare):6.2f}  (target <= 1.3)")


if __name__ == "__main__":
    main()
