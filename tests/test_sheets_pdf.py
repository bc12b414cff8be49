"""The class set as printed: one PDF, copies on odd pages, and layout.json true to the rasterised pages."""

from __future__ import annotations

import json

import pytest
from conftest import CONTENT, DATA, SOURCES
from helpers import read_pdf

from quizgen.cli import main
from quizgen.paper import layout_file as files

pytestmark = pytest.mark.pdf

QUIZ = "jiang-2001-reading"
DPI = 150
SCALE = DPI / 72  # pixels per point
DARK, LIGHT = 100, 200  # grey levels: ink below, paper above


@pytest.fixture(scope="module")
def class_set(tmp_path_factory):
    roster = tmp_path_factory.mktemp("roster") / "students.csv"
    roster.write_text("id,name\ns001,Ana Petrova\ns002,Li Wei\ns003,Bob Stone\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("sheets")
    args = ["sheets", QUIZ, "--content", str(CONTENT), "--sources", str(SOURCES), "--roster", str(roster)]
    assert main([*args, "-o", str(out), "--jobs", "2"]) == 0
    return out, args


@pytest.fixture(scope="module")
def layout(class_set):
    return files.read_layout(class_set[0])


def test_the_set_is_one_pdf_with_every_file_beside_it(class_set):
    out, _ = class_set
    names = {p.name for p in out.iterdir() if not p.name.startswith(".")}
    assert names == {"class-set.pdf", "key-table.pdf", "layout.json", "key.csv", "roster.csv"}
    assert len(files.read_key(out)) == 3 * 28


def test_every_copy_starts_on_an_odd_page_with_its_answer_sheet(class_set, layout):
    reader = read_pdf(class_set[0] / "class-set.pdf")
    starts = [copy["pages"][0]["page"] for copy in layout["copies"]]
    assert starts[0] == 1 and all(page % 2 == 1 for page in starts)
    assert len(reader.pages) % 2 == 0
    for copy, start in zip(layout["copies"], starts, strict=True):
        sheet_text = reader.pages[start - 1].extract_text()
        assert f"ID {copy['student']['id']} · {copy['student']['name']}" in sheet_text
        assert "Answer sheet · copy" in sheet_text
    for start, end in zip(starts, starts[1:] + [len(reader.pages) + 1], strict=True):
        texts = [reader.pages[i].extract_text() for i in range(start - 1, end - 1)]
        assert sum("Answer sheet" in text for text in texts) == 1  # one copy's pages: one sheet, its questions
        question_pages = [t for t in texts[1:] if t.strip()]
        assert question_pages and f"ID: {layout['copies'][starts.index(start)]['student']['id']}" in question_pages[0]


def test_a_reprint_gives_the_same_copies(class_set, tmp_path):
    out, args = class_set
    assert main([*args, "-o", str(tmp_path), "--jobs", "1"]) == 0
    # the same bytes, although the first run rendered with two processes and this one with one
    for name in ("class-set.pdf", "key-table.pdf", "layout.json", "key.csv", "roster.csv"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def _pages(pdf_path, numbers):
    """Grey images (numpy arrays) of some pages (from 1), rasterised at DPI by pypdfium2."""
    import numpy as np
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf_path))
    images = {}
    for number in numbers:
        bitmap = document[number - 1].render(scale=SCALE, grayscale=True)
        images[number] = np.asarray(bitmap.to_pil().convert("L"))
    return images


def _px(value: float) -> int:
    return int(round(value * SCALE))


def _darkest(image, top: float, bottom: float, left: float, right: float, *, rows: bool) -> float:
    """The darkest mean of a pixel row (rows=True) or column of a strip: a whole line of ink reads dark."""
    strip = image[_px(top) : max(_px(bottom), _px(top) + 1), _px(left) : max(_px(right), _px(left) + 1)]
    return float(strip.mean(axis=1 if rows else 0).min())


def test_every_box_of_layout_json_is_drawn_where_it_says(class_set, layout):
    assert _boxes_drawn(class_set[0], layout) > 300


def _boxes_drawn(out, layout) -> int:
    """Check each box of layout.json against the rasterised pages; how many were checked."""
    numbers = {page["page"] for copy in layout["copies"] for page in copy["pages"]}
    images = _pages(out / "class-set.pdf", numbers)
    checked = 0
    for copy in layout["copies"]:
        for box in copy["boxes"]:
            image = images[copy["pages"][box["page"]]["page"]]
            x, y, w, h = box["x"], box["y"], box["w"], box["h"]
            middle_x, middle_y = _px(x + w / 2), _px(y + h / 2)
            # the 1 pt outline lies inside the rectangle: some pixel row (column) of each 1 pt edge strip is ink
            assert _darkest(image, y, y + 1, x + 2, x + w - 2, rows=True) < DARK, box  # top
            assert _darkest(image, y + h - 1, y + h, x + 2, x + w - 2, rows=True) < DARK, box  # bottom
            assert _darkest(image, y + 2, y + h - 2, x, x + 1, rows=False) < DARK, box  # left
            assert _darkest(image, y + 2, y + h - 2, x + w - 1, x + w, rows=False) < DARK, box  # right
            inside = image[_px(y + 2.5) : _px(y + h - 2.5), _px(x + 2.5) : _px(x + w - 2.5)]
            assert inside.min() > LIGHT, box  # white inside
            outside = [image[_px(y - 2.5), middle_x], image[middle_y, _px(x + w + 2.5)]]
            assert min(outside) > LIGHT, box  # and white just outside: nothing else drawn there
            checked += 1
    return checked


