"""Grading real class-set sheets from synthetic scans: marks of every kind, copier damage, review and rerun.

The sheets are the real class-set.pdf of `quizgen sheets`, rasterized; marks
are drawn at the boxes' layout coordinates (tests/scans.py), the pages are
damaged the way copiers do, and `quizgen grade` reads them back. A clear mark
must read right, an unclear one must go to review, and nothing may read wrong.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import cv2
import numpy as np
import pytest

from quizgen.cli import main
from quizgen.paper.scan.marks import Tones, read_box
from quizgen.paper.scan.qr import find_code
from quizgen.paper.scan.register import register
from tests import scans
from tests.conftest import CONTENT

pytestmark = pytest.mark.pdf
QUIZ = "unit-test"


@pytest.fixture(scope="session")
def class_set(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("class-set")
    assert main(["sheets", QUIZ, "--copies", "2", "--content", str(CONTENT), "-o", str(folder)]) == 0
    return folder


@pytest.fixture(scope="session")
def sheet_pages(class_set):
    return {dpi: scans.sheet_pages(class_set, dpi) for dpi in (150, 300)}


def mark_plan(boxes, rng: random.Random) -> dict[str, str]:
    """A kind of mark for every box, each kind in turn; a cancelling X only where no neighbour is marked
    (a neighbour's X near a box makes it unclear, which is right but not what this test is about)."""
    plan: dict[str, str] = {}
    for i, box in enumerate(boxes):
        kind = scans.MARKS[(i + rng.randrange(2)) % len(scans.MARKS)]
        near = [plan[other.id] for other in boxes[:i] if _near(box, other)]
        if (kind == "crossed" and any(k != "empty" for k in near)) or "crossed" in near:
            kind = "empty"
        plan[box.id] = kind
    return plan


def _near(a, b) -> bool:
    return abs(a.spot.x - b.spot.x) < 30 and abs(a.spot.y - b.spot.y) < 24


def read_states(scan: np.ndarray, copy, index: int) -> dict[str, str]:
    code = find_code(scan)
    assert code is not None, "the QR code must be read"
    page = register(scan, code, copy.pages[index])
    tones = Tones(page)
    return {box.id: read_box(page, tones, box.spot).state for box in copy.boxes if box.page == index}


@pytest.mark.parametrize(
    ("dpi", "distortion"),
    [(150, name) for name in scans.DISTORTIONS] + [(300, "rotate -3° + shift"), (300, "all at once")],
)
def test_every_mark_reads_as_its_kind_under_copier_damage(sheet_pages, dpi, distortion):
    _, pages = sheet_pages[dpi]
    copy, index, image, scale = pages[0]
    rng = random.Random(f"{dpi}{distortion}")
    boxes = [box for box in copy.boxes if box.page == index]
    plan = mark_plan(boxes, rng)
    marked = image.copy()
    for box in boxes:
        scans.draw_mark(marked, box.spot, plan[box.id], scale, rng)
    states = read_states(scans.DISTORTIONS[distortion](marked, rng), copy, index)
    assert set(plan.values()) == set(scans.MARKS)
    assert misread(plan, states) == {}
    crossed = [states[box_id] for box_id, kind in plan.items() if kind == "crossed"]
    assert crossed.count("crossed") >= 0.7 * len(crossed)


def misread(plan: dict[str, str], states: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Boxes read otherwise than their mark: a cancelling X may go to review (printed ink or a neighbour's
    mark near a corner makes it unclear, which is safe), nothing else may."""
    return {
        box_id: (plan[box_id], state)
        for box_id, state in states.items()
        if state != scans.EXPECTED[plan[box_id]] and not (plan[box_id] == "crossed" and state == "unclear")
    }


def test_a_600_dpi_scan_reads_as_a_150_dpi_one(class_set):
    sheets, pages = scans.sheet_pages(class_set, 600)
    copy, index, image, scale = pages[0]
    rng = random.Random(600)
    boxes = [box for box in copy.boxes if box.page == index][:40]
    plan = mark_plan(boxes, rng)
    for box in boxes:
        scans.draw_mark(image, box.spot, plan[box.id], scale, rng)
    states = read_states(scans.turn(image, 1.8, 1.01), copy, index)
    assert misread(plan, {box.id: states[box.id] for box in boxes}) == {}


# --- quizgen grade, end to end -----------------------------------------------------------


def answer_sheet(sheets, copy, image, scale, answers: dict[str, list[tuple[str, str]]], rng) -> np.ndarray:
    """A copy's sheet marked as `answers` says (question number -> [(value, kind of mark)]);
    unlisted questions get their right answer, filled."""
    image = image.copy()
    for row in sheets.questions_of(copy.copy):
        marks = answers.get(row.number, [(value, "full") for value in row.right])
        for box in copy.boxes:
            if box.question == row.question:
                for value, kind in marks:
                    if box.value == value:
                        scans.draw_mark(image, box.spot, kind, scale, rng)
    return image


def read_csv(path: Path) -> list[dict]:
    return list(csv.DictReader(path.open(encoding="utf-8")))


def grade(class_set, out, *scan_files) -> int:
    args = ["grade", QUIZ, "--sheets", str(class_set), *map(str, scan_files), "-o", str(out)]
    return main([*args, "--content", str(CONTENT), "--jobs", "1"])


@pytest.fixture(scope="session")
def graded(class_set, sheet_pages, tmp_path_factory):
    """Two copies: the first all right; the second with a wrong answer, a tick, two marks in one group,
    a mark crossed out beside the chosen one, and a written answer left unscored. Scanned shuffled,
    the first upside down in a JPEG, the second in a PDF with a stray page of another quiz."""
    sheets, pages = sheet_pages[150]
    rng = random.Random(11)
    folder = tmp_path_factory.mktemp("scans")
    (first, _, first_image, scale), (second, _, second_image, _) = pages
    rows = {row.number: row for row in sheets.questions_of(second.copy)}
    one_of = [n for n, row in rows.items() if len(row.right) == 1 and row.right <= set("ABCD")]
    written = next(
        n for n, row in rows.items() if any(b.id.endswith(".s0") for b in second.boxes if b.question == row.question)
    )
    wrong_letter = lambda n: next(v for v in "ABCD" if v not in rows[n].right)  # noqa: E731
    answers = {
        one_of[0]: [(wrong_letter(one_of[0]), "full")],
        one_of[1]: [(next(iter(rows[one_of[1]].right)), "tick")],
        one_of[2]: [(next(iter(rows[one_of[2]].right)), "full"), (wrong_letter(one_of[2]), "full")],
        one_of[3]: [(next(iter(rows[one_of[3]].right)), "full"), (wrong_letter(one_of[3]), "crossed")],
        written: [],
    }
    cv2.imwrite(
        str(folder / "first.jpg"),
        scans.upside_down(scans.jpeg(answer_sheet(sheets, first, first_image, scale, {}, rng))),
    )
    second_scan = scans.turn(answer_sheet(sheets, second, second_image, scale, answers, rng), -2, 0.98, (10, 6))
    stray = scans.speckle(np.full_like(second_image, 255), rng)
    (folder / "pile.pdf").write_bytes(scans.to_pdf([stray, second_scan], 150))
    out = tmp_path_factory.mktemp("grades")
    assert grade(class_set, out, folder / "pile.pdf", folder / "first.jpg") == 0
    return {"sheets": sheets, "out": out, "scans": folder, "rows": rows, "one_of": one_of, "written": written}


def test_grading_writes_responses_scores_review_and_feedback(graded):
    out = graded["out"]
    assert sorted(p.name for p in (out / "feedback").iterdir()) == ["copy-1.pdf", "copy-2.pdf"]
    scores = {row["copy"]: row for row in read_csv(out / "scores.csv")}
    assert scores["1"]["total"] == scores["1"]["max"] and scores["1"]["provisional"] == ""
    assert scores["2"]["provisional"] == "yes: 3 question(s) under review"
    wrong = graded["rows"][graded["one_of"][0]].question
    assert scores["2"][wrong] == "0"
    crossed = graded["rows"][graded["one_of"][3]]
    responses = {(row["copy"], row["question"]): row for row in read_csv(out / "responses.csv")}
    assert responses[("2", crossed.question)]["marked"] == "|".join(sorted(crossed.right))
    assert responses[("2", crossed.question)]["status"] == "ok"


def test_every_place_that_would_need_a_guess_is_a_review_row_with_a_crop(graded):
    out, rows, one_of = graded["out"], graded["rows"], graded["one_of"]
    review = read_csv(out / "review.csv")
    reasons = {(row["question"], row["reason"].split(" (")[0]) for row in review}
    assert reasons == {
        ("", f"{graded['scans'] / 'pile.pdf'} page 1: no quizgen QR code can be read on this page"),
        (rows[one_of[1]].question, "unclear mark"),
        (rows[one_of[2]].question, "two marks where one is allowed"),
        (rows[graded["written"]].question, "no score box ticked"),
    }
    for row in review:
        assert (out / row["crop"]).is_file()
    assert all(row["decision"] == "" for row in review)


def test_a_rerun_takes_the_teachers_decisions(graded, class_set, tmp_path):
    out, rows, one_of = graded["out"], graded["rows"], graded["one_of"]
    review = read_csv(out / "review.csv")
    ticked = rows[one_of[1]]
    decisions = {
        rows[one_of[1]].question: "marked",
        rows[one_of[2]].question: "none",
        rows[graded["written"]].question: "1",
        "": "skip",
    }
    for row in review:
        row["decision"] = decisions[row["question"]]
    _write_csv(out / "review.csv", review)
    assert grade(class_set, out, graded["scans"] / "pile.pdf", graded["scans"] / "first.jpg") == 0
    scores = {row["copy"]: row for row in read_csv(out / "scores.csv")}
    assert scores["2"]["provisional"] == ""
    assert scores["2"][ticked.question] == "1"
    assert scores["2"][rows[one_of[2]].question] == "0"
    assert scores["2"][rows[graded["written"]].question] == "1"
    assert [row["decision"] for row in read_csv(out / "review.csv")] == [row["decision"] for row in review]


def test_a_decision_a_row_does_not_allow_is_an_error_at_its_line(graded, class_set, capsys):
    out = graded["out"]
    review = read_csv(out / "review.csv")
    for row in review:
        row["decision"] = "maybe" if row["box"] else ""
    _write_csv(out / "review.csv", review)
    assert grade(class_set, out, graded["scans"] / "pile.pdf") == 1
    line = next(i for i, row in enumerate(review, start=2) if row["box"])
    box = next(row["box"] for row in review if row["box"])
    err = capsys.readouterr().err
    assert f"{out / 'review.csv'}:{line}:7: error: decision 'maybe' for {box} (expected marked or empty)" in err
    assert "Traceback" not in err


def test_a_file_that_is_not_a_scan_is_a_located_error(class_set, tmp_path, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("not an image", encoding="utf-8")
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 20)
    assert grade(class_set, tmp_path / "out", notes, broken) == 1
    err = capsys.readouterr().err
    assert f"{notes}:1:1: error: not a scan quizgen reads (expected a PDF, PNG or JPEG file)" in err
    assert f"{broken}:1:1: error: cannot decode the image (a broken PNG or JPEG file?)" in err
    assert not (tmp_path / "out").exists()


def test_a_sheet_of_another_quiz_and_a_copy_scanned_twice(class_set, sheet_pages, tmp_path, capsys):
    import segno

    sheets, pages = sheet_pages[150]
    copy, index, image, scale = pages[0]
    page = copy.pages[index]
    other = image.copy()
    qx, qy, qw, _ = page.qr_box
    code = cv2.resize(
        (1 - np.array(segno.make("quizgen:another-quiz:1:0", error="m").matrix, dtype=np.uint8)) * 255,
        (round(qw * scale),) * 2,
        interpolation=cv2.INTER_NEAREST,
    )
    top, left = round(qy * scale), round(qx * scale)
    other[top : top + code.shape[0], left : left + code.shape[1]] = code
    sheet = answer_sheet(sheets, copy, image, scale, {}, random.Random(2))
    (tmp_path / "pile.pdf").write_bytes(scans.to_pdf([sheet, other, scans.turn(sheet, 1)], 150))
    out = tmp_path / "out"
    assert grade(class_set, out, tmp_path / "pile.pdf") == 0
    err = capsys.readouterr().err
    assert "note: page 1 of copy 1 was scanned twice (" in err
    review = read_csv(out / "review.csv")
    assert [row["reason"] for row in review] == [
        f"{tmp_path / 'pile.pdf'} page 2: a sheet of quiz 'another-quiz', not of 'unit-test'"
    ]
    scores = {row["copy"]: row for row in read_csv(out / "scores.csv")}
    assert scores["2"]["provisional"] == "not scanned" and scores["2"]["total"] == ""


def _write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_feedback_names_each_marked_and_right_option_by_its_text(graded):
    from pypdf import PdfReader

    from quizgen.kinds import kind_of
    from quizgen.load.content import require_content
    from tests.conftest import SOURCES

    sheets, row = graded["sheets"], graded["rows"][graded["one_of"][0]]  # answered wrong on the second copy
    copy = next(c for c in sheets.copies.values() if c.copy != "1")
    question = next(q for q in require_content(CONTENT, SOURCES).questions if q.uid == row.question)
    in_bank_order = kind_of(question).response(question).options
    option_of = {box.value: box.option for box in copy.boxes if box.question == row.question}

    def shown(letter: str) -> str:
        return f"{letter} ({in_bank_order['ABCDEFGHIJ'.index(option_of[letter])].text})"

    pages = PdfReader(graded["out"] / "feedback" / f"{copy.student}.pdf").pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    right = next(iter(row.right))
    wrong = next(v for v in "ABCD" if v not in row.right)
    assert shown(wrong) in text and shown(right) in text
    assert f"{right} · " not in text  # the bare letter no longer stands alone before the answer


def test_an_unclear_marks_crop_frames_that_box_in_red(graded):
    out, rows, one_of = graded["out"], graded["rows"], graded["one_of"]
    row = next(r for r in read_csv(out / "review.csv") if r["reason"].startswith("unclear mark"))
    assert row["question"] == rows[one_of[1]].question and row["box"]
    image = cv2.imread(str(out / row["crop"]), cv2.IMREAD_COLOR)
    blue, green, red = (image[:, :, i].astype(int) for i in range(3))
    framed = (red > 200) & (green < 80) & (blue < 80)
    assert framed.sum() > 40  # a frame, not a stray pixel
    ys, xs = np.nonzero(framed)
    # One box's frame: about a box wide (a question's row of boxes is several times wider).
    assert xs.max() - xs.min() < image.shape[1] / 2
    others = [r for r in read_csv(out / "review.csv") if not r["reason"].startswith("unclear mark") and r["crop"]]
    assert all(cv2.imread(str(out / r["crop"]), cv2.IMREAD_UNCHANGED).ndim == 2 for r in others)  # grey, unframed


def test_a_sitting_with_answers_under_review_and_a_copy_not_scanned_is_analyzed(graded, class_set, tmp_path, capsys):
    from quizgen.paper.results import read_sitting

    # Answers under review count 0 (the second copy's three, unless a test settled them), and the sitting
    # says how many wait: a fresh grade of the same scans, so no other test's decisions are in it.
    fresh = tmp_path / "fresh"
    assert grade(class_set, fresh, graded["scans"] / "pile.pdf", graded["scans"] / "first.jpg") == 0
    sitting = read_sitting(class_set, fresh)
    assert sitting.under_review == 3 and len(sitting.students) == 2
    # Only the first copy scanned: the second is left out, with a located warning, and the rest analyzed.
    alone = tmp_path / "alone"
    assert grade(class_set, alone, graded["scans"] / "first.jpg") == 0
    sitting = read_sitting(class_set, alone)
    assert sitting.students == ("copy-1",)
    assert [w.message for w in sitting.warnings] == ["copy 2 was not scanned: left out of the analysis"]
    assert sitting.warnings[0].line == 3
    capsys.readouterr()
    report = tmp_path / "report"
    args = ["analyze", "--sheets", str(class_set), str(alone), "-o", str(report), "--content", str(CONTENT)]
    assert main(args) == 0
    said = capsys.readouterr()
    assert "warning: copy 2 was not scanned" in said.err and "1 student," in said.out
    assert (report / "item-analysis.pdf").is_file()


def test_a_sheet_of_another_class_set_of_the_same_quiz_is_not_graded_against_this_key(class_set, tmp_path):
    """Two classes sit the same quiz: a scan of 10A's copy 1 given with 10B's sheets must not be scored by 10B's key."""
    roster = tmp_path / "10a.csv"
    roster.write_text("id,name\na01,Ana\na02,Boris\n", encoding="utf-8")
    other_set = tmp_path / "10a"
    args = ["sheets", QUIZ, "--roster", str(roster), "--content", str(CONTENT), "-o", str(other_set), "--jobs", "1"]
    assert main(args) == 0
    other, pages = scans.sheet_pages(other_set, 150)
    copy, _, image, scale = pages[0]
    (tmp_path / "10a.pdf").write_bytes(
        scans.to_pdf([answer_sheet(other, copy, image, scale, {}, random.Random(3))], 150)
    )
    out = tmp_path / "out"
    assert grade(class_set, out, tmp_path / "10a.pdf") == 0
    theirs = scans_qr(other_set, 0)
    ours = scans_qr(class_set, 0)
    assert theirs != ours and theirs.rsplit(":", 1)[0] == ours.rsplit(":", 1)[0] == "quizgen:unit-test:1:0"
    assert [row["reason"] for row in read_csv(out / "review.csv")] == [
        f"{tmp_path / '10a.pdf'} page 1: a sheet of another class set of quiz 'unit-test': its QR code"
        f" '{theirs}' is not copy 1's '{ours}' (another class, or a set printed again since?)"
    ]
    scores = {row["copy"]: row for row in read_csv(out / "scores.csv")}
    assert scores["1"]["provisional"] == "not scanned" and scores["1"]["total"] == ""


def scans_qr(folder: Path, copy_index: int) -> str:
    """The QR text layout.json records for the first page of a copy."""
    import json

    return json.loads((folder / "layout.json").read_text(encoding="utf-8"))["copies"][copy_index]["pages"][0]["qr"]


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        ("key.csv", "key.csv:1:1: error: file not found"),
        ("layout.json", "layout.json:1:1: error: file not found"),
    ],
)
def test_a_class_set_missing_a_file_is_one_located_error(class_set, tmp_path, monkeypatch, capsys, broken, expected):
    """It was printed as 'error: <path>:1:1: error: ...' (key.csv) or with no line at all (layout.json)."""
    import shutil

    sheets = tmp_path / "set"
    shutil.copytree(class_set, sheets)
    (sheets / broken).unlink()
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    monkeypatch.chdir(tmp_path)
    assert grade(sheets, tmp_path / "out", tmp_path / "scan.pdf") == 1
    assert capsys.readouterr().err.splitlines() == [f"set/{expected}", "1 error, 0 warnings in 1 file; nothing written"]
    assert not (tmp_path / "out").exists()


