"""The layout of the scoring workbook, shared by the writer (:mod:`parindex.workbook.export`)
and the reader (:mod:`parindex.workbook.read`): sheet names, columns, status labels, the
heading block, and the formula cells whose values the library can compute."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parindex.scoring.scorecard import Status

__all__ = [
    "EXPLAIN_SHEET",
    "FIRST_ROW",
    "FORMAT_VERSION",
    "HEADER_ROW",
    "MAIN_COLUMNS",
    "MAIN_SHEET",
    "REGISTER_COLUMNS",
    "REGISTER_SHEET",
    "STATUS_LABELS",
    "SUBMISSION_COLUMNS",
    "SUMMARY_SHEET",
    "FormulaCell",
    "Heading",
]

FORMAT_VERSION = "1"
"""Layout version, stored in the workbook's custom properties (``parindex.format``)."""

MAIN_SHEET = "Tự chấm điểm"
REGISTER_SHEET = "Danh mục TLKC"
EXPLAIN_SHEET = "Giải trình"
SUMMARY_SHEET = "Tổng hợp"

MAIN_COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", "STT"),
    ("name", "Lĩnh vực / Tiêu chí / Tiêu chí thành phần"),
    ("nominal_max", "Điểm tối đa"),
    ("score", "Điểm tự đánh giá"),
    ("appraised", "Điểm thẩm định"),
    ("evidence", "Tài liệu kiểm chứng"),
    ("explanation", "Giải trình"),
    ("note", "Ghi chú"),
    ("status", "Tình trạng"),
    ("max", "Điểm tối đa tính chỉ số"),
    ("pending", "Điểm chờ điều tra XHH"),
    ("index", "Chỉ số (%)"),
)
"""``(key, header)`` of the working copy's main sheet, columns A…L, in order. ``Giải trình``
and ``Ghi chú`` sit under one merged heading "Giải trình / Ghi chú"."""

SUBMISSION_COLUMNS: tuple[tuple[str, str], ...] = MAIN_COLUMNS[:8]
"""The submission's main sheet: the standard form only, columns A…H, the same as the first
eight of the working copy (so that a reader finds the same column under the same header in
both files)."""

REGISTER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("seq", "STT"),
    ("number", "Số ký hiệu"),
    ("date", "Ngày ban hành"),
    ("title", "Trích yếu"),
    ("issuer", "Cơ quan ban hành"),
    ("items", "Tiêu chí kiểm chứng"),
    ("path", "Tệp"),
    ("signature", "Ký số"),
)

STATUS_LABELS: dict[Status, str] = {
    "scored": "",
    "sum": "",
    "not-applicable": "Không áp dụng",
    "missing-input": "Chưa nhập",
    "invalid-input": "Nhập sai",
    "survey": "Điều tra XHH",
    "survey-pending": "Chờ điều tra XHH",
}
"""The ``Tình trạng`` cell of each status; formulas test the not-applicable label."""

HEADER_ROW = 7
"""First of the two header rows of the main sheet; data start two rows below."""
FIRST_ROW = HEADER_ROW + 2


@dataclass(frozen=True)
class Heading:
    """The heading block: body above the unit, the unit, the scoring year; ``place`` (the
    province) opens the date line above the signature.

    ``unit_code`` is the issuer code of the unit's document numbers (``SKHCN``);
    ``report_number`` / ``report_date`` name the report the workbook goes with (the "Kèm
    theo Báo cáo số …" line: dots where not known yet); ``prepared_by`` and ``head`` are the
    names under Người lập biểu and Thủ trưởng đơn vị, ``head_title`` the signing title
    ("GIÁM ĐỐC", or "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC")."""

    unit: str
    year: int
    superior: str | None = None
    place: str | None = None
    unit_code: str | None = None
    report_number: str | None = None
    report_date: dt.date | None = None
    prepared_by: str | None = None
    head: str | None = None
    head_title: str | None = None

    @property
    def issuer(self) -> str:
        """The unit as its heading prints it (upper case, province not repeated)."""
        from parindex.scoring.dossier import heading_name

        return heading_name(self.unit, self.superior, self.place).upper()

    @property
    def report_line(self) -> str:
        """``(Kèm theo Báo cáo số 12/BC-SKHCN ngày 10/01/2022 của Sở …)``, with dots for
        what ``dossier.yaml`` does not give yet."""
        number = self.report_number or f"…/BC-{self.unit_code or '…'}"
        date = (self.report_date.strftime("%d/%m/%Y") if self.report_date
                else f"…/…/{self.year + 1}")
        return f"(Kèm theo Báo cáo số {number} ngày {date} của {self.unit})"


@dataclass(frozen=True)
class FormulaCell:
    """A formula cell and the library value it must show once calculated.

    ``code`` is the item (``None`` for the grand total); ``field`` is one of ``nominal_max``,
    ``score``, ``appraised``, ``max``, ``pending``, ``index`` (of a :class:`NodeScore` or of
    :class:`~parindex.scoring.scorecard.Total`), or ``classification``, ``appraised_index``,
    ``appraised_classification`` for the total (``appraised_index`` for areas too), or
    ``link`` for a register file link.
    """

    sheet: str
    ref: str
    code: str | None
    field: str
    text: str | None = None
    """For ``field == "link"`` (a register file link): the text the cell shows."""
