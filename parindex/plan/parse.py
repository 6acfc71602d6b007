"""Build a :class:`Plan` from a plan's logical lines (see :mod:`parindex.plan.lines`).

Headings are arranged as a tree; in the part holding the tasks ("NHIỆM VỤ …") every heading
without sub-headings is a task, the others are sections. Field lines ("Đơn vị chủ trì thực
hiện:", "Cơ quan phối hợp:", "Sản phẩm:", "Thời gian thực hiện:" and their variants) fill the
task; a bullet without a field label followed by "+" field lines is an activity. The reporting
schedule is read from "Báo cáo quý I: Trước ngày …" lines outside the task part.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from parindex.core.errors import InputError, Problem
from parindex.plan.lines import BULLET, FIELD, FieldName, field_name, heading
from parindex.plan.model import REPORT_LABELS, Activity, Plan, ReportDue, Section, Task
from parindex.plan.timeframe import Timeframe, parse_timeframe
from parindex.plan.units import UnitRegistry

__all__ = ["ParsedPlan", "YearBasis", "parse_plan_lines", "plan_year"]

_REPORT = re.compile(
    r"^báo\s+cáo\s+(?:định\s+kỳ\s+)?(quý\s+(?:iv|i{1,3})|6\s+tháng|9\s+tháng|năm)\b[^:]*?"
    r"(?::|,|\s-)\s*(.*\d{4}.*)$", re.IGNORECASE)
_TASK_PARTS = (re.compile(r"nhiệm\s+vụ", re.IGNORECASE),
               re.compile(r"nội\s+dung|giải\s+pháp", re.IGNORECASE))
_OTHER_PART = re.compile(r"mục\s+đích|yêu\s+cầu|mục\s+tiêu|chỉ\s+tiêu|tổ\s+chức\s+thực\s+hiện|"
                         r"kinh\s+phí|căn\s+cứ", re.IGNORECASE)
"""Parts (or top-level numbered headings) that hold no tasks: purpose, requirements,
objectives and targets, organisation, funding."""


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


def _tree(lines: list[tuple[int, str]]) -> tuple[list[_Head], list[tuple[int, str]]]:
    """Headings as a forest (parts at the top), and the header lines before any heading."""
    roots: list[_Head] = []
    stack: list[_Head] = []
    header: list[tuple[int, str]] = []
    for number, line in lines:
        head = heading(line)
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
    part but purpose, objectives, organisation and funding), plus the roman-numbered rows of a
    task table. A plan numbered without roman parts is read the same way on its top-level
    numbered headings ("1. Mục đích", "2. Mục tiêu", "3. Nhiệm vụ")."""
    parts = [r for r in roots if r.kind == "part"]
    if not parts:
        return _choose_task_heads(roots)
    chosen = _choose_task_heads(parts)
    if any(p.line in table_parts for p in parts):
        return [p for p in parts if p.line in table_parts or (p in chosen and p.children)]
    return chosen


def _choose_task_heads(heads: list[_Head]) -> list[_Head]:
    for pattern in _TASK_PARTS:  # "NHIỆM VỤ …" first: a later "GIẢI PHÁP …" part is prose
        chosen = [h for h in heads if pattern.search(_head_words(h))]
        if chosen:
            return chosen
    return [h for h in heads if not _OTHER_PART.search(_head_words(h))]


def _head_words(head: _Head) -> str:
    """What names a heading's topic: its first words ("Nhiệm vụ trọng tâm", "Mục tiêu")."""
    return " ".join(head.title.split()[:6]) if head.kind == "part" else (
        " ".join(head.title.split()[:3]))


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
            bullet = BULLET.match(line)
            mark, content = (bullet.group(1), bullet.group(2)) if bullet else ("", line)
            m = FIELD.match(content)
            name = field_name(m.group(1)) if m else None
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
        if task_fields.empty() and not kept:
            title = _trailing_fields(title, task_fields)
        notes = " ".join([*task_fields.notes, *extra]).strip() or None
        return Task(
            code=head.code, label=head.label,
            section=head.parent.code if head.parent is not None else None,
            title=title.strip().rstrip(":").strip(),
            lead=self.units(task_fields.lead), coordinating=self.units(task_fields.coordinating),
            products=_split_products(task_fields.products),
            timeframe=self.timeframe(task_fields.timeframe), activities=tuple(kept), notes=notes)


_TRAILING = re.compile(r"^(?P<title>.*\S)\s*\((?P<inner>[^()]*)\)\s*[.;]?$", re.S)
_CLAUSE_FIELDS: tuple[tuple[FieldName, re.Pattern[str]], ...] = (
    ("timeframe", re.compile(r"^(?:thời\s+gian(?:\s+thực\s+hiện)?|thời\s+hạn|hoàn\s+thành)"
                             r"\s*:?\s*(?P<v>.+)$", re.I)),
    ("products", re.compile(r"^sản\s+phẩm\s*:?\s*(?P<v>.+)$", re.I)),
    ("lead", re.compile(r"^(?:(?P<v>.+?)\s+chủ\s+trì(?:\s+thực\s+hiện)?|chủ\s+trì\s*:\s*"
                        r"(?P<w>.+))$", re.I)),
    ("coordinating", re.compile(r"^(?:(?P<v>.+?)\s+phối\s+hợp(?:\s+thực\s+hiện)?|phối\s+hợp"
                                r"\s*:\s*(?P<w>.+))$", re.I)),
)


