"""Find, load and validate the banks of a content directory; collect every issue."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from quizgen.check.fonts import font_warnings
from quizgen.check.items import report_item_flaws
from quizgen.check.leaks import bank_leaks
from quizgen.check.sources import MAX_EXCERPT_WORDS, Library, appears_in, normalize, passage_problems
from quizgen.errors import Issue
from quizgen.kinds import KINDS, kind_of
from quizgen.load.bank_format import fields_for
from quizgen.load.fields import Report, check_fields, check_mapping, open_report, yaml_files
from quizgen.load.schema import BANK_FIELDS, RETIRED_FIELDS, SET_FIELDS, SLUG
from quizgen.model import Bank, Question, ReadingSet, Retired

SET_SIZE = (3, 6)  # questions in a reading set: enough to be worth the excerpt, few enough for one page


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
        _check_fonts(report)
    return LoadedBank(bank if not any(i.is_error for i in report.issues) else None, report.issues)


# The YAML escapes that make a character outside ASCII (`\u4e2d`, `\x80`, `\N`, `\_`, `\L`, `\P`); the others
# make ASCII or a control character, which the control check reports. `\$` in prompts is none of them.
_NON_ASCII_ESCAPE = re.compile(r"\\[xuUN_LP]")


def question_position(bank: Bank, question_id: str) -> tuple[int, int]:
    """The line and column where a question starts in its bank file, for a later stage's warning.

    Read again only when asked: positions come from the precise parser, which costs more than
    the fast one that loads clean files (a 10,000-question bank took 3 s more to validate)."""
    index = next((i for i, question in enumerate(bank.questions) if question.id == question_id), None)
    path = Path(bank.path)
    try:
        stat = path.stat()
    except OSError:
        return (1, 1)
    where = _question_positions(bank.path, stat.st_mtime_ns, stat.st_size)
    return where[index] if index is not None and index < len(where) else (1, 1)


@functools.lru_cache(maxsize=16)
def _question_positions(path: str, mtime_ns: int, size: int) -> tuple[tuple[int, int], ...]:
    report = open_report(Path(path))  # mtime and size in the key: an edited file is read again
    if report.doc is None or not isinstance(report.doc.data, dict):
        return ()
    questions = report.doc.data.get("questions")
    count = len(questions) if isinstance(questions, list) else 0
    return tuple(report.doc.where(("questions", i)) for i in range(count))


def _check_fonts(report: Report) -> None:
    """A warning at every text holding a character no installed font can draw (it would print blank)."""
    if report.doc.text.isascii() and not _NON_ASCII_ESCAPE.search(report.doc.text):
        return  # plain ASCII, no escape that could make other characters: the first fonts draw it all
    texts = [(text, where) for where, text in _texts(report.doc.data, ()) if not text.isascii()]
    for where, message in font_warnings(texts) if texts else ():
        report.warn(where or (), message)


def _texts(value: object, where: tuple):
    """Every text of a parsed file with its path (ASCII is drawn by the fonts setup installs first)."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, where + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, where + (i,))


def _check_leaks(bank: Bank, report: Report) -> None:
    index = {question.id: i for i, question in enumerate(bank.questions)}
    for question, path, message in bank_leaks(bank):
        report.warn(("questions", index[question.id], *path), f"question '{question.id}': {message}")


def _check_bank(report: Report, library: Library) -> Bank | None:
    # The header values that are right are used even when another is wrong: a typo in `description:`
    # must not leave the bank without its article (one "names no article" error per passage).
    header, header_ok = check_fields(report.doc.data, (), BANK_FIELDS, report, "")
    if header.get("article") and header["article"] not in library.articles:
        report.add(("article",), f"unknown article '{header['article']}' ({library.expected_articles()})")
    data = report.doc.data if isinstance(report.doc.data, dict) else {}
    bank_id = header["bank"] if "bank" in header else str(data.get("bank", "?"))
    article = header.get("article", "")
    questions = data.get("questions") if isinstance(data.get("questions"), list) else []
    built = [_check_question(q, i, bank_id, article, report, library) for i, q in enumerate(questions)]
    _check_unique_ids(questions, report)
    sets = _check_sets(data, article, report, library)
    _check_set_members(data, questions, built, sets, report)
    retired = _check_retired(data, questions, report)
    if not header_ok or None in built or sets is None or retired is None:
        return None
    description = header.get("description", "")
    return Bank(
        bank_id, header["title"], report.path, tuple(built), article, description, tuple(sets.values()), retired
    )


# --- retired questions --------------------------------------------------------------


def _check_retired(data: dict, questions: list, report: Report) -> tuple[Retired, ...] | None:
    """The bank's `retired:` entries; None if any is wrong (a duplicate, or an id still under `questions:`)."""
    raws = data.get("retired") if isinstance(data.get("retired"), list) else []
    live = {q.get("id"): i for i, q in enumerate(questions) if isinstance(q, dict) and isinstance(q.get("id"), str)}
    retired: dict[str, Retired] = {}
    ok = True
    for i, raw in enumerate(raws):
        sid = raw.get("id") if isinstance(raw, dict) else None
        label = f"retired '{sid}': " if isinstance(sid, str) and sid else f"retired {i + 1}: "
        entry = check_mapping(raw, ("retired", i), RETIRED_FIELDS, report, label)
        if entry and entry["id"] in live:
            line = report.doc.where(("questions", live[entry["id"]], "id"))[0]
            message = f"is still a question (line {line}); remove the question, or remove it from 'retired:'"
            report.add(("retired", i, "id"), label + message)
            entry = None
        elif entry and entry["id"] in retired:
            first = report.doc.where(("retired", list(retired).index(entry["id"]), "id"))[0]
            report.add(("retired", i, "id"), f"{label}is listed twice (first on line {first})")
            entry = None
        if entry:
            retired[entry["id"]] = Retired(entry["id"], entry.get("reason", ""))
        ok = ok and entry is not None
    return tuple(retired.values()) if ok else None


