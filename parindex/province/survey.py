"""The survey results (điều tra xã hội học) the province's survey team delivers:
:func:`read_survey`.

One row per department, a column ``Đơn vị`` (or ``Tên đơn vị``, ``Cơ quan``) and one column per
survey item, headed by its code (``8.1``, ``Tiêu chí 8.1 …``): the points. Or answer shares: the
item's heading merged over one sub-column per answer option (``A``, ``B``, ``C``, ``D``), the
points then follow from the framework's answer weights. Every value is checked by the scoring
engine's survey rule against the item's maximum; what is wrong is a finding naming the cell.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from parindex.core.errors import InputError, Problem
from parindex.core.files import check_package
from parindex.core.findings import Finding, define
from parindex.core.sheetvalue import number_text, show_value
from parindex.framework.inputs import ItemInput
from parindex.framework.model import Framework
from parindex.framework.rules import RuleInputError
from parindex.province.columns import norm
from parindex.province.formulas import column_letter
from parindex.province.sheet import _LIMITS, MAX_COLS, MAX_ROWS

__all__ = ["SurveyTable", "read_survey", "unit_key"]

_TOPIC = "province"
SURVEY_INVALID = define(
    "survey-invalid-value", "error", "Kết quả điều tra không hợp lệ",
    "Điểm điều tra phải là số từ 0 đến điểm tối đa của tiêu chí; tỷ lệ trả lời không âm.",
    topic=_TOPIC)
SURVEY_UNKNOWN_ITEM = define(
    "survey-unknown-item", "warning", "Cột không phải tiêu chí điều tra XHH",
    "Chỉ các tiêu chí chấm bằng điều tra xã hội học được lấy từ bảng này.", topic=_TOPIC)
SURVEY_UNKNOWN_UNIT = define(
    "survey-unknown-unit", "warning", "Đơn vị trong bảng điều tra không có bảng điểm",
    "Kiểm tra tên đơn vị (viết giống tên trên bảng điểm) hoặc bảng điểm còn thiếu.",
    topic=_TOPIC)
SURVEY_DUPLICATE_UNIT = define(
    "survey-duplicate-unit", "error", "Một đơn vị có hai dòng trong bảng điều tra",
    "Giữ một dòng cho mỗi đơn vị; dòng sau không được tính.", topic=_TOPIC)
SURVEY_MISSING = define(
    "survey-missing-unit", "warning", "Đơn vị chưa có kết quả điều tra XHH",
    "Điểm điều tra của đơn vị được coi là chưa có; chỉ số quy về thang 100.", topic=_TOPIC)

_CODE = re.compile(r"(?:^|tiêu chí\s+|tc\s*)(\d+(?:\.\d+)+)\b")
_UNIT_HEADERS = ("đơn vị", "tên đơn vị", "cơ quan", "tên cơ quan", "sở, ban, ngành")
_SUFFIX = re.compile(r"\s+tỉnh\s+.+$")


def unit_key(name: str) -> str:
    """How department names are compared: case, spacing and a trailing "tỉnh …" ignored."""
    return _SUFFIX.sub("", norm(name))


@dataclass(frozen=True)
class SurveyTable:
    """Survey inputs per department (by :func:`unit_key`), with the findings of the table."""

    path: Path
    units: dict[str, dict[str, ItemInput]]
    names: dict[str, str]
    rows: dict[str, int]
    findings: tuple[Finding, ...]


def read_survey(path: Path | str, fw: Framework) -> SurveyTable:
    """Read the survey table; raises :class:`InputError` when it is not such a table at all."""
    import zipfile

    from openpyxl import load_workbook

    file = Path(path)
    data = check_package(file, "cannot read survey table", _LIMITS)
    try:
        wb = load_workbook(data, read_only=True, data_only=True)
    except Exception as exc:
        raise InputError([Problem(f"không phải tệp .xlsx đọc được ({type(exc).__name__})",
                                  file)], "cannot read survey table") from None
    try:
        rows = [list(r) for _, r in zip(range(MAX_ROWS), wb.worksheets[0].iter_rows(
            max_col=MAX_COLS, values_only=True), strict=False)]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError([Problem(f"không đọc được ({type(exc).__name__})", file)],
                         "cannot read survey table") from None
    finally:
        wb.close()
    return _parse(file, rows, fw)


def _parse(file: Path, rows: list[list[Any]], fw: Framework) -> SurveyTable:
    name = file.name
    findings: list[Finding] = []
    survey = {n.code: n for n in fw.leaves() if n.method == "survey"}
    head = next((r for r, row in enumerate(rows[:30])
                 if any(norm(v) in _UNIT_HEADERS for v in row if isinstance(v, str))), None)
    if head is None:
        raise InputError([Problem("không có cột Đơn vị (no unit column)", file)],
                         "not a survey table")
    top = rows[head]
    below = rows[head + 1] if head + 1 < len(rows) else []
    unit_col = next(i for i, v in enumerate(top) if isinstance(v, str) and norm(v) in
                    _UNIT_HEADERS)
    points: dict[str, int] = {}
    answers: dict[str, dict[str, int]] = {}
    current: str | None = None
    for i, v in enumerate(top):
        sub = norm(below[i]) if i < len(below) and isinstance(below[i], str) else ""
        text = norm(v) if v is not None else ""
        m = _CODE.search(text) if text else None
        if text:
            current = m.group(1) if m else None
            if m and m.group(1) not in survey:
                findings.append(SURVEY_UNKNOWN_ITEM(
                    f"Cột {column_letter(i)}: {m.group(1)} không phải tiêu chí điều tra XHH của "
                    f"bộ tiêu chí {fw.id}.", file=name, line=head + 1))
                continue
        if current is None or current not in survey:
            continue
        rule = survey[current].rule
        options = getattr(rule, "answer_weights", {})
        if sub.upper() in options:
            answers.setdefault(current, {})[sub.upper()] = i
        elif text and not sub:
            points[current] = i
    sub_row = bool(answers)
    units: dict[str, dict[str, ItemInput]] = {}
    names: dict[str, str] = {}
    where: dict[str, int] = {}
    for r0 in range(head + (2 if sub_row else 1), len(rows)):
        row, r = rows[r0], r0 + 1
        label = row[unit_col] if unit_col < len(row) else None
        if not isinstance(label, str) or not label.strip():
            continue
        if norm(label).startswith(("tổng", "bình quân", "trung bình")):
            continue
        key = unit_key(label)
        if key in units:
            findings.append(SURVEY_DUPLICATE_UNIT(
                f"Đơn vị \u201c{label.strip()}\u201d có ở dòng {where[key]} và dòng {r}.",
                file=name, line=r))
            continue
        got: dict[str, ItemInput] = {}
        for code, col in points.items():
            value = _num(row[col] if col < len(row) else None)
            if value is None:
                continue
            _validated(got, code, ItemInput(points=value) if isinstance(value, Decimal)
                       else None, fw, findings, name, r, f"{column_letter(col)}{r}", value)
        for code, cols in answers.items():
            shares = {k: _num(row[c] if c < len(row) else None) for k, c in cols.items()}
            if all(v is None for v in shares.values()):
                continue
            bad = next((v for v in shares.values() if isinstance(v, str)), None)
            inp = None if bad is not None else ItemInput(
                answers={k: v for k, v in shares.items() if isinstance(v, Decimal)})
            _validated(got, code, inp, fw, findings, name, r,
                       f"{column_letter(min(cols.values()))}{r}", bad)
        units[key], names[key], where[key] = got, label.strip(), r
    return SurveyTable(file, units, names, where, tuple(findings))


def _validated(got: dict[str, ItemInput], code: str, inp: ItemInput | None, fw: Framework,
               findings: list[Finding], name: str, r: int, ref: str, raw: Any) -> None:
    """Keep ``inp`` when the engine's survey rule accepts it; else a finding."""
    node = fw.by_code[code]
    if inp is None:
        findings.append(SURVEY_INVALID(f"Ô {ref} (tiêu chí {code}): \u201c{raw}\u201d không phải "
                                       "số.", file=name, line=r, item=code))
        return
    assert node.rule is not None
    try:
        node.rule.compute(inp, node.max_points)
    except RuleInputError as exc:
        findings.append(SURVEY_INVALID(f"Ô {ref} (tiêu chí {code}): {exc}.", file=name, line=r,
                                       item=code))
        return
    got[code] = inp


def _num(value: Any) -> Decimal | str | None:
    """A number cell as Decimal; text that is no number is returned as it is."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool | dt.date | dt.time):
        return show_value(value)
    if isinstance(value, int | float):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    text = str(value).strip().rstrip("%").strip()
    number = number_text(text)  # 1.000 (a thousand, or one?) is not read
    return number if isinstance(number, Decimal) else str(value)
