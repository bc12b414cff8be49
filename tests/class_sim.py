"""Simulated graded classes with known properties, written as the class-set files grading leaves behind.

Abilities are drawn from N(0, 1) with a seeded numpy generator; each question
says how a student of ability theta answers it (a 2PL model for the ordinary
ones). The files have the columns of docs/grading.md: layout.json and key.csv
as `quizgen sheets` writes them, responses.csv and scores.csv as `quizgen grade` does.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

LETTERS = "ABCD"


def logistic(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


@dataclass(frozen=True)
class Choice:
    """A single-answer question: `answer(theta, rng)` gives the option (bank letter) each student marks."""

    question: str
    key: str
    answer: Callable[[np.ndarray, np.random.Generator], np.ndarray]
    options: str = LETTERS
    points: int = 1


@dataclass(frozen=True)
class Scored:
    """A written question the teacher scores 0..points: `score(theta, rng)` gives each student's score."""

    question: str
    score: Callable[[np.ndarray, np.random.Generator], np.ndarray]
    points: int


def two_pl(a: float, b: float, key: str = "A", wrong: str = "BCD") -> Callable:
    """Right with probability logistic(a (theta - b)); otherwise one of `wrong`, uniformly."""

    def answer(theta: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        right = rng.random(len(theta)) < logistic(a * (theta - b))
        others = np.array(list(wrong))[rng.integers(0, len(wrong), len(theta))]
        return np.where(right, key, others)

    return answer


def everyone(key: str = "A") -> Callable:
    return lambda theta, rng: np.full(len(theta), key)


def graded(b: float, points: int) -> Callable:
    """A partial-credit score: each point earned with probability logistic(theta - b - step)."""

    def score(theta: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        steps = np.arange(points) * 0.5
        earned = rng.random((len(theta), points)) < logistic(theta[:, None] - b - steps[None, :])
        return earned.sum(axis=1)

    return score


@dataclass
class SimulatedClass:
    """What the simulation drew: abilities, the options marked and the scores (students x questions)."""

    theta: np.ndarray
    questions: list
    marked: dict[str, np.ndarray]
    scores: np.ndarray


def simulate(questions: list, students: int, seed: int) -> SimulatedClass:
    rng = np.random.default_rng(seed)
    theta = rng.standard_normal(students)
    marked, columns = {}, []
    for q in questions:
        if isinstance(q, Choice):
            marked[q.question] = q.answer(theta, rng)
            columns.append(np.where(marked[q.question] == q.key, q.points, 0))
        else:
            columns.append(q.score(theta, rng))
    return SimulatedClass(theta, questions, marked, np.column_stack(columns).astype(float))


def write_class(
    sim: SimulatedClass,
    sheets: Path,
    grade: Path,
    *,
    quiz: str = "midterm",
    shuffle: bool = False,
    option_field: bool = True,
) -> None:
    """layout.json and key.csv into `sheets`, responses.csv and scores.csv into `grade`.

    With `shuffle`, each copy prints the options in its own order (seeded by the copy), as
    class sets do; `option_field` then says, per box, which option of the bank it is.
    """
    sheets.mkdir(parents=True, exist_ok=True)
    grade.mkdir(parents=True, exist_ok=True)
    copies, key_rows, response_rows, score_rows = [], [], [], []
    for s in range(len(sim.theta)):
        copy, student = s + 1, f"s{s + 1:03d}"
        boxes = []
        for n, q in enumerate(sim.questions, start=1):
            if isinstance(q, Choice):
                printed = _printed(q.options, copy, n, shuffle)  # bank letter -> printed letter
                for option in q.options:
                    box = {"id": f"q{n}.{printed[option]}", "question": q.question, "value": printed[option]}
                    box |= {"group": f"q{n}", "page": 0, "x": 0, "y": 0, "w": 10, "h": 10}
                    if option_field:
                        box["option"] = option
                    boxes.append(box)
                key_rows.append([copy, student, q.question, n, printed[q.key], q.points])
                response_rows.append([student, copy, q.question, printed[str(sim.marked[q.question][s])], "ok"])
            else:
                for value in range(q.points + 1):
                    boxes.append(
                        {"id": f"q{n}.s{value}", "question": q.question, "value": str(value), "group": f"q{n}.s"}
                    )
                key_rows.append([copy, student, q.question, n, str(q.points), q.points])
                response_rows.append([student, copy, q.question, str(int(sim.scores[s, n - 1])), "ok"])
        copies.append(
            {"copy": copy, "student": {"id": student, "name": f"Student {copy}"}, "pages": [], "boxes": boxes}
        )
        row = sim.scores[s]
        score_rows.append([student, f"Student {copy}", copy, *[_number(v) for v in row], _number(row.sum()), _max(sim)])
    (sheets / "layout.json").write_text(json.dumps({"quiz": quiz, "copies": copies}), encoding="utf-8")
    _write_csv(sheets / "key.csv", ["copy", "student", "question", "number", "right", "points"], key_rows)
    _write_csv(grade / "responses.csv", ["student", "copy", "question", "marked", "status"], response_rows)
    header = ["student", "name", "copy", *[q.question for q in sim.questions], "total", "max"]
    _write_csv(grade / "scores.csv", header, score_rows)


def _printed(options: str, copy: int, number: int, shuffle: bool) -> dict[str, str]:
    if not shuffle:
        return {option: option for option in options}
    order = np.random.default_rng([copy, number]).permutation(len(options))
    return {option: options[order[i]] for i, option in enumerate(options)}


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _max(sim: SimulatedClass) -> int:
    return sum(q.points for q in sim.questions)


def _write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