# --- reading sets -------------------------------------------------------------------


def _set_label(raw: object, index: int) -> str:
    sid = raw.get("id") if isinstance(raw, dict) else None
    return f"set '{sid}': " if isinstance(sid, str) and sid else f"set {index + 1}: "


def _check_sets(data: dict, article: str, report: Report, library: Library) -> dict[str, ReadingSet] | None:
    """The bank's reading sets by id, each excerpt checked verbatim like a passage; None if any is wrong."""
    raws = data.get("sets") if isinstance(data.get("sets"), list) else []
    sets: dict[str, ReadingSet] = {}
    ok = True
    for i, raw in enumerate(raws):
        entry = check_mapping(raw, ("sets", i), SET_FIELDS, report, _set_label(raw, i))
        reading = entry and _reading_set(entry, i, article, report, library)
        if reading and reading.id in sets:
            first = report.doc.where(("sets", list(sets).index(reading.id), "id"))[0]
            message = f"id is used twice (first on line {first}; set ids must be unique in a bank)"
            report.add(("sets", i, "id"), f"set '{reading.id}': {message}")
            reading = None
        if reading:
            sets[reading.id] = reading
        ok = ok and reading is not None
    return sets if ok else None


def _reading_set(entry: dict, index: int, article: str, report: Report, library: Library) -> ReadingSet | None:
    label, where = f"set '{entry['id']}': ", ("sets", index)
    article_id = entry.get("article") or article
    errors = len(report.issues)
    if not article_id:
        report.add(where, f"{label}names no article (give it an 'article', or the bank one)")
    elif article_id not in library.articles:
        report.add(where + ("article",), f"{label}unknown article '{article_id}' ({library.expected_articles()})")
    elif library.texts is not None and article_id in library.texts:
        problems = passage_problems(
            entry["excerpt"], library.texts[article_id], MAX_EXCERPT_WORDS, "print a shorter excerpt"
        )
        for problem in problems:
            report.add(where + ("excerpt",), f"{label}excerpt {problem}")
    if len(report.issues) > errors:
        return None
    return ReadingSet(entry["id"], entry.get("title", ""), entry["excerpt"], article_id)


def _check_set_members(
    data: dict, questions: list, built: list[Question | None], sets: dict[str, ReadingSet] | None, report: Report
) -> None:
    """Each `set:` names a set of the bank, each set has 3 to 6 questions, and each set question's
    passages lie inside its excerpt (else it could be answered without it, or the excerpt does
    not support it)."""
    raw_sets = data.get("sets") if isinstance(data.get("sets"), list) else []
    declared = [raw.get("id") for raw in raw_sets if isinstance(raw, dict)]
    members: dict[str, int] = {}
    for i, raw in enumerate(questions):
        set_id = raw.get("set") if isinstance(raw, dict) else None
        if not isinstance(set_id, str) or not SLUG.fullmatch(set_id):
            continue  # absent, or reported as not a slug
        members[set_id] = members.get(set_id, 0) + 1
        if set_id not in declared:
            expected = "expected one of: " + ", ".join(map(str, declared)) if declared else "the bank has no 'sets:'"
            report.add(
                ("questions", i, "set"), f"{_label(raw, i)}set '{set_id}' is not a set of this bank ({expected})"
            )
        elif sets and set_id in sets and built[i] is not None:
            _check_inside_excerpt(built[i], sets[set_id], raw, i, report)
    for reading in (sets or {}).values():
        count, (low, high) = members.get(reading.id, 0), SET_SIZE
        if not low <= count <= high:
            at = ("sets", declared.index(reading.id), "id")
            message = f"has {count} question(s) (expected {low} to {high}; a question joins with 'set: {reading.id}')"
            report.add(at, f"set '{reading.id}': {message}")


def _check_inside_excerpt(question: Question, reading: ReadingSet, raw: dict, index: int, report: Report) -> None:
    excerpt = normalize(reading.excerpt)
    single = not isinstance(raw.get("source"), list)
    for k, passage in enumerate(question.source):
        if passage.article == reading.article and normalize(passage.text) in excerpt:
            continue
        at = ("questions", index, "source") if single else ("questions", index, "source", k)
        name = "source" if single else f"source passage {k + 1}"
        report.add(
            at,
            f"question '{question.id}': {name} is not inside the excerpt of set '{reading.id}' "
            "(a set's questions are answered from its printed excerpt: quote the excerpt)",
        )


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
        for sub, message, *snippet in KINDS[q["kind"]].check(q):
            if snippet:  # the problem is a piece of the value: point at it, not at the value's start
                report.add_at(*report.text_position(where + sub, snippet[0]), label + message)
            else:
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
