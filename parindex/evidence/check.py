"""The pre-submission check: everything that stands between a dossier and Sở Nội vụ.

:func:`check_dossier` reads the dossier, scores it, reads the evidence register and every
evidence file, and returns one :class:`~parindex.core.findings.Report`. It raises only when an input
file cannot be used at all (:class:`~parindex.core.errors.InputError`); a dossier that is merely
incomplete gives findings. Every finding kind is defined below with a stable code.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from parindex.core.findings import Finding, Report, define
from parindex.core.gcpause import paused
from parindex.core.paths import Confinement
from parindex.evidence import reportcache
from parindex.evidence.deadlines import ResolvedDeadline, item_deadlines
from parindex.evidence.docnumber import parse_doc_number
from parindex.evidence.documents import (
    FAILED_PREFIX,
    FileFacts,
    Progress,
    inspect_files,
    settled,
)
from parindex.evidence.folder import IGNORED_NAMES, norm_path, walk_files
from parindex.evidence.readings import (
    SIGNED_LATE,
    deadlines_of,
    draft_findings,
    ocr_findings,
    ocr_unavailable,
    signature_findings,
)
from parindex.evidence.register import EvidenceDocument, Register, register_of
from parindex.framework.inputs import ItemInput
from parindex.framework.model import Framework
from parindex.framework.rules import ChoiceRule, _fmt
from parindex.scoring.dossier import Dossier, as_dossier
from parindex.scoring.scorecard import Scorecard

__all__ = ["CHECK_KINDS", "IGNORED_NAMES", "check", "check_dossier"]

T = "check"

# -- the catalogue --------------------------------------------------------------------------
MISSING_INPUT = define(
    "missing-input", "error", "Chưa nhập kết quả tự đánh giá",
    "Ghi phương án, số liệu hoặc điểm của tiêu chí vào self-assessment.yaml.", T)
INVALID_INPUT = define(
    "invalid-input", "error", "Số liệu tự đánh giá không dùng được",
    "Sửa số liệu theo cách chấm của tiêu chí (xem `parindex criteria show`).", T)
UNKNOWN_ITEM_INPUT = define(
    "unknown-item-input", "error", "Tự đánh giá cho mã tiêu chí không có trong bộ tiêu chí",
    "Kiểm tra lại mã tiêu chí (chỉ chấm tiêu chí thành phần, hoặc tiêu chí không có tiêu chí "
    "thành phần).", T)
SURVEY_SELF_SCORED = define(
    "survey-item-self-scored", "error", "Tự chấm tiêu chí do điều tra xã hội học",
    "Bỏ mục này khỏi self-assessment.yaml; điểm điều tra xã hội học ghi vào survey.yaml khi có "
    "kết quả.", T)
SELF_SCORE_MISMATCH = define(
    "self-score-mismatch", "error", "Điểm tự chấm khác điểm tính theo cách chấm",
    "Sửa điểm tự chấm (self_score) hoặc số liệu đã nhập cho khớp nhau.", T)
MISSING_EVIDENCE = define(
    "missing-evidence", "error", "Tiêu chí có điểm nhưng không có tài liệu kiểm chứng, "
    "không có giải trình",
    "Đăng ký văn bản chứng minh trong register.yaml (proves) hoặc ghi giải trình "
    "(explanation).", T)
FILE_MISSING = define(
    "evidence-file-missing", "error", "Không có tệp tài liệu kiểm chứng",
    "Đặt tệp vào thư mục hồ sơ đúng đường dẫn đã đăng ký, hoặc sửa đường dẫn trong sổ.", T)
FILE_EMPTY = define(
    "evidence-file-empty", "error", "Tệp tài liệu kiểm chứng rỗng (0 byte)",
    "Sao chép lại tệp từ bản gốc.", T)
FILE_UNREADABLE = define(
    "evidence-file-unreadable", "error", "Tệp tài liệu kiểm chứng bị hỏng, không mở được",
    "Xuất lại tệp PDF/DOCX từ bản gốc hoặc quét lại văn bản.", T)
FILE_ENCRYPTED = define(
    "evidence-file-encrypted", "error", "Tệp tài liệu kiểm chứng có mật khẩu",
    "Gỡ mật khẩu trước khi nộp: đoàn thẩm định phải mở được tệp.", T)
FILE_SCANNED = define(
    "evidence-file-scanned", "info", "Tệp PDF chỉ có ảnh quét, không có lớp chữ",
    "Số ký hiệu, ngày chỉ đọc được bằng OCR (có thể nhầm) hoặc không đọc được: tự kiểm tra "
    "bằng mắt, hoặc dùng tệp PDF có lớp chữ.", T)
HASH_MISMATCH = define(
    "evidence-hash-mismatch", "error", "Tệp đã thay đổi so với mã SHA-256 trong sổ",
    "Kiểm tra tệp có đúng văn bản đã đăng ký không; nếu đúng, cập nhật sha256 trong sổ.", T)
PATH_OUTSIDE = define(
    "path-outside-dossier", "error", "Đường dẫn nằm ngoài thư mục hồ sơ",
    "Sao chép tệp vào thư mục documents/ của hồ sơ và ghi đường dẫn tương đối, không dùng "
    "'../', đường dẫn tuyệt đối hay liên kết tắt (symlink) ra ngoài.", T)
DUPLICATE_FILE = define(
    "duplicate-evidence-file", "warning", "Cùng một tệp được đăng ký nhiều lần",
    "Giữ một bản: một văn bản có thể chứng minh nhiều tiêu chí trong cùng một mục của sổ.", T)
UNREGISTERED_FILE = define(
    "unregistered-file", "warning", "Tệp trong hồ sơ không có trong sổ tài liệu kiểm chứng",
    "Đăng ký tệp trong register.yaml, hoặc xóa tệp khỏi thư mục hồ sơ.", T)
UNKNOWN_ITEM = define(
    "unknown-item", "error", "Sổ ghi chứng minh cho mã tiêu chí không có trong bộ tiêu chí",
    "Sửa mã tiêu chí trong mục proves của sổ.", T)
UNKNOWN_TASK = define(
    "unknown-task", "error", "Sổ ghi nhiệm vụ không có trong kế hoạch CCHC",
    "Sửa mã nhiệm vụ trong mục tasks của sổ cho khớp plan.yaml.", T)
PLAN_EVIDENCE_MISSING = define(
    "plan-evidence-not-registered", "warning",
    "Kế hoạch ghi tài liệu kiểm chứng không có trong sổ",
    "Đăng ký tài liệu đó trong register.yaml với đúng mã, hoặc sửa mã trong mục evidence của "
    "plan.yaml.", T)
BAD_NUMBER = define(
    "invalid-document-number", "warning", "Số ký hiệu không đúng dạng",
    "Ghi số ký hiệu dạng số/mã loại-mã cơ quan, ví dụ 15/KH-SKHCN, 908/QĐ-UBND, 123/SKHCN-VP.",
    T)
TYPE_MISMATCH = define(
    "document-type-mismatch", "error", "Loại văn bản không khớp mã loại trong số ký hiệu",
    "Sửa loại văn bản hoặc số ký hiệu trong sổ (KH = Kế hoạch, QĐ = Quyết định, BC = Báo cáo "
    "…).", T)
UNEXPECTED_TYPE = define(
    "unexpected-document-type", "warning", "Loại văn bản khác loại tiêu chí yêu cầu",
    "Kiểm tra văn bản có đúng là tài liệu kiểm chứng của tiêu chí không; bổ sung văn bản đúng "
    "loại nếu có.", T)
OUTSIDE_YEAR = define(
    "document-outside-year", "warning", "Văn bản ban hành ngoài năm đánh giá",
    "Kiểm tra ngày ban hành; tài liệu kiểm chứng phải thuộc năm đánh giá.", T)
FUTURE_DATE = define(
    "document-dated-in-future", "error", "Ngày ban hành sau ngày kiểm tra",
    "Sửa ngày ban hành trong sổ (có thể nhầm năm hoặc nhầm ngày với tháng).", T)
LATE = define(
    "late-evidence", "warning", "Văn bản ban hành sau thời hạn",
    "Văn bản trễ hạn: tự chấm theo phương án 'không kịp thời' nếu cách chấm có phương án đó.", T)
LATE_SCORED_ON_TIME = define(
    "late-evidence-scored-on-time", "error", "Văn bản trễ hạn nhưng tự chấm là kịp thời",
    "Chọn phương án 'không kịp thời' hoặc bổ sung văn bản ban hành đúng hạn.", T)
NUMBER_MISMATCH = define(
    "number-mismatch", "error", "Số ký hiệu trong sổ khác số ký hiệu ghi trên văn bản",
    "Sửa số ký hiệu trong sổ theo văn bản, hoặc kiểm tra lại tệp đính kèm có đúng văn bản.", T)
DATE_MISMATCH = define(
    "date-mismatch", "error", "Ngày ban hành trong sổ khác ngày ghi trên văn bản",
    "Sửa ngày ban hành trong sổ theo dòng địa danh, ngày tháng năm của văn bản.", T)
UNVERIFIED = define(
    "document-text-unverified", "info", "Không tìm thấy số ký hiệu hoặc ngày trên văn bản",
    "Tự kiểm tra văn bản; nếu tệp là phụ lục, đăng ký kèm tệp văn bản chính.", T)

CHECK_KINDS = (
    MISSING_INPUT, INVALID_INPUT, UNKNOWN_ITEM_INPUT, SURVEY_SELF_SCORED, SELF_SCORE_MISMATCH,
    MISSING_EVIDENCE, FILE_MISSING, FILE_EMPTY, FILE_UNREADABLE, FILE_ENCRYPTED, FILE_SCANNED,
    HASH_MISMATCH, PATH_OUTSIDE, DUPLICATE_FILE, UNREGISTERED_FILE, UNKNOWN_ITEM, UNKNOWN_TASK,
    PLAN_EVIDENCE_MISSING, BAD_NUMBER, TYPE_MISMATCH, UNEXPECTED_TYPE, OUTSIDE_YEAR, FUTURE_DATE,
    LATE, LATE_SCORED_ON_TIME, NUMBER_MISMATCH, DATE_MISMATCH, UNVERIFIED,
)
"""Every finding kind the check can give (one fixture dossier each under tests/fixtures)."""

_ON_TIME_WORDS = ("kịp thời", "đúng hạn", "đúng thời hạn")
_LATE_WORDS = ("không", "trễ", "chưa", "chậm")


def _d(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


# -- inputs and scores -----------------------------------------------------------------------

def _input_findings(dossier: Dossier, card: Scorecard) -> Iterator[Finding]:
    fw = dossier.framework
    leaves = {n.code for n in fw.leaves()}
    extras = card.extras.by_code if card.extras is not None else {}
    for code in dossier.self_assessment.items:
        node = fw.by_code.get(code)
        if node is None and code in extras:
            continue
        if node is None:
            yield UNKNOWN_ITEM_INPUT(f"Mã {code} không có trong bộ tiêu chí {fw.id}.", item=code)
        elif code not in leaves:
            yield UNKNOWN_ITEM_INPUT(
                f"{code} là {'lĩnh vực' if node.level == 'area' else 'tiêu chí'} có tiêu chí "
                "thành phần: điểm là tổng các tiêu chí thành phần, không nhập trực tiếp.",
                item=code)
        elif node.method == "survey":
            yield SURVEY_SELF_SCORED(
                f"{code} ({node.name}) được chấm bằng điều tra xã hội học, đơn vị không tự chấm.",
                item=code)
    if dossier.survey is not None:
        for code in dossier.survey.items:
            node = fw.by_code.get(code)
            if node is None or code not in leaves or node.method != "survey":
                yield UNKNOWN_ITEM_INPUT(
                    f"survey.yaml ghi mã {code}, không phải tiêu chí điều tra xã hội học của bộ "
                    f"tiêu chí {fw.id}.", item=code)
    for leaf in card.leaves():
        if leaf.status == "missing-input":
            yield MISSING_INPUT(f"Chưa nhập kết quả cho {leaf.code} ({leaf.name}).",
                                item=leaf.code)
        elif leaf.status == "invalid-input":
            yield INVALID_INPUT(f"{leaf.code}: {leaf.problem}.", item=leaf.code)
        elif leaf.status == "scored" and leaf.input is not None \
                and leaf.input.self_score is not None and leaf.input.self_score != leaf.score:
            yield SELF_SCORE_MISMATCH(
                f"Điểm tự chấm {_fmt(leaf.input.self_score)} nhưng số liệu đã nhập cho "
                f"{_fmt(leaf.score)} điểm theo cách chấm.", item=leaf.code)
    for extra in extras.values():
        if extra.status == "invalid-input":
            yield INVALID_INPUT(f"{extra.code}: {extra.problem}.", item=extra.code)


# -- the register ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Context:
    framework: Framework
    inputs: dict[str, ItemInput]
    year: int
    period_end: dt.date
    as_of: dt.date
    tasks: frozenset[str] | None
    task_deadlines: dict[str, dt.date]
    leaves: frozenset[str]
    item_deadlines: dict[str, ResolvedDeadline]


def _claims_on_time(fw: Framework, code: str, inp: ItemInput | None) -> bool:
    rule = fw.node(code).rule
    if inp is None or inp.option is None or not isinstance(rule, ChoiceRule):
        return False
    for opt in rule.options:
        if opt.id == inp.option:
            label = opt.label.casefold()
            return any(w in label for w in _ON_TIME_WORDS) and not any(
                w in label for w in _LATE_WORDS)
    return False


def _escalated(findings: Iterable[Finding], ctx: _Context) -> Iterator[Finding]:
    """A document signed after an item's deadline, for an item self-scored as on time, is the
    same error as a document dated after it: the signature is the day it was issued."""
    for f in findings:
        if f.code == SIGNED_LATE.code and f.item is not None and _claims_on_time(
                ctx.framework, f.item, ctx.inputs.get(f.item)):
            yield LATE_SCORED_ON_TIME(f.message.removesuffix(".") +
                                      ", nhưng tự chấm là kịp thời.",
                                      document=f.document, file=f.file, item=f.item)
        else:
            yield f


def _register_findings(doc: EvidenceDocument, ctx: _Context) -> Iterator[Finding]:
    fw = ctx.framework
    leaves = ctx.leaves
    parsed = None
    try:
        parsed = doc.parsed_number()
    except ValueError as exc:
        yield BAD_NUMBER(str(exc)[0].upper() + str(exc)[1:] + ".", document=doc.id)
    if parsed is not None and doc.type is not None \
            and doc.type.strip().casefold() != parsed.type_name.casefold():
        code = parsed.type_code or "không có mã loại (công văn)"
        yield TYPE_MISMATCH(
            f"Sổ ghi loại '{doc.type}' nhưng số ký hiệu {parsed.raw} mang mã loại {code} "
            f"({parsed.type_name}).", document=doc.id)
    type_code = doc.type_code()
    deadlines: list[dt.date] = []
    for proof in doc.proves:
        node = fw.by_code.get(proof.item)
        if node is None and fw.extras is not None and fw.extras.item(proof.item):
            continue  # a bonus or penalty item
        if node is None:
            yield UNKNOWN_ITEM(f"Mã tiêu chí {proof.item} không có trong bộ tiêu chí {fw.id}.",
                               document=doc.id, item=proof.item)
            continue
        if proof.item not in leaves:
            yield UNKNOWN_ITEM(f"{proof.item} có tiêu chí thành phần: ghi mã tiêu chí thành "
                               "phần được chứng minh.", document=doc.id, item=proof.item)
            continue
        item = node.item
        expected = getattr(item, "document_types", ())
        if expected and type_code is not None and type_code not in expected:
            yield UNEXPECTED_TYPE(
                f"Văn bản loại {type_code} chứng minh {proof.item}, tiêu chí yêu cầu "
                f"{', '.join(expected)}.", document=doc.id, item=proof.item)
        resolved = ctx.item_deadlines.get(proof.item)
        if resolved is not None:
            deadline = resolved.date
            deadlines.append(deadline)
            if doc.date is not None and doc.date > deadline:
                where = {"document": doc.id, "item": proof.item}
                text = (f"Văn bản ngày {_d(doc.date)}, sau thời hạn {resolved.text} của "
                        f"tiêu chí {proof.item}")
                if _claims_on_time(fw, proof.item, ctx.inputs.get(proof.item)):
                    yield LATE_SCORED_ON_TIME(text + ", nhưng tự chấm là kịp thời.", **where)
                else:
                    yield LATE(text + ".", **where)
    for task in doc.tasks:
        if ctx.tasks is not None and task not in ctx.tasks:
            yield UNKNOWN_TASK(f"Nhiệm vụ {task} không có trong kế hoạch CCHC.",
                               document=doc.id, task=task)
            continue
        task_due = ctx.task_deadlines.get(task)
        if task_due is not None:
            deadlines.append(task_due)
            if doc.date is not None and doc.date > task_due:
                yield LATE(f"Văn bản ngày {_d(doc.date)}, sau thời hạn {_d(task_due)} của "
                           f"nhiệm vụ {task}.", document=doc.id, task=task)
    if doc.date is not None:
        start = dt.date(min([ctx.year, *(d.year for d in deadlines)]), 1, 1)
        if doc.date > ctx.as_of:
            yield FUTURE_DATE(f"Ngày ban hành {_d(doc.date)} sau ngày kiểm tra "
                              f"{_d(ctx.as_of)}.", document=doc.id)
        elif not start <= doc.date <= ctx.period_end:
            yield OUTSIDE_YEAR(
                f"Văn bản ngày {_d(doc.date)}, ngoài thời kỳ đánh giá "
                f"{_d(start)} – {_d(ctx.period_end)}.", document=doc.id)


def _text_findings(doc: EvidenceDocument, texts: list[tuple[str, FileFacts]]
                   ) -> Iterator[Finding]:
    """Compare the register with what the document's own text says (number, date line)."""
    if not texts:
        return
    found_number = found_date = False
    try:
        registered = doc.parsed_number()
    except ValueError:  # reported as invalid-document-number; nothing to compare with
        registered = None
    for rel, facts in texts:
        if facts.number is not None:
            found_number = True
            written = parse_doc_number(facts.number)
            if registered is not None and written.key != registered.key:
                yield NUMBER_MISMATCH(f"Sổ ghi {doc.number}, văn bản ghi {written.raw}.",
                                      document=doc.id, file=rel)
        if facts.date is not None:
            found_date = True
            date = dt.date.fromisoformat(facts.date)
            if doc.date is not None and date != doc.date:
                yield DATE_MISMATCH(f"Sổ ghi ngày {_d(doc.date)}, văn bản ghi ngày {_d(date)}.",
                                    document=doc.id, file=rel)
    missing = []
    if registered is not None and not found_number:
        missing.append("số ký hiệu")
    if doc.date is not None and not found_date:
        missing.append("ngày ban hành")
    if missing:
        yield UNVERIFIED(f"Không tìm thấy {' và '.join(missing)} trong chữ của văn bản.",
                         document=doc.id, file=texts[0][0])


