"""Quiz definitions: load and check content/quizzes/*.yaml into typed records.

A definition says what to draw (banks, articles, tags, kinds, difficulties),
how many (in total or per kind), the points, the seed, the number of versions
and the paper. Checking happens in two passes, both located: the format of
the file, then its fit with the content (names that exist, enough questions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from quizgen.draw.select import Selection
from quizgen.errors import ERROR, Issue
from quizgen.kinds import KIND_NAMES
from quizgen.load.fields import Report, check_fields, check_mapping, check_value, open_report, unread_yaml, yaml_files
from quizgen.load.schema import Field, check_int_between

QUIZZES_DIR = "quizzes"
PAPERS = {"a4": "A4", "letter": "Letter"}
MAX_VERSIONS = 99
DEFAULT_INSTRUCTIONS = "Answer every question in the space provided. Write clearly; points are shown for each part."

NESTED_KEYS = ("draw", "per_kind", "points", "scoring")  # mappings whose own keys `_nested` checks
QUIZ_FIELDS = (
    Field("quiz", "slug", True, description="stable quiz id; output file names derive from it"),
    Field("title", "text", True, description="the title printed on the handout"),
    Field("class", "text", description="the class line, e.g. HIST 214 - Spring term"),
    Field("instructions", "text", description="printed under the title block"),
    Field("draw", "mapping", description="which questions to draw from"),
    Field("count", "points", description="how many questions in total"),
    Field("per_kind", "mapping", description="how many questions of each kind"),
    Field(
        "sets",
        "points",
        description="how many reading sets (an excerpt with its questions) to include (default 0)",
        checker=check_int_between(0, None),
        expected="a whole number of at least 0",
    ),
    Field("points", "mapping", description="points per question, by kind (default: the bank's)"),
    Field("seed", "number", True, description="the seed every order and draw derives from"),
    Field("versions", "points", description="how many versions (default 2)"),
    Field("paper", "text", description="A4 or Letter (default: the course's paper)"),
    Field("parallel", "bool", description="each version draws its own questions from the pool"),
    Field("key_details", "bool", description="explanations and source passages in the key (default true)"),
    Field("scoring", "mapping", description="how graded sheets score each kind: partial or all_or_nothing"),
)
# An empty list would drop its filter and draw from everything: leave the key out for that.
_EMPTY = "leave the key out to draw from every {}"
DRAW_FIELDS = (
    Field("banks", "text_list", min_items=1, description=_EMPTY.format("bank")),
    Field("articles", "text_list", min_items=1, description=_EMPTY.format("article")),
    Field("tags", "text_list", min_items=1, description=_EMPTY.format("tag")),
    Field("kinds", "text_list", min_items=1, description=_EMPTY.format("kind")),
    Field("difficulties", "list", min_items=1, description=_EMPTY.format("difficulty")),
)
KIND_COUNT_FIELDS = tuple(Field(kind, "points") for kind in KIND_NAMES)
# Partial credit when a sheet is graded (docs/grading.md): the form's documented rule, or none.
SCORING_RULES = ("partial", "all_or_nothing")


def _check_rule(value: object, raw: str | None) -> str:
    if value not in SCORING_RULES:
        raise ValueError(f"is '{value}'")
    return value


KIND_SCORING_FIELDS = tuple(
    Field(kind, "text", checker=_check_rule, expected=" or ".join(SCORING_RULES)) for kind in KIND_NAMES
)


@dataclass(frozen=True)
class QuizDefinition:
    """A validated quiz definition: what to draw, how to number and print it."""

    id: str
    title: str
    seed: int
    selection: Selection = Selection()
    class_line: str = ""
    instructions: str = DEFAULT_INSTRUCTIONS
    count: int | None = None
    per_kind: tuple[tuple[str, int], ...] = ()
    sets: int = 0  # reading sets, each drawn whole; the count and per_kind draw only questions outside sets
    points: tuple[tuple[str, int], ...] = ()
    versions: int = 2
    paper: str = ""  # "" until the pipeline fills in the course's paper
    parallel: bool = False
    key_details: bool = True
    scoring: tuple[tuple[str, str], ...] = ()  # (kind, rule) where the quiz changes the default 'partial'
    path: str = ""

    def points_for(self, kind: str, default: int) -> int:
        """The points a question of `kind` is worth on this quiz."""
        return dict(self.points).get(kind, default)

    def scoring_for(self, kind: str) -> str:
        """How a graded sheet scores a question of `kind`: 'partial' (the default) or 'all_or_nothing'."""
        return dict(self.scoring).get(kind, SCORING_RULES[0])


@dataclass
class LoadedQuiz:
    """A quiz file's outcome while loading: the definition (None if wrong) and its report."""

    definition: QuizDefinition | None
    report: Report


def quiz_files(content_dir: Path) -> list[Path]:
    """Every quiz definition file, in a stable order."""
    return yaml_files(content_dir / QUIZZES_DIR)


def read_quizzes(content_dir: Path) -> tuple[list[LoadedQuiz], list[Issue]]:
    """Every quiz file with its format checked, and the problems found (none yet against the content)."""
    checked = [load_quiz_file(path) for path in quiz_files(content_dir)]
    issues = [issue for result in checked for issue in result.report.issues]
    return checked, issues + _duplicate_ids(checked) + unread_yaml(content_dir / QUIZZES_DIR)


