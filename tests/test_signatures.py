"""Digital signatures of PDFs: signed-PDF fixtures made here with a throw-away certificate."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from parindex.evidence.check import check_dossier
from parindex.evidence.register import EvidenceFile, load_register, save_register
from parindex.evidence.signatures import (
    SignatureFacts,
    decode_signatures,
    encode_signatures,
    has_signature_marker,
    read_signatures,
)

from .conftest import EXAMPLE
from .relative_material import make_relative, self_scored

AS_OF = dt.date(2022, 1, 15)
VN = dt.timezone(dt.timedelta(hours=7))
DOC = "kh-cchc-2021"
"""Kế hoạch 210/KH-SKHCN of 28/12/2020, proving 1.1.1 (deadline 31/12/2020)."""
UNIT = "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi"


def _signer(tmp: Path, org: str) -> Any:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    from pyhanko.sign import signers

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Nguyễn Văn A"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, org)])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
            .not_valid_after(dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False,
                                         False), critical=True)
            .sign(key, hashes.SHA256()))
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    (tmp / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return signers.SimpleSigner.load(str(tmp / "key.pem"), str(tmp / "cert.pem"))


def _sign(data: bytes, when: dt.datetime, signer: Any, monkeypatch: pytest.MonkeyPatch
          ) -> bytes:
    """``data`` signed by ``signer`` with the signing time ``when`` (pyHanko takes the time
    from the clock: the clock is what is set)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.signers import pdf_signer

    real = pdf_signer.datetime

    class Clock(real):  # type: ignore[misc, valid-type]
        @classmethod
        def now(cls, tz: Any = None) -> dt.datetime:
            return when

    with monkeypatch.context() as m:
        m.setattr(pdf_signer, "datetime", Clock)
        out = io.BytesIO()
        signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)),
                         signers.PdfSignatureMetadata(field_name="Signature1"), signer=signer,
                         output=out)
    return out.getvalue()