def test_a_class_set_printed_from_a_quiz_file_is_graded_from_the_same_path(tmp_path):
    """`quizgen sheets path/quiz.yaml` worked, but `quizgen grade path/quiz.yaml` said there was no such quiz."""
    quiz_file = Path(__file__).parent / "data" / "sheets" / "written-only.yaml"
    sheets_dir = tmp_path / "set"
    args = ["sheets", str(quiz_file), "--copies", "1", "--content", str(CONTENT), "-o", str(sheets_dir)]
    assert main([*args, "--jobs", "1"]) == 0
    sheets, pages = scans.sheet_pages(sheets_dir, 150)
    copy, _, image, scale = pages[0]
    (tmp_path / "scan.pdf").write_bytes(
        scans.to_pdf([answer_sheet(sheets, copy, image, scale, {}, random.Random(5))], 150)
    )
    out = tmp_path / "out"
    args = ["grade", str(quiz_file), "--sheets", str(sheets_dir), str(tmp_path / "scan.pdf"), "-o", str(out)]
    assert main([*args, "--content", str(CONTENT), "--jobs", "1"]) == 0
    [row] = read_csv(out / "scores.csv")
    assert (row["student"], row["total"], row["max"], row["provisional"]) == ("copy-1", "18", "18", "")
    assert read_csv(out / "review.csv") == []


