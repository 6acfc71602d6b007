"""The report's Word template, ``parindex/report/templates/bao-cao.docx``, built here with
python-docx so that it can be rebuilt (``python -m parindex.report.template``) — and edited by
hand in Word afterwards: it is an ordinary document with ``{{ … }}`` fields and ``{%p … %}``
/ ``{%tr … %}`` loops (docxtpl, Jinja syntax) where the figures go.

Layout (Nghị định 30/2020/NĐ-CP, Phụ lục I): A4 portrait, margins top and bottom 20 mm, left 30
mm, right 15 mm; Times New Roman, body 14 pt justified with a 1 cm first-line indent and 6 pt
after each paragraph; the heading block in two columns (body above and unit, "Số: …" |
national title, motto, place and date); the document type BÁO CÁO and the trích yếu centred;
"Kính gửi"; Nơi nhận (bold italic 12 pt, recipients 11 pt) beside the signature; page numbers
centred in the top margin from page 2 on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["TEMPLATE", "build_template"]

TEMPLATE = Path(__file__).resolve().parent / "templates" / "bao-cao.docx"
FONT = "Times New Roman"


def _font(run: Any, size: float, *, bold: bool = False, italic: bool = False,
          underline: bool = False) -> Any:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.underline = underline
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    return run


def _para(container: Any, text: str = "", size: float = 14, *, bold: bool = False,
          italic: bool = False, underline: bool = False, align: str = "justify",
          indent: bool = False, after: float = 6, before: float = 0) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    p = container.add_paragraph()
    p.alignment = {"justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
                   "left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    fmt = p.paragraph_format
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(before)
    fmt.line_spacing = 1.15
    if indent:
        fmt.first_line_indent = Cm(1)
    if text:
        _font(p.add_run(text), size, bold=bold, italic=italic, underline=underline)
    return p


def _rule(container: Any, width_pt: float, container_pt: float) -> Any:
    """A short solid line of ``width_pt``, centred in a container ``container_pt`` wide (a
    paragraph with a bottom border and side indents)."""
    from docx.shared import Pt

    p = _para(container, "", 4, align="center", after=4)
    fmt = p.paragraph_format
    side = max(0.0, (container_pt - width_pt) / 2)
    fmt.left_indent = Pt(side)
    fmt.right_indent = Pt(side)
    ppr = p._element.get_or_add_pPr()
    border = ppr.makeelement(_qn("w:pBdr"), {})
    bottom = border.makeelement(_qn("w:bottom"), {_qn("w:val"): "single", _qn("w:sz"): "6",
                                                   _qn("w:space"): "1", _qn("w:color"): "000000"})
    border.append(bottom)
    ppr.append(border)
    return p


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(tag))


def _no_borders(table: Any) -> None:
    tbl_pr = table._element.tblPr
    borders = tbl_pr.makeelement(_qn("w:tblBorders"), {})
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(borders.makeelement(_qn(f"w:{edge}"), {_qn("w:val"): "nil"}))
    tbl_pr.append(borders)


def _widths(table: Any, widths: tuple[Any, ...]) -> None:
    """Fixed column widths (the grid, which LibreOffice and Word both follow, and each cell)."""
    table.autofit = False
    for col, width in zip(table.columns, widths, strict=True):
        col.width = width
        for cell in col.cells:
            cell.width = width


def _page_number_header(section: Any) -> None:
    """Page numbers centred in the top margin, not on the first page."""
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = _font(p.add_run(), 13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = run._element.makeelement(_qn("w:fldChar"), {_qn("w:fldCharType"): kind})
        else:
            el = run._element.makeelement(_qn("w:instrText"), {})
            el.text = text
            el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        run._element.append(el)


def build_template(path: Path = TEMPLATE) -> Path:
    """Write the default template to ``path``."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm, Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    _page_number_header(section)

    # heading block: two columns
    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(head)
    _widths(head, (Mm(78), Mm(96)))
    left, right = head.rows[0].cells
    left.paragraphs[0].text = ""
    _font(left.paragraphs[0].add_run("{{ superior }}"), 13)
    left.paragraphs[0].alignment = 1
    _para(left, "{{ issuer }}", 12.5, bold=True, align="center", after=0)
    _rule(left, 70, 78 * 72 / 25.4 - 11)
    _para(left, "Số: {{ number }}", 13, align="center", after=0)
    right.paragraphs[0].alignment = 1
    _font(right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), 12, bold=True)
    _para(right, "Độc lập - Tự do - Hạnh phúc", 13, bold=True, underline=True,
          align="center", after=12)
    _para(right, "{{ place_date }}", 14, italic=True, align="center", after=0)

    # title
    _para(doc, "BÁO CÁO", 14, bold=True, align="center", before=18, after=0)
    _para(doc, "Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {{ year }}", 14,
          bold=True, align="center", after=0)
    _rule(doc, 120, 165 * 72 / 25.4)
    _para(doc, "Kính gửi: {{ addressee }}.", 14, align="center", after=12)

    body: dict[str, Any] = {"indent": True}
    _para(doc, "Thực hiện hướng dẫn của {{ addressee }} về việc tự đánh giá, chấm điểm xác "
          "định Chỉ số cải cách hành chính năm {{ year }}, {{ unit }} báo cáo kết quả tự đánh "
          "giá như sau:", **body)

    _para(doc, "I. KẾT QUẢ TỰ ĐÁNH GIÁ", 14, bold=True, **body)
    _para(doc, "Tổng điểm tự đánh giá: {{ total_score }} điểm trên {{ self_max }} điểm các "
          "tiêu chí tự chấm{% if not survey_given %} (chưa có kết quả điều tra xã hội học: "
          "{{ survey_max }} điểm){% endif %}. Chỉ số cải cách hành chính tự đánh giá: "
          "{{ index }}% ({{ index_basis }}).", **body)
    _para(doc, "{%p if grade %}", **body)
    _para(doc, "Xếp loại: {{ grade }}.", **body)
    _para(doc, "{%p endif %}", **body)
    _para(doc, "Kết quả theo từng lĩnh vực:", **body)

    table = doc.add_table(rows=4, cols=5)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (Mm(14), Mm(86), Mm(22), Mm(22), Mm(21))
    header = ("STT", "Lĩnh vực", "Điểm tối đa", "Điểm tự đánh giá", "Chỉ số (%)")
    rows = (header,
            ("{%tr for a in areas %}", "", "", "", ""),
            ("{{ a.stt }}", "{{ a.name }}", "{{ a.max }}", "{{ a.score }}", "{{ a.index }}"),
            ("{%tr endfor %}", "", "", "", ""))
    for r, values in enumerate(rows):
        for c, text in enumerate(values):
            cell = table.rows[r].cells[c]
            p = cell.paragraphs[0]
            p.alignment = 1 if (r == 0 or c != 1) else 0
            if c >= 2 and r == 2:
                p.alignment = 2
            _font(p.add_run(text), 13, bold=r == 0)
    total = table.add_row().cells
    _widths(table, widths)
    for c, text in enumerate(("", "Tổng cộng", "{{ total_max }}", "{{ total_score }}",
                              "{{ index }}")):
        p = total[c].paragraphs[0]
        p.alignment = 2 if c >= 2 else 0
        _font(p.add_run(text), 13, bold=True)
    # the bonus and the penalty, outside the total (rows dropped without extras)
    for values, bold in ((("{%tr if extras %}", "", "", "", ""), False),
                         (("{%tr for g in extras.groups %}", "", "", "", ""), False),
                         (("", "{{ g.label }}", "{{ g.max }}", "{{ g.points }}", ""), False),
                         (("{%tr endfor %}", "", "", "", ""), False),
                         (("", "Tổng điểm sau thưởng, trừ", "", "{{ extras.adjusted_score }}",
                           "{{ extras.adjusted_index }}"), True),
                         (("{%tr endif %}", "", "", "", ""), False)):
        cells = table.add_row().cells
        for c, text in enumerate(values):
            p = cells[c].paragraphs[0]
            p.alignment = 2 if c >= 2 else 0
            _font(p.add_run(text), 13, bold=bold)
    _widths(table, widths)
    _para(doc, "", after=0)
    _para(doc, "{%p if extras %}", **body)
    _para(doc, "Điểm thưởng, điểm trừ không tính vào tổng điểm và Chỉ số cải cách hành chính "
          "ở trên; tổng điểm sau thưởng, trừ: {{ extras.adjusted_score }} điểm, chỉ số sau "
          "thưởng, trừ: {{ extras.adjusted_index }}%.{% for g in extras.groups %}"
          "{% if g.capped_from %} {{ g.name }}: các mục cộng lại {{ g.capped_from }} điểm, "
          "tính tối đa {{ g.max }} điểm.{% endif %}{% endfor %}", **body)
    _para(doc, "{%p for i in extras.lines %}", **body)
    _para(doc, "- {{ i.label }} {{ i.code }} ({{ i.name }}): {% if i.pending %}chờ kết quả "
          "thẩm định (tối đa {{ i.max }} điểm).{% else %}{{ i.points }}/{{ i.max }} điểm."
          "{% endif %}{% if i.explanation %} {{ i.explanation }}{% endif %}", **body)
    _para(doc, "{%p endfor %}", **body)
    _para(doc, "{%p endif %}", **body)
    _para(doc, "(Bảng tự đánh giá, chấm điểm chi tiết và danh mục tài liệu kiểm chứng kèm "
          "theo Báo cáo này.)", 14, italic=True, **body)
    _para(doc, "{%p if provisional %}", **body)
    _para(doc, "Điểm được chấm theo {{ framework }}; điểm tối đa và cách chấm sẽ được đối "
          "chiếu lại khi có bảng tiêu chí chính thức.", 14, italic=True, **body)
    _para(doc, "{%p endif %}", **body)

    _para(doc, "II. ĐÁNH GIÁ CHUNG", 14, bold=True, **body)
    _para(doc, "1. Những kết quả đạt được", 14, bold=True, **body)
    _para(doc, "Năm {{ year }}, {{ unit }} tự đánh giá {{ leaves_at_max }}/{{ leaves_scored }} "
          "tiêu chí, tiêu chí thành phần đạt điểm tối đa.{% if full_areas %} Các lĩnh vực đạt "
          "điểm tối đa: {{ full_areas | join('; ') }}.{% endif %}", **body)
    _para(doc, "2. Những tiêu chí chưa đạt điểm tối đa", 14, bold=True, **body)
    _para(doc, "{%p if below_max %}", **body)
    _para(doc, "{%p for i in below_max %}", **body)
    _para(doc, "- Tiêu chí {{ i.code }} ({{ i.name }}): {{ i.score }}/{{ i.max }} điểm."
          "{% if i.explanation %} {{ i.explanation }}{% endif %}", **body)
    _para(doc, "{%p endfor %}", **body)
    _para(doc, "{%p else %}", **body)
    _para(doc, "Các tiêu chí tự chấm đều đạt điểm tối đa.", **body)
    _para(doc, "{%p endif %}", **body)
    _para(doc, "{%p if not_applicable %}", **body)
    _para(doc, "Các tiêu chí không áp dụng đối với đơn vị:", **body)
    _para(doc, "{%p for i in not_applicable %}", **body)
    _para(doc, "- Tiêu chí {{ i.code }} ({{ i.name }}).{% if i.explanation %} "
          "{{ i.explanation }}{% endif %}", **body)
    _para(doc, "{%p endfor %}", **body)
    _para(doc, "{%p endif %}", **body)
    _para(doc, "{%p if missing_evidence or explained %}", **body)
    _para(doc, "3. Tài liệu kiểm chứng", 14, bold=True, **body)
    _para(doc, "{%p if explained %}", **body)
    _para(doc, "Các tiêu chí sau không có tài liệu kiểm chứng riêng; đơn vị giải trình như "
          "sau:", **body)
    _para(doc, "{%p for i in explained %}", **body)
    _para(doc, "- Tiêu chí {{ i.code }} ({{ i.name }}): {{ i.explanation }}", **body)
    _para(doc, "{%p endfor %}", **body)
    _para(doc, "{%p endif %}", **body)
    _para(doc, "{%p if missing_evidence %}", **body)
    _para(doc, "Đơn vị đang tiếp tục bổ sung tài liệu kiểm chứng của các tiêu chí sau:",
          **body)
    _para(doc, "{%p for i in missing_evidence %}", **body)
    _para(doc, "- Tiêu chí {{ i.code }} ({{ i.name }}).", **body)
    _para(doc, "{%p endfor %}", **body)
    _para(doc, "{%p endif %}", **body)
    _para(doc, "{%p endif %}", **body)

    _para(doc, "III. KIẾN NGHỊ, ĐỀ XUẤT", 14, bold=True, **body)
    _para(doc, "Đề nghị {{ addressee }} xem xét, thẩm định kết quả tự đánh giá, chấm điểm "
          "Chỉ số cải cách hành chính năm {{ year }} của {{ unit }}.", **body)
    _para(doc, "Trên đây là báo cáo kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính "
          "năm {{ year }} của {{ unit }}./.", **body)

    # recipients and signature
    sign = doc.add_table(rows=1, cols=2)
    _no_borders(sign)
    _widths(sign, (Mm(75), Mm(90)))
    left, right = sign.rows[0].cells
    p = left.paragraphs[0]
    _font(p.add_run("Nơi nhận:"), 12, bold=True, italic=True)
    _para(left, "{%p for r in recipients %}", 11, align="left", after=0)
    _para(left, "- {{ r }};", 11, align="left", after=0)
    _para(left, "{%p endfor %}", 11, align="left", after=0)
    _para(left, "- Lưu: VT.", 11, align="left", after=0)
    right.paragraphs[0].alignment = 1
    _font(right.paragraphs[0].add_run("{{ head_title }}"), 14, bold=True)
    for _ in range(4):
        _para(right, "", 14, align="center", after=0)
    _para(right, "{{ head }}", 14, bold=True, align="center", after=0)

    props = doc.core_properties
    props.title = "Báo cáo kết quả tự đánh giá, chấm điểm Chỉ số CCHC"
    props.author = "parindex"
    props.comments = ("Mẫu báo cáo của parindex: sửa lời văn tùy ý; giữ nguyên các trường và "
                      "các dòng lặp trong dấu ngoặc nhọn.")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


if __name__ == "__main__":  # pragma: no cover
    print(build_template())