def _add_text_after_signing(data: bytes) -> bytes:
    """A later revision drawing on the signed page (what a forger does)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    w = IncrementalPdfFileWriter(io.BytesIO(data))
    page = w.root["/Pages"]["/Kids"][0].get_object()
    ref = w.add_object(generic.StreamObject(stream_data=b"0 0 0 rg 100 100 50 50 re f"))
    page["/Contents"] = generic.ArrayObject([page.raw_get("/Contents"), ref])
    w.update_container(page)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def _dossier(tmp_path: Path, pdf: bytes) -> Path:
    folder = tmp_path / "d"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".parindex-cache"))
    target = folder / "documents" / f"{DOC}.pdf"
    target.write_bytes(pdf)
    import hashlib

    reg = load_register(folder / "register.yaml")
    docs = tuple(d.model_copy(update={"files": (EvidenceFile(
        path=d.files[0].path, sha256=hashlib.sha256(pdf).hexdigest()),)}) if d.id == DOC
        else d for d in reg.documents)
    save_register(reg.model_copy(update={"documents": docs}), folder / "register.yaml")
    return folder


def _of_doc(folder: Path) -> list[tuple[str, str]]:
    report = check_dossier(folder, as_of=AS_OF, cache=False, ocr=False)
    return [(f.code, f.message) for f in report.findings if f.document == DOC]


@pytest.fixture
def original() -> bytes:
    return (EXAMPLE / "documents" / f"{DOC}.pdf").read_bytes()


@pytest.fixture
def unit_signer(tmp_path: Path) -> Any:
    return _signer(tmp_path / "ca", UNIT)


def test_signed_before_the_deadline(tmp_path: Path, original: bytes, unit_signer: Any,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = _sign(original, dt.datetime(2020, 12, 28, 15, 30, tzinfo=VN), unit_signer,
                monkeypatch)
    folder = _dossier(tmp_path, pdf)
    assert _of_doc(folder) == [(
        "signature-not-validated",
        "Chữ ký số nguyên vẹn, người ký Nguyễn Văn A (Sở Khoa học và Công nghệ tỉnh Quảng "
        "Ngãi), ký ngày 28/12/2020; chưa xác thực với CA.")]
    report = check_dossier(folder, as_of=AS_OF, cache=False, ocr=False)
    assert report.stats["signed_documents"] == 1


def test_signed_after_the_deadline_is_late_whatever_its_typed_date(
        tmp_path: Path, original: bytes, unit_signer: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # 00:30 on 5 January in Vietnam is still 4 January in UTC: the local day counts
    pdf = _sign(original, dt.datetime(2021, 1, 5, 0, 30, tzinfo=VN), unit_signer, monkeypatch)
    assert read_signatures_of(pdf, tmp_path)[0].signed_on == dt.date(2021, 1, 5)
    # 1.1.1 self-scored "không kịp thời": the late signature is a warning
    folder = self_scored(_dossier(tmp_path, pdf), "khong-kip-thoi")
    assert [code for code, _ in _of_doc(folder)] == [
        "signed-after-deadline", "signing-date-mismatch", "signature-not-validated"]
    messages = dict(_of_doc(folder))
    assert messages["signing-date-mismatch"] == (
        "Sổ ghi ngày 28/12/2020, văn bản được ký số ngày 05/01/2021.")
    assert messages["signed-after-deadline"] == (
        "Văn bản ký số ngày 05/01/2021, sau thời hạn 31/12/2020 của tiêu chí 1.1.1.")


def test_signed_after_the_deadline_of_an_item_scored_on_time_is_an_error(
        tmp_path: Path, original: bytes, unit_signer: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # the example scores 1.1.1 "kịp thời" on a plan dated 28/12/2020 but signed on 05/01/2021:
    # the same error as a plan dated after the deadline (it used to be a warning only)
    pdf = _sign(original, dt.datetime(2021, 1, 5, 9, tzinfo=VN), unit_signer, monkeypatch)
    report = check_dossier(_dossier(tmp_path, pdf), as_of=AS_OF, cache=False, ocr=False)
    late = [(f.severity, f.item, f.file, f.message) for f in report.findings
            if f.document == DOC and f.code == "late-evidence-scored-on-time"]
    assert late == [("error", "1.1.1", f"documents/{DOC}.pdf",
                     "Văn bản ký số ngày 05/01/2021, sau thời hạn 31/12/2020 của tiêu chí "
                     "1.1.1, nhưng tự chấm là kịp thời.")]
    assert not [f for f in report.findings if f.code == "signed-after-deadline"]


def test_bytes_changed_after_signing(tmp_path: Path, original: bytes, unit_signer: Any,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = bytearray(_sign(original, dt.datetime(2020, 12, 28, 9, tzinfo=VN), unit_signer,
                          monkeypatch))
    at = pdf.find(b"/Producer")
    pdf[at + 12] ^= 1  # inside the signed byte range
    assert _of_doc(_dossier(tmp_path, bytes(pdf))) == [(
        "signature-invalid",
        f"Chữ ký của Nguyễn Văn A trên documents/{DOC}.pdf không khớp nội dung tệp: tệp đã bị "
        "sửa sau khi ký hoặc chữ ký hỏng.")]


def test_content_added_after_signing(tmp_path: Path, original: bytes, unit_signer: Any,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = _add_text_after_signing(_sign(original, dt.datetime(2020, 12, 28, 9, tzinfo=VN),
                                        unit_signer, monkeypatch))
    assert [code for code, _ in _of_doc(_dossier(tmp_path, pdf))] == [
        "modified-after-signing", "signature-not-validated"]


def test_signer_of_another_organisation(tmp_path: Path, original: bytes,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    other = _signer(tmp_path / "other", "Sở Nội vụ tỉnh Quảng Ngãi")
    pdf = _sign(original, dt.datetime(2020, 12, 28, 9, tzinfo=VN), other, monkeypatch)
    assert [m for c, m in _of_doc(_dossier(tmp_path, pdf))
            if c == "signer-organisation-mismatch"] == [
        "Chứng thư ký số của Sở Nội vụ tỉnh Quảng Ngãi, sổ ghi cơ quan ban hành Sở Khoa học "
        "và Công nghệ tỉnh Quảng Ngãi."]


def read_signatures_of(pdf: bytes, tmp: Path) -> tuple[SignatureFacts, ...]:
    path = tmp / "probe.pdf"
    path.write_bytes(pdf)
    return read_signatures(path)


def test_unsigned_files_are_not_parsed(tmp_path: Path, original: bytes) -> None:
    assert not has_signature_marker(EXAMPLE / "documents" / f"{DOC}.pdf")
    assert read_signatures_of(original, tmp_path) == ()
    (tmp_path / "empty.pdf").write_bytes(b"")
    assert read_signatures(tmp_path / "empty.pdf") == ()


HOSTILE = [
    b"%PDF-1.7\n/ByteRange [0 10 20 30]\n",
    b"%PDF-1.7\n1 0 obj << /Type /Sig /ByteRange [0 99999999 1 1] /Contents <00> >>\n"
    b"endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
    b"/ByteRange" * 1000,
]


@pytest.mark.parametrize("data", HOSTILE, ids=["no-objects", "sig-bad-range", "repeated"])
def test_hostile_signed_looking_files_give_a_finding(tmp_path: Path, data: bytes) -> None:
    sigs = read_signatures_of(data, tmp_path)
    assert all(s.error is not None for s in sigs)
    folder = _dossier(tmp_path, data)
    codes = [c for c, _ in _of_doc(folder)]
    assert "evidence-file-unreadable" in codes or "signature-unreadable" in codes


def _sigs() -> Iterator[SignatureFacts]:
    yield SignatureFacts("Signature1", "Nguyễn Văn A", UNIT, "2020-12-28T02:00:00+00:00",
                         True, False)
    yield SignatureFacts("?", error="broken")


def test_signatures_round_trip_through_the_facts_cache_form() -> None:
    sigs = tuple(_sigs())
    assert decode_signatures(encode_signatures(sigs)) == sigs
    assert decode_signatures(['{"field": 1}', "not json"]) == (
        SignatureFacts("?", error="malformed signature facts"),) * 2


def test_a_signature_is_held_to_a_deadline_counted_from_a_reference(
        tmp_path: Path, original: bytes, unit_signer: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # 1.1.1 due 15 days after the province's plan of 01/12/2020 (16/12/2020), not 31/12/2020:
    # a plan signed on 20/12/2020 is late (the signature check used to read fixed deadlines
    # only, and said nothing)
    pdf = _sign(original, dt.datetime(2020, 12, 20, 9, tzinfo=VN), unit_signer, monkeypatch)
    folder = self_scored(_dossier(tmp_path, pdf), "khong-kip-thoi")
    make_relative(folder, "references:\n  ke-hoach-tinh: {date: 2020-12-01}\n",
                  label="Kế hoạch CCHC của UBND tỉnh")
    # the register dates the plan 28/12/2020, already after 16/12: the check says so once
    # (late-evidence); the signature adds the signing day
    found = dict(_of_doc(folder))
    assert "late-evidence" in found and "signed-after-deadline" not in found
    # with the register's date before the deadline, the signature is what shows it late
    reg = load_register(folder / "register.yaml")
    docs = tuple(d.model_copy(update={"date": dt.date(2020, 12, 15)}) if d.id == DOC else d
                 for d in reg.documents)
    save_register(reg.model_copy(update={"documents": docs}), folder / "register.yaml")
    assert dict(_of_doc(folder))["signed-after-deadline"] == (
        "Văn bản ký số ngày 20/12/2020, sau thời hạn 16/12/2020 (15 ngày sau Kế hoạch CCHC "
        "của UBND tỉnh ngày 01/12/2020) của tiêu chí 1.1.1.")


def test_only_a_pdf_with_a_form_is_looked_at_for_signatures(
        tmp_path: Path, original: bytes, unit_signer: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Signatures live in AcroForm fields (pyHanko reads them from there): a PDF with no form
    is never searched for one, even when its bytes hold ``/ByteRange`` (issue 17: the search
    was a second pass over every byte of every scan); a signed one still is."""
    from parindex.evidence import documents

    looked: list[str] = []
    real = documents.read_signatures

    def spy(path: Path) -> tuple[SignatureFacts, ...]:
        looked.append(path.name)
        return real(path)

    monkeypatch.setattr(documents, "read_signatures", spy)
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(original + b"% /ByteRange [0 1 2 3]\n")
    assert has_signature_marker(plain)
    assert documents.inspect_file(plain).signatures == ()
    assert looked == []
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(_sign(original, dt.datetime(2020, 12, 28, 15, 30, tzinfo=VN),
                             unit_signer, monkeypatch))
    facts = documents.inspect_file(signed)
    assert looked == ["signed.pdf"]
    assert [(s.signer, s.intact) for s in facts.signed] == [("Nguyễn Văn A", True)]