def test_a_rerun_without_a_decided_copys_scan_keeps_the_decision_and_says_so(class_set, sheet_pages, tmp_path, capsys):
    """Rerunning with one scan file left out rewrote review.csv without the decisions about its copies."""
    sheets, pages = sheet_pages[150]
    (first, _, first_image, scale), (second, _, second_image, _) = pages
    right = sheets.questions_of(first.copy)[0]
    ticked = answer_sheet(sheets, first, first_image, scale, {1: [(next(iter(right.right)), "tick")]}, random.Random(7))
    (tmp_path / "first.pdf").write_bytes(scans.to_pdf([ticked], 150))
    (tmp_path / "second.pdf").write_bytes(
        scans.to_pdf([answer_sheet(sheets, second, second_image, scale, {}, random.Random(8))], 150)
    )
    out = tmp_path / "out"
    assert grade(class_set, out, tmp_path / "first.pdf", tmp_path / "second.pdf") == 0
    [row] = read_csv(out / "review.csv")
    assert (row["copy"], row["box"]) == ("1", f"q1.{next(iter(right.right))}")
    _write_csv(out / "review.csv", [{**row, "decision": "marked"}])
    before = (out / "review.csv").read_bytes()
    capsys.readouterr()
    assert grade(class_set, out, tmp_path / "second.pdf") == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{out / 'review.csv'}:2:7: error: decision 'marked' for copy 1 ({row['box']}), but copy 1 has no page in"
        " these scans: give every scan of the class set (or clear the decision to drop it)"
    )
    assert (out / "review.csv").read_bytes() == before
    assert grade(class_set, out, tmp_path / "first.pdf", tmp_path / "second.pdf") == 0
    assert read_csv(out / "review.csv")[0]["decision"] == "marked"
    assert {r["copy"]: r["provisional"] for r in read_csv(out / "scores.csv")} == {"1": "", "2": ""}


