"""Import a province's criteria annex (a Word or Excel table) as a framework.

The table is read as it is published: columns found by their Vietnamese headers
(:mod:`~parindex.framework.annex.layout`), the tree rebuilt from the numbering (1 / 1.1 / 1.1.1,
or Roman numerals for areas with criteria numbered inside each area), merged cells and rows
that continue the previous row's text taken into account, points read with comma decimals
(:mod:`~parindex.framework.annex.tree`), and each scoring text turned into a typed rule
(:mod:`~parindex.framework.annex.rules`).

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
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from parindex.core.errors import InputError, Problem
from parindex.core.errortext import error_message
from parindex.core.findings import Finding, Report
from parindex.core.output import write_text_output
from parindex.core.yamlio import dump_yaml
from parindex.framework.annex.extras import read_extras
from parindex.framework.annex.findings import (
    AREA_EMPTY,
    FRAMEWORK_INVALID,
    HEADER_MISSING_COLUMN,
    HIDDEN_ROW,
    METADATA_DEFAULT,
    OTHER_SHEETS,
    PARENT_RULE,
    Recorder,
)
from parindex.framework.annex.layout import Layout, choose_tables, find_layout
from parindex.framework.annex.rules import RuleReader, evidence_fields
from parindex.framework.annex.table import SourceTable, read_table
from parindex.framework.annex.tree import Entry, Sums, TreeBuilder, walk
from parindex.framework.model import Framework
from parindex.framework.ruletext import slug

__all__ = ["AnnexImport", "import_annex"]


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

    def write(self, out: Path, *, force: bool = False) -> None:
        """Write the framework YAML as read, whether or not it is valid (see module doc).

        An existing file is kept unless ``force``; the table read is never overwritten."""
        write_text_output(out, self.yaml_text(), force=force, inputs=(self.path,),
                          parents=True)


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
    chosen = choose_tables(tables)
    if not chosen:
        raise InputError([Problem(
            "no criteria table found: expected a header row with a name column "
            "('Lĩnh vực/Tiêu chí/Tiêu chí thành phần', 'Nội dung') and a points column "
            "('Điểm tối đa', 'Điểm chuẩn')", path)], "cannot read annex table")
    importer = _Importer(path, chosen)
    for table, _ in chosen:
        for row in table.hidden_rows:
            text = " | ".join(c.text for c in row.cells if c.text and not c.merged)
            if text:
                shown = text if len(text) <= 120 else text[:119] + "…"
                importer.rec.at(HIDDEN_ROW, f"dòng ẩn, không đọc: {shown}", row)
    read = chosen[0][0]
    others = [t.sheet for t in tables if t.sheet is not None and t is not read
              and find_layout(t.rows) is not None]
    if read.sheet is not None and others:
        importer.rec.at(OTHER_SHEETS, f"đọc trang '{read.sheet}'"
                        + (" (trang ẩn)" if read.hidden else "") + "; không đọc "
                        + ", ".join(f"'{o}'" for o in others), None)
    return importer.run(
        id=id, title=title, province=province, level=level, year=year, status=status)


_ROLE_VI = {"code": "số thứ tự (STT)", "rule": "cách chấm điểm"}


class _Importer:
    """Entries → framework data: items, sums, rules, metadata, and the import report."""

    def __init__(self, path: Path, chosen: list[tuple[SourceTable, Layout]]) -> None:
        self.path = path
        self.chosen = chosen
        self.rec = Recorder(path)
        self.tree = TreeBuilder(chosen, self.rec)
        self.sums = Sums(self.rec)
        self.rules = RuleReader(self.rec, self.tree.by_code)

    def run(self, **meta: Any) -> AnnexImport:
        areas = self.tree.build()
        lay = self.chosen[0][1]
        stats: dict[str, Any] = {
            "rows_read": self.tree.rows_read,
            "header_rows": [r for _, la in self.chosen[:1] for r in la.header_rows],
            "columns": dict(lay.headers),
        }
        for role in ("code", "rule"):
            if role not in lay.columns:
                self.rec.at(HEADER_MISSING_COLUMN, f"không tìm thấy cột {_ROLE_VI[role]}", None)
        area_data = [self.item(a) for a in areas]
        declared = self.sums.total(areas, self.tree.total, self.tree.total_row)
        data = self.metadata(meta, declared)
        data["areas"] = area_data
        extras = read_extras(self.tree.extras, self.path, self.rec)
        if extras:
            data["extras"] = extras
        try:
            Framework.model_validate(data)
        except ValidationError as exc:
            self.rec.findings += _validation_findings(exc, data, self.path, {"reported"})
        stats.update(self._stats(areas, declared))
        report = Report.of(f"Nhập bảng tiêu chí {self.path.name}", self.rec.findings, **stats)
        return AnnexImport(self.path, data, report, self.header_comment(report))

    def _stats(self, areas: list[Entry], declared: Decimal) -> dict[str, Any]:
        leaves = [n for a in areas for n in walk(a) if n.is_leaf]
        kept = self.rules.kept
        return dict(
            areas=len(areas),
            criteria=sum(len(a.children) for a in areas),
            sub_criteria=sum(len(c.children) for a in areas for c in a.children),
            scored_items=len(leaves),
            total_points=float(declared),
            sums_checked=self.sums.checked,
            sums_mismatched=self.sums.mismatched,
            rules_recognised=len(leaves) - len(kept),
            rules_kept_as_text=len(kept),
            rules_kept_as_text_items=list(kept),
            rules_by_kind=dict(sorted(self.rules.kinds.items())),
            ambiguities=sum(1 for f in self.rec.findings if f.severity == "warning"),
            extra_items=sum(len(b.entries) for b in self.tree.extras.values()),
        )

    def metadata(self, meta: dict[str, Any], total: Decimal) -> dict[str, Any]:
        preamble = self.tree.preamble
        year = meta["year"]
        if year is None:
            m = re.search(r"năm\s+(20\d\d)", " ".join(preamble), re.I)
            if m:
                year = int(m.group(1))
            else:
                year = dt.date.today().year
                self.rec.at(METADATA_DEFAULT, f"năm đánh giá không ghi, lấy năm hiện tại {year}",
                            None)
        named = [line for line in preamble
                 if re.search(r"tiêu chí|chỉ số", line, re.I) and len(line) < 300]
        title = meta["title"] or next(iter(named + preamble), None) or (
            f"Bộ tiêu chí nhập từ {self.path.name}")
        province = meta["province"]
        if not province:
            province = "chưa xác định"
            self.rec.at(METADATA_DEFAULT, "tỉnh không ghi (--province)", None)
        fid = meta["id"] or slug(self.path.stem, 60)
        note = f"Nhập từ bảng {self.path.name} bằng parindex"
        note += "; cần đối chiếu với văn bản gốc." if meta["status"] == "provisional" else "."
        data: dict[str, Any] = {
            "kind": "parindex/framework", "schema_version": 1, "id": fid, "title": title,
            "province": province, "level": meta["level"], "scoring_year": year,
        }
        basis = [p for line in preamble if re.match(r"căn cứ\s*:", line, re.I)
                 for p in line.split(":", 1)[1].split(";") if p.strip()]
        if basis:
            data["legal_basis"] = [p.strip() for p in basis]
        data.update(status=meta["status"], status_note=note, total_points=total)
        return data

    def item(self, e: Entry) -> dict[str, Any]:
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
            out.update(evidence_fields(e.evidence))
        notes = [e.note] if e.note else []
        if e.children:
            mismatch = self.sums.children(e)
            if mismatch:
                notes.append(mismatch)
            if e.rule_text and e.level > 1:
                self.rec.at(PARENT_RULE, f"{e.code} có mục con nhưng có cách chấm; giữ làm "
                            "hướng dẫn", e.row, e.code)
        elif e.level > 1:
            self.rules.read(e, out)
        else:
            self.rec.at(AREA_EMPTY, f"lĩnh vực {e.code} không có tiêu chí nào", e.row, e.code)
        if notes:
            out["note"] = "\n".join(notes)
        key = "criteria" if e.level == 1 else "sub_criteria"
        if e.children:
            out[key] = [self.item(c) for c in e.children]
        return out

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
                 else [(loc, error_message(err))])
        for where, message in pairs:
            if "reported" in skip and _already_reported(err["type"], where, message):
                continue
            item, line = _source_of(data, where)
            key = ".".join(str(p) for p in where)
            out.append(FRAMEWORK_INVALID(f"{key}: {message}", item=item, file=str(path),
                                         line=line))
    return out


def _source_of(data: dict[str, Any], where: tuple[Any, ...]) -> tuple[str | None, int | None]:
    """The code and source row of the deepest item on the path ``where`` into ``data``."""
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
    return item, line
