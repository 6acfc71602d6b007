"""``parindex form import``: filled forms back into ``self-assessment.yaml``.

Each form is read (:mod:`parindex.entry.form_read`); then, item by item:

* a row **changed** in a form since it was exported is that unit's answer; two forms that
  changed the same item differently contradict each other: the item is refused and both values
  shown;
* a row left **as exported** only fills an item the dossier has no input for yet (so a form
  exported before someone edited the YAML never undoes that edit);
* an answer equal to what the dossier holds changes nothing.

The changes are written in one atomic replacement that keeps every comment and every field
the forms do not carry (:mod:`parindex.entry.sayaml`); ``dry_run`` only reports them. Items
with a finding are left as they are; the others are imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parindex.core.display import clip, html_block, html_table
from parindex.core.findings import Finding, Report, define
from parindex.core.output import write_text_output
from parindex.entry.fields import carried
from parindex.entry.form_extras import extra_codes
from parindex.entry.form_layout import canonical
from parindex.entry.form_read import Answer, FormRead, read_form
from parindex.entry.sayaml import update_self_assessment
from parindex.scoring.dossier import Dossier, load_dossier

__all__ = ["Change", "FormImport", "import_forms", "show_values"]

CONTRADICTION = define(
    "form-contradiction", "error", "Hai phiếu ghi khác nhau cho cùng một tiêu chí",
    "Thống nhất với hai phòng, đơn vị; sửa một phiếu cho khớp rồi nhập lại cả hai.", "form")


@dataclass(frozen=True)
class Change:
    """One item whose carried values change: ``old`` → ``new``."""

    item: str
    old: dict[str, Any]
    new: dict[str, Any]
    source: str
    """Where the new values come from: "phieu-vp.xlsx, dòng 12"."""

    def to_dict(self) -> dict[str, Any]:
        return {"item": self.item, "old": canonical(self.old), "new": canonical(self.new),
                "source": self.source}


@dataclass(frozen=True)
class FormImport:
    """The result of :func:`import_forms`."""

    target: Path
    changes: tuple[Change, ...]
    report: Report
    dry_run: bool
    written: bool

    def __repr__(self) -> str:
        errors = sum(1 for f in self.report.findings if f.severity == "error")
        state = "dry run" if self.dry_run else ("written" if self.written else "not written")
        return clip(f"<FormImport {self.target.name}: {len(self.changes)} change(s), {state}, "
                    f"{len(self.report.findings)} finding(s), {errors} error(s)>")

    def _repr_html_(self) -> str:
        state = ("thử, chưa ghi" if self.dry_run else
                 "đã ghi" if self.written else "chưa ghi")
        lines = [f"{len(self.changes)} thay đổi vào {self.target.name} ({state}); "
                 f"{len(self.report.findings)} phát hiện"]
        lines += [f"{f.code}: {f.message}" for f in self.report.findings[:10]]
        table = html_table(["Tiêu chí", "Trước", "Sau", "Nguồn"],
                           [(c.item, show_values(c.old), show_values(c.new), c.source)
                            for c in self.changes], limit=60)
        return html_block("Nhập phiếu số liệu", lines, [table])

    def to_dict(self) -> dict[str, Any]:
        return {"target": str(self.target), "dry_run": self.dry_run, "written": self.written,
                "changes": [c.to_dict() for c in self.changes], "report": self.report.to_dict()}


def show_values(values: dict[str, Any]) -> str:
    """Carried values as one short line: ``option=dat, done=3, total=8``."""
    if not values:
        return "(trống)"
    parts = []
    for k, v in canonical(values).items():
        if isinstance(v, dict):
            v = "{" + ", ".join(f"{a}: {b}" for a, b in v.items()) + "}"
        elif isinstance(v, str) and len(v) > 40:
            v = v[:39] + "…"
        parts.append(f"{k}={v}")
    return ", ".join(parts)


def _decide(code: str, answers: list[Answer], current: dict[str, Any],
            findings: list[Finding]) -> Answer | None:
    touched = [a for a in answers if a.touched and a.values]
    pool = touched or ([a for a in answers if a.values] if not current else [])
    distinct: dict[str, Answer] = {}
    for a in pool:
        distinct.setdefault(repr(canonical(a.values)), a)
    if len(distinct) > 1:
        first, second = list(distinct.values())[:2]
        findings.append(CONTRADICTION(
            f"Tiêu chí {code}: {first.place()} ghi {show_values(first.values)}; {second.place()} "
            f"ghi {show_values(second.values)}. Không nhập tiêu chí này.", item=code,
            file=f"{first.file}; {second.file}", document=f"A{first.row}; A{second.row}"))
        return None
    return next(iter(distinct.values()), None)


def import_forms(dossier: Dossier | Path | str, forms: Sequence[Path | str], *,
                 dry_run: bool = False) -> FormImport:
    """Read ``forms`` into the dossier's ``self-assessment.yaml`` (see the module)."""
    d = dossier if isinstance(dossier, Dossier) else load_dossier(dossier)
    target = d.path(d.manifest.files.self_assessment)
    reads: list[FormRead] = [read_form(d, Path(f)) for f in forms]
    findings: list[Finding] = [f for r in reads for f in r.findings]
    by_code: dict[str, list[Answer]] = {}
    for r in reads:
        if r.usable:
            for code, answer in r.answers.items():
                by_code.setdefault(code, []).append(answer)
    typed = d.self_assessment.items
    changes = []
    codes = [n.code for n in d.framework.leaves()] + list(extra_codes(d.framework))
    order = {code: i for i, code in enumerate(codes)}
    for code in sorted(by_code, key=lambda c: order.get(c, len(order))):
        current = carried(typed.get(code))
        chosen = _decide(code, by_code[code], current, findings)
        if chosen is None or canonical(chosen.values) == canonical(current):
            continue
        if not chosen.values:
            continue  # a row emptied in a form never erases what the dossier holds
        changes.append(Change(code, current, chosen.values, chosen.place()))
    written = False
    if changes and not dry_run:
        text = update_self_assessment(target, d.framework, {c.item: c.new for c in changes})
        write_text_output(target, text, force=True, inputs=forms)  # target: inside, confined
        written = True
    stats = {"forms": len(reads), "forms_used": sum(r.usable for r in reads),
             "rows": sum(r.rows for r in reads), "changes": len(changes)}
    report = Report.of(f"Nhập phiếu vào {target}", findings, **stats)
    return FormImport(target, tuple(changes), report, dry_run, written)