# --- a decision applies only to the scan it was made on -------------------------------------------------


def _one_copy_scan(set_pages, path: Path, marks: list[tuple[str, str]], seed: int) -> tuple[str, dict]:
    """Copy 1 scanned into `path`, its first choice question marked as `marks` (of 'right', 'wrong1',
    'wrong2'), every other question right; the question's id and those names' letters."""
    sheets, pages = set_pages
    first, _, image, scale = pages[0]
    rows = sheets.questions_of(first.copy)
    row = next(row for row in rows if len(row.right) == 1 and row.right <= set("ABCD"))
    wrong = [v for v in "ABCD" if v not in row.right]
    letters = {"right": next(iter(row.right)), "wrong1": wrong[0], "wrong2": wrong[1]}
    answers = {row.number: [(letters[name], kind) for name, kind in marks]}
    path.write_bytes(scans.to_pdf([answer_sheet(sheets, first, image, scale, answers, random.Random(seed))], 150))
    return row.question, letters


def _decide_two_marks(class_set, set_pages, tmp_path) -> tuple[Path, str, dict]:
    """Class A's grading: copy 1 marked its first choice question twice, and the teacher decided the right one."""
    question, letters = _one_copy_scan(set_pages, tmp_path / "a.pdf", [("right", "full"), ("wrong1", "full")], 1)
    out = tmp_path / "grades"
    assert grade(class_set, out, tmp_path / "a.pdf") == 0
    [row] = read_csv(out / "review.csv")
    assert (row["question"], row["reason"].split(" (")[0]) == (question, "two marks where one is allowed")
    _write_csv(out / "review.csv", [{**row, "decision": letters["right"]}])
    return out, question, letters


