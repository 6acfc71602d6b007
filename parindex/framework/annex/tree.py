"""Rebuild the tree of an annex table from its numbering: areas → criteria → sub-criteria.

Rows without a number continue the row above (its name, scoring text, note, evidence) or add
a scoring level to it; the "Tổng cộng" row gives the declared total; section headings and
column numbers are skipped; the rows under a bonus / penalty heading (điểm thưởng, điểm trừ)
are that block's items (:class:`ExtraBlock`, read by :mod:`parindex.framework.annex.extras`).
Points are read as written and every sum is checked, nothing is corrected: each problem is a
finding on its source row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from parindex.core.sheetvalue import number_text
from parindex.framework.annex.codes import Code, code_parts, numbered_rows
from parindex.framework.annex.findings import (
    CODE_DUPLICATE,
    CODE_ORPHAN,
    CODE_TOO_DEEP,
    CODE_UNREADABLE,
    CONTINUATION,
    EXTRA_BLOCK,
    NUMBERING_GAP,
    OPTION_ROW,
    POINTS_MISSING,
    POINTS_UNREADABLE,
    ROW_SKIPPED,
    RULE_IN_NAME,
    SUM_MISMATCH,
    TOTAL_COMPUTED,
    TOTAL_MISMATCH,
    Recorder,
)
from parindex.framework.annex.layout import Layout, Role, is_column_numbers, norm
from parindex.framework.annex.table import Cell, SourceRow, SourceTable
from parindex.framework.rules import _fmt
from parindex.framework.ruletext import parse_points

__all__ = ["Entry", "Sums", "TreeBuilder", "walk"]

_LEVEL_TEXT = re.compile(r":\s*(?:trừ\s*)?[-−–]?\s*\d+(?:[.,]\d+)?\s*(?:điểm|đ)?\s*[;.]?\s*$",
                         re.I)
"""A scoring level written in the name column of a continuation row ("1 lần: 0,5")."""
_RULE_LINE = re.compile(r"\btrừ\s+\d+(?:[.,]\d+)?\s*(?:điểm|đ)(?!\w)|\btỷ\s*lệ\b.*[×*]", re.I)
"""A scoring sentence without a colon: "Mỗi báo cáo trễ hạn trừ 0,25 điểm", "Tỷ lệ … × 1"."""
_EXTRA_BLOCK = re.compile(r"điểm\s+(thưởng|trừ|cộng)", re.I)
_EXTRA_HEADING = re.compile(r"^(?:khối\s+|phần\s+|các\s+)?(?:mục\s+|tiêu\s+chí\s+)?"
                            r"điểm\s+(thưởng|trừ|cộng)\b", re.I)
"""A bonus / penalty heading that also carries points (the block's cap) or a Roman number."""
_EXTRA_CODE = re.compile(r"^[A-Z]{1,3}[0-9]+$")
_PREFIX = {"bonus": "T", "penalty": "TR"}
_TOTAL = re.compile(r"^(tổng\s*(cộng|điểm|số)?|cộng)\b")


def _extra_group(text: str) -> Literal["bonus", "penalty"] | None:
    """The group a heading or an item's scoring text names: None when both or neither."""
    words = {m.lower() for m in re.findall(r"thưởng|cộng|trừ", text, re.I)}
    bonus, penalty = bool(words & {"thưởng", "cộng"}), "trừ" in words
    return None if bonus == penalty else ("bonus" if bonus else "penalty")


@dataclass
class ExtraBlock:
    """A bonus or penalty block of the table: its heading row, cap and items."""

    group: Literal["bonus", "penalty"]
    row: SourceRow
    cap: Decimal | None
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Entry:
    """One numbered row: an area (level 1), a criterion (2) or a sub-criterion (3)."""

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
    children: list[Entry] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return self.level > 1 and not self.children


def walk(e: Entry) -> Iterable[Entry]:
    yield e
    for c in e.children:
        yield from walk(c)


@dataclass(frozen=True)
class _Line:
    """A data row's cells by role, as the tree builder reads them."""

    code: Code
    name: str
    row: SourceRow
    cells: dict[Role, Cell]
    texts: dict[Role, str]
    """Each column's text, empty where the cell repeats a merged one."""
    rule_text: str
    shared: bool
    """The scoring cell is merged with the one above (one text for several rows)."""
    rule_in_name: bool = False
    """The scoring levels were written under the name, in the same cell."""

    @property
    def points(self) -> Cell:
        return self.cells["points"]

    @property
    def points_text(self) -> str:
        return "" if self.points.merged else self.points.text


def _line(code: Code, name: str, row: SourceRow, lay: Layout) -> _Line:
    cells = {role: row.cell(col) for role, col in lay.columns.items()}
    texts = {role: ("" if c.merged else c.text) for role, c in cells.items()}
    rule_cell = cells.get("rule", Cell(""))
    rule_text = texts.get("rule", "")
    shared = rule_cell.merged == "above" and bool(rule_cell.text)
    if shared and code.kind in ("number", "roman", "letter"):
        rule_text = rule_cell.text
    in_name = False
    if not rule_text and code.kind in ("number", "letter"):
        name, rule_text = split_name_and_rule(name)
        in_name = bool(rule_text)
    return _Line(code, name, row, cells, texts, rule_text, shared, in_name)


def split_name_and_rule(text: str) -> tuple[str, str]:
    """A criterion's cell that holds its scoring levels too: the name, then lines such as
    "- Ban hành kịp thời: 1" → ``(name, "Ban hành kịp thời: 1\n…")``. The split is made only
    at a line break, before the first line written as a scoring level; the name's own lines
    are kept."""
    lines = [x.strip() for x in text.splitlines() if x.strip()]
    first = next((i for i, x in enumerate(lines)
                  if i and (_LEVEL_TEXT.search(x) or _RULE_LINE.search(x))), None)
    if first is None:
        return text, ""
    rule = "\n".join(x.lstrip("-+•* ").strip() for x in lines[first:])
    return " ".join(lines[:first]), rule


_Verdict = Literal["read", "skip"]


class TreeBuilder:
    """Rows → entries, for the chosen tables (the first gives the header and the preamble)."""

    def __init__(self, chosen: list[tuple[SourceTable, Layout]], rec: Recorder) -> None:
        self.chosen = chosen
        self.rec = rec
        self.rows_read = 0
        self.total: Decimal | None = None
        self.total_row: SourceRow | None = None
        self.preamble: list[str] = []
        self.by_code: dict[str, Entry] = {}
        self.areas: list[Entry] = []
        self._last: Entry | None = None
        self._area: Entry | None = None
        self._crit: Entry | None = None
        self._roman_mode = False
        self._relative = False
        self.extras: dict[str, ExtraBlock] = {}
        self._block: Literal["bonus", "penalty", "mixed"] | None = None

    def build(self) -> list[Entry]:
        codes = numbered_rows(self.chosen)
        self._roman_mode = any(c.kind == "roman" for c, _, _, _ in codes)
        self._relative = self._roman_mode and any(c.kind == "number" and len(c.parts) == 1
                                                  for c, _, _, _ in codes)
        table, lay = self.chosen[0]
        self.preamble += table.preamble
        self.preamble += [c.text for r in table.rows[: lay.header_rows[0] - 1]
                          for c in r.cells if c.text and not c.merged]
        for code, name, row, row_lay in codes:
            line = _line(code, name, row, row_lay)
            self.rows_read += 1
            if self._special(line) == "skip":
                continue
            if self._block is not None:
                self._extra(line)
            elif code.kind in ("none", "bullet"):
                self._continue(line)
            else:
                self._numbered(line)
        return self.areas

    def _special(self, line: _Line) -> _Verdict:
        """Rows that are not items: column numbers, the total, section headings, the heading
        of a bonus / penalty block (its rows are read as extras from there on) and bad codes."""
        code, name, row = line.code, line.name, line.row
        if is_column_numbers(row):
            self.rec.at(ROW_SKIPPED, "dòng đánh số cột, bỏ qua", row)
            return "skip"
        heading = name or code.text
        if (code.kind in ("section", "none", "bad") and not line.points_text
                and _EXTRA_BLOCK.search(heading)) or (
                code.kind in ("section", "none", "bad", "roman")
                and _EXTRA_HEADING.match(heading)):
            self._start_block(line)
            return "skip"
        if self._block is not None:
            if code.kind in ("none", "bullet", "bad") and _TOTAL.match(norm(name)):
                self.rec.at(ROW_SKIPPED, f"dòng cộng '{name}' của khối điểm thưởng/điểm trừ, "
                            "bỏ qua", row)
                return "skip"
            if code.kind != "bad" or _EXTRA_CODE.match(code.text):
                return "read"
            self.rec.at(EXTRA_BLOCK, f"'{code.text}' trong khối điểm thưởng/điểm trừ: không "
                        "đọc được, bỏ qua", row)
            return "skip"
        if code.kind in ("none", "bullet", "bad") and _TOTAL.match(norm(name)) \
                and line.points_text:
            self.total_row = row
            self.total = self.points(line.points, row, None)
            return "skip"
        if code.kind == "section":
            self.rec.at(ROW_SKIPPED, f"tiêu đề phần '{code.text}. {name}', bỏ qua", row)
            return "skip"
        if code.kind == "bad":
            self.rec.at(CODE_UNREADABLE, f"số thứ tự '{code.text}' không đọc được; dòng bị "
                        "bỏ qua", row)
            return "skip"
        return "read"

    def _start_block(self, line: _Line) -> None:
        """A bonus / penalty heading: the rows below are extras of its group (of each item's
        own scoring text when the heading names both)."""
        group = _extra_group(line.name or line.code.text)
        self._block = group or "mixed"
        self._last = None
        if group is None:
            return
        cap = self.points(line.points, line.row, None) if line.points_text else None
        if group in self.extras:
            self.rec.at(EXTRA_BLOCK, f"khối {'điểm thưởng' if group == 'bonus' else 'điểm trừ'}"
                        " thứ hai: các mục được gộp vào khối đầu", line.row)
            return
        self.extras[group] = ExtraBlock(group, line.row, cap)

    def _extra(self, line: _Line) -> None:
        """A row inside a bonus / penalty block: an item, or more text of the one above."""
        code, row = line.code, line.row
        if code.kind in ("none", "bullet"):
            if self._last is None:
                self.rec.at(EXTRA_BLOCK, "dòng trong khối điểm thưởng/điểm trừ trước mục đầu "
                            "tiên, bỏ qua", row)
            else:
                self._continue(line)
            return
        group = self._block if self._block != "mixed" else _extra_group(line.rule_text)
        if group is None or (code.kind == "number" and len(code.parts) > 1):
            why = ("không rõ là điểm thưởng hay điểm trừ" if group is None
                   else "mục con trong khối điểm thưởng/điểm trừ")
            self.rec.at(EXTRA_BLOCK, f"'{code.text} {line.name}': {why}; dòng bị bỏ qua", row)
            return
        block = self.extras.setdefault(group, ExtraBlock(group, row, None))
        given = code.text if _EXTRA_CODE.match(code.text) else None
        number = code.parts[0] if code.kind in ("number", "roman") else len(block.entries) + 1
        full = given or f"{_PREFIX[group]}{number}"
        if any(e.code == full for b in self.extras.values() for e in b.entries):
            self.rec.at(CODE_DUPLICATE, f"mục {full} trùng trong khối điểm thưởng/điểm trừ; "
                        "dòng bị bỏ qua", row, full)
            return
        entry = Entry(row, full, line.name, None, line.rule_text, line.texts.get("note", ""),
                      line.texts.get("source", ""), 2, line.shared,
                      line.texts.get("evidence", ""))
        entry.points = self.points(line.points, row, full)
        block.entries.append(entry)
        self._last = entry

    def _continue(self, line: _Line) -> None:
        """A row without a number: a scoring level of the item above, or more of its text."""
        name, row, rule_text, texts = line.name, line.row, line.rule_text, line.texts
        last = self._last
        if last is None:
            self.rec.at(ROW_SKIPPED, "dòng trước tiêu chí đầu tiên, bỏ qua", row)
            return
        if line.points_text and name:
            pts = self.points(line.points, row, last.code)
            if pts is not None:
                extra = f"{name.lstrip('-+•* ')}: {_fmt(pts)}"
                last.rule_text = f"{last.rule_text}\n{extra}".strip()
                self.rec.at(OPTION_ROW, f"'{extra}' thêm vào cách chấm của {last.code}", row,
                            last.code)
                return
        if name and not rule_text and _LEVEL_TEXT.search(name):
            last.rule_text = f"{last.rule_text}\n{name.lstrip('-+•* ')}".strip()
            self.rec.at(OPTION_ROW, f"'{name}' thêm vào cách chấm của {last.code}", row,
                        last.code)
            return
        if name:
            last.name = f"{last.name} {name}".strip()
        if rule_text:
            last.rule_text = f"{last.rule_text}\n{rule_text}".strip()
        if texts.get("note"):
            last.note = f"{last.note}\n{texts['note']}".strip()
        if texts.get("evidence"):
            last.evidence = f"{last.evidence}\n{texts['evidence']}".strip()
        if name or rule_text:
            self.rec.at(CONTINUATION, f"nối vào {last.code}", row, last.code)

    def _numbered(self, line: _Line) -> None:
        row, texts = line.row, line.texts
        parts = self._parts(line.code, row)
        if parts is None:
            return
        if len(parts) > 3:
            deep = ".".join(map(str, parts))
            self.rec.at(CODE_TOO_DEEP, f"số thứ tự {deep} quá 3 cấp; dòng bị bỏ qua", row, deep)
            return
        full = ".".join(map(str, parts))
        entry = Entry(row, full, line.name, None, line.rule_text, texts.get("note", ""),
                      texts.get("source", ""), len(parts), line.shared,
                      texts.get("evidence", ""))
        entry.points = self.points(line.points, row, full)
        if line.rule_in_name:
            self.rec.at(RULE_IN_NAME, f"{full}: cách chấm tách từ ô tên “{line.name}”", row, full)
        if full in self.by_code:
            first = self.by_code[full].row
            hint = (" (Excel có thể đã đổi 1.10 thành 1.1: định dạng cột số thứ tự là văn "
                    "bản)") if isinstance(line.cells.get("code", Cell("")).value, float) else ""
            self.rec.at(CODE_DUPLICATE, f"số thứ tự {full} trùng với {first.where}{hint}; "
                        "dòng bị bỏ qua", row, full)
            return
        if not self._attach(entry, parts, row):
            return
        self.by_code[full] = entry
        self._last = entry

    def _parts(self, code: Code, row: SourceRow) -> tuple[int, ...] | None:
        """The full code of a numbered row; None (reported) when it cannot be placed."""
        if code.kind == "roman":
            return code.parts
        if code.kind == "letter":
            if self._crit is None:
                self.rec.at(CODE_ORPHAN, f"mục '{code.text}' không nằm dưới tiêu chí nào", row)
                return None
            return (*code_parts(self._crit.code), len(self._crit.children) + 1)
        if self._roman_mode and self._relative:
            if self._area is None:
                self.rec.at(CODE_ORPHAN, f"số thứ tự {code.text} đứng trước lĩnh vực đầu tiên",
                            row)
                return None
            return (*code_parts(self._area.code), *code.parts)
        if self._roman_mode and len(code.parts) == 1:
            self.rec.at(CODE_UNREADABLE, f"số thứ tự {code.text} lẫn với lĩnh vực đánh số "
                        "La Mã", row)
            return None
        return code.parts

    def _attach(self, entry: Entry, parts: tuple[int, ...], row: SourceRow) -> bool:
        """Put ``entry`` under its parent; False (reported) when the parent is missing."""
        if len(parts) == 1:
            self._check_gap([a.code for a in self.areas], parts, row)
            self.areas.append(entry)
            self._area, self._crit = entry, None
            return True
        parent = self.by_code.get(".".join(map(str, parts[:-1])))
        if parent is None:
            self.rec.at(CODE_ORPHAN, f"không có mục cha {'.'.join(map(str, parts[:-1]))} "
                        f"cho {entry.code}; dòng bị bỏ qua", row, entry.code)
            return False
        self._check_gap([c.code for c in parent.children], parts, row)
        parent.children.append(entry)
        if len(parts) == 2:
            self._crit = entry
        return True

    def _check_gap(self, siblings: list[str], parts: tuple[int, ...], row: SourceRow) -> None:
        expected = (code_parts(siblings[-1])[-1] if siblings else 0) + 1
        if parts[-1] != expected:
            code = ".".join(map(str, parts))
            self.rec.at(NUMBERING_GAP, f"số thứ tự {code} sau "
                        f"{siblings[-1] if siblings else 'đầu mục'} (chờ số {expected})", row,
                        code)

    def points(self, cell: Cell, row: SourceRow, code: str | None) -> Decimal | None:
        if cell.merged:
            cell = Cell("")
        typed = cell.value if isinstance(cell.value, str) else ""
        if "không rõ là" in str(number_text(typed)):  # 1.000: a thousand, or one?
            self.rec.at(POINTS_UNREADABLE, f"điểm tối đa {number_text(typed)}", row, code)
            return None
        try:
            pts = parse_points(cell.value if cell.value is not None else cell.text)
        except ValueError:
            why = ("là công thức chưa được tính: mở bảng bằng Excel hoặc LibreOffice và lưu lại"
                   if cell.text.startswith("=") else "không phải là số")
            self.rec.at(POINTS_UNREADABLE, f"điểm tối đa '{cell.text}' {why}", row, code)
            return None
        if pts is None and code is not None:
            self.rec.at(POINTS_MISSING, f"{code} không có điểm tối đa", row, code)
        return pts


def signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + _fmt(value)


class Sums:
    """The sums checked against the points written: each parent, then the total."""

    def __init__(self, rec: Recorder) -> None:
        self.rec = rec
        self.checked = 0
        self.mismatched = 0

    def children(self, e: Entry) -> str | None:
        """Check that ``e``'s children add up to its points; the note for the item if not."""
        total = sum((c.points for c in e.children if c.points is not None), Decimal(0))
        self.checked += 1
        if e.points is None or not all(c.points is not None for c in e.children) or \
                total == e.points:
            return None
        self.mismatched += 1
        rows = ", ".join(f"{c.code} ({c.row.where}): {_fmt(c.points or Decimal(0))}"
                         for c in e.children)
        msg = (f"{e.code} ghi {_fmt(e.points)} điểm nhưng các mục con cộng lại "
               f"{_fmt(total)} (chênh {signed(total - e.points)}): {rows}")
        self.rec.at(SUM_MISMATCH, msg, e.row, e.code)
        return (f"Bảng gốc: tổng các mục con ({_fmt(total)}) khác điểm tối đa "
                f"({_fmt(e.points)}) — đối chiếu {e.row.where}.")

    def total(self, areas: list[Entry], declared: Decimal | None,
              row: SourceRow | None) -> Decimal:
        """The framework's total: the "Tổng cộng" row (checked against the areas) or, without
        one, the sum of the areas."""
        total = sum((a.points for a in areas if a.points is not None), Decimal(0))
        if declared is None:
            if row is None:
                self.rec.at(TOTAL_COMPUTED,
                            f"tổng điểm lấy bằng tổng các lĩnh vực: {_fmt(total)}", None)
            return total
        self.checked += 1
        if declared != total:
            self.mismatched += 1
            rows = ", ".join(a.row.where for a in areas)
            self.rec.at(TOTAL_MISMATCH, f"dòng tổng cộng ghi {_fmt(declared)} nhưng các lĩnh "
                        f"vực cộng lại {_fmt(total)} (chênh {signed(total - declared)}; các "
                        f"lĩnh vực ở {rows})", row)
        return declared