def _file_findings(doc: EvidenceDocument, rel: str, facts: FileFacts | OSError,
                   recorded: str | None) -> Iterator[Finding]:
    where = {"document": doc.id, "file": rel}
    if isinstance(facts, FileNotFoundError | NotADirectoryError):
        yield FILE_MISSING(f"Không có tệp {rel}.", **where)
        return
    if isinstance(facts, OSError):
        yield FILE_UNREADABLE(f"Không đọc được tệp {rel}: {facts.strerror or facts}.", **where)
        return
    if facts.state == "empty":
        yield FILE_EMPTY(f"Tệp {rel} rỗng (0 byte).", **where)
        return
    if recorded is not None and recorded != facts.sha256:
        yield HASH_MISMATCH(f"SHA-256 của {rel} là {facts.sha256[:12]}…, sổ ghi "
                            f"{recorded[:12]}….", **where)
    if facts.state == "corrupt" and (facts.error or "").startswith(FAILED_PREFIX):
        why = ("đọc quá thời gian cho phép" if "timeout" in (facts.error or "")
               else "trình đọc tệp bị dừng (tệp làm hỏng trình đọc hoặc cần quá nhiều bộ nhớ)")
        yield FILE_UNREADABLE(f"Tệp {rel} không đọc được: {why}; tệp có thể bị hỏng. Mở thử "
                              "tệp, lưu lại bản PDF mới rồi kiểm tra lại.", **where)
    elif facts.state == "corrupt":
        yield FILE_UNREADABLE(f"Tệp {rel} bị hỏng, không mở được.", **where)
    elif facts.state == "encrypted":
        yield FILE_ENCRYPTED(f"Tệp {rel} có mật khẩu, không mở được.", **where)
    elif facts.state == "no-text":
        read = ""
        if facts.ocr == "done":
            got = [f"số {facts.number}" if facts.number else "",
                   f"ngày {_d(dt.date.fromisoformat(facts.date))}" if facts.date else ""]
            read = "; OCR đọc được " + (", ".join(g for g in got if g) or "không số, ngày nào")
        yield FILE_SCANNED(f"Tệp {rel} là ảnh quét, không có lớp chữ{read}.", **where)


