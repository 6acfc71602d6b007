"""Drafting register entries from the documents folder (``parindex register scan``).

Every file under ``documents/`` that the register does not mention is read (text layer, or
OCR for a scan) and its heading block gives a draft entry: số ký hiệu, type, date, issuer,
trích yếu, the files with their SHA-256. Files of one document are grouped: the same số ký
hiệu and date (a .docx beside its signed .pdf), the same file name with another extension,
or an appendix (``…-phu-luc.pdf``, or text saying ``Kèm theo … số 15/KH-SKHCN``). Each field
says where it was read and how sure the reading is (:class:`~parindex.evidence.register.Draft`);
items and plan tasks the document may prove are suggested, never set. Drafts are added to the
register after the registered entries, which are never changed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from parindex.core.base import nfc
from parindex.core.yamlio import write_text_atomic
from parindex.evidence.docnumber import CONG_VAN, DOCUMENT_TYPES, parse_doc_number
from parindex.evidence.documents import FileFacts, Progress, inspect_files
from parindex.evidence.folder import norm_path, walk_files
from parindex.evidence.heading import Heading, issuer_name, read_heading
from parindex.evidence.register import (
    Draft,
    EvidenceDocument,
    EvidenceFile,
    Register,
    dump_register,
    load_register,
    register_of,
)
from parindex.scoring.dossier import Dossier, load_dossier

__all__ = ["ScanResult", "draft_register", "scan_dossier", "write_drafts"]

SURE, LIKELY, UNSURE = "cao", "trung bình", "thấp"
"""How sure a reading is, as the register says it (độ tin cậy)."""
_PRIMARY = {"pdf": 0, "docx": 1, "image": 2, "other": 3}
_APPENDIX = re.compile(r"(^|[-_ .])(phu-?luc|pl\d*|bieu|kem-?theo|appendix|annex)", re.I)
_ATTACHED_TO = re.compile(r"Kèm\s+theo[^\n]{0,80}?số\s*:?\s*(\d+\s*/[^\s,;)]+)",
                          re.IGNORECASE)


@dataclass(frozen=True)
class _Read:
    rel: str
    facts: FileFacts | OSError
    text: str
    heading: Heading | None

    @property
    def source(self) -> str:
        if isinstance(self.facts, FileFacts) and self.facts.ocr == "done":
            return "ocr"
        return "text"

    @property
    def key(self) -> tuple[str, str | None] | None:
        h = self.heading
        if h is None or h.number is None:
            return None
        return h.number.key, h.date.isoformat() if h.date else None


@dataclass(frozen=True)
class ScanResult:
    """What a scan found: the drafted entries, and files it could not draft from."""

    drafts: tuple[EvidenceDocument, ...]
    unread: tuple[tuple[str, str], ...] = ()
    """Files whose text could not be read, with why (Vietnamese)."""
    register: Path | None = None
    written: bool = False
    seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "drafts": [d.model_dump(mode="json", exclude_none=True) for d in self.drafts],
            "unread": [{"file": f, "reason": r} for f, r in self.unread],
            "register": None if self.register is None else str(self.register),
            "written": self.written,
        }


def _where(r: _Read, line: int, text: str, sure: str) -> str:
    how = "OCR bản quét" if r.source == "ocr" else "chữ trong tệp"
    shown = text if len(text) <= 70 else text[:67] + "…"
    return f"{how} {r.rel}, dòng {line} «{shown}»; độ tin cậy: {sure}"


def _lower_if_ocr(r: _Read, sure: str) -> str:
    return (LIKELY if sure == SURE else UNSURE) if r.source == "ocr" else sure


def _draft_fields(r: _Read, known: tuple[str, ...]) -> tuple[dict[str, Any], dict[str, str]]:
    h = r.heading
    fields: dict[str, Any] = {}
    sources: dict[str, str] = {}
    if h is None:
        return fields, sources
    if h.number is not None and h.number_line is not None:
        fields["number"] = h.number.raw
        sources["number"] = _where(r, h.number_line.line, h.number_line.text,
                                   _lower_if_ocr(r, SURE))
    by_code = h.number.type_name if h.number is not None else None
    by_title = h.title.value if h.title is not None else None
    if by_code is not None or by_title is not None:
        kind = by_code or by_title
        if by_code is not None and by_title is not None and by_code == by_title:
            sure, how = SURE, "mã loại trong số ký hiệu và tên loại ở tiêu đề khớp nhau"
        elif by_code is not None and by_title is not None:
            sure, how = UNSURE, f"mã loại là {by_code}, tiêu đề ghi {by_title}"
        elif by_code is not None:
            sure = LIKELY
            how = ("số ký hiệu không có mã loại" if by_code == CONG_VAN
                   else f"mã loại trong số ký hiệu {h.number.raw if h.number else ''}")
        else:
            sure, how = LIKELY, "tên loại ở tiêu đề"
        fields["type"] = kind
        line = h.title.line if h.title is not None else (
            h.number_line.line if h.number_line is not None else 1)
        sources["type"] = f"{how}; dòng {line} của {r.rel}; độ tin cậy: {_lower_if_ocr(r, sure)}"
    if h.date is not None and h.date_line is not None:
        fields["date"] = h.date
        sources["date"] = _where(r, h.date_line.line, h.date_line.text, _lower_if_ocr(r, SURE))
    name, matched = issuer_name(h, known)
    if name is not None:
        fields["issuer"] = name
        first = h.agencies[0]
        sure = LIKELY if matched else UNSURE
        note = "" if matched else " (viết lại từ chữ in hoa: kiểm tra cách viết)"
        sources["issuer"] = _where(r, first.line, " / ".join(a.value for a in h.agencies),
                                   _lower_if_ocr(r, sure)) + note
    if h.subject is not None:
        fields["subject"] = h.subject.value
        sources["subject"] = _where(r, h.subject.line, h.subject.text,
                                    _lower_if_ocr(r, LIKELY))
    return fields, sources


# -- suggestions ----------------------------------------------------------------------------

_STOP = frozenset(("và", "của", "các", "cho", "trong", "năm", "về", "theo", "tại", "với",
                   "được", "là", "có", "một", "những", "này", "đã", "thực", "hiện", "việc"))


def _bigrams(text: str) -> set[str]:
    words = [w for w in re.findall(r"[^\W\d_]+", nfc(text).casefold()) if w not in _STOP]
    return {f"{a} {b}" for a, b in itertools.pairwise(words)}


def _suggest(dossier: Dossier, type_code: str | None, subject: str | None
             ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if not subject:
        return (), ()
    leaves = [n for n in dossier.framework.leaves() if n.method != "survey"]
    names = [_bigrams(n.name) for n in leaves]
    counts: dict[str, int] = {}
    for grams in names:
        for g in grams:
            counts[g] = counts.get(g, 0) + 1
    common_words = {g for g, c in counts.items() if c > max(3, len(leaves) // 12)}
    words = _bigrams(subject) - common_words  # "cải cách", "hành chính" tell nothing apart
    scored: list[tuple[int, str]] = []
    for node, grams in zip(leaves, names, strict=True):
        expected = getattr(node.item, "document_types", ())
        if expected and (type_code is None or type_code not in expected):
            continue
        common = len(words & grams)
        if common >= 2:
            scored.append((-common, node.code))
    items = tuple(code for _, code in sorted(scored)[:3])
    tasks: list[tuple[int, str]] = []
    plan = dossier.plan
    if plan is not None:
        for task in plan.tasks:
            common = len(words & _bigrams(" ".join((task.title, *task.products))))
            if common >= 2:
                tasks.append((-common, task.code))
    return items, tuple(code for _, code in sorted(tasks)[:3])


# -- grouping -------------------------------------------------------------------------------

def _stem(rel: str) -> str:
    return PurePosixPath(rel).with_suffix("").as_posix().casefold()


def _group(reads: list[_Read]) -> list[list[_Read]]:
    """Files of one document together, the main file first."""
    groups: list[list[_Read]] = []
    by_key: dict[tuple[str, str | None], list[_Read]] = {}
    by_stem: dict[str, list[_Read]] = {}
    by_number: dict[str, list[_Read]] = {}
    appendices: list[_Read] = []
    ordered = sorted(reads, key=lambda r: (_APPENDIX.search(PurePosixPath(r.rel).stem)
                                           is not None, r.rel))
    for r in ordered:
        stem = _stem(r.rel)
        attached = _ATTACHED_TO.search(r.text[:2000]) if r.text else None
        if r.key is None and (attached or _APPENDIX.search(PurePosixPath(r.rel).stem)):
            appendices.append(r)
            continue
        group = by_key.get(r.key) if r.key is not None else None
        if group is None:
            same_stem = by_stem.get(stem)
            if same_stem is not None and (r.key is None or same_stem[0].key in (None, r.key)):
                group = same_stem
        if group is None:
            group = []
            groups.append(group)
        group.append(r)
        by_stem.setdefault(stem, group)
        if r.key is not None:
            by_key.setdefault(r.key, group)
            by_number.setdefault(r.key[0], group)
    for r in appendices:
        target = None
        attached = _ATTACHED_TO.search(r.text[:2000]) if r.text else None
        if attached:
            try:
                target = by_number.get(parse_doc_number(
                    re.sub(r"\s+", "", attached.group(1))).key)
            except ValueError:
                target = None
        if target is None:
            stem = _stem(r.rel)
            for other, group in by_stem.items():
                if stem.startswith(other) and stem != other:
                    target = group
                    break
        if target is None:
            target = []
            groups.append(target)
        target.append(r)
    for group in groups:
        group.sort(key=lambda r: (r not in appendices, r.heading is not None,
                                  -_PRIMARY.get(_kind(r), 3), -len(r.rel)), reverse=True)
    return groups


def _kind(r: _Read) -> str:
    return r.facts.kind if isinstance(r.facts, FileFacts) else "other"


_SLUG = re.compile(r"[^A-Za-z0-9._-]+")


def _id_for(rel: str, taken: set[str]) -> str:
    import unicodedata

    stem = PurePosixPath(rel).stem.replace("đ", "d").replace("Đ", "D")
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    base = _SLUG.sub("-", ascii_stem).strip("-._").lower() or "tai-lieu"
    if not base[0].isalnum():
        base = "tl-" + base
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


_UNREAD = {
    "no-text": "ảnh quét, không có lớp chữ (cần OCR)", "image": "ảnh, không đọc được chữ",
    "encrypted": "có mật khẩu", "corrupt": "tệp hỏng", "unsupported": "không phải PDF/DOCX/ảnh",
    "empty": "tệp rỗng",
}


def draft_register(dossier: Dossier, *, ocr: bool = True, cache: bool = True,
                   progress: Progress | None = None, workers: int | None = None,
                   register: Register | None = None) -> ScanResult:
    """Draft register entries for the dossier's unregistered documents (nothing written)."""
    reg = register if register is not None else register_of(dossier, cache=cache)
    root = dossier.root
    registered = {norm_path(f.path) for d in reg.documents for f in d.files}
    docs_dir = root / dossier.manifest.files.documents
    todo: list[str] = []
    if docs_dir.is_dir() and not docs_dir.is_symlink():
        todo = [rel for rel, why in walk_files(root, docs_dir) if why is None and
                rel not in registered]
    # registered files are named too, so that their cached facts are kept
    facts = inspect_files(root, [*todo, *sorted(registered)], cache=cache, progress=progress,
                          workers=workers, ocr=ocr, headings=todo)  # drafts need headings
    reads: list[_Read] = []
    unread: list[tuple[str, str]] = []
    for rel in todo:
        got = facts[rel]
        text = "\n".join(got.heading) if isinstance(got, FileFacts) else ""
        heading = read_heading(text) if text.strip() else None
        if heading is None or (heading.number is None and heading.date is None):
            why = (_UNREAD.get(got.state, got.state) if isinstance(got, FileFacts)
                   else f"không đọc được: {got.strerror or got}")
            if isinstance(got, FileFacts) and got.state == "text":
                why = "không tìm thấy số ký hiệu, ngày ở đầu văn bản"
            elif isinstance(got, FileFacts) and got.ocr == "done":
                why = "OCR không đọc được số ký hiệu, ngày"
            elif isinstance(got, FileFacts) and got.ocr in ("failed", "timeout", "too-large"):
                why += f" (OCR: {got.ocr})"
            unread.append((rel, why))
        reads.append(_Read(rel, got, text, heading))
    plan = dossier.plan
    known = tuple(dict.fromkeys([*(d.issuer for d in reg.documents if d.issuer),
                                 dossier.manifest.unit,
                                 *([plan.issuer] if plan is not None and plan.issuer else [])]))
    taken = {d.id for d in reg.documents}
    drafts: list[EvidenceDocument] = []
    for group in _group(reads):
        main = group[0]
        fields, sources = _draft_fields(main, known)
        files = tuple(EvidenceFile(path=r.rel, sha256=r.facts.sha256)
                      if isinstance(r.facts, FileFacts) else EvidenceFile(path=r.rel)
                      for r in group)
        if len(group) > 1:
            sources["files"] = (f"{len(group)} tệp cùng một văn bản (cùng số ký hiệu và ngày, "
                                "cùng tên tệp hoặc phụ lục); độ tin cậy: trung bình")
        number = fields.get("number")
        code = None
        if number is not None:
            parsed = parse_doc_number(number)
            code = parsed.type_code or "CV"
        elif fields.get("type"):
            code = next((c for c, n in DOCUMENT_TYPES.items() if n == fields["type"]), None)
        items, tasks = _suggest(dossier, code, fields.get("subject"))
        drafts.append(EvidenceDocument(
            id=_id_for(main.rel, taken), files=files,
            draft=Draft(sources=sources, proves=items, tasks=tasks), **fields))
    return ScanResult(tuple(drafts), tuple(unread), dossier.path(
        dossier.manifest.files.register_))