def _score(out: Path, question: str) -> str:
    [row] = [r for r in read_csv(out / "scores.csv") if r["copy"] == "1"]
    return row[question]


def test_a_decision_is_applied_again_on_a_rerun_with_the_same_scans(class_set, sheet_pages, tmp_path, capsys):
    out, question, letters = _decide_two_marks(class_set, sheet_pages[150], tmp_path)
    [decided] = read_csv(out / "review.csv")
    capsys.readouterr()
    assert grade(class_set, out, tmp_path / "a.pdf") == 0
    assert "warning" not in capsys.readouterr().err
    assert read_csv(out / "review.csv") == [decided]
    tag, digest = decided["evidence"].split(":")
    assert tag == scans_qr(class_set, 0).rsplit(":", 1)[1] and len(digest) == 16
    assert _score(out, question) not in ("", "review", "0")


def test_class_as_decision_is_not_applied_to_class_bs_copy(class_set, sheet_pages, tmp_path, capsys):
    """A quiz printed twice without a roster makes identical class sets: class B's copy 1 graded into the folder
    holding class A's review.csv took A's decision for the same place (the right answer) for B's two wrong marks."""
    out, question, letters = _decide_two_marks(class_set, sheet_pages[150], tmp_path)
    _one_copy_scan(sheet_pages[150], tmp_path / "b.pdf", [("wrong1", "full"), ("wrong2", "full")], 2)
    capsys.readouterr()
    assert grade(class_set, out, tmp_path / "b.pdf") == 0
    assert _score(out, question) == "review"  # not A's right answer's points
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{out / 'review.csv'}:2:7: warning: decision '{letters['right']}' for copy 1 ({question}) not applied:"
        " it was decided on another scan of this place (scanned again, or another class's review.csv?);"
        " look at the crop and decide it again"
    )
    [row] = read_csv(out / "review.csv")
    assert (row["question"], row["decision"]) == (question, "")
    assert row["reason"].endswith(
        f" [decided '{letters['right']}' before, on other evidence: not applied, decide again]"
    )


