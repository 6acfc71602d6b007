"""Make the SAMPLE evidence documents of the example dossier, and its register.

    python evidence/so-khcn-quang-ngai-2021/make_samples.py

Every document is a sample ("TÀI LIỆU MẪU"), not a real document of Sở Khoa học và Công nghệ
tỉnh Quảng Ngãi. PDFs are written with fpdf2 (DejaVu Sans, the font Debian ships in
fonts-dejavu-core), DOCX with python-docx, the photo and the scanned page with Pillow; dates
inside the files are fixed so that running the script again gives the same bytes.

A few problems are planted on purpose (listed in PLANTED below, in register.yaml and in
documents/README.md) so that ``parindex check`` has something true to say.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCS = HERE / "documents"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
FIXED = dt.datetime(2022, 1, 1, tzinfo=dt.UTC)
SAMPLE = ("TÀI LIỆU MẪU — ví dụ minh họa do parindex tạo, không phải văn bản thật của "
          "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi.")

SO = ("UBND TỈNH QUẢNG NGÃI", "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
      "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", "GIÁM ĐỐC", "(mẫu)")
UBND = ("", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "UBND tỉnh Quảng Ngãi", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        "(mẫu)")
CHI_CUC = ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", "CHI CỤC TIÊU CHUẨN ĐO LƯỜNG CHẤT LƯỢNG",
           "Chi cục Tiêu chuẩn Đo lường Chất lượng tỉnh Quảng Ngãi", "CHI CỤC TRƯỞNG", "(mẫu)")
TRUNG_TAM = ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", "TRUNG TÂM ỨNG DỤNG VÀ DỊCH VỤ KH&CN",
             "Trung tâm Ứng dụng và Dịch vụ khoa học công nghệ tỉnh Quảng Ngãi", "GIÁM ĐỐC",
             "(mẫu)")


@dataclass
class Sample:
    id: str
    number: str | None
    type: str | None
    date: dt.date
    subject: str
    proves: list[tuple[str, str | None]]
    tasks: list[str] = field(default_factory=list)
    issuer: tuple[str, str, str, str, str] = SO
    fmt: str = "pdf"  # pdf, docx, scan (image-only PDF), photo (JPEG)
    body: list[str] = field(default_factory=list)
    text_number: str | None = None
    """What the document itself says, when the register is (deliberately) wrong."""
    registered: bool = True

    @property
    def file(self) -> str:
        ext = {"pdf": "pdf", "docx": "docx", "scan": "pdf", "photo": "jpg"}[self.fmt]
        return f"documents/{self.id}.{ext}"


def d(y: int, m: int, day: int) -> dt.date:
    return dt.date(y, m, day)


BC_NAM = [
    ("1.2.1", "Phụ lục 1: danh mục báo cáo đã gửi"), ("1.2.2", None),
    ("1.3.3", "Mục I.1"), ("1.4.2", "Mục I.1"), ("2.2.2", "Mục I.2"), ("2.2.3", "Mục I.2"),
    ("2.3.2", "Mục I.2"), ("2.3.3", "Mục I.2"), ("3.1.2", "Mục I.3"), ("3.2.3", "Mục I.3"),
    ("3.2.4", "Mục I.3"), ("3.4.2", "Mục I.3"), ("4.2", "Mục I.4"), ("5.1", "Mục I.5"),
    ("5.4", "Mục I.5"), ("6.1.2", "Mục I.6"), ("6.3", "Mục I.6"), ("7.1.2", "Mục I.7"),
    ("7.1.4", "Mục I.7"), ("7.1.5", "Mục I.7"), ("7.2.1", "Mục I.7, Phụ lục 2"),
    ("7.2.3", "Mục I.7"), ("7.4", "Mục I.7"),
]

SAMPLES: list[Sample] = [
    Sample("qd-ban-hanh-kh-cchc-2021", "205/QĐ-SKHCN", "Quyết định", d(2020, 12, 28),
           "Ban hành Kế hoạch cải cách hành chính năm 2021 của Sở Khoa học và Công nghệ",
           [("1.1.1", "Điều 1")]),
    Sample("kh-cchc-2021", "210/KH-SKHCN", "Kế hoạch", d(2020, 12, 28),
           "Cải cách hành chính năm 2021 của Sở Khoa học và Công nghệ",
           [("1.1.1", None), ("1.1.2", "Mục II, III")]),
    Sample("bc-cchc-quy-1-2021", "38/BC-SKHCN", "Báo cáo", d(2021, 3, 5),
           "Kết quả thực hiện công tác cải cách hành chính quý I năm 2021",
           [("1.2.1", None), ("1.2.2", None)]),
    Sample("bc-cchc-6-thang-2021", "95/BC-SKHCN", "Báo cáo", d(2021, 6, 2),
           "Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2021",
           [("1.2.1", None), ("1.2.2", None)]),
    Sample("bc-cchc-quy-3-2021", "160/BC-SKHCN", "Báo cáo", d(2021, 9, 1),
           "Kết quả thực hiện công tác cải cách hành chính quý III năm 2021",
           [("1.2.1", None), ("1.2.2", None)]),
    Sample("bc-cchc-nam-2021", "251/BC-SKHCN", "Báo cáo", d(2021, 11, 24),
           "Kết quả thực hiện công tác cải cách hành chính năm 2021", BC_NAM),
    Sample("kh-kiem-tra-cchc-2021", "25/KH-SKHCN", "Kế hoạch", d(2021, 2, 20),
           "Kiểm tra công tác cải cách hành chính và kỷ luật, kỷ cương hành chính năm 2021",
           [("1.3.1", None), ("1.3.2", "Mục II"), ("3.3.4", "Mục II.3"), ("5.5.1", "Mục II.4")],
           ["II.1.đ"]),
    Sample("bc-kiem-tra-cchc-2021", "230/BC-SKHCN", "Báo cáo", d(2021, 11, 10),
           "Kết quả kiểm tra công tác cải cách hành chính năm 2021 tại các phòng, đơn vị",
           [("1.3.2", "Mục I"), ("1.3.3", "Mục II"), ("3.3.4", "Mục I.2"), ("5.5.1", "Mục I.3")],
           ["II.1.đ"]),
    Sample("bc-tu-cham-diem-cchc-2021", "12/BC-SKHCN", "Báo cáo", d(2022, 1, 10),
           "Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2021",
           [("1.7", None)]),
    Sample("kh-tuyen-truyen-cchc-2021", "35/KH-SKHCN", "Kế hoạch", d(2021, 4, 12),
           "Tuyên truyền cải cách hành chính năm 2021", [("1.4.1", None)], fmt="docx"),
    Sample("kh-ra-soat-vbqppl-2021", "18/KH-SKHCN", "Kế hoạch", d(2021, 2, 5),
           "Rà soát, hệ thống hóa văn bản quy phạm pháp luật năm 2021", [("2.2.1", None)],
           ["II.1.d"]),
    Sample("bc-ra-soat-vbqppl-2021", "226/BC-SKHCN", "Báo cáo", d(2021, 11, 5),
           "Kết quả rà soát, hệ thống hóa văn bản quy phạm pháp luật năm 2021",
           [("2.2.2", None), ("2.2.3", "Phụ lục")], ["II.1.d"]),
    Sample("kh-theo-doi-thpl-2021", "20/KH-SKHCN", "Kế hoạch", d(2021, 2, 10),
           "Theo dõi tình hình thi hành pháp luật năm 2021", [("2.3.1", None)], ["II.1.c"]),
    Sample("bc-theo-doi-thpl-2021", "228/BC-SKHCN", "Báo cáo", d(2021, 11, 8),
           "Kết quả theo dõi tình hình thi hành pháp luật năm 2021",
           [("2.3.2", None), ("2.3.3", "Mục III")], ["II.1.c"]),
    Sample("cv-the-che-hoa-2021", "1520/SKHCN-VP", "Công văn", d(2021, 10, 15),
           "V/v báo cáo kết quả thể chế hóa, triển khai cơ chế, chính sách năm 2021",
           [("2.4", None)], ["II.1.a"], fmt="docx"),
    Sample("kh-kiem-soat-tthc-2021", "30/QĐ-SKHCN", "Quyết định", d(2021, 2, 25),
           "Ban hành Kế hoạch kiểm soát thủ tục hành chính năm 2021", [("3.1.1", None)],
           ["II.2.a"]),
    Sample("bc-kiem-soat-tthc-2021", "236/BC-SKHCN", "Báo cáo", d(2021, 11, 15),
           "Kết quả thực hiện Kế hoạch kiểm soát thủ tục hành chính năm 2021",
           [("3.1.2", None)], ["II.2.a"]),
    Sample("qd-cong-bo-tthc-2021", "1035/QĐ-UBND", "Quyết định", d(2021, 7, 20),
           "Công bố danh mục thủ tục hành chính và phê duyệt quy trình nội bộ giải quyết thủ "
           "tục hành chính thuộc thẩm quyền giải quyết của Sở Khoa học và Công nghệ",
           [("3.2.1", "Điều 1"), ("3.2.2", "Điều 2"), ("3.3.1", "Phụ lục")],
           ["II.2.c", "II.2.d"], issuer=UBND),
    Sample("anh-niem-yet-pakn-2021", None, None, d(2021, 3, 10),
           "Ảnh chụp bảng niêm yết hướng dẫn tiếp nhận phản ánh, kiến nghị tại trụ sở Sở",
           [("3.4.1", None)], ["II.2.g"], fmt="photo"),
    Sample("kh-doi-thoai-2021", "22/KH-SKHCN", "Kế hoạch", d(2021, 2, 15),
           "Đối thoại giữa lãnh đạo Sở với tổ chức, công dân về thủ tục hành chính năm 2021",
           [("3.5", None)], ["II.2.k"]),
    Sample("bc-doi-thoai-lan-1-2021", "170/BC-SKHCN", "Báo cáo", d(2021, 9, 20),
           "Kết quả đối thoại giữa lãnh đạo Sở với tổ chức, công dân về thủ tục hành chính",
           [("3.5", None)], ["II.2.k"], text_number="107/BC-SKHCN"),
    Sample("bc-doi-thoai-lan-2-2021", "240/BC-SKHCN", "Báo cáo", d(2021, 11, 26),
           "Kết quả đối thoại lần 2 năm 2021 giữa lãnh đạo Sở với tổ chức, công dân về thủ tục "
           "hành chính", [("3.5", None)], ["II.2.k"], fmt="docx"),
    Sample("bc-do-luong-hai-long-2021", "245/BC-SKHCN", "Báo cáo", d(2021, 12, 1),
           "Tổng hợp kết quả đo lường mức độ hài lòng của người dân, tổ chức trong giải quyết "
           "thủ tục hành chính năm 2021", [("3.6", None)], ["II.2.l"]),
    Sample("qd-quy-dinh-chuc-nang-so-khcn-2021", "640/QĐ-UBND", "Quyết định", d(2021, 5, 12),
           "Quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Khoa học và Công "
           "nghệ tỉnh Quảng Ngãi", [("4.1.1", None)], ["II.3.a"], issuer=UBND),
    Sample("qd-quy-che-lam-viec-2021", "85/QĐ-SKHCN", "Quyết định", d(2021, 6, 15),
           "Ban hành Quy chế làm việc của Sở Khoa học và Công nghệ", [("4.1.2", None)],
           ["II.3.a"], fmt="docx"),
    Sample("qd-vi-tri-viec-lam-2021", "1250/QĐ-UBND", "Quyết định", d(2021, 8, 30),
           "Phê duyệt danh mục vị trí việc làm, cơ cấu ngạch công chức và số lượng người làm "
           "việc của Sở Khoa học và Công nghệ", [("4.3.1", "Điều 1"), ("4.3.2", "Điều 2")],
           ["II.3.c", "II.3.d"], issuer=UBND, fmt="scan"),
    Sample("qd-tinh-gian-bien-che-2021", "1580/QĐ-UBND", "Quyết định", d(2021, 10, 5),
           "Phê duyệt danh sách tinh giản biên chế năm 2021", [("4.4", None)], ["II.3.đ"],
           issuer=UBND),
    Sample("qd-xet-tuyen-vien-chuc-2021", "120/QĐ-SKHCN", "Quyết định", d(2021, 8, 10),
           "Công nhận kết quả xét tuyển viên chức năm 2021", [("5.2", None)]),
    Sample("kh-dao-tao-boi-duong-2021", "15/KH-SKHCN", "Kế hoạch", d(2021, 1, 25),
           "Đào tạo, bồi dưỡng công chức, viên chức và người lao động năm 2021",
           [("5.3.1", None)], ["II.4.b"]),
    Sample("qd-quy-che-chi-tieu-2021", "10/QĐ-SKHCN", "Quyết định", d(2021, 1, 15),
           "Ban hành Quy chế chi tiêu nội bộ năm 2021", [("6.1.1", None)], ["II.5.a"]),
    Sample("bc-tu-chu-trung-tam-2021", "35/BC-TTUD", "Báo cáo", d(2021, 10, 20),
           "Kết quả thực hiện cơ chế tự chủ theo Nghị định số 54/2016/NĐ-CP năm 2021",
           [("6.2", None)], ["II.5.b"], issuer=TRUNG_TAM),
    Sample("kh-ung-dung-cntt-2021", "02/KH-SKHCN", "Kế hoạch", d(2021, 1, 12),
           "Ứng dụng công nghệ thông tin trong hoạt động của Sở Khoa học và Công nghệ năm 2021",
           [("7.1.1", None)], ["II.6.1"]),
    Sample("bc-ung-dung-cntt-2021", "232/BC-SKHCN", "Báo cáo", d(2021, 11, 12),
           "Kết quả ứng dụng công nghệ thông tin năm 2021",
           [("7.1.2", None), ("7.1.3", "Mục II.1"), ("7.1.4", "Mục II.2")], ["II.6.1"]),
    Sample("bc-dao-tao-iso-2021", "62/BC-CCTĐC", "Báo cáo", d(2021, 9, 24),
           "Kết quả tổ chức 02 khóa đào tạo về Hệ thống quản lý chất lượng theo TCVN ISO "
           "9001:2015 cho các cơ quan hành chính nhà nước", [("1.6", None)], ["II.6.2.a"],
           issuer=CHI_CUC),
    Sample("bc-kiem-tra-iso-2021", "238/BC-SKHCN", "Báo cáo", d(2021, 11, 15),
           "Kết quả kiểm tra việc áp dụng Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 "
           "tại các cơ quan hành chính nhà nước trên địa bàn tỉnh", [("1.6", None)],
           ["II.6.2.b"]),
    Sample("qd-cong-bo-htqlcl-so-2021", "95/QĐ-SKHCN", "Quyết định", d(2021, 7, 1),
           "Công bố Hệ thống quản lý chất lượng phù hợp Tiêu chuẩn quốc gia TCVN ISO "
           "9001:2015", [("7.3.1", None)], ["II.6.3.a"]),
    Sample("qd-cong-bo-htqlcl-chi-cuc-2021", "60/QĐ-CCTĐC", "Quyết định", d(2021, 9, 15),
           "Công bố Hệ thống quản lý chất lượng của Chi cục phù hợp TCVN ISO 9001:2015",
           [("7.3.2", None)], ["II.6.3.b"], issuer=CHI_CUC),
    Sample("bc-cchc-quy-1-du-thao", "38/BC-SKHCN", "Báo cáo", d(2021, 3, 3),
           "Dự thảo báo cáo cải cách hành chính quý I năm 2021", [], fmt="docx",
           registered=False),
]

PLANTED = [
    ("missing-evidence", "6.4",
     "6.4 (tài sản công) tự chấm 1,5 điểm nhưng sổ không có văn bản nào chứng minh và "
     "self-assessment.yaml không có giải trình."),
    ("late-evidence-scored-on-time", "7.1.1",
     "Kế hoạch ứng dụng CNTT 02/KH-SKHCN ban hành ngày 12/01/2021, sau thời hạn 31/12/2020 "
     "của tiêu chí 7.1.1, nhưng tự chấm là 'kịp thời'."),
    ("late-evidence", "bc-kiem-tra-iso-2021",
     "Báo cáo kiểm tra ISO 238/BC-SKHCN ngày 15/11/2021, sau thời hạn 31/10/2021 của nhiệm vụ "
     "II.6.2.b (kế hoạch ghi hoàn thành trễ; 1.6 đã giải trình)."),
    ("number-mismatch", "bc-doi-thoai-lan-1-2021",
     "Sổ ghi 170/BC-SKHCN, còn văn bản ghi 107/BC-SKHCN (nhập sổ đảo chữ số)."),
    ("evidence-file-scanned", "qd-vi-tri-viec-lam-2021",
     "Quyết định 1250/QĐ-UBND là bản quét (chỉ có ảnh): không tự đối chiếu được số, ngày."),
    ("unregistered-file", "documents/bc-cchc-quy-1-du-thao.docx",
     "Bản dự thảo báo cáo quý I còn để trong thư mục tài liệu, sổ không nhắc tới."),
]
"""The problems planted on purpose: code, where, what."""


# -- writers ----------------------------------------------------------------------------------

def _header_lines(s: Sample) -> tuple[list[str], list[str]]:
    parent, body, _, _, _ = s.issuer
    number = s.text_number or s.number
    left = [x for x in (parent, body) if x] + ([f"Số: {number}"] if number else [])
    right = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
             f"Quảng Ngãi, ngày {s.date.day:02d} tháng {s.date.month:02d} năm {s.date.year}"]
    return left, right


def _body(s: Sample) -> list[str]:
    issuer = s.issuer[2]
    paras = s.body or [
        f"Căn cứ Kế hoạch cải cách hành chính năm 2021; {issuer} ban hành văn bản này.",
        "Nội dung chi tiết được trình bày theo các mục dưới đây. Đây là văn bản mẫu dùng để "
        "minh họa hồ sơ tự đánh giá Chỉ số cải cách hành chính; số liệu là giả định.",
    ]
    items = ", ".join(code + (f" ({loc})" if loc else "") for code, loc in s.proves)
    if items:
        paras = [*paras, f"Tài liệu kiểm chứng cho tiêu chí: {items}."]
    return paras


def _title(s: Sample) -> str:
    return (s.type or "").upper()


def write_pdf(s: Sample, path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED)
    pdf.set_title(s.subject)
    pdf.add_font("dejavu", "", str(FONT))
    pdf.add_font("dejavu", "B", str(FONT_BOLD))
    pdf.set_auto_page_break(True, 20)
    pdf.add_page()
    pdf.set_font("dejavu", "B", 8)
    pdf.set_text_color(200, 0, 0)
    pdf.multi_cell(0, 5, SAMPLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    left, right = _header_lines(s)
    pdf.set_font("dejavu", "", 10)
    y = pdf.get_y()
    pdf.multi_cell(75, 5.5, "\n".join(left), align="C")
    pdf.set_xy(90, y)
    pdf.multi_cell(110, 5.5, "\n".join(right), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("dejavu", "B", 13)
    pdf.cell(0, 8, _title(s), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("dejavu", "B", 11)
    pdf.multi_cell(0, 6, s.subject, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("dejavu", "", 11)
    for para in _body(s):
        pdf.multi_cell(0, 6, para, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.ln(6)
    pdf.set_x(110)
    pdf.set_font("dejavu", "B", 11)
    pdf.multi_cell(90, 6, f"{s.issuer[3]}\n\n\n{s.issuer[4]}", align="C")
    path.write_bytes(bytes(pdf.output()))


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite a ZIP package with fixed member dates, so that the bytes are reproducible."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2022, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_docx(s: Sample, path: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    props = document.core_properties
    props.created = props.modified = props.last_printed = FIXED.replace(tzinfo=None)
    props.author = props.last_modified_by = "parindex (tài liệu mẫu)"
    props.title = s.subject
    mark = document.add_paragraph(SAMPLE)
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    left, right = _header_lines(s)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "\n".join(left)
    table.cell(0, 1).text = "\n".join(right)
    heading = document.add_paragraph(_title(s))
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subject = document.add_paragraph(s.subject)
    subject.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for para in _body(s):
        document.add_paragraph(para)
    sign = document.add_paragraph(f"{s.issuer[3]}\n\n\n{s.issuer[4]}")
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    document.save(buf)
    path.write_bytes(_fixed_zip(buf.getvalue()))


def _page_image(lines: list[str], size: tuple[int, int] = (1240, 1754)) -> object:
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", size, 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), 26)
    y = 80
    for line in lines:
        draw.text((90, y), line, fill=0, font=font)
        y += 44
    return img


def write_scan(s: Sample, path: Path) -> None:
    """An image-only PDF: the page is a picture, as a scanner makes it (no text layer)."""
    from fpdf import FPDF

    left, right = _header_lines(s)
    img = _page_image([SAMPLE[:60], SAMPLE[60:], "", *left, "", *right, "", _title(s),
                       s.subject[:70], s.subject[70:140], "", *(p[:70] for p in _body(s))])
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=70)  # type: ignore[attr-defined]
    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED)
    pdf.add_page()
    pdf.image(io.BytesIO(buf.getvalue()), x=0, y=0, w=210, h=297)
    path.write_bytes(bytes(pdf.output()))


def write_photo(s: Sample, path: Path) -> None:
    img = _page_image(["TÀI LIỆU MẪU (ảnh minh họa)", "", "BẢNG NIÊM YẾT",
                       "Hướng dẫn tiếp nhận phản ánh, kiến nghị", "về quy định hành chính",
                       "tại trụ sở Sở Khoa học và Công nghệ"], size=(900, 500))
    img.save(path, "JPEG", quality=80)  # type: ignore[attr-defined]


WRITERS = {"pdf": write_pdf, "docx": write_docx, "scan": write_scan, "photo": write_photo}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def register_yaml() -> str:
    sys.path.insert(0, str(HERE.parent.parent))
    from parindex.evidence.register import (
        EvidenceDocument,
        EvidenceFile,
        Proof,
        Register,
        dump_register,
    )

    docs = []
    for s in SAMPLES:
        if not s.registered:
            continue
        docs.append(EvidenceDocument(
            id=s.id, number=s.number, type=s.type, date=s.date, issuer=s.issuer[2],
            subject=s.subject, files=(EvidenceFile(path=s.file, sha256=sha256(HERE / s.file)),),
            proves=tuple(Proof(item=c, locator=loc) for c, loc in s.proves),
            tasks=tuple(s.tasks)))
    text = dump_register(Register(documents=tuple(docs)))
    planted = "\n".join(f"#   - {code} [{where}]: {what}" for code, where, what in PLANTED)
    head = ("# yaml-language-server: $schema=../schema/register.schema.json\n"
            "# HỒ SƠ VÍ DỤ — tài liệu mẫu (TÀI LIỆU MẪU), không phải văn bản thật của Sở.\n"
            "# Written by make_samples.py (do not edit by hand: run the script again).\n"
            "# Problems planted on purpose; `parindex check` must list exactly these:\n"
            f"{planted}\n")
    return head + text


def readme() -> str:
    rows = "\n".join(f"| `{code}` | {where} | {what} |" for code, where, what in PLANTED)
    listing = "\n".join(f"- `{s.file}` — {s.number or 'không số'} — {s.subject}"
                        + ("" if s.registered else " (không đăng ký: cố ý)") for s in SAMPLES)
    return f"""# Tài liệu kiểm chứng MẪU — hồ sơ ví dụ Sở KH&CN Quảng Ngãi 2021

**TÀI LIỆU MẪU.** Mọi tệp trong thư mục này là văn bản mẫu do `make_samples.py` tạo ra để
minh họa; không phải văn bản thật của Sở Khoa học và Công nghệ tỉnh Quảng Ngãi. Số ký hiệu,
ngày tháng và số liệu đều là giả định.

Tạo lại: `python evidence/so-khcn-quang-ngai-2021/make_samples.py` (cùng nội dung, cùng mã
SHA-256).

## Các lỗi cài sẵn (để `parindex check` có điều đúng để báo)

`parindex check evidence/so-khcn-quang-ngai-2021` phải liệt kê đúng và chỉ những phát hiện sau:

| mã | ở đâu | nội dung |
|---|---|---|
{rows}

## Danh sách tệp

{listing}
"""


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    for s in SAMPLES:
        WRITERS[s.fmt](s, HERE / s.file)
    (HERE / "register.yaml").write_text(register_yaml(), encoding="utf-8")
    (DOCS / "README.md").write_text(readme(), encoding="utf-8")
    print(f"{len(SAMPLES)} sample documents in {DOCS}")


if __name__ == "__main__":
    main()
