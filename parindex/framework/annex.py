"""Import a province's criteria annex (a Word or Excel table) as a framework.

The table is read as it is published: columns found by their Vietnamese headers ("STT",
"Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa" / "Điểm chuẩn" / "chuẩn Điểm",
"Cách chấm" / "Hướng dẫn chấm điểm" / "Phương pháp đánh giá" …), the tree rebuilt from the
numbering (1 / 1.1 / 1.1.1, or Roman numerals for areas with criteria numbered inside each
area), merged cells and rows that continue the previous row's text taken into account, points
read with comma decimals, and each scoring text turned into a typed rule
(:mod:`parindex.framework.ruletext`).

Nothing is fixed silently. The import gives an :class:`AnnexImport`: the framework data as
read (written to YAML as is) and a :class:`~parindex.core.findings.Report` naming, by source row,
every sum that does not add up, every rule kept as text and everything doubtful. A table whose
points do not add up still imports; the file written from it then fails to load with an
:class:`~parindex.core.errors.InputError` naming the items, until someone corrects the numbers
against the official text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from parindex.core.base import nfc
from parindex.core.errors import InputError, Problem
from parindex.core.findings import Finding, Report, define
from parindex.core.yamlio import dump_yaml, write_text_atomic
from parindex.framework.model import Framework
from parindex.framework.rules import SurveyRule, _fmt
from parindex.framework.ruletext import parse_points, parse_rule, slug

__all__ = [
    "AnnexImport",
    "Cell",
    "SourceRow",
    "SourceTable",
    "import_annex",
    "read_table",
]

_T = "annex"
HEADER_MISSING_COLUMN = define(
    "annex-column-missing", "warning", "Bảng thiếu cột",
    "Thêm cột với tiêu đề thường dùng (ví dụ 'Cách chấm điểm') hoặc kiểm tra dòng tiêu đề.",
    topic=_T)
EXTRA_BLOCK = define(
    "annex-extra-block", "warning", "Khối điểm thưởng / điểm trừ không được nhập",
    "Khung tiêu chí của parindex chưa có điểm thưởng, điểm trừ riêng: các dòng từ đây trở "
    "xuống bị bỏ qua; ghi nhận chúng ngoài khung.", topic="annex")
ROW_SKIPPED = define(
    "annex-row-skipped", "info", "Dòng bị bỏ qua",
    "Dòng không phải tiêu chí (dòng đánh số cột, tiêu đề phụ); kiểm tra nếu thấy sai.", topic=_T)
CONTINUATION = define(
    "annex-continuation-row", "info", "Dòng nối tiếp dòng trên",
    "Nội dung được nối vào tiêu chí ở dòng trên; kiểm tra lại nếu đó là một tiêu chí riêng.",
    topic=_T)
OPTION_ROW = define(
    "annex-option-row", "info", "Dòng là một mức chấm",
    "Dòng không số thứ tự có điểm được hiểu là một mức chấm của tiêu chí ở trên.", topic=_T)
CODE_UNREADABLE = define(
    "annex-code-unreadable", "error", "Số thứ tự không đọc được",
    "Sửa số thứ tự trong bảng (1, 1.1, 1.1.1 hoặc I, II cho lĩnh vực).", topic=_T)
CODE_DUPLICATE = define(
    "annex-code-duplicate", "error", "Số thứ tự bị trùng",
    "Hai dòng cùng số thứ tự; nếu Excel đã đổi 1.10 thành 1.1, nhập ô dạng văn bản.", topic=_T)
CODE_ORPHAN = define(
    "annex-code-orphan", "error", "Tiêu chí không có tiêu chí cha",
    "Thêm dòng tiêu chí cha hoặc sửa số thứ tự.", topic=_T)
NUMBERING_GAP = define(
    "annex-numbering-gap", "warning", "Số thứ tự không liên tục",
    "Kiểm tra bảng gốc: có thể thiếu một dòng hoặc đánh số nhầm.", topic=_T)
CODE_TOO_DEEP = define(
    "annex-code-too-deep", "error", "Số thứ tự quá 3 cấp",
    "Khung tiêu chí có 3 cấp: lĩnh vực, tiêu chí, tiêu chí thành phần.", topic=_T)
POINTS_MISSING = define(
    "annex-points-missing", "error", "Thiếu điểm tối đa",
    "Ghi điểm tối đa cho dòng này (trong bảng hoặc trong tệp YAML).", topic=_T)
POINTS_UNREADABLE = define(
    "annex-points-unreadable", "error", "Điểm tối đa không đọc được",
    "Ghi điểm dạng số, ví dụ 1 hoặc 0,5.", topic=_T)
SUM_MISMATCH = define(
    "annex-sum-mismatch", "error", "Tổng điểm các mục con khác điểm của mục cha",
    "Đối chiếu với văn bản gốc và sửa điểm; parindex không tự sửa.", topic=_T)
TOTAL_MISMATCH = define(
    "annex-total-mismatch", "error", "Tổng điểm các lĩnh vực khác dòng tổng cộng",
    "Đối chiếu với văn bản gốc và sửa điểm; parindex không tự sửa.", topic=_T)
TOTAL_COMPUTED = define(
    "annex-total-computed", "info", "Không có dòng tổng cộng",
    "Tổng điểm của khung được tính bằng tổng các lĩnh vực.", topic=_T)
RULE_KEPT_AS_TEXT = define(
    "annex-rule-kept-as-text", "warning", "Cách chấm giữ nguyên dạng chữ",
    "Không nhận ra mẫu cách chấm: tiêu chí được chấm thủ công (manual), có giải trình. "
    "Có thể viết lại quy tắc trong tệp YAML.", topic=_T)
RULE_AMBIGUOUS = define(
    "annex-rule-ambiguous", "warning", "Cách chấm đọc được nhưng có chỗ chưa rõ",
    "Kiểm tra cách hiểu với văn bản gốc; sửa quy tắc trong tệp YAML nếu cần.", topic=_T)
RULE_MISSING = define(
    "annex-rule-missing", "warning", "Tiêu chí không có cách chấm",
    "Tiêu chí được chấm thủ công (manual); bổ sung cách chấm nếu văn bản gốc có.", topic=_T)
RULE_MAX_MISMATCH = define(
    "annex-rule-max-mismatch", "error", "Mức điểm cao nhất của cách chấm khác điểm tối đa",
    "Đối chiếu với văn bản gốc: điểm tối đa hoặc các mức chấm bị ghi sai.", topic=_T)
RULE_SHARED = define(
    "annex-rule-shared", "warning", "Ô cách chấm gộp cho nhiều dòng",
    "Một ô cách chấm gộp (merge) cho nhiều tiêu chí: đã áp dụng cho từng tiêu chí; "
    "kiểm tra lại.", topic=_T)
PARENT_RULE = define(
    "annex-parent-rule", "warning", "Mục có mục con lại có cách chấm",
    "Điểm của mục có mục con là tổng các mục con; cách chấm được giữ làm hướng dẫn.", topic=_T)
SURVEY_BY_AREA = define(
    "annex-survey-by-area", "info", "Chấm bằng điều tra xã hội học theo lĩnh vực",
    "Tiêu chí không có cách chấm thuộc lĩnh vực điều tra xã hội học: coi là điểm điều tra.",
    topic=_T)
AREA_EMPTY = define(
    "annex-area-empty", "error", "Lĩnh vực không có tiêu chí",
    "Mỗi lĩnh vực cần ít nhất một tiêu chí; kiểm tra số thứ tự các dòng bên dưới.", topic=_T)
FRAMEWORK_INVALID = define(
    "annex-framework-invalid", "error", "Khung tiêu chí không hợp lệ",
    "Sửa bảng gốc hoặc tệp YAML theo thông báo.", topic=_T)
METADATA_DEFAULT = define(
    "annex-metadata-default", "info", "Thông tin chung lấy theo mặc định",
    "Ghi rõ bằng tùy chọn dòng lệnh (--year, --province, --title …).", topic=_T)

Merge = Literal["", "left", "above"]
Role = Literal["code", "name", "points", "rule", "source", "note", "evidence"]


@dataclass(frozen=True)
class Cell:
    """One cell of a source table; ``merged`` says it repeats the cell left of or above it."""

    text: str
    value: Any = None
    merged: Merge = ""


@dataclass(frozen=True)
class SourceTable:
    """A sheet or a Word table, with the text written above it (title, year …)."""

    rows: list[SourceRow]
    preamble: tuple[str, ...] = ()
    sheet: str | None = None
    """The sheet's name (Excel); None for a Word table."""