def load_quiz_file(path: Path) -> LoadedQuiz:
    """Read and check the format of one quiz file; never raises for bad content."""
    report = open_report(path)
    if report.doc is None:
        return LoadedQuiz(None, report)
    return LoadedQuiz(parse_definition(report), report)


def parse_definition(report: Report) -> QuizDefinition | None:
    """Check a parsed quiz file; return the definition, or None with the problems in `report`."""
    data = report.doc.data
    # The values that are right are checked further even when others are wrong (a wrong seed and a
    # paper typo are both reported), and the nested mappings even when the top level is wrong.
    top, top_ok = check_fields(data, (), QUIZ_FIELDS, report, "")
    # The nested mappings are checked even when the top level is wrong: every problem is reported.
    nested = data if isinstance(data, dict) else {}
    nested = {key: report.doc.data[key] for key in NESTED_KEYS if key in nested}
    selection = _selection(_nested(nested, "draw", DRAW_FIELDS, report), report)
    per_kind = _kind_numbers(_nested(nested, "per_kind", KIND_COUNT_FIELDS, report))
    points = _kind_numbers(_nested(nested, "points", KIND_COUNT_FIELDS, report))
    scoring = _kind_numbers(_nested(nested, "scoring", KIND_SCORING_FIELDS, report))
    if not isinstance(data, dict):
        return None
    seed, paper, versions = _seed(top, report), _paper(top, report), _versions(top, report)
    if "count" in top and per_kind:
        report.add(("per_kind",), "give either 'count' or 'per_kind', not both", at_key=True)
    if not top_ok or any(issue.is_error for issue in report.issues):
        return None
    return QuizDefinition(
        id=top["quiz"],
        title=top["title"],
        seed=seed,
        selection=selection,
        class_line=top.get("class", ""),
        instructions=top.get("instructions", DEFAULT_INSTRUCTIONS),
        count=top.get("count"),
        per_kind=per_kind,
        sets=top.get("sets", 0),
        points=points,
        versions=versions,
        paper=paper,
        parallel=top.get("parallel", False),
        key_details=top.get("key_details", True),
        scoring=scoring,
        path=report.path,
    )


def _nested(data: dict, key: str, fields: tuple[Field, ...], report: Report) -> dict:
    """The checked mapping under `key` (empty if absent or wrong, with the problem reported)."""
    if key not in data:
        return {}
    if not isinstance(data[key], dict):  # reported by the top-level check
        return {}
    return check_mapping(data[key], (key,), fields, report, f"{key}: ") or {}


def _selection(draw: dict, report: Report) -> Selection:
    difficulties = _difficulties(draw.get("difficulties", []), report)
    kinds = draw.get("kinds", ())
    for i, kind in enumerate(kinds):
        if kind not in KIND_NAMES:
            report.add(("draw", "kinds", i), f"draw: unknown kind '{kind}' (expected one of: {', '.join(KIND_NAMES)})")
    return Selection(
        banks=tuple(draw.get("banks", ())),
        articles=tuple(draw.get("articles", ())),
        tags=tuple(draw.get("tags", ())),
        kinds=tuple(kinds),
        difficulties=difficulties,
    )


def _difficulties(raw: list, report: Report) -> tuple[int, ...]:
    where = ("draw", "difficulties")
    spec = Field("difficulties", "difficulty")
    values = [check_value(item, where + (i,), spec, report, "draw: ") for i, item in enumerate(raw)]
    return tuple(value for value in values if isinstance(value, int))


def _kind_numbers(numbers: dict) -> tuple[tuple[str, object], ...]:
    return tuple((kind, numbers[kind]) for kind in KIND_NAMES if kind in numbers)


def _seed(top: dict, report: Report) -> int:
    seed = top.get("seed", 0)
    if not float(seed).is_integer() or seed < 0:
        report.add(("seed",), f"'seed' {seed:g} is not a whole number of at least 0")
        return 0
    return int(seed)


def _paper(top: dict, report: Report) -> str:
    paper = top.get("paper", "")
    if not paper:
        return ""  # the course's paper (content/quizgen.yaml)
    if paper.lower() not in PAPERS:
        report.add(("paper",), f"'paper' is '{paper}' (expected A4 or Letter)")
        return "A4"
    return PAPERS[paper.lower()]


def _versions(top: dict, report: Report) -> int:
    versions = top.get("versions", 2)
    if versions > MAX_VERSIONS:
        report.add(("versions",), f"'versions' is {versions} (expected at most {MAX_VERSIONS})")
    return versions


def _duplicate_ids(checked: list[LoadedQuiz]) -> list[Issue]:
    first: dict[str, str] = {}
    issues = []
    for result in checked:
        quiz = result.definition
        if quiz is None:
            continue
        if quiz.id in first:
            message = f"quiz id '{quiz.id}' is also used by {first[quiz.id]} (quiz ids must be unique)"
            issues.append(Issue(quiz.path, *result.report.doc.where(("quiz",)), ERROR, message))
        first.setdefault(quiz.id, quiz.path)
    return issues


def slug_of(title: str) -> str:
    """A file-name-safe id from a title: 'Unit Test 1!' -> 'unit-test-1' ('quiz' if nothing is left)."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    return "-".join(words) or "quiz"
