"""Lint a CCHC plan: the slips a careful reader of the document finds, and gaps in the mapping.

Numbering gaps and duplicates; tasks without lead unit, product or timeframe; timeframes that
cannot be read; dates outside (or inconsistent with) the plan year; unit names the registry
does not know; and, once the plan names a framework, tasks mapped to no item and items served
by no task. Progress checks (a task marked done without date or evidence, completed late) run
on the curated plan.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable

from parindex.core.findings import Finding, Report, define
from parindex.framework.model import Framework
from parindex.plan.model import Plan, Task

__all__ = ["lint_plan"]

NUMBERING_GAP = define(
    "plan-numbering-gap", "warning", "Đánh số mục bị khuyết",
    "Kiểm tra văn bản gốc: có thể thiếu một nhiệm vụ hoặc đánh số nhầm.", topic="plan")
NUMBERING_DUPLICATE = define(
    "plan-numbering-duplicate", "warning", "Hai mục cùng số",
    "Mã nhiệm vụ thứ hai được thêm hậu tố (-2) để phân biệt; đối chiếu văn bản gốc.",
    topic="plan")
MISSING_LEAD = define(
    "task-missing-lead", "warning", "Nhiệm vụ không có đơn vị chủ trì",
    "Ghi đơn vị chủ trì vào trường lead của nhiệm vụ (giữ ghi chú về văn bản gốc).",
    topic="plan")
MISSING_PRODUCT = define(
    "task-missing-product", "warning", "Nhiệm vụ không có sản phẩm",
    "Ghi sản phẩm (văn bản, kết quả) của nhiệm vụ vào trường products.", topic="plan")
MISSING_TIMEFRAME = define(
    "task-missing-timeframe", "warning", "Nhiệm vụ không có thời gian thực hiện",
    "Ghi thời gian thực hiện (ví dụ \"Quý II/2021\", \"Thường xuyên trong năm\").", topic="plan")
TIMEFRAME_UNPARSED = define(
    "timeframe-unparsed", "warning", "Không đọc được thời gian thực hiện",
    "Viết lại theo mẫu \"Quý I/2021\", \"Tháng 6/2021\", \"Trước ngày 30/6/2021\", "
    "\"Thường xuyên trong năm\", hoặc ghi hạn vào deadlines (giữ nguyên text).", topic="plan")
TASK_DATE_OUTSIDE = define(
    "task-date-outside-year", "warning", "Thời hạn nhiệm vụ nằm ngoài năm kế hoạch",
    "Đối chiếu văn bản gốc; nếu là lỗi đánh máy, sửa ngày đã đọc (deadlines) và ghi chú.",
    topic="plan")
REPORT_DATE_OUTSIDE = define(
    "report-date-outside-year", "warning", "Hạn báo cáo định kỳ không thuộc năm kế hoạch",
    "Văn bản có thể ghi nhầm năm; sửa ngày đã đọc (deadlines) trong plan.yaml, giữ nguyên text "
    "và ghi chú lý do.", topic="plan")
PLAN_DATE_OUTSIDE = define(
    "plan-date-outside-year", "warning", "Ngày ban hành kế hoạch không khớp năm kế hoạch",
    "Kế hoạch năm N thường ban hành trong tháng 12 năm N-1 hoặc đầu năm N.", topic="plan")
UNKNOWN_UNIT = define(
    "unknown-unit", "warning", "Tên đơn vị chưa có trong danh mục",
    "Thêm đơn vị (hoặc bí danh) vào danh mục units của kế hoạch, hoặc sửa tên cho đúng.",
    topic="plan")
TASK_NOT_MAPPED = define(
    "task-not-mapped", "warning", "Nhiệm vụ chưa gắn với tiêu chí nào",
    "Ghi mã tiêu chí (TCTP) mà nhiệm vụ phục vụ vào trường serves.", topic="plan")
UNKNOWN_ITEM = define(
    "task-serves-unknown-item", "error", "Nhiệm vụ gắn với mã tiêu chí không có trong bộ tiêu chí",
    "Sửa mã trong serves theo bộ tiêu chí (parindex criteria show).", topic="plan")
ITEM_NOT_SERVED = define(
    "item-not-served", "info", "Tiêu chí không có nhiệm vụ nào của kế hoạch phục vụ",
    "Cân nhắc bổ sung nhiệm vụ vào kế hoạch, hoặc chuẩn bị tài liệu kiểm chứng khác.",
    topic="plan")
DONE_WITHOUT_DATE = define(
    "task-done-without-date", "warning", "Nhiệm vụ hoàn thành nhưng chưa ghi ngày hoàn thành",
    "Ghi ngày hoàn thành (completed) để tính đúng hạn.", topic="plan")
DONE_WITHOUT_EVIDENCE = define(
    "task-done-without-evidence", "info", "Nhiệm vụ hoàn thành nhưng chưa có tài liệu kiểm chứng",
    "Ghi mã tài liệu kiểm chứng (evidence) chứng minh sản phẩm của nhiệm vụ.", topic="plan")
NO_USABLE_TASK = define(
    "plan-no-usable-task", "error", "Kế hoạch không có nhiệm vụ nào dùng được",
    "Không nhiệm vụ nào có đơn vị chủ trì, sản phẩm hay thời gian thực hiện: kiểm tra xem đã "
    "nhập đúng phần nhiệm vụ của văn bản chưa, hoặc bổ sung các trường đó trong plan.yaml.",
    topic="plan")
COMPLETED_LATE = define(
    "task-completed-late", "info", "Nhiệm vụ hoàn thành sau thời hạn",
    "Không tính là hoàn thành đúng hạn khi chấm mức độ thực hiện kế hoạch.", topic="plan")

_LETTERS = "abcdđeghiklmnopqrstuvxy"


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _window(year: int) -> tuple[dt.date, dt.date]:
    """Dates a year-``year`` plan can plausibly name: preparation from Q4 of the year before
    (issuing the plan, "Quý IV năm 2020 ban hành kế hoạch"), reports until Q1 after."""
    return dt.date(year - 1, 10, 1), dt.date(year + 1, 3, 31)


def _numbering(plan: Plan) -> list[Finding]:
    siblings: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s in plan.sections:
        parent = s.code.rsplit(".", 1)[0] if "." in s.code else ""
        siblings[parent].append((s.label, s.code))
    for t in plan.tasks:
        siblings[t.section or ""].append((t.label, t.code))
    out: list[Finding] = []
    for parent, items in siblings.items():
        letters = [_LETTERS.index(lab[0]) + 1 for lab, _ in items
                   if re.fullmatch(r"[a-zđ]\)", lab) and lab[0] in _LETTERS]
        out += _sequence(parent, letters, lambda i: f"{_LETTERS[i - 1]})",
                         lambda i: _LETTERS[i - 1])
        # "2.1.–2.4." and "1.–2." under one parent are two runs, not one: compare true
        # siblings only (same written prefix)
        runs: dict[str, list[int]] = defaultdict(list)
        for lab, _ in items:
            if m := re.fullmatch(r"((?:\d+\.)*)(\d+)\.?", lab):
                runs[m.group(1)].append(int(m.group(2)))
        for prefix, numbers in runs.items():
            out += _sequence(parent, numbers, _dotted(prefix), str)
    return out


def _dotted(prefix: str) -> Callable[[int], str]:
    return lambda i: f"{prefix}{i}."


def _sequence(parent: str, seq: list[int], show: Callable[[int], str],
              key: Callable[[int], str]) -> list[Finding]:
    """Gaps and duplicates in one run of sibling numbers (letters counted a=1, b=2, …)."""
    if not seq:
        return []
    where = f"Mục {parent}" if parent else "Kế hoạch"
    expected = list(range(1, max(seq) + 1))
    counts = Counter(seq)
    missing = [e for e in expected if e not in counts]
    out: list[Finding] = []

    def code(i: int) -> str:
        return f"{parent}.{key(i)}" if parent else key(i)

    for dup, n in sorted(counts.items()):
        if n < 2:
            continue
        note = ""
        if dup - 1 in missing:  # "b), b)" where "a), b)" was meant
            missing.remove(dup - 1)
            note = f"; mục thứ nhất có lẽ là “{show(dup - 1)}”"
        out.append(NUMBERING_DUPLICATE(f"{where} có {n} mục cùng đánh số “{show(dup)}”{note}.",
                                       task=code(dup)))
    for gap in missing:
        after = show(gap - 1) if gap > 1 else None
        before = next((show(e) for e in expected if e > gap and e in counts), None)
        ctx = ", ".join(x for x in (after and f"sau “{after}”", before and f"trước “{before}”")
                        if x)
        out.append(NUMBERING_GAP(f"{where} thiếu mục “{show(gap)}” ({ctx}).", task=code(gap)))
    return out


def _mentions(plan: Plan, text: str) -> list[str]:
    low = text.lower()
    found = []
    for unit in plan.units.all_units:
        if unit.kind != "unit":
            continue
        hit = next((n for n in unit.names if re.search(r"(?<!\w)" + re.escape(n.lower())
                                                       + r"(?!\w)", low)), None)
        if hit:
            found.append(hit)
    return found


def _task_fields(plan: Plan, task: Task) -> list[Finding]:
    out: list[Finding] = []
    if not task.all_leads:
        inline = _mentions(plan, task.title)
        note = f"; tiêu đề có nêu “{inline[0]}” ngay trong câu" if inline else ""
        out.append(MISSING_LEAD(f"Nhiệm vụ {task.code} không có dòng đơn vị chủ trì{note}.",
                                task=task.code))
    if not task.products and not any(a.products for a in task.activities):
        target = re.search(r"[^,;]*\d+\s*%[^,;]*", task.title)
        note = (f"; tiêu đề có nêu chỉ tiêu “{target.group(0).strip(' .')}”" if target
                else "")
        out.append(MISSING_PRODUCT(f"Nhiệm vụ {task.code} không có dòng sản phẩm{note}.",
                                   task=task.code))
    frames = [task.timeframe, *(a.timeframe for a in task.activities)]
    if not any(frames):
        out.append(MISSING_TIMEFRAME(f"Nhiệm vụ {task.code} không có dòng thời gian thực hiện.",
                                     task=task.code))
    lo, hi = _window(plan.year)
    for tf in frames:
        if tf is None:
            continue
        for clause in tf.unparsed:
            out.append(TIMEFRAME_UNPARSED(f"Nhiệm vụ {task.code}: không đọc được thời gian "
                                          f"“{clause}”.", task=task.code))
        for day in sorted(set(tf.dates)):
            if not lo <= day <= hi:
                out.append(TASK_DATE_OUTSIDE(
                    f"Nhiệm vụ {task.code}: thời hạn {_fmt(day)} nằm ngoài năm kế hoạch "
                    f"{plan.year} (“{tf.text}”).", task=task.code))
    return out


def _units(plan: Plan) -> list[Finding]:
    where: dict[str, list[str]] = defaultdict(list)
    for task in plan.tasks:
        for name in (*task.all_leads, *task.all_coordinating):
            if plan.resolve(name) is None and task.code not in where[name]:
                where[name].append(task.code)
    for report in plan.reports:
        for name in report.lead:
            if plan.resolve(name) is None:
                where[name].append(report.id)
    return [UNKNOWN_UNIT(f"Đơn vị “{name}” (nhiệm vụ {', '.join(codes)}) chưa có trong danh "
                         "mục đơn vị.", task=codes[0]) for name, codes in where.items()]


def _dates(plan: Plan) -> list[Finding]:
    out: list[Finding] = []
    for report in plan.reports:
        for day in report.timeframe.dates:
            ok = day.year == plan.year or (report.id == "nam" and day.year == plan.year + 1
                                           and day.month == 1)
            if not ok:
                text = report.timeframe.text.rstrip(".")
                out.append(REPORT_DATE_OUTSIDE(
                    f"{report.label or report.id}: hạn “{text}” ({_fmt(day)}) "
                    f"không thuộc năm {plan.year} của kế hoạch.", task=report.id))
    if plan.date is not None and plan.date.year not in (plan.year - 1, plan.year):
        out.append(PLAN_DATE_OUTSIDE(f"Kế hoạch năm {plan.year} ghi ngày ban hành "
                                     f"{_fmt(plan.date)}."))
    return out


def _mapping(plan: Plan, framework: Framework) -> list[Finding]:
    out: list[Finding] = []
    served: set[str] = set()
    for task in plan.tasks:
        if not task.serves:
            out.append(TASK_NOT_MAPPED(f"Nhiệm vụ {task.code} chưa gắn với tiêu chí nào.",
                                       task=task.code))
        for code in task.serves:
            if code not in framework.by_code:
                out.append(UNKNOWN_ITEM(f"Nhiệm vụ {task.code} gắn với mã {code}, không có trong "
                                        f"bộ tiêu chí {framework.id}.", task=task.code))
            served.add(code)
    for report in plan.reports:
        served.update(report.serves)
    for node in framework.leaves():
        if node.method == "survey" or getattr(node.item, "derive", None) == "plan-completion":
            continue
        if node.code not in served and node.parent not in served:
            out.append(ITEM_NOT_SERVED(f"Tiêu chí {node.code} “{node.name}” không có nhiệm vụ nào "
                                       "của kế hoạch phục vụ.", item=node.code))
    return out


def _progress(plan: Plan) -> list[Finding]:
    out: list[Finding] = []
    for task in plan.tasks:
        if not task.done:
            continue
        if task.completed is None:
            out.append(DONE_WITHOUT_DATE(f"Nhiệm vụ {task.code} đã hoàn thành nhưng chưa ghi "
                                         "ngày hoàn thành.", task=task.code))
        elif task.due is not None and task.completed > task.due:
            out.append(COMPLETED_LATE(f"Nhiệm vụ {task.code} hoàn thành ngày "
                                      f"{_fmt(task.completed)}, sau thời hạn {_fmt(task.due)}.",
                                      task=task.code))
        if not task.evidence:
            out.append(DONE_WITHOUT_EVIDENCE(f"Nhiệm vụ {task.code} đã hoàn thành nhưng chưa có "
                                             "tài liệu kiểm chứng.", task=task.code))
    return out


def lint_plan(plan: Plan, framework: Framework | None = None, subject: str = "") -> Report:
    """Every finding about ``plan``; mapping checks need ``framework`` (or ``plan.framework``).

    ``framework`` defaults to the one the plan names; without either, mapping is not checked
    (a freshly imported plan is not mapped yet: that is not a slip of the document).
    """
    if framework is None and plan.framework:
        from parindex.framework.catalog import load_framework

        framework = load_framework(plan.framework)
    findings = [*_numbering(plan), *(f for t in plan.tasks for f in _task_fields(plan, t)),
                *_units(plan), *_dates(plan), *_progress(plan)]
    if framework is not None:
        findings += _mapping(plan, framework)
    usable = [t for t in plan.tasks if t.all_leads or t.products or t.timeframe
              or any(a.products or a.timeframe for a in t.activities)]
    if not usable:
        findings.append(NO_USABLE_TASK(
            f"Không nhiệm vụ nào trong {len(plan.tasks)} nhiệm vụ có đơn vị chủ trì, sản phẩm "
            "hoặc thời gian thực hiện."))
    done, total = plan.completion()
    report = Report.of(subject or f"Kế hoạch CCHC năm {plan.year}", findings, tasks=total,
                       done_on_time=done, sections=len(plan.sections), reports=len(plan.reports),
                       usable_tasks=len(usable))
    return report.worded("không có lỗi (còn xem các cảnh báo)" if report.findings else
                         "không có lỗi", "có lỗi, cần sửa trước khi dùng")