def test_an_old_review_csv_without_evidence_sends_its_decisions_back_to_review(
    class_set, sheet_pages, tmp_path, capsys
):
    """A review.csv written before the evidence column: nothing says its decisions were made on these scans."""
    out, question, letters = _decide_two_marks(class_set, sheet_pages[150], tmp_path)
    [row] = read_csv(out / "review.csv")
    _write_csv(out / "review.csv", [{k: v for k, v in row.items() if k != "evidence"}])
    capsys.readouterr()
    assert grade(class_set, out, tmp_path / "a.pdf") == 0
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{out / 'review.csv'}:2:7: warning: decision '{letters['right']}' for copy 1 ({question}) not applied:"
        " this review.csv has no evidence column (written by an earlier quizgen), so nothing says it was decided"
        " on these scans; look at the crop and decide it again"
    )
    noted = f"{row['reason']} [decided '{letters['right']}' before, on other evidence: not applied, decide again]"
    [again] = read_csv(out / "review.csv")
    assert again == {**row, "decision": "", "reason": noted}  # the old decision is in the file, not only the warning
    assert _score(out, question) == "review"
    _write_csv(out / "review.csv", [{**again, "decision": letters["right"]}])  # decided again in the file as written
    assert grade(class_set, out, tmp_path / "a.pdf") == 0
    assert _score(out, question) not in ("", "review", "0")
    assert read_csv(out / "review.csv") == [row]  # taken: the note is gone


