"""What a file itself says beyond its text layer, compared with the register: OCR readings of
scans and digital signatures.

Called by the check (:mod:`parindex.evidence.check`) once per registered document, with the
facts of its files. Numbers and dates read by OCR may be misread, so a disagreement with the
register is a warning of its own kind, never the text layer's error. A signature's day is
what the document was really issued on: it is compared with the register's date, the
deadlines the document answers to, and the signer's organisation with the issuer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from parindex.core.findings import Finding, FindingKind, define
from parindex.evidence.deadlines import ResolvedDeadline
from parindex.evidence.docnumber import parse_doc_number
from parindex.evidence.documents import FileFacts
from parindex.evidence.heading import _key
from parindex.evidence.register import EvidenceDocument

__all__ = [
    "READING_KINDS",
    "SIGNED_LATE",
    "AnsweredDeadline",
    "deadlines_of",
    "draft_findings",
    "ocr_findings",
    "ocr_unavailable",
    "signature_findings",
]

T = "check"

DRAFT_UNCONFIRMED = define(
    "unconfirmed-draft", "warning", "Mục sổ do máy soạn từ tệp, chưa được xác nhận",
    "Đối chiếu số ký hiệu, loại, ngày, cơ quan ban hành, trích yếu với văn bản, ghi tiêu chí "
    "chứng minh (proves), rồi xóa khối draft của mục này (trong bảng Excel của sổ: xóa ô "
    "“Bản nháp chưa xác nhận”).", T)
OCR_NUMBER_MISMATCH = define(
    "ocr-number-mismatch", "warning", "Số ký hiệu trong sổ khác số đọc được bằng OCR trên bản quét",
    "Nhìn bản quét: nếu sổ sai, sửa số ký hiệu trong sổ; OCR có thể đọc nhầm chữ số.", T)
OCR_DATE_MISMATCH = define(
    "ocr-date-mismatch", "warning", "Ngày ban hành trong sổ khác ngày đọc được bằng OCR trên bản "
    "quét",
    "Nhìn bản quét: nếu sổ sai, sửa ngày ban hành trong sổ; OCR có thể đọc nhầm chữ số.", T)
OCR_UNAVAILABLE = define(
    "ocr-unavailable", "info", "Chưa cài OCR (Tesseract): bản quét không được đọc",
    "Cài tesseract-ocr và tesseract-ocr-vie để đối chiếu số ký hiệu, ngày của bản quét.", T)
SIGNATURE_INVALID = define(
    "signature-invalid", "error", "Chữ ký số không còn nguyên vẹn (tệp bị sửa sau khi ký)",
    "Lấy lại bản điện tử đã ký số từ hệ thống quản lý văn bản, không dùng bản đã sửa.", T)
MODIFIED_AFTER_SIGNING = define(
    "modified-after-signing", "error", "Tệp được thêm nội dung sau khi ký số",
    "Lấy lại bản điện tử đúng như khi ký từ hệ thống quản lý văn bản.", T)
SIGNATURE_UNREADABLE = define(
    "signature-unreadable", "warning", "Không đọc được chữ ký số của tệp",
    "Mở tệp bằng phần mềm ký số để kiểm tra chữ ký, hoặc lấy lại bản điện tử.", T)
SIGNING_DATE_MISMATCH = define(
    "signing-date-mismatch", "warning", "Ngày ký số khác ngày ban hành trong sổ",
    "Kiểm tra ngày ban hành trong sổ: văn bản điện tử được ban hành vào ngày ký số.", T)
SIGNED_LATE = define(
    "signed-after-deadline", "warning", "Văn bản ký số sau thời hạn",
    "Văn bản ký sau hạn là trễ hạn dù ngày ghi trên văn bản sớm hơn: tự chấm theo phương án "
    "'không kịp thời' nếu cách chấm có phương án đó.", T)
SIGNER_MISMATCH = define(
    "signer-organisation-mismatch", "warning", "Cơ quan trong chứng thư ký số khác cơ quan ban "
    "hành",
    "Kiểm tra cơ quan ban hành trong sổ, hoặc tệp có đúng bản do cơ quan đó ký không.", T)
SIGNATURE_INTACT = define(
    "signature-not-validated", "info", "Chữ ký số nguyên vẹn, chưa xác thực với CA",
    "Không kiểm tra được chuỗi chứng thư tới CA Chính phủ khi không có mạng: xác thực bằng "
    "phần mềm ký số nếu cần.", T)

READING_KINDS: tuple[FindingKind, ...] = (
    DRAFT_UNCONFIRMED, OCR_NUMBER_MISMATCH, OCR_DATE_MISMATCH, OCR_UNAVAILABLE,
    SIGNATURE_INVALID, MODIFIED_AFTER_SIGNING, SIGNATURE_UNREADABLE, SIGNING_DATE_MISMATCH,
    SIGNED_LATE, SIGNER_MISMATCH, SIGNATURE_INTACT,
)


def _d(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class AnsweredDeadline:
    """A deadline a document answers to: of an item it proves, or of a task it serves."""

    date: dt.date
    what: str
    """"tiêu chí 1.1.1", "nhiệm vụ II.3.a"."""
    text: str
    """The deadline as read: "31/12/2020", or "16/12/2020 (15 ngày sau …)"."""
    item: str | None = None


def deadlines_of(doc: EvidenceDocument, item_deadlines: Mapping[str, ResolvedDeadline],
                 task_deadlines: Mapping[str, dt.date]) -> list[AnsweredDeadline]:
    """The deadlines a document answers to (of the items it proves, fixed or counted from a
    reference of the dossier, and of the tasks it serves)."""
    out = [AnsweredDeadline(r.date, f"tiêu chí {p.item}", r.text, p.item)
           for p in doc.proves if (r := item_deadlines.get(p.item)) is not None]
    out.extend(AnsweredDeadline(task_deadlines[t], f"nhiệm vụ {t}", _d(task_deadlines[t]))
               for t in doc.tasks if t in task_deadlines)
    return out


def draft_findings(doc: EvidenceDocument) -> Iterator[Finding]:
    if doc.draft is not None:
        yield DRAFT_UNCONFIRMED(
            f"Mục {doc.id} do parindex register scan soạn từ tệp, chưa có người xác nhận.",
            document=doc.id)


def ocr_findings(doc: EvidenceDocument, scans: list[tuple[str, FileFacts]]
                 ) -> Iterator[Finding]:
    """Compare the register with the number and date OCR read on the document's scans."""
    try:
        registered = doc.parsed_number()
    except ValueError:
        registered = None
    for rel, facts in scans:
        if facts.number is not None and registered is not None:
            written = parse_doc_number(facts.number)
            if written.key != registered.key:
                yield OCR_NUMBER_MISMATCH(
                    f"Sổ ghi {doc.number}, OCR đọc trên bản quét {written.raw}.",
                    document=doc.id, file=rel)
        if facts.date is not None and doc.date is not None:
            date = dt.date.fromisoformat(facts.date)
            if date != doc.date:
                yield OCR_DATE_MISMATCH(
                    f"Sổ ghi ngày {_d(doc.date)}, OCR đọc trên bản quét ngày {_d(date)}.",
                    document=doc.id, file=rel)


