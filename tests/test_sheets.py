"""The class set without rendering: rosters and their located errors, copies, answer-sheet geometry, files.

PDFs are checked in tests/test_sheets_pdf.py; everything here works on the
records and the HTML, so it runs in the fast suite.
"""

from __future__ import annotations

import json

import pytest
from conftest import CONTENT, DATA, SOURCES
from helpers import HOSTILE

from quizgen.errors import ContentError, QuizgenError
from quizgen.kinds import response as r
from quizgen.paper import layout_file as files
from quizgen.paper.classset import find_quiz, plan_class_set
from quizgen.paper.copies import anonymous, make_copies, signature
from quizgen.paper.keytable import CELLS
from quizgen.paper.roster import Student, parse_roster, read_roster
from quizgen.paper.sheet import BLOCKS, exact_digits, grid_size
from quizgen.paper.sheet_pages import answer_sheet, copy_tag, qr_text
from quizgen.pipeline import Source, load
from quizgen.render.catalogue import english_text

ROSTERS = DATA / "roster"
QUIZ = "jiang-2001-reading"
RULE = "expected 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"


@pytest.fixture(scope="module")
def content():
    return load(Source(CONTENT, SOURCES)).content


@pytest.fixture(scope="module")
def quiz(content):
    return find_quiz(CONTENT, content, QUIZ)


def students(count: int) -> list[Student]:
    return [Student(f"s{n:03d}", f"Student {n}") for n in range(1, count + 1)]


# --- the roster ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("missing-id.csv", ["2:1: error: missing id"]),
        ("missing-name.csv", ["2:6: error: missing name for id 's001'"]),
        ("duplicate-id.csv", ["4:1: error: id 's001' is also on line 2 (ids must be unique)"]),
        ("bad-id.csv", [f"3:1: error: id '../etc' cannot name a file ({RULE})"]),
        (  # S001.pdf and s001.pdf are one file on a Windows or macOS disk: one student's feedback was lost
            "ids-differing-in-case.csv",
            [
                "4:1: error: id 's001' differs only in case from 'S001' on line 2 (ids name files, and Windows and"
                " macOS disks ignore case: one feedback file would replace the other)"
            ],
        ),
        (
            "unknown-header.csv",
            ["1:1: error: unknown header column 'ids': did you mean 'id'? (the roster needs id and name)"],
        ),
        ("no-name-column.csv", ["1:1: error: the header has no 'name' column (found: id, student)"]),
        ("not-utf8.csv", ["2:7: error: the roster is not UTF-8 (save it as CSV UTF-8)"]),
        (  # the quote swallowed s002 and s003 into Ana's name: a class set of one student, without a word
            "open-quote.csv",
            [
                "2:6: error: a quoted field runs over lines 2 to 4: close its quote"
                " (a roster field is one line; the rows inside it would be lost)"
            ],
        ),
        (
            "open-quote-in-extra-column.csv",
            [
                "2:18: error: a quoted field runs over lines 2 to 3: close its quote"
                " (a roster field is one line; the rows inside it would be lost)"
            ],
        ),
        (
            "several.csv",
            [
                "3:1: error: missing id",
                "4:1: error: id 's001' is also on line 2 (ids must be unique)",
                f"5:1: error: id 'x y' cannot name a file ({RULE})",
                "5:5: error: missing name for id 'x y'",
            ],
        ),
    ],
)
def test_a_bad_roster_is_refused_with_every_problem_located(name, expected):
    path = ROSTERS / name
    with pytest.raises(ContentError) as caught:
        read_roster(path)
    assert [str(issue) for issue in caught.value.issues] == [f"{path}:{line}" for line in expected]


def test_a_roster_tolerates_a_bom_crlf_quotes_header_case_and_keeps_extra_columns():
    assert read_roster(ROSTERS / "valid.csv") == [
        Student("s001", "Petrova, Ana", (("class", "10B"),)),
        Student("s002", 'Li "Wei"', (("class", "10A"),)),
    ]


def test_a_field_column_counts_characters_across_quoted_commas():
    _, issues = parse_roster('id,name\n"a,b",x,\n', "r.csv")
    assert [str(i) for i in issues] == [
        "r.csv:2:9: error: row has 3 fields, the header 2",
        f"r.csv:2:1: error: id 'a,b' cannot name a file ({RULE})",
    ]


def test_roster_csv_round_trips(tmp_path):
    read = read_roster(ROSTERS / "valid.csv")
    (tmp_path / files.ROSTER_FILE).write_text(files.roster_csv(read), encoding="utf-8")
    assert files.read_roster_file(tmp_path) == read