def test_markers_and_qr_code_are_where_layout_json_says(class_set, layout):
    import zxingcpp  # the QR reader the grading uses

    page = layout["copies"][1]["pages"][0]
    image = _pages(class_set[0] / "class-set.pdf", [page["page"]])[page["page"]]
    for marker in page["markers"]:
        x, y, size = marker["x"], marker["y"], marker["size"]
        square = image[_px(y + 1) : _px(y + size - 1), _px(x + 1) : _px(x + size - 1)]
        assert square.max() < DARK  # solid black
        assert image[_px(y - 2), _px(x + size / 2)] > LIGHT and image[_px(y + size / 2), _px(x - 2)] > LIGHT
    box = page["qr_box"]
    crop = image[_px(box["y"] - 10) : _px(box["y"] + box["h"] + 10), _px(box["x"] - 10) : _px(box["x"] + box["w"] + 10)]
    found = [result.text for result in zxingcpp.read_barcodes(crop)]
    assert found == [page["qr"]] and page["qr"].rsplit(":", 1)[0] == f"quizgen:{QUIZ}:2:0"


def test_layout_pages_are_the_pdf_pages_size(class_set, layout):
    reader = read_pdf(class_set[0] / "class-set.pdf")
    for copy in layout["copies"]:
        for page in copy["pages"]:
            box = reader.pages[page["page"] - 1].mediabox
            assert (round(float(box.width), 1), round(float(box.height), 1)) == (
                round(page["width"], 1),
                round(page["height"], 1),
            )


def test_the_key_table_lists_every_copy(class_set):
    reader = read_pdf(class_set[0] / "key-table.pdf")
    text = " ".join(page.extract_text() for page in reader.pages)
    for student in ("Ana Petrova", "Li Wei", "Bob Stone"):
        assert student in text
    assert "Written answers" in text


def test_layout_json_is_plain_json(class_set):
    data = json.loads((class_set[0] / "layout.json").read_text(encoding="utf-8"))
    assert data["quiz"] == QUIZ and [c["copy"] for c in data["copies"]] == [1, 2, 3]


def test_a_long_quiz_gets_a_sheet_of_several_pages_each_with_its_qr(tmp_path):
    quiz_file = DATA / "sheets" / "whole-bank.yaml"
    args = ["sheets", str(quiz_file), "--content", str(CONTENT), "--sources", str(SOURCES), "--copies", "2"]
    assert main([*args, "-o", str(tmp_path)]) == 0
    layout = files.read_layout(tmp_path)
    assert layout["quiz"] == "whole-bank"
    assert [[p["page"] for p in c["pages"]] for c in layout["copies"]][0][:2] == [1, 2]
    for copy in layout["copies"]:
        assert copy["student"] == {"id": "", "name": ""}
        tag = copy["pages"][0]["qr"].rsplit(":", 1)[1]
        assert [p["qr"] for p in copy["pages"]] == [f"quizgen:whole-bank:{copy['copy']}:{i}:{tag}" for i in (0, 1)]
        assert {box["page"] for box in copy["boxes"]} == {0, 1}
    starts = [c["pages"][0]["page"] for c in layout["copies"]]
    assert all(page % 2 == 1 for page in starts)
    assert _boxes_drawn(tmp_path, layout) == sum(len(c["boxes"]) for c in layout["copies"])


def test_a_long_name_is_cut_with_an_ellipsis_and_never_hides_the_id(tmp_path):
    long_name = "Maria-Alexandra Konstantinopoulou-Vasilakopoulou de la Fuente y Montenegro " * 2  # past the header
    long_name = long_name.strip()
    roster = tmp_path / "students.csv"
    roster.write_text(f"id,name\ns042,{long_name}\n", encoding="utf-8")
    out = tmp_path / "sheets"
    args = ["sheets", QUIZ, "--content", str(CONTENT), "--sources", str(SOURCES), "--roster", str(roster)]
    assert main([*args, "-o", str(out), "--jobs", "1"]) == 0
    sheet = " ".join(read_pdf(out / "class-set.pdf").pages[0].extract_text().split())
    assert "ID s042 · Maria-Alexandra" in sheet
    assert "…" in sheet and long_name not in sheet  # cut where the header ends, and said to be cut
