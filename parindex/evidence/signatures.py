"""Digital signatures of PDFs (văn bản điện tử ký số), read with pyHanko.

For each signature of a signed PDF: the signer's name and organisation from the signing
certificate, the signing time the signer wrote (the CMS ``signing-time`` attribute, or the
time of a timestamp token when there is one), whether the signed bytes are intact and the
cryptography holds, and whether the file was changed after signing (bytes added by later
revisions beyond form filling and further signatures). Trust chains to the Vietnamese
government CA are not checked (offline): a signature is reported as "intact, signer X, not
validated against a CA".

Evidence files are handed here only when PDFium finds a form (AcroForm) in them
(:func:`parindex.evidence.documents.inspect_file`: pyHanko reads signatures from the form's
fields, so a PDF without one has none), and a file is looked at only when it contains
``/ByteRange`` (found with ``mmap``), so unsigned PDFs cost next to nothing; files over
:data:`MAX_BYTES` and more than :data:`MAX_SIGNATURES` signatures are not read. Nothing here
raises for a bad file.
"""

from __future__ import annotations

import datetime as dt
import json
import mmap
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

__all__ = [
    "MAX_BYTES",
    "SignatureFacts",
    "decode_signatures",
    "encode_signatures",
    "has_signature_marker",
    "read_signatures",
]

MAX_BYTES = 200 << 20
"""Signed PDFs larger than this are not read (their signatures are reported as not read)."""
MAX_SIGNATURES = 20


@dataclass(frozen=True)
class SignatureFacts:
    """One signature of a PDF."""

    field: str
    signer: str | None = None
    """Common name (CN) of the signing certificate's subject."""
    organisation: str | None = None
    """Organisation (O, else OU) of the signing certificate's subject."""
    signed_at: str | None = None
    """ISO date-time of signing as the signature states it (not proven without a TSA)."""
    intact: bool = False
    """The signed bytes are unchanged and the signature's cryptography is valid."""
    modified: bool = False
    """The file was changed after this signature beyond form filling or further signatures."""
    error: str | None = None
    """Why the signature could not be read, in English, for the log."""

    @property
    def signed_on(self) -> dt.date | None:
        """The local (Vietnam, UTC+7) calendar day of signing."""
        if self.signed_at is None:
            return None
        when = dt.datetime.fromisoformat(self.signed_at)
        if when.tzinfo is not None:
            when = when.astimezone(dt.timezone(dt.timedelta(hours=7)))
        return when.date()


def has_signature_marker(path: Path) -> bool:
    """Whether the file holds a signature dictionary's ``/ByteRange`` anywhere."""
    try:
        with open(path, "rb") as fh:
            if fh.seek(0, 2) == 0:
                return False
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
                return data.find(b"/ByteRange") >= 0
    except (OSError, ValueError):
        return False


def _name_parts(cert: Any) -> tuple[str | None, str | None]:
    try:
        subject = cert.subject.native
    except Exception:  # asn1crypto parses lazily: a malformed name raises here
        return None, None
    def first(key: str) -> str | None:
        value = subject.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        return str(value) if value else None
    return first("common_name"), first("organization_name") or first(
        "organizational_unit_name")


def _one(embedded: Any) -> SignatureFacts:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    name = str(embedded.field_name)
    try:
        cert = embedded.signer_cert
        signer, organisation = _name_parts(cert)
    except Exception as exc:
        return SignatureFacts(name, error=f"certificate: {type(exc).__name__}: {exc}")
    context = ValidationContext(trust_roots=[], allow_fetching=False,
                                revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(embedded, context)
    except Exception as exc:  # a parser of hostile input: any failure is a finding
        return SignatureFacts(name, signer, organisation,
                              error=f"{type(exc).__name__}: {exc}")
    when = status.signer_reported_dt
    if status.timestamp_validity is not None:
        when = status.timestamp_validity.timestamp
    level = status.modification_level
    modified = level is not None and level not in (
        ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)
    return SignatureFacts(
        name, signer, organisation, when.isoformat() if when is not None else None,
        bool(status.intact and status.valid), modified or not status.docmdp_ok)


def _quiet_pyhanko() -> None:
    """pyHanko logs every failed path building (a self-signed or unknown CA is the normal case
    offline) with a traceback; with no logging set up those would reach stderr through
    logging's last resort. A null handler keeps them out, as a library should."""
    import logging

    for name in ("pyhanko", "pyhanko_certvalidator"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())


def read_signatures(path: Path) -> tuple[SignatureFacts, ...]:
    """The signatures of a PDF; () when it has none (or is not a PDF at all)."""
    if not has_signature_marker(path):
        return ()
    try:
        size = path.stat().st_size
    except OSError:
        return ()
    if size > MAX_BYTES:
        return (SignatureFacts("?", error=f"file over {MAX_BYTES >> 20} MB: not read"),)
    from pyhanko.pdf_utils.reader import PdfFileReader

    _quiet_pyhanko()

    try:
        with open(path, "rb") as fh:
            reader = PdfFileReader(fh, strict=False)
            embedded = reader.embedded_signatures[:MAX_SIGNATURES]
            return tuple(_one(sig) for sig in embedded)
    except Exception as exc:  # a parser of hostile input: any failure is a finding
        return (SignatureFacts("?", error=f"{type(exc).__name__}: {exc}"),)


def encode_signatures(sigs: Iterable[SignatureFacts]) -> tuple[str, ...]:
    """Signatures as JSON strings: how a file's facts (and their cache) hold them."""
    return tuple(json.dumps(asdict(sig), ensure_ascii=False, sort_keys=True) for sig in sigs)


_FIELDS = {f.name for f in fields(SignatureFacts)}


def decode_signatures(encoded: Iterable[str]) -> tuple[SignatureFacts, ...]:
    """The signatures back from :func:`encode_signatures`; a string that is not one (a cache
    edited by hand) gives a signature that could not be read, never an exception."""
    out = []
    for text in encoded:
        try:
            data = json.loads(text)
            if type(data) is not dict or set(data) != _FIELDS:
                raise ValueError("not a signature")
            sig = SignatureFacts(**data)
            if sig.signed_at is not None:
                dt.datetime.fromisoformat(sig.signed_at)
        except (ValueError, TypeError):
            sig = SignatureFacts("?", error="malformed signature facts")
        out.append(sig)
    return tuple(out)