def ocr_unavailable(files: Iterable[FileFacts]) -> Iterator[Finding]:
    scans = sum(1 for f in files if f.ocr == "unavailable")
    if scans:
        yield OCR_UNAVAILABLE(f"{scans} tệp ảnh quét không được đọc vì máy chưa cài Tesseract "
                              "(tiếng Việt).")


def _same_body(organisation: str, issuer: str) -> bool:
    a, b = _key(organisation), _key(issuer)
    return a == b or a in b or b in a


def signature_findings(doc: EvidenceDocument, signed: list[tuple[str, FileFacts]],
                       deadlines: list[AnsweredDeadline]) -> Iterator[Finding]:
    """Findings of the signatures of a document's files.

    ``deadlines`` are the deadlines the document answers to (:func:`deadlines_of`); a deadline
    the register's date already misses is reported by the check and not again here. A
    signature after an item's deadline is reported with ``item`` set: the check escalates it
    when the item is self-scored as on time."""
    for rel, facts in signed:
        where = {"document": doc.id, "file": rel}
        for sig in facts.signed:
            who = sig.signer or "không rõ tên"
            if sig.error is not None:
                yield SIGNATURE_UNREADABLE(f"Chữ ký {sig.field} của {rel}: không đọc được.",
                                           **where)
                continue
            if not sig.intact:
                yield SIGNATURE_INVALID(
                    f"Chữ ký của {who} trên {rel} không khớp nội dung tệp: tệp đã bị sửa sau "
                    "khi ký hoặc chữ ký hỏng.", **where)
                continue
            if sig.modified:
                yield MODIFIED_AFTER_SIGNING(
                    f"{rel} có nội dung thêm vào sau chữ ký của {who}.", **where)
            day = sig.signed_on
            org = f" ({sig.organisation})" if sig.organisation else ""
            when = f", ký ngày {_d(day)}" if day is not None else ""
            yield SIGNATURE_INTACT(
                f"Chữ ký số nguyên vẹn, người ký {who}{org}{when}; chưa xác thực với CA.",
                **where)
            if day is not None and doc.date is not None and day != doc.date:
                yield SIGNING_DATE_MISMATCH(
                    f"Sổ ghi ngày {_d(doc.date)}, văn bản được ký số ngày {_d(day)}.", **where)
            if day is not None:
                for due in deadlines:
                    if day > due.date and (doc.date is None or doc.date <= due.date):
                        yield SIGNED_LATE(
                            f"Văn bản ký số ngày {_d(day)}, sau thời hạn {due.text} của "
                            f"{due.what}.", **where, item=due.item)
            if sig.organisation and doc.issuer and not _same_body(sig.organisation,
                                                                  doc.issuer):
                yield SIGNER_MISMATCH(
                    f"Chứng thư ký số của {sig.organisation}, sổ ghi cơ quan ban hành "
                    f"{doc.issuer}.", **where)
