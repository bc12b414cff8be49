"""A synthetic bank of any size, made from the sample bank's questions (one of every kind).

Each copy gets its own id and a numbered prompt; sources stay verbatim, so the
source check does real work on every question.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
VALID = ROOT / "tests" / "data" / "valid"


def synthetic_questions(count: int) -> list[dict]:
    sample = yaml.safe_load((VALID / "banks" / "sample.yaml").read_text(encoding="utf-8"))["questions"]
    questions = []
    for i in range(count):
        question = dict(sample[i % len(sample)])
        question["id"] = f"{question['id']}-{i}"
        question["prompt"] = f"[{i}] {question['prompt']}"
        questions.append(question)
    return questions


class _PlainDumper(yaml.SafeDumper):
    """Banks may not use aliases, so shared values are written out in full."""

    def ignore_aliases(self, data) -> bool:
        return True


def write_synthetic_content(folder: Path, count: int) -> Path:
    """A content directory with one bank of `count` questions; returns the bank file."""
    (folder / "banks").mkdir(parents=True, exist_ok=True)
    for name in ("articles.yaml", "tags.yaml"):
        shutil.copy(VALID / name, folder / name)
    bank = {"bank": "synthetic", "title": "Synthetic", "article": "ni-2002", "questions": synthetic_questions(count)}
    path = folder / "banks" / "synthetic.yaml"
    path.write_text(yaml.dump(bank, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    return path