def test_a_review_csv_of_another_class_set_is_refused_and_nothing_written(class_set, sheet_pages, tmp_path, capsys):
    """Class 10A's set (printed with its roster) was graded into the folder; grading this set's scans there
    must not take 10A's decisions for copies that share a number."""
    roster = tmp_path / "10a.csv"
    roster.write_text("id,name\na01,Ana\na02,Boris\n", encoding="utf-8")
    other_set = tmp_path / "10a"
    args = ["sheets", QUIZ, "--roster", str(roster), "--content", str(CONTENT), "-o", str(other_set), "--jobs", "1"]
    assert main(args) == 0
    out, question, letters = _decide_two_marks(other_set, scans.sheet_pages(other_set, 150), tmp_path)
    _one_copy_scan(sheet_pages[150], tmp_path / "ours.pdf", [("wrong1", "full"), ("wrong2", "full")], 2)
    before = sorted((path, path.read_bytes()) for path in out.rglob("*") if path.is_file())
    capsys.readouterr()
    assert grade(class_set, out, tmp_path / "ours.pdf") == 1
    theirs, ours = (scans_qr(folder, 0).rsplit(":", 1)[1] for folder in (other_set, class_set))
    assert capsys.readouterr().err.splitlines() == [
        f"{out / 'review.csv'}:2:8: error: decision '{letters['right']}' for copy 1 was made on a sheet of another"
        f" class set (tag '{theirs}', not this set's '{ours}'): this review.csv is another class's; grade into its"
        " own folder",
        "1 error, 0 warnings in 1 file; nothing written",
    ]
    assert sorted((path, path.read_bytes()) for path in out.rglob("*") if path.is_file()) == before


# --- review.csv as the teacher's editor may leave it -------------------------------------------------


def _files(out: Path) -> list:
    return sorted((path, path.read_bytes()) for path in out.rglob("*") if path.is_file())


def test_a_huge_cell_in_review_csv_is_a_located_error_not_a_crash(class_set, sheet_pages, tmp_path, capsys):
    """A cell over csv's field limit (131072 characters) raised csv.Error: a traceback, exit 3."""
    out, question, letters = _decide_two_marks(class_set, sheet_pages[150], tmp_path)
    [row] = read_csv(out / "review.csv")
    _write_csv(out / "review.csv", [{**row, "evidence": "x" * 200_000}])
    before = _files(out)
    capsys.readouterr()
    assert grade(class_set, out, tmp_path / "a.pdf") == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{out / 'review.csv'}:2:1: error: cannot read this line: field larger than field limit (131072)",
        "1 error, 0 warnings in 1 file; nothing written",
    ]
    assert _files(out) == before


def test_a_blank_line_in_review_csv_does_not_shift_the_lines_messages_name(class_set, sheet_pages, tmp_path, capsys):
    """Lines were counted by rows read, and csv skips a blank line: the error named the line above the row."""
    out, question, letters = _decide_two_marks(class_set, sheet_pages[150], tmp_path)
    [row] = read_csv(out / "review.csv")
    _write_csv(out / "review.csv", [{**row, "decision": "Z"}])
    header, line = (out / "review.csv").read_text(encoding="utf-8").splitlines()
    (out / "review.csv").write_text(f"{header}\n\n{line}\n", encoding="utf-8")
    capsys.readouterr()
    assert grade(class_set, out, tmp_path / "a.pdf") == 1
    first = capsys.readouterr().err.splitlines()[0]
    assert first.startswith(f"{out / 'review.csv'}:3:7: error: decision 'Z' for {question} (expected 'none'")


def test_two_rows_deciding_one_place_differently_are_an_error(class_set, sheet_pages, tmp_path, capsys):
    """A row copied and edited in a spreadsheet: the last row's decision was silently the one taken."""
    out, question, letters = _decide_two_marks(class_set, sheet_pages[150], tmp_path)
    [row] = read_csv(out / "review.csv")
    _write_csv(out / "review.csv", [row, {**row, "decision": letters["wrong1"]}])
    before = _files(out)
    capsys.readouterr()
    assert grade(class_set, out, tmp_path / "a.pdf") == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{out / 'review.csv'}:3:7: error: decision '{letters['wrong1']}' for copy 1 ({question}), but line 2"
        f" decides the same place '{letters['right']}': keep one of the two rows",
        "1 error, 0 warnings in 1 file; nothing written",
    ]
    assert _files(out) == before
    _write_csv(out / "review.csv", [row, row])  # the same decision twice is one decision
    assert grade(class_set, out, tmp_path / "a.pdf") == 0
    assert _score(out, question) not in ("", "review", "0")
    tag = row["evidence"].split(":")[0]
    _write_csv(out / "review.csv", [row, {**row, "evidence": f"{tag}:0000000000000000"}])  # the first row's counts
    assert grade(class_set, out, tmp_path / "a.pdf") == 0
    assert _score(out, question) not in ("", "review", "0")