@dataclass(frozen=True)
class SourceRow:
    number: int
    """1-based row number in its sheet (Excel) or table (Word)."""
    cells: tuple[Cell, ...]
    where: str
    """How a person finds the row: ``row 12`` or ``table 2 row 5``."""

    def cell(self, col: int | None) -> Cell:
        if col is None or col >= len(self.cells):
            return Cell("")
        return self.cells[col]


# -- reading tables ----------------------------------------------------------------------------
def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return nfc(str(value)).strip()


def read_table(path: Path, sheet: str | None = None) -> list[SourceTable]:
    """The tables of a ``.xlsx`` (one per sheet) or ``.docx`` file, merged cells resolved."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise InputError([Problem("file not found", path)], "cannot read annex table")
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if suffix == ".docx":
        return _read_docx(path)
    raise InputError([Problem(f"unsupported file type '{path.suffix}': give a .xlsx or .docx "
                              "table (save .xls/.doc files in the new format first)", path)],
                     "cannot read annex table")


def _read_xlsx(path: Path, sheet: str | None) -> list[SourceTable]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise InputError([Problem(f"not a readable Excel workbook ({exc})", path)],
                         "cannot read annex table") from None
    if sheet is not None and sheet not in wb.sheetnames:
        raise InputError([Problem(f"no sheet {sheet!r}; sheets: {', '.join(wb.sheetnames)}",
                                  path)], "cannot read annex table")
    tables = []
    names = [sheet] if sheet else wb.sheetnames
    for name in names:
        ws = wb[name]
        merged: dict[tuple[int, int], tuple[Merge, int, int]] = {}
        for rng in ws.merged_cells.ranges:
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if (r, c) != (rng.min_row, rng.min_col):
                        merged[(r, c)] = ("left" if r == rng.min_row else "above",
                                          rng.min_row, rng.min_col)
        prefix = f"sheet '{name}' " if len(wb.sheetnames) > 1 else ""
        rows: list[SourceRow] = []
        for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = []
            for c, value in enumerate(row, start=1):
                if (r, c) in merged:
                    kind, r0, c0 = merged[(r, c)]
                    origin = ws.cell(r0, c0).value
                    cells.append(Cell(_text(origin), origin, kind))
                elif value is None and isinstance(formulas[name].cell(r, c).value, str) and \
                        str(formulas[name].cell(r, c).value).startswith("="):
                    # a formula never calculated (file written by a program, not saved by Excel)
                    formula = str(formulas[name].cell(r, c).value)
                    cells.append(Cell(formula, formula))
                else:
                    cells.append(Cell(_text(value), value))
            rows.append(SourceRow(r, tuple(cells), f"{prefix}row {r}"))
        tables.append(SourceTable(rows, sheet=name))
    return tables


def _read_docx(path: Path) -> list[SourceTable]:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds for damaged files
        raise InputError([Problem(f"not a readable Word document ({exc})", path)],
                         "cannot read annex table") from None
    tables = []
    many = len(document.tables) > 1
    preambles: list[tuple[str, ...]] = []
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = nfc("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
            if text.strip():
                lines.append(text.strip())
        elif tag == "tbl":
            preambles.append(tuple(lines))
            lines = []
    for t, table in enumerate(document.tables, start=1):
        rows: list[SourceRow] = []
        above: list[Any] = []
        for r, row in enumerate(table.rows, start=1):
            tcs: list[Any] = [None] * row.grid_cols_before
            tcs += [cell for cell in row.cells]
            cells = []
            for c, cell in enumerate(tcs):
                if cell is None:
                    cells.append(Cell(""))
                    continue
                text = nfc("\n".join(p.text for p in cell.paragraphs)).strip()
                kind: Merge = ""
                if c > 0 and tcs[c - 1] is not None and tcs[c - 1]._tc is cell._tc:
                    kind = "left"
                elif c < len(above) and above[c] is not None and above[c]._tc is cell._tc:
                    kind = "above"
                cells.append(Cell(text, text, kind))
            above = tcs
            where = f"table {t} row {r}" if many else f"row {r}"
            rows.append(SourceRow(r, tuple(cells), where))
        pre = preambles[t - 1] if t - 1 < len(preambles) else ()
        tables.append(SourceTable(rows, pre))
    return tables


# -- headers -----------------------------------------------------------------------------------
def _norm(text: str) -> str:
    text = nfc(text).lower().replace("\n", " ")
    text = re.sub(r"\s*/\s*", "/", text)
    return re.sub(r"\s+", " ", text).strip()


_RULE_HEADERS = ("cách chấm", "hướng dẫn chấm", "phương pháp đánh giá", "phương pháp chấm",
                 "cách tính điểm", "cách đánh giá", "hướng dẫn đánh giá", "cách thức chấm")
_CODE_HEADERS = ("stt", "tt", "số tt", "số thứ tự", "mã", "mã số", "mã tiêu chí", "ký hiệu")


def header_role(text: str) -> Role | None:
    """The role of a column from its header text, or None for columns the import ignores."""
    h = _norm(text)
    if not h:
        return None
    if any(k in h for k in _RULE_HEADERS):
        return "rule"
    words = set(re.findall(r"\w+", h))
    if (("điểm" in words and ("tối đa" in h or "chuẩn" in words or "thang" in words))
            or h in ("điểm", "số điểm")):
        return "points"
    if h.rstrip(".") in _CODE_HEADERS:
        return "code"
    if "điểm" not in words and any(k in h for k in ("tiêu chí", "lĩnh vực", "nội dung")):
        return "name"
    if h.startswith("nguồn"):
        return "source"
    if h.startswith("ghi chú"):
        return "note"
    if "tài liệu kiểm chứng" in h:
        return "evidence"
    return None


@dataclass
class _Layout:
    header_rows: tuple[int, ...]
    columns: dict[Role, int]
    headers: dict[Role, str]
    first_data: int


def _find_layout(rows: list[SourceRow]) -> _Layout | None:
    for i, row in enumerate(rows[:40]):
        texts = [c.text for c in row.cells]
        alone = _roles(texts)
        if "name" not in alone[0] or "points" not in alone[0]:
            continue
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        if nxt is not None and _is_subheader(nxt):
            combined = [f"{a} {b.text}" if b.text and b.merged != "above" else a
                        for a, b in zip(texts, nxt.cells, strict=False)]
            combined += [c.text for c in nxt.cells[len(texts):]]
            columns, headers = _roles(combined)
            if "name" in columns and "points" in columns:
                return _Layout((row.number, nxt.number), columns, headers, i + 2)
        return _Layout((row.number,), *alone, i + 1)
    return None


def _roles(texts: list[str]) -> tuple[dict[Role, int], dict[Role, str]]:
    columns: dict[Role, int] = {}
    headers: dict[Role, str] = {}
    for col, text in enumerate(texts):
        role = header_role(text)
        if role and role not in columns:
            columns[role] = col
            headers[role] = re.sub(r"\s+", " ", text).strip()
    return columns, headers


def _is_subheader(row: SourceRow) -> bool:
    texts = [c.text for c in row.cells if c.text and c.merged != "above"]
    if not texts:
        return False
    return all(not re.search(r"\d", t) for t in texts) and any(
        re.search(r"điểm|đánh giá|điều tra|thẩm định|tự chấm|xhh", t, re.I) for t in texts)


def _is_column_numbers(row: SourceRow) -> bool:
    """A row numbering the columns: "(1) (2) (3) (4)" or "1 2 3 4"."""
    texts = [c.text for c in row.cells if c.text and not c.merged]
    if len(texts) < 3 or not all(re.fullmatch(r"\(?\d+\)?", t) for t in texts):
        return False
    numbers = [int(t.strip("()")) for t in texts]
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


# -- numbering ---------------------------------------------------------------------------------
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman(text: str) -> int | None:
    """``"IV"`` → 4; None when ``text`` is not a Roman numeral (up to 399)."""
    t = text.upper()
    if not t or not re.fullmatch(r"C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})", t):
        return None
    total = 0
    for a, b in zip(t, [*t[1:], ""], strict=True):
        v = _ROMAN[a]
        total += -v if b and _ROMAN[b] > v else v
    return total or None


_LEVEL_TEXT = re.compile(r":\s*(?:trừ\s*)?[-−–]?\s*\d+(?:[.,]\d+)?\s*(?:điểm|đ)?\s*[;.]?\s*$",
                         re.I)
"""A scoring level written in the name column of a continuation row ("1 lần: 0,5")."""
_EXTRA_BLOCK = re.compile(r"điểm\s+(thưởng|trừ|cộng)", re.I)
_CODE_IN_TEXT = re.compile(
    r"^(?P<code>[IVXLC]+|[A-H]|\d+(?:\.\d+)*)(?P<sep>[.):]\s*|\s+)(?P<rest>\S.*)$", re.S)
"""A code written at the start of the name cell: "1.1. Kế hoạch", "II. Cải cách …" (a bare
"2 lần" is not a code: a single number needs its dot)."""


@dataclass(frozen=True)
class _Code:
    kind: Literal["roman", "number", "letter", "section", "bullet", "none", "bad"]
    parts: tuple[int, ...] = ()
    text: str = ""


def _read_code(cell: Cell) -> _Code:
    if cell.merged:
        return _Code("none")
    value = cell.value
    if isinstance(value, float) and not cell.merged:
        text = repr(value) if value != int(value) else str(int(value))
    else:
        text = cell.text
    text = text.strip().rstrip(".):").strip()
    if not text:
        return _Code("none")
    if re.fullmatch(r"\d+(?:\.\d+)*", text):
        return _Code("number", tuple(int(p) for p in text.split(".")), text)
    if re.fullmatch(r"[A-H]", text):
        return _Code("section", (), text)
    n = roman(text)
    if n is not None:
        return _Code("roman", (n,), text)
    if re.fullmatch(r"[a-zđ]", text):
        return _Code("letter", (), text)
    if re.fullmatch(r"[-+*•–]+", text):
        return _Code("bullet", (), text)
    return _Code("bad", (), text)


# -- the import --------------------------------------------------------------------------------
@dataclass
class _Entry:
    row: SourceRow
    code: str
    name: str
    points: Decimal | None
    rule_text: str
    note: str
    source: str
    level: int
    rule_shared: bool = False
    evidence: str = ""
    children: list[_Entry] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return self.level > 1 and not self.children


@dataclass(frozen=True)
class AnnexImport:
    """The result of importing an annex table: the framework data as read and a report."""

    path: Path
    data: dict[str, Any]
    report: Report
    header: str = ""

    def framework(self) -> Framework:
        """The framework, validated; raises :class:`InputError` naming the source rows."""
        try:
            return Framework.model_validate(self.data)
        except ValidationError as exc:
            problems = [Problem(f.message, self.path, f.line, f.item or "")
                        for f in _validation_findings(exc, self.data, self.path, set())]
            raise InputError(problems, "the imported table is not a valid framework") from None

    def yaml_text(self) -> str:
        return dump_yaml(self.data, header=self.header)

    def write(self, out: Path) -> None:
        """Write the framework YAML as read, whether or not it is valid (see module doc)."""
        out.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(out, self.yaml_text())


def import_annex(
    path: Path | str,
    *,
    id: str | None = None,
    title: str | None = None,
    province: str | None = None,
    level: Literal["sở", "huyện", "xã"] = "sở",
    year: int | None = None,
    status: Literal["provisional", "official"] = "provisional",
    sheet: str | None = None,
) -> AnnexImport:
    """Read a criteria annex (``.xlsx`` or ``.docx``) into framework data and an import report.

    Raises :class:`InputError` only when no criteria table can be found at all; everything
    else (sums that do not add up, rules kept as text, doubtful rows) is in the report, by
    source row.
    """
    path = Path(path)
    tables = read_table(path, sheet)
    chosen = _choose(tables)
    if not chosen:
        raise InputError([Problem(
            "no criteria table found: expected a header row with a name column "
            "('Lĩnh vực/Tiêu chí/Tiêu chí thành phần', 'Nội dung') and a points column "
            "('Điểm tối đa', 'Điểm chuẩn')", path)], "cannot read annex table")
    return _Importer(path, chosen).run(
        id=id, title=title, province=province, level=level, year=year, status=status)


def _choose(tables: list[SourceTable]) -> list[tuple[SourceTable, _Layout]]:
    """The criteria table: the first sheet with a header (Excel), or in Word every table with
    the same header plus the header-less tables that follow one (a table cut by page breaks)."""
    chosen: list[tuple[SourceTable, _Layout]] = []
    previous: tuple[SourceTable, _Layout] | None = None
    for table in tables:
        layout = _find_layout(table.rows)
        if layout is not None and (not chosen or set(layout.columns) == set(chosen[0][1].columns)):
            chosen.append((table, layout))
            previous = (table, layout)
            if table.sheet is not None:
                break
        elif layout is None and previous is not None and table.sheet is None and table.rows and \
                len(table.rows[0].cells) == len(previous[0].rows[0].cells):
            cont = _Layout((), previous[1].columns, previous[1].headers, 0)
            chosen.append((table, cont))
        else:
            previous = None
    return chosen


class _Importer:
    def __init__(self, path: Path, chosen: list[tuple[SourceTable, _Layout]]) -> None:
        self.path = path
        self.chosen = chosen
        self.findings: list[Finding] = []
        self.rows_read = 0
        self.total: Decimal | None = None
        self.total_row: SourceRow | None = None
        self.preamble: list[str] = []
        self.by_code: dict[str, _Entry] = {}

    def at(self, kind: Any, message: str, row: SourceRow | None, item: str | None = None) -> None:
        where = f"{row.where}: " if row is not None else ""
        self.findings.append(kind(where + message, item=item, file=str(self.path),
                                  line=row.number if row is not None else None))

    # -- rows → entries ------------------------------------------------------------------------
    def _rows(self) -> list[tuple[_Code, str, SourceRow, _Layout]]:
        """Data rows with their numbering resolved (also when written inside the name)."""
        out = []
        for table, lay in self.chosen:
            for row in table.rows[lay.first_data:]:
                if not any(c.text and not c.merged for c in row.cells):
                    continue
                code_cell = row.cell(lay.columns.get("code"))
                name_cell = row.cell(lay.columns["name"])
                code = _read_code(code_cell)
                name = "" if name_cell.merged else name_cell.text
                if name_cell.merged == "left" and code.kind in ("none", "bad"):
                    code, name = _Code("bad", (), name_cell.text), ""
                if code.kind in ("none", "bad"):
                    m = _CODE_IN_TEXT.match(code.text if code.kind == "bad" else name)
                    if m and (m["sep"].strip() or "." in m["code"]) and (
                            re.fullmatch(r"\d+(?:\.\d+)*|[A-H]", m["code"]) or roman(m["code"])):
                        code, name = _read_code(Cell(m["code"])), m["rest"].strip()
                elif name_cell.merged == "left":
                    name = name_cell.text
                out.append((code, name, row, lay))
        return out

    def entries(self) -> list[_Entry]:
        areas: list[_Entry] = []
        codes = self._rows()
        roman_mode = any(c.kind == "roman" for c, _, _, _ in codes)
        relative = roman_mode and any(c.kind == "number" and len(c.parts) == 1
                                      for c, _, _, _ in codes)
        by_code: dict[str, _Entry] = self.by_code
        last: _Entry | None = None
        area: _Entry | None = None
        crit: _Entry | None = None
        table, lay = self.chosen[0]
        self.preamble += table.preamble
        self.preamble += [c.text for r in table.rows[: lay.header_rows[0] - 1]
                          for c in r.cells if c.text and not c.merged]
        for code, name, row, lay in codes:
            cols = lay.columns
            cells = {role: row.cell(col) for role, col in cols.items()}
            texts = {role: ("" if c.merged else c.text) for role, c in cells.items()}
            self.rows_read += 1
            raw_points = cells["points"]
            points_text = "" if raw_points.merged else raw_points.text
            rule_cell = cells.get("rule", Cell(""))
            rule_text = texts.get("rule", "")
            shared = rule_cell.merged == "above" and bool(rule_cell.text)
            if shared and code.kind in ("number", "roman", "letter"):
                rule_text = rule_cell.text
            if _is_column_numbers(row):
                self.at(ROW_SKIPPED, "dòng đánh số cột, bỏ qua", row)
                continue
            if code.kind in ("none", "bullet", "bad") and re.match(
                    r"^(tổng\s*(cộng|điểm|số)?|cộng)\b", _norm(name)) and points_text:
                self.total_row = row
                self.total = self._points(raw_points, row, None)
                continue
            if code.kind == "section" or (code.kind in ("none", "bad") and not points_text):
                if _EXTRA_BLOCK.search(name or code.text):
                    rest = len(codes) - codes.index((code, name, row, lay)) - 1
                    self.at(EXTRA_BLOCK, f"'{name or code.text}': khối điểm thưởng/điểm trừ, "
                            f"bỏ qua dòng này và {rest} dòng sau", row)
                    break
                if code.kind == "section":
                    self.at(ROW_SKIPPED, f"tiêu đề phần '{code.text}. {name}', bỏ qua", row)
                    continue
            if code.kind == "bad":
                self.at(CODE_UNREADABLE, f"số thứ tự '{code.text}' không đọc được; dòng bị "
                        "bỏ qua", row)
                continue
            if code.kind in ("none", "bullet"):
                if last is None:
                    self.at(ROW_SKIPPED, "dòng trước tiêu chí đầu tiên, bỏ qua", row)
                    continue
                if points_text and name:
                    pts = self._points(raw_points, row, last.code)
                    if pts is not None:
                        extra = f"{name.lstrip('-+•* ')}: {_fmt(pts)}"
                        last.rule_text = f"{last.rule_text}\n{extra}".strip()
                        self.at(OPTION_ROW, f"'{extra}' thêm vào cách chấm của {last.code}", row,
                                last.code)
                        continue
                if name and not rule_text and _LEVEL_TEXT.search(name):
                    last.rule_text = f"{last.rule_text}\n{name.lstrip('-+•* ')}".strip()
                    self.at(OPTION_ROW, f"'{name}' thêm vào cách chấm của {last.code}", row,
                            last.code)
                    continue
                if name:
                    last.name = f"{last.name} {name}".strip()
                if rule_text:
                    last.rule_text = f"{last.rule_text}\n{rule_text}".strip()
                if texts.get("note"):
                    last.note = f"{last.note}\n{texts['note']}".strip()
                if texts.get("evidence"):
                    last.evidence = f"{last.evidence}\n{texts['evidence']}".strip()
                if name or rule_text:
                    self.at(CONTINUATION, f"nối vào {last.code}", row, last.code)
                continue
            # a numbered row
            if code.kind == "roman":
                parts: tuple[int, ...] = code.parts
            elif code.kind == "letter":
                if crit is None:
                    self.at(CODE_ORPHAN, f"mục '{code.text}' không nằm dưới tiêu chí nào", row)
                    continue
                parts = (*_parts(crit.code), len(crit.children) + 1)
            elif roman_mode and relative:
                if area is None:
                    self.at(CODE_ORPHAN, f"số thứ tự {code.text} đứng trước lĩnh vực đầu tiên",
                            row)
                    continue
                parts = (*_parts(area.code), *code.parts)
            else:
                parts = code.parts
                if roman_mode and len(parts) == 1:
                    self.at(CODE_UNREADABLE, f"số thứ tự {code.text} lẫn với lĩnh vực đánh số "
                            "La Mã", row)
                    continue
            if len(parts) > 3:
                deep = ".".join(map(str, parts))
                self.at(CODE_TOO_DEEP, f"số thứ tự {deep} quá 3 cấp; dòng bị bỏ qua", row, deep)
                continue
            full = ".".join(map(str, parts))
            entry = _Entry(row, full, name, None, rule_text, texts.get("note", ""),
                           texts.get("source", ""), len(parts), shared,
                           texts.get("evidence", ""))
            entry.points = self._points(raw_points, row, full)
            if full in by_code:
                first = by_code[full].row
                hint = (" (Excel có thể đã đổi 1.10 thành 1.1: định dạng cột số thứ tự là văn "
                        "bản)") if isinstance(cells["code"].value, float) else ""
                self.at(CODE_DUPLICATE, f"số thứ tự {full} trùng với {first.where}{hint}; "
                        "dòng bị bỏ qua", row, full)
                continue
            if len(parts) == 1:
                self._check_gap([a.code for a in areas], parts, row)
                areas.append(entry)
                area, crit = entry, None
            else:
                parent = by_code.get(".".join(map(str, parts[:-1])))
                if parent is None:
                    self.at(CODE_ORPHAN, f"không có mục cha {'.'.join(map(str, parts[:-1]))} "
                            f"cho {full}; dòng bị bỏ qua", row, full)
                    continue
                self._check_gap([c.code for c in parent.children], parts, row)
                parent.children.append(entry)
                if len(parts) == 2:
                    crit = entry
            by_code[full] = entry
            last = entry
        return areas

    def _check_gap(self, siblings: list[str], parts: tuple[int, ...], row: SourceRow) -> None:
        expected = (_parts(siblings[-1])[-1] if siblings else 0) + 1
        if parts[-1] != expected:
            code = ".".join(map(str, parts))
            self.at(NUMBERING_GAP, f"số thứ tự {code} sau "
                    f"{siblings[-1] if siblings else 'đầu mục'} (chờ số {expected})", row, code)

    def _points(self, cell: Cell, row: SourceRow, code: str | None) -> Decimal | None:
        if cell.merged:
            cell = Cell("")
        try:
            pts = parse_points(cell.value if cell.value is not None else cell.text)
        except ValueError:
            why = ("là công thức chưa được tính: mở bảng bằng Excel hoặc LibreOffice và lưu lại"
                   if cell.text.startswith("=") else "không phải là số")
            self.at(POINTS_UNREADABLE, f"điểm tối đa '{cell.text}' {why}", row, code)
            return None
        if pts is None and code is not None:
            self.at(POINTS_MISSING, f"{code} không có điểm tối đa", row, code)
        return pts

    # -- entries → framework data --------------------------------------------------------------
    def run(self, **meta: Any) -> AnnexImport:
        areas = self.entries()
        stats: dict[str, Any] = {"rows_read": self.rows_read}
        lay = self.chosen[0][1]
        stats["header_rows"] = [r for _, la in self.chosen[:1] for r in la.header_rows]
        stats["columns"] = dict(lay.headers)
        for role in ("code", "rule"):
            if role not in lay.columns:
                self.at(HEADER_MISSING_COLUMN, f"không tìm thấy cột {_ROLE_VI[role]}", None)
        self.sums_checked = 0
        self.sums_mismatched = 0
        self.kinds: dict[str, int] = {}
        self.kept: list[str] = []
        area_data = [self.item(a, None) for a in areas]
        total = sum((a.points for a in areas if a.points is not None), Decimal(0))
        if self.total is None:
            if self.total_row is None:
                self.at(TOTAL_COMPUTED, f"tổng điểm lấy bằng tổng các lĩnh vực: {_fmt(total)}",
                        None)
            declared = total
        else:
            declared = self.total
            self.sums_checked += 1
            if declared != total:
                self.sums_mismatched += 1
                rows = ", ".join(a.row.where for a in areas)
                self.at(TOTAL_MISMATCH, f"dòng tổng cộng ghi {_fmt(declared)} nhưng các lĩnh vực "
                        f"cộng lại {_fmt(total)} (chênh {_signed(total - declared)}; các lĩnh vực "
                        f"ở {rows})", self.total_row)
        data = self.metadata(meta, declared)
        data["areas"] = area_data
        validation = []
        try:
            Framework.model_validate(data)
        except ValidationError as exc:
            validation = _validation_findings(exc, data, self.path, {"reported"})
        self.findings += validation
        leaves = [n for a in areas for n in _walk(a) if n.is_leaf]
        stats.update(
            areas=len(areas),
            criteria=sum(len(a.children) for a in areas),
            sub_criteria=sum(len(c.children) for a in areas for c in a.children),
            scored_items=len(leaves),
            total_points=float(declared),
            sums_checked=self.sums_checked,
            sums_mismatched=self.sums_mismatched,
            rules_recognised=len(leaves) - len(self.kept),
            rules_kept_as_text=len(self.kept),
            rules_kept_as_text_items=list(self.kept),
            rules_by_kind=dict(sorted(self.kinds.items())),
            ambiguities=sum(1 for f in self.findings if f.severity == "warning"),
        )
        report = Report.of(f"Nhập bảng tiêu chí {self.path.name}", self.findings, **stats)
        return AnnexImport(self.path, data, report, self.header_comment(report))

    def metadata(self, meta: dict[str, Any], total: Decimal) -> dict[str, Any]:
        preamble = " ".join(self.preamble)
        year = meta["year"]
        if year is None:
            m = re.search(r"năm\s+(20\d\d)", preamble, re.I)
            if m:
                year = int(m.group(1))
            else:
                year = dt.date.today().year
                self.at(METADATA_DEFAULT, f"năm đánh giá không ghi, lấy năm hiện tại {year}", None)
        named = [line for line in self.preamble
                 if re.search(r"tiêu chí|chỉ số", line, re.I) and len(line) < 300]
        title = meta["title"] or next(iter(named + self.preamble), None) or (
            f"Bộ tiêu chí nhập từ {self.path.name}")
        province = meta["province"]
        if not province:
            province = "chưa xác định"
            self.at(METADATA_DEFAULT, "tỉnh không ghi (--province)", None)
        fid = meta["id"] or slug(self.path.stem, 60)
        note = f"Nhập từ bảng {self.path.name} bằng parindex"
        note += "; cần đối chiếu với văn bản gốc." if meta["status"] == "provisional" else "."
        data: dict[str, Any] = {
            "kind": "parindex/framework", "schema_version": 1, "id": fid, "title": title,
            "province": province, "level": meta["level"], "scoring_year": year,
        }
        basis = [p for line in self.preamble if re.match(r"căn cứ\s*:", line, re.I)
                 for p in line.split(":", 1)[1].split(";") if p.strip()]
        if basis:
            data["legal_basis"] = [p.strip() for p in basis]
        data.update(status=meta["status"], status_note=note, total_points=total)
        return data

    def item(self, e: _Entry, parent: _Entry | None) -> dict[str, Any]:
        where = f"imported from {self.path.name} {e.row.where}"
        if e.source:
            where += f"; {e.source}"
        out: dict[str, Any] = {"code": e.code, "name": e.name or f"(không tên, {e.row.where})"}
        if e.points is not None:
            out["max_points"] = e.points
        out["source"] = where
        if e.rule_text:
            out["guidance"] = e.rule_text
        if e.evidence and e.level > 1:
            out.update(_evidence(e.evidence))
        notes = [e.note] if e.note else []
        if e.children:
            total = sum((c.points for c in e.children if c.points is not None), Decimal(0))
            self.sums_checked += 1
            if e.points is not None and all(c.points is not None for c in e.children) and \
                    total != e.points:
                self.sums_mismatched += 1
                rows = ", ".join(f"{c.code} ({c.row.where}): {_fmt(c.points or Decimal(0))}"
                                 for c in e.children)
                msg = (f"{e.code} ghi {_fmt(e.points)} điểm nhưng các mục con cộng lại "
                       f"{_fmt(total)} (chênh {_signed(total - e.points)}): {rows}")
                self.at(SUM_MISMATCH, msg, e.row, e.code)
                notes.append(f"Bảng gốc: tổng các mục con ({_fmt(total)}) khác điểm tối đa "
                             f"({_fmt(e.points)}) — đối chiếu {e.row.where}.")
            if e.rule_text and e.level > 1:
                self.at(PARENT_RULE, f"{e.code} có mục con nhưng có cách chấm; giữ làm hướng "
                        "dẫn", e.row, e.code)
        elif e.level > 1:
            self.rule(e, parent, out)
        else:
            self.at(AREA_EMPTY, f"lĩnh vực {e.code} không có tiêu chí nào", e.row, e.code)
        if notes:
            out["note"] = "\n".join(notes)
        key = "criteria" if e.level == 1 else "sub_criteria"
        if e.children:
            out[key] = [self.item(c, e) for c in e.children]
        return out

    def rule(self, e: _Entry, area: _Entry | None, out: dict[str, Any]) -> None:
        top = self.by_code.get(e.code.split(".")[0])
        if not e.rule_text and top is not None and re.search(
                r"điều tra xã hội học|đtxhh|điều tra xhh", top.name, re.I):
            parsed = parse_rule("điều tra xã hội học", e.points)
            self.at(SURVEY_BY_AREA, f"{e.code} thuộc lĩnh vực '{top.name}': chấm bằng điều tra "
                    "xã hội học", e.row, e.code)
        else:
            parsed = parse_rule(e.rule_text, e.points)
        if e.rule_shared:
            self.at(RULE_SHARED, f"cách chấm của {e.code} lấy từ ô gộp ở dòng trên", e.row,
                    e.code)
        self.kinds[parsed.kind] = self.kinds.get(parsed.kind, 0) + 1
        if parsed.recognised and parsed.problems:
            self.at(RULE_AMBIGUOUS, f"{e.code}: {'; '.join(parsed.problems)}", e.row, e.code)
        if not parsed.recognised:
            self.kept.append(e.code)
            if e.rule_text:
                self.at(RULE_KEPT_AS_TEXT, f"{e.code}: '{e.rule_text}' — "
                        f"{'; '.join(parsed.problems)}", e.row, e.code)
            else:
                self.at(RULE_MISSING, f"{e.code} không có cách chấm", e.row, e.code)
        if isinstance(parsed.rule, SurveyRule):
            out["method"] = "survey"
        out["rule"] = parsed.rule.model_dump(mode="python", by_alias=True, exclude_none=True,
                                             exclude_defaults=True)
        out["rule"]["type"] = parsed.kind
        if parsed.not_applicable_when:
            out["not_applicable_allowed"] = True
            out["not_applicable_when"] = parsed.not_applicable_when
        if e.points is not None:
            _, high = parsed.rule.attainable(e.points)
            if high != e.points:
                self.at(RULE_MAX_MISMATCH, f"{e.code}: mức cao nhất của cách chấm là "
                        f"{_fmt(high)} nhưng điểm tối đa ghi {_fmt(e.points)}", e.row, e.code)

    def header_comment(self, report: Report) -> str:
        lines = [f"Imported by parindex from {self.path.name} (criteria annex table).",
                 "Check every row against the official text before using it for a dossier."]
        errors = [f for f in report.findings if f.severity == "error"]
        if errors:
            lines += ["", f"THE SOURCE TABLE HAS {len(errors)} PROBLEM(S): this file is written "
                      "as read and will not load", "until they are corrected (parindex does not "
                      "fix numbers):"]
            lines += [f"  - {f.message}" for f in errors]
        kept = report.stats.get("rules_kept_as_text_items") or []
        if kept:
            lines += ["", f"Rules kept as text (scored manually): {', '.join(kept)}"]
        return "\n".join(lines)


_ROLE_VI = {"code": "số thứ tự (STT)", "rule": "cách chấm điểm"}


def _evidence(text: str) -> dict[str, Any]:
    """The evidence cell: "Loại văn bản: KH, QĐ" and "Hạn: 31/12/2020" lines, then the rest."""
    out: dict[str, Any] = {}
    evidence: list[str] = []
    for line in (x.strip() for x in text.splitlines()):
        types = re.match(r"loại văn bản\s*:\s*(.+)$", line, re.I)
        due = re.match(r"hạn\s*:\s*(\d{1,2})/(\d{1,2})/(\d{4})$", line, re.I)
        if types:
            out["document_types"] = [t.strip() for t in types.group(1).split(",") if t.strip()]
        elif due:
            try:
                out["deadline"] = dt.date(int(due[3]), int(due[2]), int(due[1]))
            except ValueError:
                evidence.append(line)
        elif line:
            evidence.append(line)
    if evidence:
        out["evidence"] = evidence
    return out


def _signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + _fmt(value)


def _parts(code: str) -> tuple[int, ...]:
    return tuple(int(p) for p in code.split("."))


def _walk(e: _Entry) -> Iterable[_Entry]:
    yield e
    for c in e.children:
        yield from _walk(c)


def _already_reported(kind: str, where: tuple[Any, ...], message: str) -> bool:
    """Validation problems the importer has already reported by row, in its own words."""
    if where == ("total_points",) or (where and where[-1] == "max_points" and (
            "add up" in message or kind == "missing")):
        return True
    if kind == "missing" and where and where[-1] == "criteria":  # annex-area-empty
        return True
    if where and where[-1] == "rule" and "best score" in message:
        return True
    # a list emptied by rows skipped (reported) or by errors below it (reported)
    return kind == "too_short"


def _validation_findings(exc: ValidationError, data: dict[str, Any], path: Path,
                         skip: set[str]) -> list[Finding]:
    """Framework validation problems as findings on the source rows they come from."""
    out: list[Finding] = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        nested = getattr((err.get("ctx") or {}).get("error"), "problems", None)
        pairs = ([((*loc, *sub), msg) for sub, msg in nested] if nested
                 else [(loc, err["msg"].removeprefix("Value error, "))])
        for where, message in pairs:
            if "reported" in skip and _already_reported(err["type"], where, message):
                continue
            node: Any = data
            item, line = None, None
            for part in where:
                try:
                    node = node[part]
                except (KeyError, IndexError, TypeError):
                    break
                if isinstance(node, dict) and "code" in node:
                    item = node["code"]
                    m = re.search(r"row (\d+)", str(node.get("source", "")))
                    line = int(m.group(1)) if m else None
            key = ".".join(str(p) for p in where)
            out.append(FRAMEWORK_INVALID(f"{key}: {message}", item=item, file=str(path),
                                         line=line))
    return out
