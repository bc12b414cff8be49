"""Time `quizgen validate` (with source checks) on a synthetic 10,000-question bank.

Compared in the same run with the bare library doing the parsing alone
(PyYAML's libyaml-backed safe loader, and yaml-rs, the fast parser quizgen
reads clean files with), so the figure shows what validation adds.
Each is timed alternately with the others, best of 5 rounds.
Run: .venv/bin/python bench/bench_validate.py [count] [rounds]
"""

from __future__ import annotations

import gc
import sys
import tempfile
import time
from pathlib import Path

import yaml
import yaml_rs

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import ROOT, write_synthetic_content  # noqa: E402

from quizgen.load.content import load_content  # noqa: E402

SOURCES = ROOT.parent / "shared" / "articles"


def timed(work) -> float:
    gc.collect()  # each run starts from the same heap: the garbage of the one before is not its cost
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def best_of_alternating(runs: int, *works) -> list[float]:
    """The best time of each work over `runs` rounds, the works taking turns in every round (so a
    busy moment of a shared machine slows them alike)."""
    times = [[timed(work) for work in works] for _ in range(runs)]
    return [min(round_[i] for round_ in times) for i in range(len(works))]


def clear_caches() -> None:
    """Empty every functools cache of quizgen's modules (normalized passages, words of a prompt, ...)."""
    for name, module in list(sys.modules.items()):
        if name == "quizgen" or name.startswith("quizgen."):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def cold_validate(content: Path) -> None:
    """One validation as a fresh `quizgen validate` process makes it: nothing kept from an earlier run."""
    clear_caches()
    load_content(content, SOURCES)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder)
        bank = write_synthetic_content(content, count)
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        text = bank.read_text(encoding="utf-8")
        validation = load_content(content, SOURCES)
        assert validation.content is not None and validation.sources_dir is not None, validation.issues[:3]
        bare, bare_rs, full = best_of_alternating(
            runs,
            lambda: yaml.load(text, Loader=loader),
            lambda: yaml_rs.loads(text, parse_datetime=False),
            lambda: cold_validate(content),
        )
    size = bank.stat().st_size if bank.exists() else 0
    print(f"questions:                       {count:,} ({size / 1e6:.1f} MB)" if size else f"questions: {count:,}")
    print(f"bare PyYAML safe_load (C):       {bare:.3f} s")
    print(f"bare yaml-rs loads:              {bare_rs:.3f} s  (the parser quizgen reads clean files with)")
    print(f"quizgen validate, sources on:    {full:.3f} s  (target < 2 s: {'ok' if full < 2 else 'MISSED'})")
    print(f"ratio quizgen / bare PyYAML:     {full / bare:.2f}")
    print(f"quizgen / bare PyYAML (target <= 0.7): {full / bare:.2f} {'ok' if full / bare <= 0.7 else 'MISSED'}")
    print(f"ratio quizgen / bare yaml-rs:    {full / bare_rs:.2f}")


if __name__ == "__main__":
    main()