def scan_dossier(folder: Path | str, *, dry_run: bool = False, ocr: bool = True,
                 cache: bool = True, progress: Progress | None = None,
                 workers: int | None = None) -> ScanResult:
    """Draft entries for the unregistered documents of a dossier and, unless ``dry_run``,
    add them to its register (registered entries are kept as they are)."""
    dossier = load_dossier(folder)
    result = draft_register(dossier, ocr=ocr, cache=cache, progress=progress, workers=workers)
    if dry_run or not result.drafts or result.register is None:
        return result
    write_drafts(result.register, result.drafts)
    return ScanResult(result.drafts, result.unread, result.register, True)


def write_drafts(path: Path, drafts: Iterable[EvidenceDocument]) -> None:
    """Add ``drafts`` after the entries of the register at ``path``, atomically.

    The register's own text (its comments) is kept: the drafts are appended to its
    ``documents:`` list when it is the last key, as ``dump_register`` writes it; otherwise the
    register is written again whole. Either way the result is read back and compared before
    it replaces the file."""
    new = tuple(drafts)
    old = load_register(path) if path.is_file() else Register()
    taken = {d.id for d in old.documents}
    clash = [d.id for d in new if d.id in taken]
    if clash:
        raise ValueError(f"draft ids already registered: {', '.join(clash)}")
    wanted = Register(documents=(*old.documents, *new))
    text = None
    if path.is_file() and old.documents:
        current = path.read_text(encoding="utf-8")
        items = dump_register(Register(documents=new)).split("\ndocuments:\n", 1)[1]
        lines = current.rstrip("\n").splitlines()
        tail = [ln for ln in lines if ln and not ln.startswith((" ", "#", "-"))]
        if tail and tail[-1].startswith("documents:") and tail[-1].strip() == "documents:":
            text = current.rstrip("\n") + "\n" + items
    if text is not None:
        tmp = path.with_name(f".{path.name}.scan.tmp")
        tmp.write_text(text, encoding="utf-8")
        try:
            ok = load_register(tmp) == wanted
        except Exception:  # any reading problem: write the register whole instead
            ok = False
        if ok:
            tmp.replace(path)
            return
        tmp.unlink(missing_ok=True)
    write_text_atomic(path, dump_register(wanted))