def test_a_decision_with_control_characters_is_shown_escaped_and_cut(class_set, sheet_pages, tmp_path, capsys):
    """review.csv's cells were echoed raw: an escape sequence acted on the teacher's terminal, a long cell
    buried every other message."""
    out, question, letters = _decide_two_marks(class_set, sheet_pages[150], tmp_path)
    [row] = read_csv(out / "review.csv")
    _write_csv(out / "review.csv", [{**row, "decision": "\x1b[2J" + "A" * 500}])
    capsys.readouterr()
    assert grade(class_set, out, tmp_path / "a.pdf") == 1
    first = capsys.readouterr().err.splitlines()[0]
    shown = "\\x1b[2J" + "A" * (60 - len("\\x1b[2J")) + "…"
    assert first.startswith(f"{out / 'review.csv'}:2:7: error: decision '{shown}' for {question} (expected")
    assert "\x1b" not in first and len(first) < 400


def test_a_decision_with_its_evidence_emptied_or_cut_off_goes_back_to_review_saying_so(
    class_set, sheet_pages, tmp_path, capsys
):
    """An emptied evidence cell, or a row missing its last field, was reported as 'decided on another scan'."""
    out, question, letters = _decide_two_marks(class_set, sheet_pages[150], tmp_path)
    [row] = read_csv(out / "review.csv")
    expected = (
        f"{out / 'review.csv'}:2:7: warning: decision '{letters['right']}' for copy 1 ({question}) not applied:"
        " its evidence cell in review.csv is empty (edited, or the row cut short?), so nothing says it was decided"
        " on these scans; look at the crop and decide it again"
    )
    _write_csv(out / "review.csv", [{**row, "evidence": ""}])
    capsys.readouterr()
    assert grade(class_set, out, tmp_path / "a.pdf") == 0
    assert capsys.readouterr().err.splitlines()[0] == expected
    assert _score(out, question) == "review"
    _write_csv(out / "review.csv", [row])
    header, line = (out / "review.csv").read_text(encoding="utf-8").splitlines()
    (out / "review.csv").write_text(f"{header}\n{line.rsplit(',', 1)[0]}\n", encoding="utf-8")
    assert grade(class_set, out, tmp_path / "a.pdf") == 0
    assert capsys.readouterr().err.splitlines()[0] == expected
    assert _score(out, question) == "review"


def test_a_decision_for_a_copy_this_set_does_not_have_says_so(class_set, sheet_pages, tmp_path, capsys):
    """A bigger class's review.csv (copy 7 of a set of 2): the error said the set's tag was ''."""
    out, question, letters = _decide_two_marks(class_set, sheet_pages[150], tmp_path)
    [row] = read_csv(out / "review.csv")
    _write_csv(out / "review.csv", [{**row, "copy": "7"}])
    capsys.readouterr()
    assert grade(class_set, out, tmp_path / "a.pdf") == 1
    tag = row["evidence"].split(":")[0]
    assert capsys.readouterr().err.splitlines() == [
        f"{out / 'review.csv'}:2:7: error: decision '{letters['right']}' for copy 7 ({question}), but copy 7 has no"
        " page in these scans: give every scan of the class set (or clear the decision to drop it)",
        f"{out / 'review.csv'}:2:8: error: decision '{letters['right']}' for copy 7 was made on a sheet of another"
        f" class set (tag '{tag}', and this set has no such copy): this review.csv is another class's; grade into its"
        " own folder",
        "2 errors, 0 warnings in 1 file; nothing written",
    ]


def test_a_page_scanned_twice_keeps_its_decision_when_the_scans_are_given_in_another_order(
    class_set, sheet_pages, tmp_path, capsys
):
    """The question's evidence hashed its scans in the order given: `grade b.pdf a.pdf` after `grade a.pdf b.pdf`
    sent a decision made on the very same two scans back to review."""
    question, letters = _one_copy_scan(sheet_pages[150], tmp_path / "a.pdf", [("right", "full")], 1)
    _one_copy_scan(sheet_pages[150], tmp_path / "b.pdf", [("wrong1", "full")], 2)
    out = tmp_path / "grades"
    assert grade(class_set, out, tmp_path / "a.pdf", tmp_path / "b.pdf") == 0
    [row] = [r for r in read_csv(out / "review.csv") if r["question"] == question]
    assert row["reason"].startswith("scanned twice and read differently")
    _write_csv(out / "review.csv", [{**row, "decision": letters["right"]}])
    capsys.readouterr()
    assert grade(class_set, out, tmp_path / "b.pdf", tmp_path / "a.pdf") == 0
    assert "warning" not in capsys.readouterr().err
    [again] = [r for r in read_csv(out / "review.csv") if r["question"] == question]
    assert (again["decision"], again["evidence"]) == (letters["right"], row["evidence"])
    assert _score(out, question) not in ("", "review", "0")
