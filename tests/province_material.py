"""Test material for the province roll-up: department dossiers (the example and variations),
their exported workbooks filled with appraisal points by openpyxl, a survey table, and a
score sheet made by hand in the province's form."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl

from parindex.framework.inputs import ItemInput
from parindex.framework.model import Framework
from parindex.scoring.dossier import load_dossier
from parindex.scoring.scorecard import Scorecard, score
from parindex.workbook.export import export_workbook

from .conftest import EXAMPLE

UNITS = ("Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", "Sở Tư pháp tỉnh Quảng Ngãi",
         "Sở Xây dựng tỉnh Quảng Ngãi")

# What the reviewer changes, per department: item → the input the appraisal accepts.
APPRAISAL: tuple[dict[str, ItemInput], ...] = (
    {"1.1.1": ItemInput(option="khong-kip-thoi")},
    {"1.1.2": ItemInput(option="khong-dat"), "1.3.2": ItemInput(done=1, total=8)},
    {},
)
# How each variation's own self-assessment differs from the example's.
VARIATION: tuple[dict[str, ItemInput], ...] = (
    {},
    {"1.3.2": ItemInput(done=6, total=8)},
    {"1.1.1": ItemInput(option="khong-kip-thoi"), "1.3.3": ItemInput(done=2, total=4)},
)
SURVEY_POINTS: tuple[dict[str, Decimal], ...] = (
    {"8.1": Decimal("6.5"), "8.2": Decimal("3.25")},
    {"8.1": Decimal("7"), "8.2": Decimal("3.5")},
    {"8.1": Decimal("5.75"), "8.2": Decimal("4")},
)
SURVEY_ANSWERS: tuple[dict[str, Decimal], ...] = (
    {"A": Decimal(60), "B": Decimal(30), "C": Decimal(10), "D": Decimal(0)},
    {"A": Decimal("45.5"), "B": Decimal("44.5"), "C": Decimal(5), "D": Decimal(5)},
    {"A": Decimal(80), "B": Decimal(10), "C": Decimal(5), "D": Decimal(5)},
)


@dataclass(frozen=True)
class Department:
    unit: str
    folder: Path
    workbook: Path
    expected: Scorecard
    """What ``score`` gives with the appraised inputs and the survey points."""
    appraised_points: dict[str, Decimal]


def _inputs(folder: Path) -> tuple[Framework, dict[str, ItemInput]]:
    d = load_dossier(folder)
    return d.framework, dict(d.inputs)


def survey_inputs(i: int) -> dict[str, ItemInput]:
    out = {c: ItemInput(points=p) for c, p in SURVEY_POINTS[i].items()}
    out["8.3"] = ItemInput(answers=dict(SURVEY_ANSWERS[i]))
    return out


def make_department(i: int, root: Path) -> Department:
    """Department ``i``: a dossier (the example with variation ``i``), its exported workbook,
    filled by openpyxl with the appraisal's points in ``Điểm thẩm định``."""
    folder = root / f"dossier-{i}"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("documents"))
    (folder / "documents").mkdir()
    manifest = folder / "dossier.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        f"unit: {UNITS[0]}", f"unit: {UNITS[i]}"), encoding="utf-8")
    if VARIATION[i]:
        import yaml

        sa_path = folder / "self-assessment.yaml"
        data = yaml.safe_load(sa_path.read_text(encoding="utf-8"))
        for code, inp in VARIATION[i].items():
            data["items"][code] = inp.model_dump(mode="json", exclude_defaults=True)
        sa_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    fw, own = _inputs(folder)
    out = root / "workbooks" / f"bang-diem-{i}.xlsx"
    out.parent.mkdir(exist_ok=True)
    result = export_workbook(folder, out, check=False)
    appraised_inputs = {**own, **APPRAISAL[i]}
    expected = score(fw, appraised_inputs, survey_inputs(i), unit=UNITS[i])
    points = {n.code: n.score for n in expected.leaves()
              if n.method != "survey" and n.status != "not-applicable"}
    fill_appraisal(out, {result.rows[c]: p for c, p in points.items()})
    return Department(UNITS[i], folder, out, expected, points)


