"""Time `quizgen validate` (with source checks) on a synthetic 10,000-question bank.

Compared in the same run with the bare library doing the parsing alone
(PyYAML's libyaml-backed safe loader, and yaml-rs, the fast parser quizgen
reads clean files with), so the figure shows what validation adds.
Run: .venv/bin/python bench/bench_validate.py [count]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import yaml
import yaml_rs

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import ROOT, write_synthetic_content  # noqa: E402

from quizgen.check.sources import normalize  # noqa: E402
from quizgen.load.content import load_content  # noqa: E402

SOURCES = ROOT.parent / "shared" / "articles"


def best_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def cold_validate(content: Path) -> None:
    """One validation as a fresh `quizgen validate` process makes it: no text normalized by an earlier run."""
    normalize.cache_clear()
    load_content(content, SOURCES)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder)
        bank = write_synthetic_content(content, count)
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        text = bank.read_text(encoding="utf-8")
        bare = best_of(3, lambda: yaml.load(text, Loader=loader))
        bare_rs = best_of(3, lambda: yaml_rs.loads(text, parse_datetime=False))
        validation = load_content(content, SOURCES)
        assert validation.content is not None and validation.sources_dir is not None, validation.issues[:3]
        full = best_of(3, lambda: cold_validate(content))
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