def _plan_tasks(dossier: Dossier) -> tuple[frozenset[str] | None, dict[str, dt.date]]:
    """Task codes and due dates of the dossier's plan; (None, {}) when it has no plan."""
    plan = dossier.plan
    if plan is None:
        return None, {}
    due = {t.code: t.due for t in plan.tasks if t.due is not None}
    return frozenset(t.code for t in plan.tasks), due


def _plan_evidence(dossier: Dossier, reg: Register) -> Iterator[Finding]:
    """Evidence ids the plan names (per task and periodic report) that the register lacks."""
    plan = dossier.plan
    if plan is None:
        return
    known = {d.id for d in reg.documents}
    for task in plan.tasks:
        for ref in task.evidence:
            if ref not in known:
                yield PLAN_EVIDENCE_MISSING(
                    f"Nhiệm vụ {task.code} ghi tài liệu kiểm chứng '{ref}', sổ không có mục "
                    "này.", task=task.code, document=ref)
    for report in plan.reports:
        for ref in report.evidence:
            if ref not in known:
                yield PLAN_EVIDENCE_MISSING(
                    f"{report.label or report.id} ghi tài liệu kiểm chứng '{ref}', sổ không có "
                    "mục này.", document=ref)


# -- the check ------------------------------------------------------------------------------

