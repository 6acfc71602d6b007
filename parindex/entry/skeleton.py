"""``parindex new``: a department's own dossier folder, ready to be filled.

:func:`new_dossier` writes ``dossier.yaml``, a ``self-assessment.yaml`` that lists every
self-scored item of the framework with what its rule asks (as comments, the item itself left
blank so that it scores as missing input), an empty ``register.yaml``, ``documents/`` and,
when given, the plan imported from the signed document. The folder must be new or empty.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from parindex.core.errors import ParindexError
from parindex.core.findings import Report
from parindex.core.output import OutputError, write_text_output
from parindex.core.yamlio import dump_yaml
from parindex.entry.fields import needs_of
from parindex.framework.catalog import load_framework
from parindex.framework.extras import GROUP_VI
from parindex.framework.model import Framework, Node
from parindex.framework.rules import ChoiceRule, DeductionRule, _fmt
from parindex.plan.model import Plan, dump_plan

__all__ = ["NewDossier", "new_dossier", "skeleton_text"]


@dataclass(frozen=True)
class NewDossier:
    """What :func:`new_dossier` wrote."""

    root: Path
    files: tuple[str, ...]
    items: int
    """Self-scored items listed in the skeleton."""
    plan_tasks: int | None = None
    plan_report: Report | None = None
    warnings: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, object]:
        return {"dossier": str(self.root), "files": list(self.files), "items": self.items,
                "plan_tasks": self.plan_tasks,
                "plan_lint": self.plan_report.to_dict() if self.plan_report else None,
                "warnings": list(self.warnings)}


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escaping is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _item_comment(node: Node) -> list[str]:
    needs = needs_of(node)
    head = f"  # {node.code} {node.name} (tối đa {_fmt(node.max_points)} điểm)"
    lines = [head]
    if needs.options:
        lines.append("  #   option: " + " | ".join(
            f"{oid} = {label} ({_fmt(pts)})" for oid, label, pts in needs.options))
    if "percent" in needs.columns:
        lines.append("  #   done: số đã thực hiện, total: tổng số — hoặc percent: tỷ lệ 0–100")
    elif "total" in needs.columns:
        lines.append("  #   total: tổng số")
    if "count" in needs.columns:
        lines.append("  #   count: số lượng")
    if "points" in needs.columns:
        lines.append(f"  #   points: 0–{_fmt(node.max_points)}, kèm explanation (giải trình)")
    if needs.details:
        key = needs.details[0].field
        if key == "occurrences":
            parts = [f"{d.id}: số lần {d.label} (-{_fmt(d.value)}/lần)" for d in needs.details]
        else:
            parts = [f"{d.id}: số {d.label} (× {_fmt(d.value)})" for d in needs.details]
        lines.append(f"  #   {key}: {{{', '.join(parts)}}}")
    if node.rule is not None and not needs.options:
        lines.append(f"  #   cách chấm: {node.rule.describe()}")
    if needs.not_applicable:
        when = getattr(node.item, "not_applicable_when", None)
        lines.append("  #   not_applicable: true được phép" + (f" khi {when}" if when else ""))
    if needs.derived:
        lines.append("  #   tự tính từ plan.yaml (kế hoạch CCHC) khi hồ sơ có kế hoạch")
    return lines


def skeleton_text(framework: Framework, unit: str) -> str:
    """``self-assessment.yaml`` listing every self-scored item, each blank (not entered)."""
    out = [
        "# yaml-language-server: $schema=../schema/self-assessment.schema.json",
        f"# Tự đánh giá Chỉ số CCHC — {unit}; bộ tiêu chí {framework.id}.",
        "# Mỗi tiêu chí để trống là chưa nhập; ghi theo gợi ý ở dòng chú thích phía trên, ví dụ",
        '#   "1.1.1": {option: kip-thoi}   hoặc   "1.3.2": {done: 3, total: 8}',
        "# Thêm explanation (giải trình) và note (ghi chú) khi cần. Có thể nhập bằng phiếu Excel:",
        "#   parindex form export HỒ-SƠ -o phieu.xlsx, rồi parindex form import HỒ-SƠ phieu.xlsx",
        "kind: parindex/self-assessment",
        "schema_version: 1",
        "items:",
    ]
    for area in framework.areas:
        leaves = [n for n in framework.leaves() if n.area == area.code and n.method != "survey"]
        if not leaves:
            continue
        out.append(f"  # {area.code}. {area.name}")
        for node in leaves:
            out += _item_comment(node)
            out.append(f"  {_q(node.code)}:")
        out.append("")
    out += _extras_lines(framework)
    return "\n".join(out).rstrip("\n") + "\n"


def _extras_lines(fw: Framework) -> list[str]:
    """The bonus and penalty items, blank (none claimed, none recorded), after the tree; an
    item computed from the appraisal is named but not listed (it is not typed)."""
    out: list[str] = []
    for group, grp in fw.extras.groups() if fw.extras else ():
        cap = f", tối đa {_fmt(grp.max_points)} điểm" if grp.max_points is not None else ""
        out.append(f"  # {GROUP_VI[group]} (ngoài tổng điểm{cap}): để trống nếu không có")
        for it in grp.items:
            head = f"  # {it.code} {it.name} (tối đa {_fmt(it.max_points)} điểm)"
            if it.from_appraisal:
                out.append(head + ": tính từ kết quả thẩm định, không nhập")
                continue
            out += [head, f"  #   cách chấm: {it.rule.describe()}"]
            if isinstance(it.rule, ChoiceRule):
                out.append("  #   option: " + " | ".join(o.id for o in it.rule.options))
            elif isinstance(it.rule, DeductionRule):
                out.append("  #   occurrences: {" + ", ".join(
                    f"{p.id}: số lần" for p in it.rule.penalties) + "}")
            out.append(f"  {_q(it.code)}:")
        out.append("")
    return out


_PROVINCE = re.compile(r"\b(?:tỉnh|thành phố)\s+(.+)$", re.IGNORECASE)


def _manifest_text(unit: str, year: int, framework: str, province: str) -> str:
    data = {
        "kind": "parindex/dossier", "schema_version": 1, "unit": unit,
        "superior": f"UBND TỈNH {province.upper()}", "province": province, "year": year,
        "framework": framework,
    }
    head = ("yaml-language-server: $schema=../schema/dossier.schema.json\n"
            f"Hồ sơ tự đánh giá Chỉ số CCHC năm {year} — {unit}.\n"
            "Có thể bổ sung: unit_code (mã cơ quan trong số ký hiệu, ví dụ SKHCN), "
            "submission_deadline.")
    return dump_yaml(data, head)


REGISTER_TEXT = """\
# yaml-language-server: $schema=../schema/register.schema.json
# Sổ tài liệu kiểm chứng (evidence register) — parindex/register, schema_version 1.
# Mỗi văn bản: id, number (số ký hiệu), type, date, issuer, subject (trích yếu),
# files (đường dẫn trong hồ sơ, ví dụ documents/kh-cchc.pdf), proves (mã tiêu chí), tasks.
kind: parindex/register
schema_version: 1
documents: []
"""


def _check_target(root: Path) -> None:
    if root.exists() and not root.is_dir():
        raise OutputError(root, "đây là một tệp, không phải thư mục")
    if root.is_dir() and any(root.iterdir()):
        raise OutputError(root, "thư mục đã có nội dung; parindex new chỉ tạo hồ sơ trong "
                                "thư mục mới hoặc rỗng (không ghi đè hồ sơ đã có)")
    if not root.parent.is_dir():
        raise OutputError(root, f"không có thư mục cha {root.parent}")


def new_dossier(
    folder: Path | str,
    unit: str,
    year: int,
    *,
    framework: str | Path = "qn-so-2021",
    plan: Path | str | None = None,
    units: Path | str | None = None,
) -> NewDossier:
    """Create a new dossier folder; raises :class:`~parindex.core.output.OutputError` (exit 2)
    when it is not empty.

    ``framework`` is a shipped id or a framework file (copied into the dossier). ``plan`` is
    the signed plan (``.docx`` or ``.txt``), imported into ``plan.yaml`` and linted; ``units``
    a unit registry for it (also written into ``plan.yaml`` when no plan is given).
    """
    from parindex.plan.importer import import_plan
    from parindex.plan.lint import lint_plan
    from parindex.plan.units import load_units

    root = Path(folder)
    unit = unit.strip()
    if not unit:
        raise ParindexError("tên đơn vị (--unit) không được để trống")
    _check_target(root)
    fw_path = Path(framework)
    fw = load_framework(framework)
    registry = load_units(units) if units is not None else None
    imported: Plan | None = None
    if plan is not None:
        imported = import_plan(plan, registry, year=year, issuer=unit)
        imported = imported.model_copy(update={"framework": fw.id})
    elif registry is not None:
        imported = Plan(year=year, issuer=unit, framework=fw.id, units=registry)
    warnings = []
    if fw.scoring_year != year:
        warnings.append(f"bộ tiêu chí {fw.id} dùng cho năm {fw.scoring_year}, hồ sơ năm {year}")
    match = _PROVINCE.search(unit)
    province = match.group(1).strip() if match else fw.province

    try:
        root.mkdir(exist_ok=True)
    except OSError as exc:
        raise OutputError(root, exc.strerror or str(exc)) from None
    files = []
    fw_ref = fw.id
    if fw_path.suffix.lower() in {".yaml", ".yml"} and fw_path.is_file():
        shutil.copyfile(fw_path, root / fw_path.name)
        fw_ref = fw_path.name
        files.append(fw_path.name)
    schemas = (root.parent / "schema").is_dir()  # beside the shipped schemas (evidence/)

    def put(name: str, text: str) -> None:
        if not schemas:  # the editor hint would point at nothing
            text = "".join(line for line in text.splitlines(keepends=True)
                           if not line.startswith("# yaml-language-server:"))
        write_text_output(root / name, text)

    put("dossier.yaml", _manifest_text(unit, year, fw_ref, province))
    put("self-assessment.yaml", skeleton_text(fw, unit))
    put("register.yaml", REGISTER_TEXT)
    (root / "documents").mkdir(exist_ok=True)
    files += ["dossier.yaml", "self-assessment.yaml", "register.yaml", "documents/"]
    report = None
    if imported is not None:
        write_text_output(root / "plan.yaml", dump_plan(imported))
        files.append("plan.yaml")
        if plan is not None:
            report = lint_plan(imported, fw, subject=str(root / "plan.yaml"))
    items = sum(1 for n in fw.leaves() if n.method != "survey")
    return NewDossier(root, tuple(files), items,
                      len(imported.tasks) if imported is not None and plan is not None else None,
                      report, tuple(warnings))

