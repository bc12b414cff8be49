"""Find, load and validate the banks of a content directory; collect every issue."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from quizgen.check.items import report_item_flaws
from quizgen.check.leaks import bank_leaks
from quizgen.check.sources import Library, appears_in, normalize, passage_problems
from quizgen.errors import Issue
from quizgen.kinds import KINDS, kind_of
from quizgen.load.bank_format import fields_for
from quizgen.load.fields import Report, check_fields, check_mapping, open_report, yaml_files
from quizgen.load.schema import BANK_FIELDS, SLUG
from quizgen.model import Bank, Question


@dataclass(frozen=True)
class LoadedBank:
    """A bank file's outcome: the bank (None if it has errors) and its issues."""

    bank: Bank | None
    issues: list[Issue]


def bank_files(content_dir: Path) -> list[Path]:
    """Every bank file, in a stable order."""
    return yaml_files(content_dir / "banks")


def load_bank(path: Path, library: Library) -> LoadedBank:
    """Load and check one bank file; never raises for bad content."""
    report = open_report(path)
    if report.doc is None:
        return LoadedBank(None, report.issues)
    bank = _check_bank(report, library)
    if bank is not None:
        _check_leaks(bank, report)
        report_item_flaws(bank, report)
    return LoadedBank(bank if not any(i.is_error for i in report.issues) else None, report.issues)


def _check_leaks(bank: Bank, report: Report) -> None:
    index = {question.id: i for i, question in enumerate(bank.questions)}
    for question, path, message in bank_leaks(bank):
        report.warn(("questions", index[question.id], *path), f"question '{question.id}': {message}")


def _check_bank(report: Report, library: Library) -> Bank | None:
    header = check_mapping(report.doc.data, (), BANK_FIELDS, report, "")
    if header and header.get("article") and header["article"] not in library.articles:
        report.add(("article",), f"unknown article '{header['article']}' ({library.expected_articles()})")
    data = report.doc.data if isinstance(report.doc.data, dict) else {}
    bank_id = header["bank"] if header else str(data.get("bank", "?"))
    article = header.get("article", "") if header else ""
    questions = data.get("questions") if isinstance(data.get("questions"), list) else []
    built = [_check_question(q, i, bank_id, article, report, library) for i, q in enumerate(questions)]
    _check_unique_ids(questions, report)
    if header is None or None in built:
        return None
    return Bank(bank_id, header["title"], report.path, tuple(built), article, header.get("description", ""))


def _label(raw: object, index: int) -> str:
    qid = raw.get("id") if isinstance(raw, dict) else None
    return f"question '{qid}': " if isinstance(qid, str) and qid else f"question {index + 1}: "


def _check_question(
    raw: object, index: int, bank_id: str, article: str, report: Report, library: Library
) -> Question | None:
    where = ("questions", index)
    label = _label(raw, index)
    kind = raw.get("kind") if isinstance(raw, dict) else None
    fields = fields_for(kind) if isinstance(kind, str) else fields_for("")
    q, ok = check_fields(raw, where, fields, report, label)
    if "kind" not in q:
        return None
    errors_before = len(report.issues)
    if all(spec.name in q for spec in fields if spec.required):
        for sub, message in KINDS[q["kind"]].check(q):
            report.add(where + sub, label + message)
    if "tags" in q:
        _check_tags(q, where, label, report, library.tags)
    if "source" in q:
        _check_passages(q, where, label, article, report, library)
    if not ok or len(report.issues) > errors_before:
        return None
    question = KINDS[q["kind"]].build(bank_id, article, q)
    if library.texts is not None:
        _check_answers_in_passages(question, where, label, report, library)
    return question


def _check_tags(q: dict, where: tuple, label: str, report: Report, tags: dict[str, str]) -> None:
    seen = set()
    for i, tag in enumerate(q["tags"]):
        if tags and tag not in tags:
            report.add(where + ("tags", i), f"{label}unknown tag '{tag}' (expected one of: {', '.join(tags)})")
        if tag in seen:
            report.add(where + ("tags", i), f"{label}tag '{tag}' is listed twice")
        seen.add(tag)


def _check_passages(q: dict, where: tuple, label: str, article: str, report: Report, library: Library) -> None:
    """Each passage names a known article and, when the texts are at hand, quotes it verbatim."""
    single = len(q["source"]) == 1 and not isinstance(report.doc.data["questions"][where[1]]["source"], list)
    for i, (passage_article, text) in enumerate(q["source"]):
        at = where + ("source",) if single else where + ("source", i)
        article_id = passage_article or article
        name = "source" if single else f"source passage {i + 1}"
        if not article_id:
            report.add(at, f"{label}{name} names no article (expected {{article, text}}, or an 'article' for the bank)")
        elif article_id not in library.articles and article_id != article:  # the bank's own is reported once
            report.add(at, f"{label}{name}: unknown article '{article_id}' ({library.expected_articles()})")
        elif library.texts is not None and article_id in library.texts:
            for problem in passage_problems(text, library.texts[article_id]):
                report.add(at, f"{label}{name} {problem}")


def _check_answers_in_passages(question: Question, where: tuple, label: str, report: Report, library: Library) -> None:
    passages = " ".join(normalize(p.text) for p in question.source).casefold()
    for answer, spellings in kind_of(question).source_answers(question):
        if not any(appears_in(spelling, passages) for spelling in spellings):
            report.warn(
                where + ("source",),
                f"{label}answer '{answer}' does not appear in the source passage(s) "
                "(quote a passage that states it, or add the text's spelling to 'accept')",
            )


def _check_unique_ids(questions: list, report: Report) -> None:
    first_seen: dict[str, int] = {}
    for i, q in enumerate(questions):
        qid = q.get("id") if isinstance(q, dict) else None
        if not isinstance(qid, str) or not SLUG.fullmatch(qid):
            continue
        if qid in first_seen:
            line = report.doc.where(("questions", first_seen[qid], "id"))[0]
            report.add(
                ("questions", i, "id"),
                f"question '{qid}': id is used twice (first on line {line}; ids must be unique in a bank)",
            )
        else:
            first_seen[qid] = i
