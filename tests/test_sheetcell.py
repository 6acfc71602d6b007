"""Every .xlsx writer keeps dossier text as text: no formula from data, no corrupting
control character (one mechanism, parindex.core.sheetcell)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook

from parindex.core.sheetcell import (
    append_row,
    clean_text,
    clean_texts,
    looks_like_formula,
    put_text,
)
from parindex.evidence.register import load_register, register_to_xlsx
from parindex.framework.annex.export import export_annex
from parindex.framework.catalog import criteria_dir, load_framework

from .conftest import EXAMPLE

HOSTILE = '=HYPERLINK("http://example.invalid/x","Bấm vào đây")'


def formulas_in(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return [n for n in z.namelist() if n.startswith("xl/worksheets/")
                and b"<f>" in z.read(n)]


def test_formula_like_text_is_detected() -> None:
    assert [looks_like_formula(t) for t in ("=1+1", "+84 912", "-", "@x", "\tA", "A=1", "",
                                            None)] == [True] * 5 + [False] * 3


def test_clean_text_drops_xml_forbidden_characters_and_caps_length() -> None:
    assert clean_text("Báo\x0bcáo\x00 số 1\n\tý") == "Báocáo số 1\n\tý"
    assert len(clean_text("x" * 40000)) == 32767


def test_clean_texts_cleans_each_text_of_a_row() -> None:
    row = ("15/KH-SKHCN", None, "Kế hoạch", "")
    assert clean_texts(row) is row  # nothing to clean: the row itself
    assert clean_texts(("Báo\x0bcáo", None, "", "=1+1\x00")) == ("Báocáo", None, "", "=1+1")
    # each text capped, whether or not the row as a whole is past the limit
    assert [len(t or "") for t in clean_texts(("x" * 40000, "y"))] == [32767, 1]
    assert [len(t or "") for t in clean_texts(("x" * 20000, "y" * 20000))] == [20000, 20000]


def test_append_row_mixes_with_ws_append() -> None:
    ws = Workbook().active
    ws.append(["a"])
    ws.append([])
    append_row(ws, [HOSTILE, 2])
    ws.append(["c"])
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["a", None], [None, None], [HOSTILE, 2], ["c", None]]
    assert ws["A3"].data_type == "s" and ws["A3"].quotePrefix


def test_put_text_never_makes_a_formula(tmp_path: Path) -> None:
    wb = Workbook()
    put_text(wb.active["A1"], "=1+1")
    wb.save(tmp_path / "t.xlsx")
    assert formulas_in(tmp_path / "t.xlsx") == []
    assert load_workbook(tmp_path / "t.xlsx").active["A1"].value == "=1+1"


def test_criteria_export_writes_a_hostile_name_as_text(tmp_path: Path) -> None:
    text = (criteria_dir() / "qn-so-2021.yaml").read_text(encoding="utf-8")
    original = "name: Ban hành kế hoạch CCHC năm của cơ quan"
    assert original in text
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(text.replace(original, f"name: '{HOSTILE}'", 1), encoding="utf-8")
    out = tmp_path / "phu-luc.xlsx"
    export_annex(load_framework(hostile), out)
    assert formulas_in(out) == []
    values = [c.value for row in load_workbook(out).active.iter_rows() for c in row]
    assert HOSTILE in values


def test_register_export_keeps_formulas_and_control_characters_out(tmp_path: Path) -> None:
    register = load_register(EXAMPLE / "register.yaml")
    first = register.documents[0].model_copy(update={"subject": HOSTILE + "\x0b\x07",
                                                      "issuer": "+Sở KH&CN"})
    register = register.model_copy(update={"documents": (first, *register.documents[1:])})
    out = tmp_path / "so.xlsx"
    register_to_xlsx(register, out)
    assert formulas_in(out) == []
    ws = load_workbook(out).active
    assert HOSTILE in [c.value for c in ws[2]] and "+Sở KH&CN" in [c.value for c in ws[2]]