def test_a_class_sets_roster_edited_since_reports_every_problem_at_its_line(tmp_path):
    (tmp_path / files.ROSTER_FILE).write_text("id,name\ns001,Ana\ns001,Wei\n../x,Bo\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        files.read_roster_file(tmp_path)
    assert [(issue.line, issue.col, issue.severity) for issue in caught.value.issues] == [
        (3, 1, "error"),
        (4, 1, "error"),
    ]


# --- finding the quiz ------------------------------------------------------------------------


def test_a_quiz_is_found_by_id_or_by_file(content):
    by_file = find_quiz(CONTENT, content, str(CONTENT / "quizzes" / f"{QUIZ}.yaml"))
    assert find_quiz(CONTENT, content, QUIZ) == by_file


def test_an_unknown_quiz_names_the_known_ones(content):
    with pytest.raises(QuizgenError) as caught:
        find_quiz(CONTENT, content, "no-such-quiz")
    assert str(caught.value).startswith(f"no quiz 'no-such-quiz' in {CONTENT / 'quizzes'} and no such quiz file")
    assert QUIZ in str(caught.value)


# --- copies -------------------------------------------------------------------------------------


def test_every_copy_is_unique_and_a_reprint_is_identical(quiz, content):
    copies = make_copies(quiz, content, students(30), english_text)
    assert len({signature(copy) for copy in copies}) == 30
    again = make_copies(quiz, content, students(30), english_text)
    assert [signature(c) for c in again] == [signature(c) for c in copies]


def test_a_copy_depends_on_its_student_only(quiz, content):
    alone = make_copies(quiz, content, [Student("s007", "Seven")], english_text)[0]
    among = make_copies(quiz, content, students(10), english_text)[6]
    assert among.student.id == "s007"
    assert signature(alone) == signature(among)


def test_anonymous_copies_differ_by_number(quiz, content):
    copies = make_copies(quiz, content, anonymous(5), english_text)
    assert [c.number for c in copies] == [1, 2, 3, 4, 5]
    assert len({signature(c) for c in copies}) == 5


# --- the answer sheet ---------------------------------------------------------------------------


def test_every_response_form_has_a_block_and_a_key_table_cell():
    assert r.missing_forms(BLOCKS) == []
    assert r.missing_forms(CELLS) == []


@pytest.fixture(scope="module")
def sheet(quiz, content):
    copy = make_copies(quiz, content, students(1), english_text)[0]
    return answer_sheet(copy, "A4", english_text)


def test_the_boxes_follow_the_copy_lettering(sheet):
    questions = {q.number: q for q in sheet.copy.questions}
    boxes = [b for page in sheet.pages for b in page.boxes]
    by_id = {b.id: b for b in boxes}
    assert len(by_id) == len(boxes)  # ids are unique in a copy
    for answer in sheet.answers:
        q = questions[answer.number]
        for value in answer.right:
            box = by_id[f"q{q.number}.{value}" if not value.isdigit() else f"q{q.number}.s{value}"]
            assert box.question == q.question.uid
        if q.choices and not q.rows:  # multiple choice/select: the printed letters, the right ones in the key
            assert [b.value for b in boxes if b.question == q.question.uid] == [c.letter for c in q.choices]
            assert list(answer.right) == [c.letter for c in q.choices if c.correct]
        if q.rows:  # matching: `item=letter` as printed
            assert set(answer.right) == {f"{row.number}={row.letter}" for row in q.rows}
        if q.slots:  # ordering: `item=position`, items as printed
            assert set(answer.right) == {f"{i}={s.position}" for i, s in enumerate(q.slots, 1)}


def test_groups_allow_one_mark_per_question_row_or_column(sheet):
    boxes = [b for page in sheet.pages for b in page.boxes]
    for q in sheet.copy.questions:
        groups = {b.group for b in boxes if b.question == q.question.uid}
        response = type(q.question).__name__
        if q.rows:
            assert groups == {f"q{q.number}.{row.number}" for row in q.rows}, response
        if q.slots:
            assert groups == {f"q{q.number}.{i}" for i in range(1, len(q.slots) + 1)}, response


def test_boxes_stay_inside_the_markers_and_never_overlap(sheet):
    for page in sheet.pages:
        left, top = page.markers[0].x + page.markers[0].w, page.markers[0].y + page.markers[0].h
        right, bottom = page.markers[2].x, page.markers[2].y
        rects = [b.rect for b in page.boxes]
        for a in rects:
            assert left < a.x and a.x + a.w < right and top < a.y and a.y + a.h < bottom
        spots = sorted((a.x, a.y) for a in rects)
        assert len(set(spots)) == len(spots)
        for a in rects:
            for b in rects:
                if a is not b:
                    assert a.x + a.w + 5 <= b.x or b.x + b.w + 5 <= a.x or a.y + a.h + 4 <= b.y or b.y + b.h + 4 <= a.y


def test_qr_text_names_quiz_copy_page_and_the_copy_tag(sheet):
    tag = copy_tag(sheet.copy.student.id, sheet.answers)
    assert [p.qr_text for p in sheet.pages] == [qr_text(QUIZ, 1, i, tag) for i in range(len(sheet.pages))]
    assert qr_text(QUIZ, 12, 0) == f"quizgen:{QUIZ}:12:0"
    assert qr_text(QUIZ, 12, 0, "0a1b2c3d") == f"quizgen:{QUIZ}:12:0:0a1b2c3d"
    assert len(tag) == 8 and copy_tag("another-student", sheet.answers) != tag


@pytest.mark.parametrize(
    ("value", "tolerance", "size", "digits"),
    [
        (10.7, 0.0, (4, 1), ["d1=0", "d2=1", "d3=0", "d4=7"]),
        (700, 50, (4, 0), ["d1=0", "d2=7", "d3=0", "d4=0"]),
        (2001, 0, (5, 0), ["d1=0", "d2=2", "d3=0", "d4=0", "d5=1"]),
        (0.25, 0.05, (3, 2), ["d1=0", "d2=2", "d3=5"]),
        (-3.5, 0.5, (3, 1), ["d1=0", "d2=3", "d3=5"]),
    ],
)
def test_a_digit_grid_has_the_decimals_of_answer_and_tolerance_and_one_spare_digit(value, tolerance, size, digits):
    assert grid_size(value, tolerance) == size
    assert exact_digits(value, *size) == digits


def test_a_negative_answer_gets_a_sign_box():
    from dataclasses import replace

    from quizgen.draw.layout import PrintedQuestion
    from quizgen.paper.sheet import number

    q = PrintedQuestion(3, replace(_any_numeric(), answer=-3.5), 1, "")
    block = number(r.Number(-3.5, 0.5, "°C"), q, english_text)
    assert [b.id for b in block.boxes if b.group == "q3.sign"] == ["q3.sign=-"]
    assert block.right[0] == "sign=-"
    assert block.grid["signed"] and block.grid["decimals"] == 1


def _any_numeric():
    from quizgen.kinds import kind_of

    content = load(Source(CONTENT, SOURCES)).content
    return next(q for q in content.questions if isinstance(kind_of(q).response(q), r.Number))


# --- files for machines -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def plan(quiz, content):
    return plan_class_set(quiz, content, students(4))


def test_layout_json_has_the_contract_form_and_round_trips(plan, tmp_path):
    data = files.layout_data(QUIZ, plan.sheets, [1, 3, 5, 7])
    (tmp_path / files.LAYOUT_FILE).write_text(files.layout_json(data), encoding="utf-8")
    read = files.read_layout(tmp_path)
    assert read == json.loads(json.dumps(data))
    copy = read["copies"][1]
    assert copy["copy"] == 2 and copy["student"] == {"id": "s002", "name": "Student 2"}
    page = copy["pages"][0]
    assert set(page) == {"file", "page", "width", "height", "qr", "qr_box", "markers"}
    assert (page["file"], page["page"], page["qr"].rsplit(":", 1)[0]) == ("class-set.pdf", 3, f"quizgen:{QUIZ}:2:0")
    assert [set(m) for m in page["markers"]] == [{"x", "y", "size"}] * 4
    assert set(copy["boxes"][0]) <= {"id", "question", "value", "group", "page", "x", "y", "w", "h", "option"}


def test_an_option_box_names_the_same_bank_option_on_every_copy(plan, content):
    # Copies shuffle their letters; `option` (the bank's order) is what item analysis counts by.
    from quizgen.kinds import kind_of
    from quizgen.kinds import response as r

    data = files.layout_data(QUIZ, plan.sheets, [1, 3, 5, 7])
    questions = {q.uid: q for q in content.questions}
    choice_questions = 0
    for copy, sheet in zip(data["copies"], plan.sheets, strict=True):
        printed = {q.question.uid: q for q in sheet.copy.questions}
        for box in copy["boxes"]:
            response = kind_of(questions[box["question"]]).response(questions[box["question"]])
            if not isinstance(response, r.OneOf | r.AnyOf):
                assert "option" not in box
                continue
            choice_questions += 1
            bank_text = response.options["ABCDEFGHIJKLMNOPQRSTUVWXYZ".index(box["option"])].text
            shown = {c.letter: c.text for c in printed[box["question"]].choices}
            assert shown[box["value"]] == bank_text
    assert choice_questions


def test_key_csv_round_trips_and_matches_the_boxes(plan, tmp_path):
    rows = files.key_rows(plan.sheets)
    (tmp_path / files.KEY_FILE).write_text(files.key_csv(rows), encoding="utf-8")
    assert files.read_key(tmp_path) == rows
    assert files.key_csv(rows).splitlines()[0] == "copy,student,question,number,right,points"
    values = {(s.copy.number, b.value) for s in plan.sheets for p in s.pages for b in p.boxes}
    for row in rows:
        assert all((row.copy, value) in values for value in files.split_values(row.right)), row


def _issues(read, folder) -> list[str]:
    with pytest.raises(ContentError) as caught:
        read(folder)
    return [str(issue) for issue in caught.value.issues]


def test_a_broken_layout_or_key_is_refused_with_its_place(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert _issues(files.read_layout, tmp_path) == ["layout.json:1:1: error: file not found"]
    assert _issues(files.read_key, tmp_path) == ["key.csv:1:1: error: file not found"]
    (tmp_path / files.LAYOUT_FILE).write_text("[]", encoding="utf-8")
    (tmp_path / files.KEY_FILE).write_text("copy,student\n", encoding="utf-8")
    assert _issues(files.read_layout, tmp_path) == [
        "layout.json:1:1: error: not a class-set layout (expected 'quiz' and 'copies')"
    ]
    assert _issues(files.read_key, tmp_path) == [
        "key.csv:1:1: error: missing column(s) question, number, right, points"
        " (expected copy,student,question,number,right,points first)"
    ]
    (tmp_path / files.LAYOUT_FILE).write_text('{"quiz": "x",\n', encoding="utf-8")
    assert _issues(files.read_layout, tmp_path) == [
        "layout.json:2:1: error: not JSON: Expecting property name enclosed in double quotes"
    ]
    (tmp_path / files.LAYOUT_FILE).write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert _issues(files.read_layout, tmp_path) == ["layout.json:1:1: error: not JSON: nested too deeply"]
    (tmp_path / files.KEY_FILE).write_text(",".join(files.KEY_COLUMNS) + "\n1,s1,b/q,x,A,1\n", encoding="utf-8")
    assert _issues(files.read_key, tmp_path) == ["key.csv:2:10: error: 'number' is 'x' (expected a whole number)"]


def test_marked_values_join_sorted():
    assert files.join_values(["C", "A"]) == "A|C"
    assert files.split_values("") == [] and files.split_values("A|C") == ["A", "C"]


# --- the HTML ----------------------------------------------------------------------------------


def test_names_and_bank_text_stay_inert(quiz, content):
    from helpers import hostile_content

    hostile = [Student("s001", HOSTILE)]
    plan = plan_class_set(quiz, hostile_content(content), hostile)
    html = plan.htmls[0]
    assert "<img" not in html.replace("&lt;img", "") and "&lt;img src=" in html
    assert "<img" not in plan.key_table_html.replace("&lt;img", "")


def test_each_copy_prints_its_student_and_the_questions_after_the_sheet(plan):
    for sheet, html in zip(plan.sheets, plan.htmls, strict=True):
        student = sheet.copy.student
        assert f"ID {student.id} · {student.name}" in html  # on the answer sheet
        assert f"Name: {student.name} · ID: {student.id}" in html  # on the first question page
        assert html.index("sh-marker") < html.index("copy-start")


def test_the_command_refuses_a_bad_roster_before_writing(tmp_path, capsys):
    from quizgen.cli import main

    out = tmp_path / "out"
    status = main(["sheets", QUIZ, "--content", str(CONTENT), "--roster", str(ROSTERS / "several.csv"), "-o", str(out)])
    err = capsys.readouterr().err
    assert status == 1
    assert f"{ROSTERS / 'several.csv'}:4:1: error: id 's001' is also on line 2 (ids must be unique)" in err
    assert err.strip().endswith("4 errors, 0 warnings in 1 file; nothing written")
    assert not out.exists()


def test_the_command_wants_a_roster_or_copies(capsys):
    from quizgen.cli import main

    assert main(["sheets", QUIZ, "--content", str(CONTENT)]) == 2
    assert "give --roster students.csv or --copies N" in capsys.readouterr().err


def _laid_out(question, number: int = 1):
    import random

    from quizgen.draw.layout import PrintedQuestion

    base = PrintedQuestion(number, question, question.points, "")
    from quizgen.kinds import kind_of

    return kind_of(question).lay_out(question, base, random.Random(1), english_text)


def _one_question_copy(quiz, printed):
    from quizgen.draw.versions import QuizVersion, Section
    from quizgen.paper.copies import Copy

    section = Section(printed.kind, 1, (printed,))
    return Copy(1, Student("s001", "Ana"), QuizVersion(quiz, 1, (section,)))


def test_a_question_too_wide_for_a_column_is_refused_by_name(quiz, content):
    from dataclasses import replace

    from quizgen.kinds import kind_of

    matching = next(q for q in content.questions if isinstance(kind_of(q).response(q), r.Pairs))
    pair = type(matching.pairs[0])
    wide = replace(matching, pairs=tuple(pair(f"left {i}", f"right {i}") for i in range(12)))
    copy = _one_question_copy(quiz, _laid_out(wide))
    with pytest.raises(QuizgenError) as caught:
        answer_sheet(copy, "A4", english_text)
    assert str(caught.value) == (
        f"question {matching.uid}: its boxes (252 x 199 pt) do not fit in a column of the answer sheet"
        " (230 x 680 pt): give it fewer options, items or points"
    )


def test_many_options_wrap_onto_a_second_line(quiz, content):
    from dataclasses import replace

    from quizgen.kinds import kind_of

    choice = next(q for q in content.questions if isinstance(kind_of(q).response(q), r.OneOf))
    many = replace(choice, distractors=tuple(f"option {i}" for i in range(9)))
    sheet = answer_sheet(_one_question_copy(quiz, _laid_out(many)), "A4", english_text)
    rows = sorted({b.rect.y for b in sheet.pages[0].boxes})
    assert len(sheet.pages[0].boxes) == 10 and len(rows) == 2 and rows[1] - rows[0] == 16


def test_the_command_takes_a_roster_or_copies_not_both(capsys):
    from quizgen.cli import main

    args = ["sheets", QUIZ, "--content", str(CONTENT), "--roster", str(ROSTERS / "valid.csv"), "--copies", "3"]
    assert main(args) == 2
    assert "give either --roster or --copies, not both" in capsys.readouterr().err


def test_parts_answered_on_the_sheet_say_so_instead_of_circle_the_letter(plan):
    from quizgen.kinds import KINDS
    from quizgen.paper.sheet import answered_on_sheet
    from quizgen.render.catalogue import english_text

    html = plan.htmls[0]
    kinds = {q.kind: answered_on_sheet(q.question) for q in plan.sheets[0].copy.questions}
    assert True in kinds.values() and False in kinds.values()  # the quiz has parts of both sorts
    for kind, on_sheet in kinds.items():
        directions = english_text(f"kind.{kind}.directions")
        assert (directions in html) != on_sheet, kind
    assert html.count(english_text("sheet.directions_on_sheet")) >= sum(kinds.values())  # reading sets: per question
    assert set(kinds) <= set(KINDS)


def test_a_shared_class_set_folder_cannot_point_its_files_outside_itself(tmp_path):
    from quizgen.load.fields import display_path

    secret = tmp_path / "secret.txt"
    secret.write_text('{"quiz": "x", "copies": []}', encoding="utf-8")
    folder = tmp_path / "sheets"
    folder.mkdir()
    (folder / files.LAYOUT_FILE).symlink_to(secret)
    [issue] = _issues(files.read_layout, folder)
    assert issue.startswith(f"{display_path(folder / files.LAYOUT_FILE)}:1:1: error: refused: this file resolves to ")
    assert issue.endswith(f"secret.txt, outside {folder.resolve()}")


def test_a_roster_that_is_not_a_regular_file_is_refused_not_read(tmp_path):
    import os

    from quizgen.errors import QuizgenError
    from quizgen.paper.roster import read_roster

    fifo = tmp_path / "students.csv"
    os.mkfifo(fifo)
    with pytest.raises(QuizgenError, match="not a regular file"):
        read_roster(fifo)  # would block forever if it were opened for reading
