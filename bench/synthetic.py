"""A synthetic bank of any size, made from the sample bank's questions (one of every kind).

Each copy gets its own id and a numbered prompt; sources stay verbatim, so the
source check does real work on every question.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from quizgen.check.sources import ArticleText, clean_article

ROOT = Path(__file__).resolve().parent.parent
VALID = ROOT / "tests" / "data" / "valid"


def synthetic_questions(count: int) -> list[dict]:
    sample = yaml.safe_load((VALID / "banks" / "sample.yaml").read_text(encoding="utf-8"))["questions"]
    sentences = article_sentences()
    questions = []
    for i in range(count):
        question = dict(sample[i % len(sample)])
        question["id"] = f"{question['id']}-{i}"
        question["prompt"] = f"[{i}] {question['prompt']}"
        if question["kind"] == "cloze":
            question.update(cloze_from(sentences[i % len(sentences)]))
        questions.append(question)
    return questions


def article_sentences() -> list[str]:
    """Sentences of article 000 short enough to quote, for clozes that differ from one another."""
    text = (ROOT.parent / "shared" / "articles" / "000_650b964cab84bf9c.txt").read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if p[:1].isupper() and len(p) > 200]
    sentences = [s.strip() + "." for p in paragraphs for s in p.split(". ")]
    article = ArticleText("ni-2002", clean_article(text))
    # No digits: a date or figure in a cloze sentence would give away another question's answer.
    return [s for s in sentences if 8 <= len(s.split()) <= 40 and article.contains(s) and not re.search(r"\d", s)]


def cloze_from(sentence: str) -> dict:
    """A cloze on the sentence's longest word (one word: not an answer that could leak elsewhere)."""
    words = [w.strip(',.;:()"') for w in sentence.split()]
    word = max((w for w in words if sentence.count(w) == 1), key=len)
    return {"prompt": sentence.replace(word, "{{c1::" + word + "}}", 1), "source": sentence}


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
    path.write_text(
        yaml.dump(bank, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8"
    )
    return path