def check(dossier: Dossier | Path | str, *, as_of: dt.date | None = None, cache: bool = True,
          progress: Progress | None = None, register: Register | None = None,
          workers: int | None = None, ocr: bool = True) -> Report:
    """Check a dossier (loaded, or its folder); see :func:`check_dossier`."""
    dossier = as_dossier(dossier)
    # thousands of documents and findings, all alive until the report is made: the cyclic
    # collector is paused for the bookkeeping (files are read with it on: see inspect_files)
    with paused():
        return _check(dossier, as_of=as_of, cache=cache, progress=progress, register=register,
                      workers=workers, ocr=ocr)[0]


@dataclass(frozen=True)
class _Looked:
    """For :mod:`~parindex.evidence.reportcache`: the register's files inside the dossier, all
    facts settled in the facts cache, scans left unread for want of Tesseract."""

    registered: tuple[str, ...]
    settled: bool
    ocr_pending: bool


def _check(dossier: Dossier, *, as_of: dt.date | None, cache: bool,
           progress: Progress | None, register: Register | None,
           workers: int | None, ocr: bool) -> tuple[Report, _Looked]:
    fw = dossier.framework
    manifest = dossier.manifest
    root = dossier.root
    as_of = as_of or dt.date.today()
    card = dossier.score()
    reg = register if register is not None else register_of(dossier, cache=cache)
    findings: list[Finding] = list(_input_findings(dossier, card))
    findings.extend(_plan_evidence(dossier, reg))

    period_end = dt.date(manifest.year, 12, 31)
    if manifest.submission_deadline is not None and manifest.submission_deadline > period_end:
        period_end = manifest.submission_deadline
    tasks, task_deadlines = _plan_tasks(dossier)
    leaves = frozenset(n.code for n in fw.leaves())
    resolved, deadline_findings = item_deadlines(dossier, reg)
    findings.extend(deadline_findings)
    ctx = _Context(fw, dossier.inputs, manifest.year, period_end, as_of, tasks, task_deadlines,
                   leaves, resolved)
    inside = Confinement(root)
    # the documents folder first (what it holds is then known to be inside: no path check)
    docs_dir = root / manifest.files.documents
    walked = list(walk_files(root, docs_dir, inside)) \
        if docs_dir.is_dir() and not docs_dir.is_symlink() else []

    # which files each document names, and which of them may be read
    to_read: dict[str, None] = {}
    named: set[str] = set()
    doc_files: list[tuple[EvidenceDocument, list[tuple[str, str | None]]]] = []
    for doc in reg.documents:
        findings.extend(_register_findings(doc, ctx))
        findings.extend(draft_findings(doc))
        if not doc.files:
            findings.append(FILE_MISSING("Mục này không có tệp nào.", document=doc.id))
        usable = []
        for f in doc.files:
            why = inside(f.path)
            if why is not None:
                findings.append(PATH_OUTSIDE(f"{f.path}: {why}.", document=doc.id, file=f.path))
                continue
            rel = norm_path(f.path)
            named.add(rel)
            to_read[rel] = None
            usable.append((rel, f.sha256))
        doc_files.append((doc, usable))

    # files in the dossier that nobody registered
    unregistered = []
    for rel, why in walked:
        if why is not None:
            findings.append(PATH_OUTSIDE(f"{rel}: {why}.", file=rel))
        elif rel not in named:
            unregistered.append(rel)  # reported, never read: nothing to compare it with

    facts = inspect_files(root, to_read, cache=cache, progress=progress, workers=workers,
                          ocr=ocr, headings=False)  # headings are for drafting entries

    by_hash: dict[str, list[tuple[str, str]]] = defaultdict(list)
    proven: set[str] = set()
    signed_documents = 0
    for doc, usable in doc_files:
        proven.update(doc.items)
        texts: list[tuple[str, FileFacts]] = []
        scans: list[tuple[str, FileFacts]] = []
        signed: list[tuple[str, FileFacts]] = []
        for rel, recorded in usable:
            got = facts[rel]
            findings.extend(_file_findings(doc, rel, got, recorded))
            if isinstance(got, FileFacts) and got.state != "empty":
                by_hash[got.sha256].append((doc.id, rel))
                if got.state == "text":
                    texts.append((rel, got))
                elif got.ocr == "done":
                    scans.append((rel, got))
                if got.signatures:
                    signed.append((rel, got))
        findings.extend(_text_findings(doc, texts))
        findings.extend(ocr_findings(doc, scans))
        if signed:
            signed_documents += 1
            findings.extend(_escalated(signature_findings(
                doc, signed, deadlines_of(doc, ctx.item_deadlines, ctx.task_deadlines)), ctx))
    findings.extend(ocr_unavailable(f for f in facts.values() if isinstance(f, FileFacts)))
    for rel in unregistered:
        findings.append(UNREGISTERED_FILE(f"Tệp {rel} không được sổ nhắc tới.", file=rel))
    for entries in by_hash.values():
        if len(entries) > 1:
            first_doc, first_rel = entries[0]
            others = "; ".join(f"{r} ({d})" for d, r in entries[1:])
            findings.append(DUPLICATE_FILE(
                f"Tệp {first_rel} trùng nội dung với: {others}.", document=first_doc,
                file=first_rel))

    for leaf in card.leaves():
        if leaf.method == "survey" or leaf.status != "scored" or leaf.score <= 0:
            continue
        if leaf.code in proven or (leaf.explanation or "").strip():
            continue
        due = resolved.get(leaf.code)
        if due is not None and due.date > as_of:
            continue
        findings.append(MISSING_EVIDENCE(
            f"{leaf.code} ({leaf.name}) tự chấm {_fmt(leaf.score)} điểm nhưng chưa có tài liệu "
            "kiểm chứng và chưa có giải trình.", item=leaf.code))
    for extra in card.extras.items if card.extras is not None else ():
        if extra.group == "bonus" and extra.points > 0 and extra.code not in proven \
                and not (extra.explanation or "").strip():
            findings.append(MISSING_EVIDENCE(
                f"Điểm thưởng {extra.code} ({extra.name}) ghi {_fmt(extra.points)} điểm nhưng "
                "chưa có tài liệu kiểm chứng và chưa có giải trình.", item=extra.code))

    read = sum(1 for f in facts.values() if isinstance(f, FileFacts))
    size = sum(f.size for f in facts.values() if isinstance(f, FileFacts))
    looked = _Looked(tuple(to_read), cache and all(map(settled, facts.values())),
                     ocr and any(isinstance(f, FileFacts) and f.ocr == "unavailable"
                                 for f in facts.values()))
    return Report.of(
        f"Hồ sơ {manifest.unit} năm {manifest.year}", findings,
        documents=len(reg.documents), files=len(facts), readable_files=read, bytes=size,
        items_proven=len(proven & leaves), signed_documents=signed_documents,
        as_of=as_of.isoformat(),
        self_score=float(card.total.self_score), self_max=float(card.total.self_max),
    ), looked



