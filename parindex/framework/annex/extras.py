"""The bonus and penalty blocks of an annex table (điểm thưởng, điểm trừ), read into the
framework's ``extras`` (:mod:`parindex.framework.extras`), and written back by the export.

A block starts at its heading row ("ĐIỂM THƯỞNG", "III. Điểm trừ", with the block's cap in the
points column when the table gives one); its numbered rows are its items, coded ``T1``,
``T2`` … (bonus) and ``TR1`` … (penalty) unless the table writes such codes itself. Each item's
scoring text is read like any item's. An item computed from the appraisal is marked by the
line "Tính từ kết quả thẩm định: …" of its evidence cell (what the export writes), or found
by its name (self-assessment against appraisal) with a bands rule.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from parindex.framework.annex.findings import EXTRA_ITEM, Recorder
from parindex.framework.annex.rules import RuleReader, evidence_fields
from parindex.framework.annex.tree import Entry, ExtraBlock
from parindex.framework.extras import GROUP_VI, ExtraItem, FromAppraisal, Group

__all__ = ["APPRAISAL_LINES", "appraisal_line", "read_extras"]

APPRAISAL_LINES: dict[FromAppraisal, str] = {
    "gap-percent": "Tính từ kết quả thẩm định: chênh lệch điểm tự đánh giá và điểm thẩm định "
                   "(% điểm tự đánh giá)",
    "gap-points": "Tính từ kết quả thẩm định: chênh lệch điểm tự đánh giá và điểm thẩm định "
                  "(điểm)",
}
_BY_NAME = re.compile(r"thẩm định", re.I)
_SELF = re.compile(r"tự đánh giá|tự chấm|chênh lệch", re.I)
_NO_FLOOR = "nguồn không ghi điểm thấp nhất"
"""A deduction's missing floor: on a penalty item the most taken off is its maximum."""


def appraisal_line(item: ExtraItem) -> str | None:
    """The evidence-cell line that marks an item computed from the appraisal."""
    return APPRAISAL_LINES[item.from_appraisal] if item.from_appraisal else None


def read_extras(blocks: dict[str, ExtraBlock], path: Path, rec: Recorder) -> dict[str, Any]:
    """The ``extras`` data of the blocks read (empty when the table has none)."""
    rules = RuleReader(rec, {})
    out: dict[str, Any] = {}
    groups: tuple[Group, ...] = ("bonus", "penalty")
    for group in groups:
        block = blocks.get(group)
        if block is None or not block.entries:
            continue
        data: dict[str, Any] = {}
        if block.cap is not None:
            data["max_points"] = block.cap
        data["source"] = f"imported from {path.name} {block.row.where}"
        data["items"] = [_item(e, group, path, rules, rec) for e in block.entries]
        out[group] = data
    return out


def _item(e: Entry, group: Group, path: Path, rules: RuleReader, rec: Recorder) -> dict[str, Any]:
    where = f"imported from {path.name} {e.row.where}"
    out: dict[str, Any] = {"code": e.code, "name": e.name or f"(không tên, {e.row.where})"}
    if e.points is not None:
        out["max_points"] = e.points
    out["source"] = where + (f"; {e.source}" if e.source else "")
    if e.rule_text:
        out["guidance"] = e.rule_text
    marked: FromAppraisal | None = None
    lines = []
    for line in e.evidence.splitlines():
        found = next((k for k, v in APPRAISAL_LINES.items() if line.strip() == v), None)
        if found:
            marked = found
        else:
            lines.append(line)
    fields = evidence_fields("\n".join(lines))
    fields.pop("deadline", None)
    out.update(fields)
    if e.note:
        out["note"] = e.note
    scored: dict[str, Any] = {}
    rules.read(e, scored)
    rule = scored["rule"]
    out["rule"] = rule
    if rule["type"] == "deduction":
        rec.findings = [f for f in rec.findings
                        if not (f.item == e.code and _NO_FLOOR in f.message)]
    if marked is None and group == "penalty" and rule["type"] == "bands" \
            and _BY_NAME.search(e.name) and _SELF.search(e.name):
        marked = "gap-percent" if rule.get("measure", "percent") == "percent" else "gap-points"
    if marked is not None:
        out["from_appraisal"] = marked
    note = "; tính từ kết quả thẩm định" if marked else ""
    rec.at(EXTRA_ITEM, f"{e.code} nhập vào {GROUP_VI[group].lower()} (ngoài tổng điểm){note}",
           e.row, e.code)
    return out
