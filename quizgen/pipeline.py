"""The pipeline: load -> check (stop on any error, nothing written) -> draw -> render -> write.

Each stage is a short function below, and every command is a sequence of them:

- `validate`: load, check the quizzes against the content (drawing, never laying out);
- `build`: load, draw every quiz, render handouts, keys, study guides, practice pages
  and the deck in memory, then write them all at once;
- `quiz`, `deck`, `practice`, `export`: load, select or draw, render, write one output;
- `release`: load, check against the last release, write the deck and the new record.

A wrong quiz, a broken template or two outputs with one name stop a command before
its first file is written. The CLI parses options and calls one of these; the core
never prints, and warnings come back in each result for the CLI to show.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from quizgen.check.observed import statistics_issues
from quizgen.draw.select import Selection, draw, select
from quizgen.draw.studyguide import study_guides
from quizgen.draw.versions import QuizVersion, fit_problems, versions_of
from quizgen.errors import ERROR, WARNING, ContentError, Issue, QuizgenError
from quizgen.export.base import Exported, ExportFormat
from quizgen.load.content import Validation, load_content
from quizgen.load.fields import display_path
from quizgen.load.quizzes import LoadedQuiz, QuizDefinition, read_quizzes
from quizgen.load.releases import Release, build_time, load_release, release_json, releases_path
from quizgen.model import Content, Question
from quizgen.render.catalogue import Catalogue
from quizgen.render.handouts import Document, guide_documents, quiz_documents
from quizgen.render.pdf import Progress, default_jobs, no_progress, render_pdfs
from quizgen.render.templates import course_catalogue, make_env, template_dirs
from quizgen.write import Writer, write_atomic

if TYPE_CHECKING:
    from quizgen.export import Exported

QUIZZES_FOLDER = "quizzes"
GUIDES_FOLDER = "study-guides"
PRACTICE_FOLDER = "practice"
ANKI_FOLDER = "anki"
LMS_FOLDER = "lms"

Output = tuple[str, bytes | str]  # (path relative to the output folder, its bytes or text)


@dataclass(frozen=True)
class Source:
    """Where the content is and how strictly to read it: what every command starts from."""

    content_dir: Path
    sources_dir: Path | None = None
    strict: bool = False
    check_sources: bool = True  # False: --no-source-check, shown as a warning


@dataclass(frozen=True)
class Loaded:
    """Checked content and the warnings met while loading it (the CLI shows them)."""

    content: Content
    warnings: tuple[Issue, ...]


@dataclass(frozen=True)
class Written:
    """What a command wrote, and every warning met on the way."""

    paths: tuple[Path, ...]
    warnings: tuple[Issue, ...]


# --- load and check ------------------------------------------------------------------


def load(source: Source) -> Loaded:
    """The content, or ContentError with every issue (warnings too, under --strict)."""
    validation = load_content(source.content_dir, source.sources_dir, source.check_sources)
    return _loaded(validation.strict() if source.strict else validation)


def _loaded(validation: Validation) -> Loaded:
    if validation.content is None:
        raise ContentError(validation.issues)
    return Loaded(validation.content, tuple(validation.issues))


def validate(source: Source) -> Validation:
    """Every bank and every quiz file, all in one run: each quiz's format, and its fit with the banks
    that loaded (a quiz drawing on a broken bank is fit-checked once that bank is fixed)."""
    validation = load_content(source.content_dir, source.sources_dir, source.check_sources)
    quizzes, issues = read_quizzes(source.content_dir)
    sound = validation.loaded
    for loaded in quizzes:
        if loaded.definition is not None and (validation.every_bank_loaded or _draws_only_from(loaded, sound)):
            issues += fit_problems(_with_course_paper(loaded, sound), sound)
    issues += statistics_issues(source.content_dir, sound)
    if validation.content is not None:  # compared with the last release only when the content loads
        release, release_issues = _checked_release(source.content_dir)
        from quizgen.check.releases import release_problems

        issues += release_issues + release_problems(validation.content, release, source.content_dir)
    issues = sorted(validation.issues + issues)
    content = None if any(issue.is_error for issue in issues) else validation.content
    checked = replace(validation, content=content, issues=issues)
    return checked.strict() if source.strict else checked


def load_quizzes(content_dir: Path, content: Content) -> list[QuizDefinition]:
    """Every quiz definition, checked against the content (by drawing); ContentError lists every problem."""
    quizzes, issues = read_quizzes(content_dir)
    for loaded in quizzes:
        if loaded.definition is not None:
            issues += fit_problems(_with_course_paper(loaded, content), content)
    if any(issue.is_error for issue in issues):
        raise ContentError(issues)
    return [_with_course_paper(loaded, content).definition for loaded in quizzes]


def _draws_only_from(loaded: LoadedQuiz, content: Content) -> bool:
    banks = set(loaded.definition.selection.banks)
    return bool(banks) and banks <= {bank.id for bank in content.banks}


# --- draw ---------------------------------------------------------------------------


def draw_quizzes(
    content_dir: Path, content: Content, catalogue: Catalogue | None = None
) -> tuple[list[list[QuizVersion]], list[Issue]]:
    """Every quiz of content/quizzes/ in all its versions, drawn once and worded by `catalogue` (default:
    the course's language), and the warnings on them (key letters far from evenly spread over the
    versions); ContentError lists every problem."""
    from quizgen.check.items import letter_balance_warnings

    catalogue = catalogue or course_catalogue(content)
    quizzes, issues = read_quizzes(content_dir)
    drawn = []
    for loaded in quizzes:
        if loaded.definition is not None:
            versions, problems = versions_of(_with_course_paper(loaded, content), content, catalogue.text)
            drawn.append(versions)
            issues += problems + letter_balance_warnings(loaded.definition, versions) if versions else problems
    if any(issue.is_error for issue in issues):
        raise ContentError(issues)
    return drawn, issues


def _with_course_paper(loaded: LoadedQuiz, content: Content) -> LoadedQuiz:
    definition = loaded.definition
    if definition.paper:
        return loaded
    return LoadedQuiz(replace(definition, paper=content.settings.paper), loaded.report)


def selected(content: Content, selection: Selection, count: int | None = None, seed: int = 1) -> list[Question]:
    """The questions matching a selection, `count` of them drawn with `seed` when given."""
    return draw(select(content, selection), count, random.Random(seed))


# --- render -------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintPlan:
    """Documents ready to render, and the folders their templates (and assets) may read."""

    documents: tuple[Document, ...]
    roots: tuple[Path, ...]


def plan_prints(
    content: Content,
    quizzes: list[list[QuizVersion]],
    templates_dir: Path | None = None,
    catalogue: Catalogue | None = None,
) -> PrintPlan:
    """The HTML of every handout and key (per quiz folder) and of a study guide per article, worded by
    `catalogue` (default: the course's language)."""
    catalogue = catalogue or course_catalogue(content, templates_dir)
    env = make_env(templates_dir, catalogue)
    documents: list[Document] = []
    for versions in quizzes:
        documents += quiz_documents(env, versions, f"{QUIZZES_FOLDER}/{versions[0].quiz.id}")
    documents += guide_documents(env, study_guides(content, catalogue.text), GUIDES_FOLDER, content.settings.paper)
    return PrintPlan(tuple(documents), tuple(template_dirs(templates_dir)))


def plan_quiz(
    quiz: QuizDefinition, content: Content, templates_dir: Path | None = None, catalogue: Catalogue | None = None
) -> PrintPlan:
    """One ad-hoc quiz: student and key per version, in one folder, worded by `catalogue` (default: the
    course's language)."""
    from quizgen.draw.versions import make_versions

    catalogue = catalogue or course_catalogue(content, templates_dir)
    quiz = quiz if quiz.paper else replace(quiz, paper=content.settings.paper)
    versions = make_versions(quiz, content, catalogue.text)
    documents = quiz_documents(make_env(templates_dir, catalogue), versions, "")
    return PrintPlan(tuple(documents), tuple(template_dirs(templates_dir)))


def render_prints(plan: PrintPlan, *, jobs: int | None = None, progress: Progress | None = None) -> list[Output]:
    """The planned documents as PDFs (in parallel with jobs > 1)."""
    htmls = [document.html for document in plan.documents]
    pdfs = render_pdfs(htmls, plan.roots, jobs=jobs or default_jobs(), progress=progress or no_progress)
    return [(document.path, pdf) for document, pdf in zip(plan.documents, pdfs, strict=True)]


def render_practice_pages(
    content: Content, templates_dir: Path | None = None, catalogue: Catalogue | None = None
) -> list[Output]:
    """practice/<article id>.html for each article with questions, and practice/all.html, worded by
    `catalogue` (default: the course's language)."""
    from quizgen.render.practice import practice_pages

    pages = practice_pages(content, templates_dir=templates_dir, catalogue=catalogue)
    return [(f"{PRACTICE_FOLDER}/{name}", html) for name, html in pages]


def read_release(content: Content, content_dir: Path) -> Release | None:
    """The last release's record (content/releases.json; None before the first), checked; ContentError
    for a broken record, or for a change since it that would strand students' cards."""
    from quizgen.check.releases import release_problems

    release, issues = _checked_release(content_dir)
    issues += release_problems(content, release, content_dir)
    if issues:
        raise ContentError(issues)
    return release


def _checked_release(content_dir: Path) -> tuple[Release | None, list[Issue]]:
    from quizgen.render.anki_notetypes import NOTE_TYPES

    release, issues = load_release(content_dir)
    unknown = sorted({entry.note_type for entry in release.notes.values()} - set(NOTE_TYPES)) if release else []
    if unknown:
        shown = display_path(releases_path(content_dir))
        issues.append(Issue(shown, 1, 1, ERROR, f"unknown note type(s) {', '.join(unknown)} in the release record"))
        return None, issues
    return release, issues


def render_anki(
    content: Content,
    content_dir: Path,
    questions: list[Question],
    name: str | None = None,
    catalogue: Catalogue | None = None,
    *,
    whole: bool = False,
) -> tuple[bytes, tuple[Issue, ...]]:
    """The .apkg of these questions (and of the retired ones: all when `whole`, else those of their banks),
    stamped from the release record and worded by `catalogue` (default: the course's language); and a
    warning naming the notes changed since the last release."""
    from quizgen.render.anki import build_deck, collector_paused

    catalogue = catalogue or course_catalogue(content)
    # The record and the deck's notes are some 50,000 objects, none in a cycle: the collector is
    # back on only once the notes are freed, or its next pass walks every one of them (a tenth of the time).
    with collector_paused():
        release = read_release(content, content_dir)
        built = build_deck(content, questions, release, name=name, whole=whole, catalogue=catalogue)
        data, changed = built.data, built.plan.changed
        del built
    return data, _unreleased(changed, release, content_dir)


def _unreleased(changed: list[str], release: Release | None, content_dir: Path) -> tuple[Issue, ...]:
    if not changed:
        return ()
    shown = display_path(releases_path(content_dir))
    listed = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
    what = f"{len(changed)} note(s) changed since the last release ({listed})" if release else "no release yet"
    message = (
        f"{what}: stamped with this build's time, so every build updates them again in students' collections; "
        "run 'quizgen release' and commit content/releases.json when you share the deck"
    )
    return (Issue(shown, 1, 1, WARNING, message),)


def deck_path(content: Content) -> str:
    """Where `build` puts the course's deck: anki/<the deck file of content/quizgen.yaml>."""
    return f"{ANKI_FOLDER}/{content.settings.deck_file}"


def render_exports(
    content: Content, questions: list[Question], catalogue: Catalogue
) -> tuple[list[Output], tuple[Issue, ...]]:
    """lms/<course file>.<format> for every export format, worded by `catalogue`; and one warning per
    format that converted or left out questions, at the first of them (`quizgen export` names each one:
    a build that printed a line per question would bury the content's own warnings)."""
    from quizgen.export import FORMATS

    outputs, warnings = [], []
    for declared in FORMATS.values():
        exported = declared.export(questions, content, catalogue.text)
        outputs.append((lms_path(content, declared.suffix), exported.data))
        if exported.warnings:
            warnings.append(_export_summary(declared, exported))
    return outputs, tuple(warnings)


def _export_summary(declared: ExportFormat, exported: Exported) -> Issue:
    first = exported.warnings[0]
    message = (
        f"{declared.title}: {len(exported.converted)} question(s) converted to the nearest form and "
        f"{len(exported.left_out)} left out, this one first (`quizgen export --format {declared.name} -o FILE` "
        "names each; docs/lms.md says why)"
    )
    return Issue(first.path, first.line, first.col, WARNING, message)


def lms_path(content: Content, suffix: str) -> str:
    """Where `build` puts an export: lms/ and the stem of the course's deck file, e.g.
    lms/sino-russian-relations.moodle.xml."""
    return f"{LMS_FOLDER}/{Path(content.settings.deck_file).stem}{suffix}"


# --- the commands -------------------------------------------------------------------


def build(
    source: Source,
    output_dir: Path,
    *,
    templates_dir: Path | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Written:
    """Every output from the content, made in memory, then written together."""
    loaded = load(source)
    content = loaded.content
    catalogue = course_catalogue(content, templates_dir)  # every output in the course's language
    quizzes, quiz_warnings = draw_quizzes(source.content_dir, content, catalogue)
    plan = plan_prints(content, quizzes, templates_dir, catalogue)
    deck, history_warnings = render_anki(
        content, source.content_dir, content.questions, catalogue=catalogue, whole=True
    )
    later_warnings = tuple(quiz_warnings) + history_warnings + unused_card_faces(templates_dir)
    if source.strict and later_warnings:
        raise ContentError([warning.as_error() for warning in later_warnings])
    # What a format cannot hold is said, never an error: under --strict too (the content is not wrong).
    exports, export_warnings = render_exports(content, content.questions, catalogue)
    outputs = render_practice_pages(content, templates_dir, catalogue) + [(deck_path(content), deck)] + exports
    outputs += render_prints(plan, jobs=jobs, progress=progress)
    written = tuple(Writer(output_dir).write_all(outputs))
    return Written(written, loaded.warnings + later_warnings + export_warnings)


def unused_card_faces(templates_dir: Path | None) -> tuple[Issue, ...]:
    """A warning for card faces in a --templates folder (its anki/): decks keep quizgen's own, whose look
    may change only with its note type's `revised` time (docs/anki.md), so they would never be used."""
    folder = templates_dir / "anki" if templates_dir else None
    if folder is None or not folder.is_dir():
        return ()
    message = (
        "the card faces in this folder are not used: Anki decks keep quizgen's own note types "
        "(their words come from the catalogue; see docs/anki.md)"
    )
    return (Issue(display_path(folder), 1, 1, WARNING, message),)


def quiz(
    source: Source,
    definition: QuizDefinition,
    output_dir: Path,
    *,
    templates_dir: Path | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Written:
    """An ad-hoc quiz: a student PDF and a key PDF per version."""
    loaded = load(source)
    plan = plan_quiz(definition, loaded.content, templates_dir)
    outputs = render_prints(plan, jobs=jobs, progress=progress)
    # Ad-hoc quizzes share a folder: one never removes another's PDFs.
    return Written(tuple(Writer(output_dir, prune=False).write_all(outputs)), loaded.warnings)


def deck(source: Source, selection: Selection, output_file: Path, name: str | None = None) -> tuple[Written, int]:
    """An Anki deck of the selected questions; also how many notes it holds."""
    loaded = load(source)
    questions = selected(loaded.content, selection)
    data, history_warnings = render_anki(loaded.content, source.content_dir, questions, name)
    write_atomic(output_file, data)
    return Written((output_file,), loaded.warnings + history_warnings), len(questions)


def practice(
    source: Source,
    selection: Selection,
    output_file: Path,
    *,
    count: int | None = None,
    seed: int = 1,
    title: str | None = None,
    templates_dir: Path | None = None,
) -> tuple[Written, int]:
    """A self-contained practice page of the selected questions; also how many it holds."""
    from quizgen.render.practice import default_title, render_practice

    loaded = load(source)
    content = loaded.content
    catalogue = course_catalogue(content, templates_dir)
    questions = selected(content, selection, count, seed)
    title = title or default_title(content, selection, catalogue.text)
    html = render_practice(questions, content, title=title, templates_dir=templates_dir, catalogue=catalogue)
    write_atomic(output_file, html.encode("utf-8"))
    return Written((output_file,), loaded.warnings), len(questions)


def export(
    source: Source,
    format_name: str,
    selection: Selection,
    output_file: Path,
    *,
    templates_dir: Path | None = None,
) -> tuple[Written, Exported]:
    """The selected questions in one learning-platform format; also what the format did with each.
    Under --strict a question converted or left out is an error, and nothing is written."""
    from quizgen.export import FORMATS

    if format_name not in FORMATS:
        raise QuizgenError(f"unknown export format '{format_name}' (formats: {', '.join(FORMATS)})")
    loaded = load(source)
    content = loaded.content
    catalogue = course_catalogue(content, templates_dir)
    exported = FORMATS[format_name].export(selected(content, selection), content, catalogue.text)
    if source.strict and exported.warnings:
        raise ContentError([warning.as_error() for warning in exported.warnings])
    write_atomic(output_file, exported.data)
    return Written((output_file,), loaded.warnings + exported.warnings), exported


@dataclass(frozen=True)
class Released:
    """What `release` did: the deck it wrote, the record, and how many notes changed or are retired."""

    written: Written
    notes: int
    changed: int
    retired: int
    time: int


def release(source: Source, output_dir: Path, now: int | None = None, templates_dir: Path | None = None) -> Released:
    """Record a release (content/releases.json) and write its deck where `build` puts it: every note that
    changed since the last release is stamped with `now` (default: this moment, SOURCE_DATE_EPOCH when set).
    The notes are worded by the catalogue of `templates_dir` as `build --templates` words them, so a build
    with the same folder carries the release instead of re-stamping every reworded note."""
    from quizgen.render.anki import build_deck
    from quizgen.render.anki_release import RETIRED_TAG

    loaded = load(source)
    content = loaded.content
    previous = read_release(content, source.content_dir)
    now = build_time() if now is None else now
    catalogue = course_catalogue(content, templates_dir)
    faces = unused_card_faces(templates_dir)
    if source.strict and faces:  # before anything is written, as every warning under --strict
        raise ContentError([warning.as_error() for warning in faces])
    built = build_deck(content, content.questions, previous, now, whole=True, catalogue=catalogue)
    deck_file = output_dir / deck_path(content)
    write_atomic(deck_file, built.data)
    write_atomic(releases_path(source.content_dir), release_json(built.plan.record()))
    retired = sum(1 for note in built.plan.notes if RETIRED_TAG in note.tags)
    written = Written((deck_file, releases_path(source.content_dir)), loaded.warnings + faces)
    return Released(written, len(built.plan.notes), len(built.plan.changed), retired, now)
