"""The findings reference page, generated from the catalogue.

``python -m parindex.reference`` rewrites ``docs/findings.md``; a test fails when the
committed page differs from the catalogue.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from parindex.core.findings import CATALOGUE, FindingKind

__all__ = ["FINDING_MODULES", "render_reference", "write_reference"]

FINDING_MODULES = (
    "parindex.evidence.check",
    "parindex.evidence.deadlines",
    "parindex.evidence.readings",
    "parindex.plan.lint",
    "parindex.framework.annex.findings",
    "parindex.workbook.read",
    "parindex.workbook.read_sheet",
    "parindex.province.sheet",
    "parindex.province.survey",
    "parindex.province.rollup",
    "parindex.entry.form_read",
    "parindex.entry.form_import",
)
"""Modules that define finding kinds (imported so that the catalogue is complete)."""

_TOPICS = {
    "check": "Kiểm tra hồ sơ trước khi gửi (`parindex check`)",
    "plan": "Kiểm tra kế hoạch CCHC (`parindex plan lint`)",
    "annex": "Nhập bảng tiêu chí (`parindex criteria import`)",
    "workbook": "Đọc lại bảng điểm sau thẩm định (`parindex import-workbook`)",
    "province": "Tổng hợp của Sở Nội vụ (`parindex province`)",
    "form": "Nhập phiếu số liệu của các phòng, đơn vị (`parindex form import`)",
}
_SEVERITY = {"error": "lỗi", "warning": "cảnh báo", "info": "thông tin"}


def _load_all() -> dict[str, FindingKind]:
    for name in FINDING_MODULES:
        importlib.import_module(name)  # a module renamed and not listed here fails loudly
    return CATALOGUE


def render_reference() -> str:
    kinds = _load_all()
    out = [
        "# Findings reference (Danh mục phát hiện)",
        "",
        "Generated from the findings catalogue by `python -m parindex.reference`; do not edit.",
        "Codes are stable: tools may rely on them. Severity `error` makes a check fail",
        "(exit code 1); `warning` and `info` do not.",
        "",
    ]
    topics = sorted({k.topic for k in kinds.values()},
                    key=lambda t: (list(_TOPICS).index(t) if t in _TOPICS else 99, t))
    for topic in topics:
        out += [f"## {_TOPICS.get(topic, topic)}", "",
                "| code | mức | nội dung | cách khắc phục |", "|---|---|---|---|"]
        for kind in sorted((k for k in kinds.values() if k.topic == topic),
                           key=lambda k: k.code):
            hint = kind.hint.replace("|", "\\|").replace("\n", " ")
            title = kind.title.replace("|", "\\|")
            out.append(f"| `{kind.code}` | {_SEVERITY[kind.severity]} | {title} | {hint} |")
        out.append("")
    return "\n".join(out)


def write_reference(root: Path | None = None) -> Path:
    base = root or Path(__file__).resolve().parent.parent
    path = base / "docs" / "findings.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_reference(), encoding="utf-8")
    return path


if __name__ == "__main__":  # pragma: no cover
    print(write_reference())
