"""Import a CCHC plan from the document itself: ``.txt`` (text extracted from the signed PDF)
or ``.docx`` (prose, or tasks in a table STT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp |
Sản phẩm | Thời gian).

The text is first cut into logical lines: a PDF extraction breaks sentences across lines and
blank lines and leaves a leading space after page breaks, so a line that does not start a
heading ("II.", "1.", "6.2.", "a)"), a bullet ("-", "+") or a field is joined to the one
before it. Headings are then arranged as a tree; in the part holding the tasks ("NHIỆM VỤ …")
every heading without sub-headings is a task, the others are sections. Field lines ("Đơn vị chủ
trì thực hiện:", "Cơ quan phối hợp:", "Sản phẩm:", "Thời gian thực hiện:" and their variants)
fill the task; a bullet without a field label followed by "+" field lines is an activity. The
reporting schedule is read from "Báo cáo quý I: Trước ngày …" lines outside the task part.

Re-importing over a plan that exists never overwrites it silently: :func:`merge_plans` keeps
what was curated (mapping, status, dates, evidence, units) and reports what changed.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from parindex.core.base import nfc
from parindex.core.errors import InputError, Problem
from parindex.plan.model import REPORT_LABELS, Activity, Plan, ReportDue, Section, Task
from parindex.plan.timeframe import Timeframe, parse_timeframe
from parindex.plan.units import UnitRegistry

__all__ = ["MergeResult", "import_plan", "logical_lines", "merge_plans", "parse_plan_lines"]

FieldName = Literal["lead", "coordinating", "products", "timeframe", "notes"]

_ROMAN_HEAD = re.compile(r"^(X{0,3}(?:IX|IV|V?I{0,3}))\.\s+(\S.*)$")
_NUM_HEAD = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
_DOTTED_HEAD = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\.?\s+(\S.*)$")
_LETTER_HEAD = re.compile(r"^([a-zđ])\)\s*(\S.*)$")
_BULLET = re.compile(r"^([-+•*–])\s*(.*)$")
_FIELD = re.compile(r"^([^:]{2,60}?)\s*:\s*(.*)$")
_REPORT = re.compile(
    r"^báo\s+cáo\s+(?:định\s+kỳ\s+)?(quý\s+(?:iv|i{1,3})|6\s+tháng|9\s+tháng|năm)\b[^:]*?"
    r"(?::|,|\s-)\s*(.*\d{4}.*)$", re.IGNORECASE)
_BARE = re.compile(r"^(?:X{0,3}(?:IX|IV|V?I{0,3})\.|\d{1,2}(?:\.\d{1,2})*\.|[a-zđ]\)|[-+•*–])$")
"""A line holding only a heading number or a bullet: the PDF broke the line right after it."""
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
_STARTS = (
    re.compile(r"^X{0,3}(?:IX|IV|V?I{0,3})\.\s+\S"), re.compile(r"^\d{1,2}\.\s+\S"),
    re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s+\S"), re.compile(r"^[a-zđ]\)\s*\S"),
    re.compile(r"^[-+•*–]\s"), re.compile(r"^Số\s*:"), _BARE,
)
_TASK_PARTS = (re.compile(r"nhiệm\s+vụ", re.IGNORECASE),
               re.compile(r"nội\s+dung|giải\s+pháp", re.IGNORECASE))
_OTHER_PART = re.compile(r"mục\s+đích|yêu\s+cầu|tổ\s+chức\s+thực\s+hiện", re.IGNORECASE)


def _field_name(label: str) -> FieldName | None:
    low = label.lower().strip()
    if len(low.split()) > 9:
        return None
    if re.search(r"thời\s+gian|thời\s+hạn|tiến\s+độ|hạn\s+hoàn\s+thành", low):
        return "timeframe"
    if "phối hợp" in low:
        return "coordinating"
    if re.search(r"chủ\s+trì|^(?:đơn\s+vị|cơ\s+quan)[^:]*thực\s+hiện$|trách\s+nhiệm", low):
        return "lead"
    if re.search(r"sản\s+phẩm|kết\s+quả", low):
        return "products"
    if "ghi chú" in low:
        return "notes"
    return None


def logical_lines(text: str) -> list[tuple[int, str]]:
    """``(line number, text)`` of each logical line: broken lines joined, blanks dropped.

    Before the first heading (the document's header), physical lines are kept apart. A line
    holding only a number or a bullet ("1.", "a)", "-") starts a logical line: the PDF broke
    the line right after it. A line holding only digits is a page number and is dropped.
    """
    out: list[tuple[int, str]] = []
    in_header = True
    for number, raw in enumerate(nfc(text).splitlines(), start=1):
        line = re.sub(r"\s+", " ", raw.replace("\u00a0", " ")).strip()
        if not line or _PAGE_NUMBER.match(line):  # blank, or a page number alone
            continue
        starts = any(p.match(line) for p in _STARTS)
        if starts and out and not in_header and _mid_sentence_dash(out[-1][1], line):
            starts = False
        if in_header and (_heading(line) is not None or _BARE.match(line)):
            in_header = False
        if starts or in_header or not out:
            out.append((number, line))
        else:
            prev_no, prev = out[-1]
            out[-1] = (prev_no, f"{prev} {line}")
    return out


def _mid_sentence_dash(prev: str, line: str) -> bool:
    """A "- …" line that continues a sentence ("Phòng Kế hoạch" / "- Tài chính; …"): the
    line before it neither ends a clause nor is a heading, and it carries no field label."""
    bullet = _BULLET.match(line)
    if bullet is None or bullet.group(1) not in "-–":
        return False
    if re.search(r"[.:;!?…]$", prev) or _heading(prev) is not None:
        return False
    m = _FIELD.match(bullet.group(2))
    return not (m and _field_name(m.group(1)))


@dataclass
class _Head:
    kind: Literal["part", "num", "letter"]
    key: str
    label: str
    title: str
    line: int
    depth: int
    parent: _Head | None = None
    children: list[_Head] = field(default_factory=list)
    body: list[tuple[int, str]] = field(default_factory=list)
    code: str = ""


def _roman_ok(key: str) -> bool:
    return bool(key) and re.fullmatch(r"X{0,3}(?:IX|IV|V?I{0,3})", key) is not None


def _heading(line: str) -> tuple[Literal["part", "num", "letter"], str, str, str] | None:
    m = _ROMAN_HEAD.match(line)
    if m and _roman_ok(m.group(1)):
        return "part", m.group(1), m.group(1) + ".", m.group(2)
    m = _DOTTED_HEAD.match(line)
    if m:
        label = line[: m.start(2)].strip()
        return "num", m.group(1), label, m.group(2)
    m = _NUM_HEAD.match(line)
    if m:
        return "num", m.group(1), m.group(1) + ".", m.group(2)
    m = _LETTER_HEAD.match(line)
    if m:
        return "letter", m.group(1), m.group(1) + ")", m.group(2)
    return None


def _tree(lines: list[tuple[int, str]]) -> tuple[list[_Head], list[tuple[int, str]]]:
    """Headings as a forest (parts at the top), and the header lines before any heading."""
    roots: list[_Head] = []
    stack: list[_Head] = []
    header: list[tuple[int, str]] = []
    for number, line in lines:
        head = _heading(line)
        if head is None:
            if stack:
                stack[-1].body.append((number, line))
            else:
                header.append((number, line))
            continue
        kind, key, label, title = head
        if kind == "part":
            depth = 0
        elif kind == "num":
            depth = key.count(".") + 1
        else:
            depth = 10
        node = _Head(kind, key, label, title, number, depth)
        while stack and stack[-1].depth >= depth:
            stack.pop()
        if kind == "num" and "." in key:
            # "6.2." sits under "6."; pop numbered headings that are not its ancestors
            while stack and stack[-1].kind == "num" and not key.startswith(stack[-1].key + "."):
                stack.pop()
        if stack:
            node.parent = stack[-1]
            stack[-1].children.append(node)
        else:
            roots.append(node)
        stack.append(node)
    return roots, header


def _walk(nodes: Iterable[_Head]) -> Iterator[_Head]:
    for n in nodes:
        yield n
        yield from _walk(n.children)


def _assign_codes(roots: list[_Head]) -> None:
    """Codes as written ("II.6.2.a"); a number written twice gets a suffix ("II.7.b-2")."""
    used: Counter[str] = Counter()
    for n in _walk(roots):
        if n.kind == "part":
            base = n.key
        elif n.kind == "num":
            top = n.parent
            while top is not None and top.kind != "part":
                top = top.parent
            base = f"{top.code}.{n.key}" if top is not None else n.key
        else:
            base = f"{n.parent.code}.{n.key}" if n.parent is not None else n.key
        used[base] += 1
        n.code = base if used[base] == 1 else f"{base}-{used[base]}"


def _task_parts(roots: list[_Head], table_parts: frozenset[int]) -> list[_Head]:
    """The parts holding the tasks: "NHIỆM VỤ …" (else "NỘI DUNG"/"GIẢI PHÁP", else every
    part but purpose and organisation), plus the roman-numbered rows of a task table."""
    parts = [r for r in roots if r.kind == "part"]
    if not parts:
        return roots
    chosen: list[_Head] = []
    for pattern in _TASK_PARTS:  # "NHIỆM VỤ …" first: a later "GIẢI PHÁP …" part is prose
        chosen = [p for p in parts if pattern.search(p.title)]
        if chosen:
            break
    else:
        chosen = [p for p in parts if not _OTHER_PART.search(p.title)]
    if any(p.line in table_parts for p in parts):
        return [p for p in parts if p.line in table_parts or (p in chosen and p.children)]
    return chosen


@dataclass
class _Fields:
    lead: list[str] = field(default_factory=list)
    coordinating: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    timeframe: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, name: FieldName, value: str) -> None:
        getattr(self, name).append(value)

    def empty(self) -> bool:
        return not (self.lead or self.coordinating or self.products or self.timeframe)


def _split_products(values: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        out += [p.strip(" .;") for p in re.split(r"\s*;\s*", value) if p.strip(" .;")]
    return tuple(out)


class _Builder:
    def __init__(self, registry: UnitRegistry, year: int) -> None:
        self.registry = registry
        self.year = year

    def units(self, values: list[str]) -> tuple[str, ...]:
        out: list[str] = []
        for value in values:
            out += [n for n in self.registry.split(value) if n not in out]
        return tuple(out)

    def timeframe(self, values: list[str]) -> Timeframe | None:
        return parse_timeframe("; ".join(v.strip() for v in values), self.year) if values else None

    def task(self, head: _Head) -> Task:
        title = head.title
        task_fields = _Fields()
        activities: list[tuple[str, _Fields]] = []
        extra: list[str] = []
        open_activity: _Fields | None = None
        for _, line in head.body:
            bullet = _BULLET.match(line)
            mark, content = (bullet.group(1), bullet.group(2)) if bullet else ("", line)
            m = _FIELD.match(content)
            name = _field_name(m.group(1)) if m else None
            if m and name:
                target = open_activity if (mark == "+" and open_activity is not None) else None
                if target is None:
                    open_activity = None
                    target = task_fields
                target.add(name, m.group(2).strip())
            elif bullet and mark != "+":
                open_activity = _Fields()
                activities.append((content.rstrip(" :"), open_activity))
            elif task_fields.empty() and not activities:
                title = f"{title} {line}"
            else:
                extra.append(line)
        kept: list[Activity] = []
        for act_title, f in activities:
            if f.empty():
                extra.append(act_title)
                continue
            kept.append(Activity(title=act_title, lead=self.units(f.lead),
                                 coordinating=self.units(f.coordinating),
                                 products=_split_products(f.products),
                                 timeframe=self.timeframe(f.timeframe)))
        notes = " ".join([*task_fields.notes, *extra]).strip() or None
        return Task(
            code=head.code, label=head.label,
            section=head.parent.code if head.parent is not None else None,
            title=title.strip().rstrip(":").strip(),
            lead=self.units(task_fields.lead), coordinating=self.units(task_fields.coordinating),
            products=_split_products(task_fields.products),
            timeframe=self.timeframe(task_fields.timeframe), activities=tuple(kept), notes=notes)


def _sentence_case(upper: str) -> str:
    words = upper.split()
    out: list[str] = []
    cap_next = True
    for w in words:
        low = w.lower()
        out.append(low[:1].upper() + low[1:] if cap_next else low)
        cap_next = low in {"sở", "và", "-", "–"} or w.endswith(",")
    return " ".join(out)


@dataclass
class _Header:
    issuer: str | None = None
    number: str | None = None
    date: Any = None
    title: str | None = None


def _header(lines: list[tuple[int, str]]) -> _Header:
    import datetime as dt

    h = _Header()
    texts = [t for _, t in lines]
    for i, text in enumerate(texts):
        m = re.search(r"\bSố\s*:\s*([0-9A-Za-zĐđ/.\-]+)", text)
        if m and h.number is None:
            h.number = m.group(1).rstrip(".")
        m = re.search(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", text)
        if m and h.date is None:
            with contextlib.suppress(ValueError):
                h.date = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        m = re.match(r"^(?:.*?\s)?(SỞ\s+[A-ZÀ-Ỹ ,\-–]+?)(?:\s+CỘNG HÒA.*)?$", text)
        if m and h.issuer is None:
            h.issuer = _sentence_case(m.group(1).strip())
        if text.strip().upper() == "KẾ HOẠCH" and h.title is None:
            rest = texts[i + 1] if i + 1 < len(texts) else ""
            h.title = f"Kế hoạch {rest[:1].lower()}{rest[1:]}".strip()
    return h


def _infer_year(text: str) -> int | None:
    years = Counter(int(y) for y in re.findall(r"(?:năm\s+|/)(20\d\d)\b", text))
    return years.most_common(1)[0][0] if years else None


def _reports(lines: Iterable[tuple[int, str]], year: int) -> tuple[ReportDue, ...]:
    ids = {"quý i": "quy-1", "quý ii": "quy-2", "quý iii": "quy-3", "quý iv": "quy-4",
           "6 tháng": "6-thang", "9 tháng": "9-thang", "năm": "nam"}
    out: dict[str, ReportDue] = {}
    for _, line in lines:
        bullet = _BULLET.match(line)
        content = bullet.group(2) if bullet else line
        m = _REPORT.match(content)
        if not m:
            continue
        rid = ids[re.sub(r"\s+", " ", m.group(1).lower())]
        if rid not in out:
            out[rid] = ReportDue.model_validate({
                "id": rid, "label": REPORT_LABELS[rid],
                "timeframe": parse_timeframe(m.group(2), year)})
    return tuple(out.values())


def parse_plan_lines(lines: list[tuple[int, str]], registry: UnitRegistry | None = None, *,
                     year: int | None = None, source: str | None = None,
                     full_text: str = "", table_parts: frozenset[int] = frozenset()) -> Plan:
    """Build a :class:`Plan` from logical lines (see :func:`logical_lines`); ``table_parts``
    are the lines of roman-numbered table rows (areas of a task table)."""
    registry = registry or UnitRegistry()
    roots, header_lines = _tree(lines)
    head = _header(header_lines)
    text = full_text or "\n".join(t for _, t in lines)
    year = year or _infer_year(head.title or "") or _infer_year(text)
    if year is None:
        raise InputError([Problem("cannot tell the plan's year; give it with --year",
                                  Path(source) if source else None)], "cannot import plan")
    task_parts = _task_parts(roots, table_parts)
    # task parts first: their codes stay clean when a table restarts the numbering (I, II …)
    _assign_codes([*task_parts, *(r for r in roots if r not in task_parts)])
    builder = _Builder(registry, year)
    sections: list[Section] = []
    tasks: list[Task] = []
    task_nodes: set[int] = set()
    for part in task_parts:
        nodes = [part] if part.kind != "part" else []
        for node in [*nodes, *_walk(part.children)]:
            if node.children:
                sections.append(Section(code=node.code, label=node.label,
                                        title=node.title.rstrip(": ")))
            else:
                tasks.append(builder.task(node))
                task_nodes.add(id(node))
    have = {s.code for s in sections}
    sections[:0] = [  # tasks numbered right under a part ("II. … 1. …")
        Section(code=part.code, label=part.label, title=part.title.rstrip(": "))
        for part in task_parts if part.kind == "part" and part.code not in have
        and any(t.section == part.code for t in tasks)]
    outside: list[tuple[int, str]] = list(header_lines)
    for node in _walk(roots):
        if id(node) in task_nodes:
            continue
        outside.append((node.line, node.title))
        outside += node.body
    if not tasks:
        raise InputError([Problem("no task found: expected headings such as \"1.\", \"a)\" with "
                                  "lines \"Đơn vị chủ trì: …\"", Path(source) if source else None)],
                         "cannot import plan")
    return Plan(issuer=head.issuer, number=head.number, date=head.date, year=year,
                title=head.title, source=source, units=registry, sections=tuple(sections),
                tasks=tuple(tasks), reports=_reports(sorted(outside), year))


# -- .docx ------------------------------------------------------------------------------------

_COLUMNS: tuple[tuple[str, str], ...] = (
    ("stt", r"^(stt|tt|số\s*tt)$"), ("timeframe", r"thời\s+gian|thời\s+hạn|tiến\s+độ"),
    ("coordinating", r"phối\s+hợp"), ("lead", r"chủ\s+trì|thực\s+hiện"),
    ("products", r"sản\s+phẩm|kết\s+quả"), ("notes", r"ghi\s+chú"),
    ("title", r"nhiệm\s+vụ|nội\s+dung|công\s+việc"),
)
_LABELS = {"lead": "Đơn vị chủ trì", "coordinating": "Đơn vị phối hợp", "products": "Sản phẩm",
           "timeframe": "Thời gian thực hiện", "notes": "Ghi chú"}


def _cell_text(cell: Any, sep: str) -> str:
    parts = [re.sub(r"\s+", " ", p.text).strip() for p in cell.paragraphs]
    return sep.join(p for p in parts if p)


def _table_lines(table: Any, line0: int, parts: set[int]) -> list[tuple[int, str]]:
    """A task table as the lines the prose reader understands; roman rows go into ``parts``."""
    rows = list(table.rows)
    if not rows:
        return []
    columns: dict[str, int] = {}
    for i, cell in enumerate(rows[0].cells):
        name = re.sub(r"\s+", " ", cell.text).strip().lower()
        for key, pattern in _COLUMNS:
            if key not in columns and re.search(pattern, name):
                columns[key] = i
                break
    if "title" not in columns:
        return [(line0, re.sub(r"\s+", " ", c.text).strip()) for r in rows for c in r.cells
                if c.text.strip()]
    out: list[tuple[int, str]] = []
    for r, row in enumerate(rows[1:], start=1):
        cells = row.cells
        texts = {k: _cell_text(cells[i], "; " if k in {"lead", "coordinating", "products",
                                                         "timeframe"} else " ")
                 for k, i in columns.items() if i < len(cells)}
        distinct = {re.sub(r"\s+", " ", c.text).strip() for c in cells} - {""}
        if len(distinct) == 1:  # a merged row: a heading written across the table
            out.append((line0 + r, distinct.pop()))
            continue
        stt = texts.get("stt", "").strip().rstrip(".)")
        title = texts.get("title", "")
        if not title:
            continue
        if re.fullmatch(r"[a-zđ]", stt):
            label = f"{stt})"
        elif _roman_ok(stt) or re.fullmatch(r"\d{1,2}(\.\d{1,2})*", stt):
            label = f"{stt}."
            if _roman_ok(stt):
                parts.add(line0 + r)
        else:
            label = "-"
        out.append((line0 + r, f"{label} {title}"))
        for key in ("lead", "coordinating", "products", "timeframe", "notes"):
            if texts.get(key):
                out.append((line0 + r, f"- {_LABELS[key]}: {texts[key]}"))
    return out


def _docx_lines(path: Path) -> tuple[list[tuple[int, str]], frozenset[int]]:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        raise InputError([Problem(f"python-docx is not installed ({exc})", path)]) from None
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types on bad files
        raise InputError([Problem(f"not a readable .docx file ({exc})", path)],
                         "cannot read plan") from None
    lines: list[tuple[int, str]] = []
    parts: set[int] = set()
    n = 0
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            n += 1
            text = re.sub(r"\s+", " ", Paragraph(element, document).text).strip()
            if text:
                lines.append((n, text))
        elif tag == "tbl":
            table = Table(element, document)
            lines += _table_lines(table, n + 1, parts)
            n += len(table.rows) + 1
    return lines, frozenset(parts)


def import_plan(path: Path | str, registry: UnitRegistry | None = None, *,
                year: int | None = None, issuer: str | None = None) -> Plan:
    """Read a plan from a ``.txt`` or ``.docx`` file; raises :class:`InputError` if unusable."""
    file = Path(path)
    if not file.is_file():
        raise InputError([Problem("file not found", file)], "cannot read plan")
    suffix = file.suffix.lower()
    table_parts: frozenset[int] = frozenset()
    if suffix == ".docx":
        lines, table_parts = _docx_lines(file)
        full = "\n".join(t for _, t in lines)
    elif suffix in {".txt", ".text", ""}:
        try:
            full = file.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError([Problem(f"not UTF-8 text (byte {exc.start})", file)],
                             "cannot read plan") from None
        lines = logical_lines(full)
    else:
        raise InputError([Problem(f"unsupported file type {suffix!r}: give a .txt or .docx",
                                  file)], "cannot read plan")
    plan = parse_plan_lines(lines, registry, year=year, source=file.name, full_text=full,
                            table_parts=table_parts)
    if issuer:
        plan = plan.model_copy(update={"issuer": issuer})
    return plan


# -- re-import ------------------------------------------------------------------------------

_CURATED = ("serves", "status", "completed", "evidence")


@dataclass(frozen=True)
class MergeResult:
    plan: Plan
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    kept: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"added": list(self.added), "removed": list(self.removed),
                "changed": list(self.changed), "kept": list(self.kept)}

    def summary(self) -> str:
        return (f"Gộp kế hoạch: {len(self.kept)} nhiệm vụ giữ nguyên phần đã hiệu chỉnh, "
                f"{len(self.changed)} nhiệm vụ có nội dung mới, {len(self.added)} nhiệm vụ mới, "
                f"{len(self.removed)} nhiệm vụ không còn trong văn bản (giữ lại).")


def merge_plans(curated: Plan, imported: Plan) -> MergeResult:
    """Imported text, with what the user curated kept.

    Per task code: the document's fields come from ``imported``, except where the document is
    silent (the curated value stays) or a timeframe's text is unchanged (the curated reading
    stays); ``serves``, ``status``, ``completed``, ``evidence`` and notes from ``curated``.
    Tasks only in ``curated`` are kept (reported as removed from the document); the unit
    registry, header fields the import could not read, mapping framework and reports' send
    dates are kept.
    """
    old = {t.code: t for t in curated.tasks}
    tasks: list[Task] = []
    added: list[str] = []
    changed: list[str] = []
    kept: list[str] = []
    for task in imported.tasks:
        prev = old.get(task.code)
        if prev is None:
            added.append(task.code)
            tasks.append(task)
            continue
        update: dict[str, Any] = {k: getattr(prev, k) for k in _CURATED}
        update["notes"] = prev.notes or task.notes
        differs = False
        for f in ("title", "lead", "coordinating", "products", "timeframe", "activities"):
            new, old_value = getattr(task, f), getattr(prev, f)
            same_text = (f == "timeframe" and new is not None and old_value is not None
                         and new.text == old_value.text)
            if not new or same_text:
                # the document is silent (or says the same): keep what the user filled in,
                # including corrections of how a timeframe was read
                update[f] = old_value
            elif new != old_value:
                differs = True
        merged = task.model_copy(update=update)
        (changed if differs else kept).append(task.code)
        tasks.append(merged)
    new_codes = {t.code for t in imported.tasks}
    removed = [c for c in old if c not in new_codes]
    tasks += [old[c] for c in removed]
    sent = {r.id: r for r in curated.reports}
    reports = tuple(r.model_copy(update={"sent": sent[r.id].sent, "evidence": sent[r.id].evidence,
                                         "lead": sent[r.id].lead or r.lead})
                    if r.id in sent else r for r in imported.reports)
    plan = imported.model_copy(update={
        "tasks": tuple(tasks), "reports": reports, "units": curated.units,
        "framework": curated.framework, "example": curated.example, "note": curated.note,
        "issuer": curated.issuer or imported.issuer, "number": curated.number or imported.number,
        "date": curated.date or imported.date, "title": curated.title or imported.title,
    })
    plan = Plan.model_validate(plan.model_dump())
    return MergeResult(plan, tuple(added), tuple(removed), tuple(changed), tuple(kept))