def _trailing_fields(title: str, fields: _Fields) -> str:
    """Fields written in a parenthesis closing the task's sentence: "Rà soát TTHC (Văn phòng
    Sở chủ trì; thời gian: Quý II/2022)". The parenthesis is read only when every clause is a
    field; otherwise the title is kept as written."""
    m = _TRAILING.match(title)
    if m is None:
        return title
    found: list[tuple[FieldName, str]] = []
    for clause in (c.strip() for c in re.split(r"\s*;\s*", m["inner"]) if c.strip()):
        for name, pattern in _CLAUSE_FIELDS:
            cm = pattern.match(clause)
            if cm:
                found.append((name, (cm.groupdict().get("v") or cm.groupdict().get("w") or "")
                              .strip(" ,.")))
                break
        else:
            return title
    if not found:
        return title
    for name, value in found:
        fields.add(name, value)
    return m["title"]


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


_TITLE_YEAR = re.compile(r"kế\s+hoạch\b[^.;:\n]{0,160}?\bnăm\s+(20\d\d)\b", re.IGNORECASE)
_WORD_YEAR = re.compile(r"(?:\bnăm\s+|/)(20\d\d)\b(?!/)", re.IGNORECASE)
"""A year in the text ("năm 2021", "Quý I/2021"), not the year inside a document number
("61/2018/NĐ-CP")."""

YearBasis = Literal["given", "title", "date", "text"]
"""Where the plan's year was read: given by the user, the title or trích yếu ("Kế hoạch cải
cách hành chính năm 2019"), the document's date (a guess), or the text's most frequent
year ("năm 2021", "Quý II/2021": a guess). Years inside cited document numbers
("61/2018/NĐ-CP") never count."""


def plan_year(head: _Header, header_lines: list[tuple[int, str]],
              text: str) -> tuple[int, YearBasis] | None:
    """The plan's year and where it was read (see :data:`YearBasis`)."""
    for candidate in (head.title or "", *(t for _, t in header_lines)):
        m = _TITLE_YEAR.search(candidate)
        if m:
            return int(m.group(1)), "title"
    if head.date is not None:  # plans for year N are issued from Q4 of N-1 to early N
        return head.date.year + (1 if head.date.month >= 10 else 0), "date"
    m = _TITLE_YEAR.search(text)
    if m:
        return int(m.group(1)), "title"
    years = Counter(int(y) for y in _WORD_YEAR.findall(text))
    return (years.most_common(1)[0][0], "text") if years else None


def _reports(lines: Iterable[tuple[int, str]], year: int) -> tuple[ReportDue, ...]:
    ids = {"quý i": "quy-1", "quý ii": "quy-2", "quý iii": "quy-3", "quý iv": "quy-4",
           "6 tháng": "6-thang", "9 tháng": "9-thang", "năm": "nam"}
    out: dict[str, ReportDue] = {}
    for _, line in lines:
        bullet = BULLET.match(line)
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
                     full_text: str = "", table_parts: frozenset[int] = frozenset()
                     ) -> ParsedPlan:
    """Build a :class:`Plan` from logical lines (see :func:`logical_lines`); ``table_parts``
    are the lines of roman-numbered table rows (areas of a task table)."""
    registry = registry or UnitRegistry()
    roots, header_lines = _tree(lines)
    head = _header(header_lines)
    text = full_text or "\n".join(t for _, t in lines)
    found: tuple[int, YearBasis] | None = (year, "given") if year else plan_year(
        head, header_lines, text)
    if found is None:
        raise InputError([Problem("cannot tell the plan's year; give it with --year",
                                  Path(source) if source else None)], "cannot import plan")
    year, basis = found
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
    plan = Plan(issuer=head.issuer, number=head.number, date=head.date, year=year,
                title=head.title, source=source, units=registry, sections=tuple(sections),
                tasks=tuple(tasks), reports=_reports(sorted(outside), year))
    return ParsedPlan(plan, basis)


@dataclass(frozen=True)
class ParsedPlan:
    """A plan read from a document, and how sure the reading of its year is."""

    plan: Plan
    year_basis: YearBasis

    @property
    def notes(self) -> tuple[str, ...]:
        """What a person should confirm, in Vietnamese (empty when nothing was guessed)."""
        if self.year_basis == "date":
            return (f"Năm kế hoạch {self.plan.year} được đoán từ ngày ban hành văn bản (không "
                    "tìm thấy “Kế hoạch … năm …” trong tiêu đề): kiểm tra lại, hoặc dùng "
                    "--year.",)
        if self.year_basis == "text":
            return (f"Năm kế hoạch {self.plan.year} được đoán từ nội dung văn bản (không có "
                    "tiêu đề hay ngày ban hành đọc được): kiểm tra lại, hoặc dùng --year.",)
        return ()