def check_dossier(folder: Dossier | Path | str, *, as_of: dt.date | None = None,
                  cache: bool = True, progress: Progress | None = None,
                  workers: int | None = None, ocr: bool = True, reuse: bool = True) -> Report:
    """Check a dossier (its folder, or a loaded :class:`~parindex.scoring.dossier.Dossier`)
    before submission and return one report.

    Findings cover the self-assessment (missing or invalid inputs, unknown codes, survey items
    self-scored, self scores the rule cannot give), the evidence (items with neither evidence
    nor giải trình, missing/empty/corrupt/encrypted files, duplicates, unregistered files,
    paths leaving the dossier) and the documents themselves (type, dates against the year and
    deadlines, số ký hiệu and date compared with the document's text). ``as_of`` (default:
    today) is the day of the check: documents cannot be dated after it, and items whose
    deadline has not come yet need no evidence yet. Files are read by ``workers`` processes
    (default: one per CPU); ``cache=False`` reads every file again and writes no cache.
    Scans are read by OCR unless ``ocr=False`` (numbers and dates it reads are compared as
    warnings); digital signatures of PDFs are read and compared with the register.

    With ``cache``, the report of a dossier folder is kept, and given back (unless ``reuse``
    is false: the caller looked already) while nothing the check reads has changed
    (:mod:`parindex.evidence.reportcache`).

    Raises :class:`~parindex.core.errors.InputError` when a dossier file cannot be used."""
    snap = None
    if cache and not isinstance(folder, Dossier):
        kept = reportcache.lookup(folder, as_of=as_of, ocr=ocr) if reuse else None
        if kept is not None:
            return kept.report
        snap = reportcache.snapshot(folder)  # before anything is read
    with paused():
        dossier = as_dossier(folder, cache=cache)
        report, looked = _check(dossier, as_of=as_of, cache=cache, progress=progress,
                                register=None, workers=workers, ocr=ocr)
    if snap is not None and looked.settled:
        inputs = reportcache.inputs_for(dossier, looked.registered)
        if inputs is not None:
            reportcache.store(snap, inputs, report, ocr=ocr, ocr_pending=looked.ocr_pending)
    return report