def fill_appraisal(path: Path, by_row: Mapping[int, Decimal], column: int = 5) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for row, value in by_row.items():
        ws.cell(row=row, column=column, value=float(value))
    wb.save(path)


def write_survey_table(path: Path, units: list[str], indexes: list[int]) -> None:
    """The survey team's table: 8.1 and 8.2 in points, 8.3 as answer shares (its heading
    merged over the options A–D)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "KẾT QUẢ ĐIỀU TRA XÃ HỘI HỌC NĂM 2021"
    ws["A3"], ws["B3"], ws["C3"], ws["D3"], ws["E3"] = ("STT", "Tên đơn vị",
                                                       "Tiêu chí 8.1 (điểm)", "8.2", "8.3")
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws.merge_cells("C3:C4")
    ws.merge_cells("D3:D4")
    ws.merge_cells("E3:H3")
    for col, opt in zip("EFGH", "ABCD", strict=True):
        ws[f"{col}4"] = opt
    for r, (unit, i) in enumerate(zip(units, indexes, strict=True), start=5):
        ws.cell(row=r, column=1, value=r - 4)
        ws.cell(row=r, column=2, value=unit)
        ws.cell(row=r, column=3, value=float(SURVEY_POINTS[i]["8.1"]))
        ws.cell(row=r, column=4, value=float(SURVEY_POINTS[i]["8.2"]))
        for c, opt in enumerate("ABCD", start=5):
            ws.cell(row=r, column=c, value=float(SURVEY_ANSWERS[i][opt]))
    wb.save(path)


def write_hand_made(path: Path, fw: Framework, unit: str, self_points: Mapping[str, Decimal],
                    rounds: list[Mapping[str, Decimal]], reviews: Mapping[str, str] = {},
                    responses: Mapping[str, str] = {}, not_applicable: set[str] = frozenset(),
                    ) -> None:
    """A score sheet in the province's form typed by hand: another column order, merged
    heading cells (``Điểm thẩm định`` over ``Lần 1``/``Lần 2``), a row of column numbers, no
    formulas (parents carry typed sums of the self-assessed points)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Bieu diem"
    ws["A1"] = "UBND TỈNH QUẢNG NGÃI"
    ws["A2"] = unit.upper()
    ws["E1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws["A4"] = f"BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {fw.scoring_year}"
    heads = ["STT", "Nội dung tiêu chí, tiêu chí thành phần", "Điểm tự chấm", "Điểm tối đa",
             "Tài liệu kiểm chứng", "Điểm thẩm định", None, "Ý kiến thẩm định",
             "Giải trình bổ sung"]
    for c, text in enumerate(heads, start=1):
        ws.cell(row=6, column=c, value=text)
    ws["F7"], ws["G7"] = "Lần 1", "Lần 2"
    for col in "ABCDEHI":
        ws.merge_cells(f"{col}6:{col}7")
    ws.merge_cells("F6:G6")
    for c in range(1, 10):
        ws.cell(row=8, column=c, value=f"({c})")
    leaves = {n.code for n in fw.leaves()}
    r = 9
    for node in fw.nodes:
        ws.cell(row=r, column=1, value=node.code)
        ws.cell(row=r, column=2, value=node.name)
        ws.cell(row=r, column=4, value=float(node.max_points))
        if node.code in leaves:
            if node.code in not_applicable:
                ws.cell(row=r, column=3, value="Không áp dụng")
            elif node.code in self_points:
                ws.cell(row=r, column=3, value=float(self_points[node.code]))
            for k, values in enumerate(rounds):
                if node.code in values:
                    ws.cell(row=r, column=6 + k, value=float(values[node.code]))
            if node.code in reviews:
                ws.cell(row=r, column=8, value=reviews[node.code])
            if node.code in responses:
                ws.cell(row=r, column=9, value=responses[node.code])
        else:
            below = [n.code for n in fw.leaves() if n.code.startswith(node.code + ".")]
            if all(c in self_points or c in not_applicable for c in below):
                ws.cell(row=r, column=3, value=float(sum(
                    (self_points.get(c, Decimal(0)) for c in below), Decimal(0))))
        r += 1
    ws.cell(row=r, column=2, value="Tổng cộng")
    wb.save(path)
