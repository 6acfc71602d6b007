"""The submission workbook as printed: rendered by LibreOffice to PDF and read back with
pdftotext — every item row and every registered document number in full, no cell cut (no text
running over another), A4 landscape with the header rows repeated and the pages numbered, and
none of: a grade, a check message, a working column."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from parindex.scoring.dossier import load_dossier
from parindex.workbook.export import export_workbook
from parindex.workbook.view import evidence_view

from .conftest import EXAMPLE
from .libreoffice import pdf_rules, pdf_text, pdf_words, to_pdf
from .test_workbook import CHECK_MESSAGES, WORKING_HEADERS

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None,
                                reason="LibreOffice (soffice) is not installed")


def _overlaps(words: list[tuple[float, float, float, float, str]]) -> list[str]:
    """Pairs of words whose boxes intersect: text of one cell printed over another's."""
    found = []
    # the glyphs' core: a word's box less a quarter of its height above and below (the
    # boxes of consecutive lines of one cell touch through ascenders and descenders)
    cores = sorted((x0, y0 + (y1 - y0) / 4, x1, y1 - (y1 - y0) / 4, t)
                   for x0, y0, x1, y1, t in words)
    for i, (x0, y0, x1, y1, t) in enumerate(cores):
        for u0, v0, u1, v1, s in cores[i + 1:]:
            if u0 >= x1 - 0.5:
                break
            if min(y1, v1) - max(y0, v0) > 0.5 and min(x1, u1) - max(x0, u0) > 0.5:
                found.append(f"{t!r} / {s!r} at ({x0:.0f}, {y0:.0f})")
    return found


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    tmp = tmp_path_factory.mktemp("print")
    out = tmp / "bang-diem-gui-so.xlsx"
    result = export_workbook(EXAMPLE, out)
    (pdf,) = to_pdf([out], tmp / "pdf", tmp / "profile")
    return pdf, result


def test_every_item_and_every_number_is_printed_in_full(
        printed: tuple[Path, object]) -> None:
    pdf, _ = printed
    card = load_dossier(EXAMPLE).score()
    pages = pdf_words(pdf)
    words = [w[4] for page in pages for w in page]
    tokens = set(words)
    # every item row: its STT and its name
    flat = " ".join(" ".join(pdf_text(pdf).split()).split())
    for node in card.nodes:
        assert node.code in tokens, node.code
        assert " ".join(node.name.split()) in flat, node.name
    # every registered number, as a whole word, and every evidence line of every item
    view = evidence_view(load_dossier(EXAMPLE))
    assert len(view.rows) == 37
    for row in view.rows:
        assert row.number in tokens, row.number
    for node in card.leaves():
        for ref in view.refs(node.code):
            assert " ".join(ref.label.split()) in flat, (node.code, ref.label)
    # no number run into the next one ("38/BC-SKHCN95/BC-S…")
    assert [w for w in words if re.search(r"[A-ZĐ]\d+/", w)] == []
    assert [w for w in words if w.endswith("…") and w != "…"] == []  # nothing cut short


def _crossed(words: list[tuple[float, float, float, float, str]],
             rules: list[tuple[float, float, float]]) -> list[str]:
    """Words a cell border runs through: text taller than its row, cut when printed."""
    found = []
    for x0, y0, x1, y1, t in words:
        top, bottom = y0 + (y1 - y0) / 4, y1 - (y1 - y0) / 4
        found += [f"{t!r} at ({x0:.0f}, {y0:.0f})" for u0, y, u1 in rules
                  if top < y < bottom and u0 <= x0 and x1 <= u1]
    return found


def test_no_cell_is_cut_or_printed_over_another(printed: tuple[Path, object]) -> None:
    pdf, _ = printed
    rules = pdf_rules(pdf)
    assert all(rules), "every page has cell borders"
    for number, (page, lines) in enumerate(zip(pdf_words(pdf), rules, strict=True), start=1):
        assert _overlaps(page) == [], f"page {number}"
        assert _crossed(page, lines) == [], f"page {number}"


def test_pages_a4_landscape_numbered_headers_repeated(printed: tuple[Path, object]) -> None:
    pdf, _ = printed
    raw = pdf_text(pdf)
    pages = raw.split("\f")[:-1] if raw.endswith("\f") else raw.split("\f")
    count = len(pages)
    assert count >= 2
    for i, page in enumerate(pages, start=1):
        assert f"Trang {i}/{count}" in page
        assert "STT" in page  # the header row on every page, of both sheets
    from subprocess import run

    info = run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points


def test_nothing_internal_is_printed(printed: tuple[Path, object]) -> None:
    pdf, _ = printed
    flat = " ".join(pdf_text(pdf).split())
    for banned in (*CHECK_MESSAGES, *WORKING_HEADERS, "Xếp loại", "Xuất sắc", "Tình trạng",
                   "khung tạm thời, chưa phải bảng chính thức"):
        assert banned not in flat, banned
    for wanted in ("UBND TỈNH QUẢNG NGÃI", "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
                   "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                   "(Kèm theo Báo cáo số …/BC-SKHCN ngày …/…/2022 của Sở Khoa học và Công nghệ "
                   "tỉnh Quảng Ngãi)", "NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ",
                   "CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (%)", "69.33", "90.04", "100.00"):
        assert wanted in flat, wanted
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH QUẢNG NGÃI" not in flat


def test_working_copy_prints_each_evidence_document_on_its_own_line(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """An item proved by several documents: each number on a line of its own in the printed
    working copy, as in the submission (a cell hyperlink made LibreOffice run them together:
    "205/QĐ-SKHCN (Điều 1)210/KH-SKHCN")."""
    tmp = tmp_path_factory.mktemp("print-working")
    out = tmp / "bang-diem-lam-viec.xlsx"
    export_workbook(EXAMPLE, out, working=True)
    (pdf,) = to_pdf([out], tmp / "pdf", tmp / "profile")
    words = [w for page in pdf_words(pdf) for w in page]
    assert [w[4] for w in words if re.search(r"[A-ZĐ)]\d+/", w[4])] == []
    view = evidence_view(load_dossier(EXAMPLE))
    several = {code: refs for code in {i for r in view.rows for i in r.items}
               if len(refs := view.refs(code)) > 1}
    assert len(several) >= 10
    for code, refs in several.items():
        for ref in refs:  # the number is a word of its own, not glued to the one before
            assert ref.number in {w[4] for w in words}, (code, ref.number)
    # 1.2.1: its four reports one under the other, in the same column
    first = {}
    for x0, y0, _, _, text in words:
        first.setdefault(text, (round(x0), y0))
    column = [first[n] for n in ("38/BC-SKHCN", "95/BC-SKHCN", "160/BC-SKHCN", "251/BC-SKHCN")]
    assert len({x for x, _ in column}) == 1
    assert [y for _, y in column] == sorted(y for _, y in column)
    assert len({round(y) for _, y in column}) == 4
