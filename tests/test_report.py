"""The report (Báo cáo kết quả tự đánh giá): drafted from the editable template, rendered by
LibreOffice and read back — the administrative layout, the same total and index as ``score``,
the department's own explanations and no grade from a self-score."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from parindex.report.content import dossier_report_content, number, report_content
from parindex.report.document import ReportExistsError, export_report, write_report
from parindex.report.template import TEMPLATE, build_template
from parindex.scoring.dossier import load_dossier

from .conftest import EXAMPLE
from .conftest import run_cli as run
from .libreoffice import pdf_text, to_pdf
from .test_workbook import CHECK_MESSAGES

SOFFICE = shutil.which("soffice")


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_the_example_report_renders_with_the_score(tmp_path: Path) -> None:
    out = tmp_path / "bao-cao.docx"
    content = export_report(EXAMPLE, out)
    (pdf,) = to_pdf([out], tmp_path / "pdf", tmp_path / "profile")
    text = _flat(pdf_text(pdf))
    card = load_dossier(EXAMPLE).score()
    t = card.total
    # the heading block, the number, the title, the addressee (Nghị định 30/2020)
    for wanted in ("UBND TỈNH QUẢNG NGÃI", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Số: …/BC-SKHCN",
                   "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                   "Quảng Ngãi, ngày … tháng … năm 2022", "BÁO CÁO",
                   "Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2021",
                   "Kính gửi: Sở Nội vụ tỉnh Quảng Ngãi.", "I. KẾT QUẢ TỰ ĐÁNH GIÁ",
                   "II. ĐÁNH GIÁ CHUNG", "III. KIẾN NGHỊ, ĐỀ XUẤT", "Nơi nhận:",
                   "- Sở Nội vụ tỉnh Quảng Ngãi;", "- Lưu: VT.", "GIÁM ĐỐC"):
        assert wanted in text, wanted
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH" not in text
    # the same total and index as ``parindex score``, and every area's line
    assert (content.total_score, content.index) == (number(t.score), number(t.index)) == (
        "69,33", "90,04")
    assert ("Tổng điểm tự đánh giá: 69,33 điểm trên 77,00 điểm các tiêu chí tự chấm (chưa có "
            "kết quả điều tra xã hội học: 20,00 điểm). Chỉ số cải cách hành chính tự đánh giá: "
            "90,04%") in text
    rows = " | ".join(" ".join(t for t in line.split() if re.fullmatch(r"\d+(,\d+)?", t))
                      for line in pdf_text(pdf, layout=True).splitlines())
    for area in card.areas:
        if area.method == "survey":
            continue
        line = f"{area.code} {number(area.max)} {number(area.score)} {number(area.index)}"
        assert f"| {line} |" in rows, (area.code, line)  # the name may wrap in its cell
    from docx import Document

    table = Document(str(out)).tables[1]
    assert [[c.text for c in row.cells] for row in table.rows][1:] == [
        [a.code, a.name, number(a.max), "–" if a.pending else number(a.score),
         number(a.index)] for a in card.areas] + [["", "Tổng cộng", "97,00", "69,33", "90,04"]]
    assert "| 97,00 69,33 90,04 |" in rows  # the total line
    # items below their maximum, with the department's explanation
    below = [n for n in card.leaves() if n.method != "survey" and n.status != "not-applicable"
             and n.score < n.max]
    assert [i.code for i in content.below_max] == [n.code for n in below]
    for n in below:
        assert f"Tiêu chí {n.code} ({_flat(n.name)}): {number(n.score)}/{number(n.max)} điểm." \
            in text, n.code
    assert ("Tiêu chí 1.5 (Sáng kiến, giải pháp mới trong CCHC được công nhận): 0,00/1,00 "
            "điểm. Năm 2021 Sở có đăng ký 01 giải pháp") in text
    # evidence still missing, as the department says it
    assert ("Đơn vị đang tiếp tục bổ sung tài liệu kiểm chứng của các tiêu chí sau: - Tiêu "
            "chí 6.4 (Quản lý, sử dụng tài sản công đúng quy định).") in text
    assert "Tiêu chí 5.5.2 (Công chức, viên chức bị xử lý kỷ luật trong năm): Năm 2021" in text
    # the framework's status, honestly; no grade, no check message
    assert "Điểm được chấm theo Bộ tiêu chí xác định Chỉ số cải cách hành chính cấp sở" in text
    for banned in (*CHECK_MESSAGES, "Xếp loại", "Xuất sắc", "{{", "{%"):
        assert banned not in text, banned
    assert "2\n" in pdf_text(pdf, layout=True) or " 2 " in text  # page numbers from page 2


def test_template_layout_a4_times_new_roman() -> None:
    from docx import Document
    from docx.shared import Cm

    doc = Document(str(TEMPLATE))
    s = doc.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert (round(s.top_margin.mm), round(s.bottom_margin.mm), round(s.left_margin.mm),
            round(s.right_margin.mm)) == (20, 20, 30, 15)
    assert s.different_first_page_header_footer is True
    sizes = set()
    fonts = set()
    runs = [r for p in doc.paragraphs for r in p.runs] + [
        r for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs
        for r in p.runs]
    for r in runs:
        if r.text.strip():
            fonts.add(r.font.name)
            sizes.add(r.font.size.pt)
    assert fonts == {"Times New Roman"}
    assert max(sizes) == 14 and min(sizes) >= 11
    body = [p for p in doc.paragraphs if p.text.startswith("Thực hiện hướng dẫn")]
    assert body[0].paragraph_format.first_line_indent - Cm(1) < 100  # EMU, in twips
    assert doc.styles["Normal"].font.name == "Times New Roman"


def test_committed_template_is_the_built_one(tmp_path: Path) -> None:
    """``python -m parindex.report.template`` rebuilds the shipped template: same text."""
    from docx import Document

    built = build_template(tmp_path / "t.docx")

    def text(path: Path) -> list[str]:
        doc = Document(str(path))
        return [p.text for p in doc.paragraphs] + [
            c.text for t in doc.tables for row in t.rows for c in row.cells]

    assert text(built) == text(TEMPLATE)


def test_dossier_text_stays_text_in_the_report(tmp_path: Path) -> None:
    from docx import Document

    card = load_dossier(EXAMPLE).score()
    content = report_content(card, unit="Sở {{ x }} <w:t>&", issuer="Sở {% if %}",
                             superior="UBND", province="Quảng Ngãi", year=2021,
                             head="Nguyễn Văn A", head_title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC")
    out = write_report(content, tmp_path / "x.docx")
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Sở {{ x }} <w:t>& báo cáo kết quả tự đánh giá như sau:" in text
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "SỞ {% IF %}" in cells
    assert "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC" in cells and "Nguyễn Văn A" in cells


def test_grade_only_with_official_bands_and_survey_known() -> None:
    from parindex.framework.inputs import ItemInput
    from parindex.scoring.scorecard import score

    card = load_dossier(EXAMPLE).score()
    common = {"unit": "Sở", "issuer": "Sở", "superior": None, "province": "Quảng Ngãi",
              "year": 2021}
    c = report_content(card, **common)
    assert c.grade is None and c.grade_withheld == (
        "Thang xếp loại của bộ tiêu chí là tạm thời, chưa phải thang chính thức.")
    fw = card.framework.model_copy(update={"status": "official",
                                           "classification_status": "official"})
    inputs = {n.code: n.input for n in card.leaves() if n.input and n.method != "survey"}
    c = report_content(score(fw, inputs), **common)
    assert (c.grade, c.grade_withheld) == (None, "Chưa có đủ điểm điều tra xã hội học.")
    survey = {n.code: ItemInput(points=n.max) for n in card.leaves() if n.method == "survey"}
    official = score(fw, inputs, survey)
    c = report_content(official, **common)
    assert c.grade == official.classification is not None and c.grade_withheld is None
    assert c.index == number(official.total.index)


def test_signers_and_number_from_the_dossier(tmp_path: Path) -> None:
    dossier = tmp_path / "d"
    shutil.copytree(EXAMPLE, dossier)
    manifest = dossier / "dossier.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + (
        "submission:\n  report_number: 12/BC-SKHCN\n  report_date: 2022-01-05\n"
        "  head: Trần Thị B\n  recipients: [Lãnh đạo Sở, Văn phòng Sở]\n"), encoding="utf-8")
    c = dossier_report_content(load_dossier(dossier))
    assert (c.number, c.place_date, c.head, c.recipients) == (
        "12/BC-SKHCN", "Quảng Ngãi, ngày 05 tháng 01 năm 2022", "Trần Thị B",
        ("Sở Nội vụ tỉnh Quảng Ngãi", "Lãnh đạo Sở", "Văn phòng Sở"))


def test_an_edited_template_is_used_and_a_broken_one_is_an_input_error(
        tmp_path: Path) -> None:
    from docx import Document

    from parindex.core.errors import InputError

    doc = Document(str(TEMPLATE))
    doc.add_paragraph("Đơn vị bổ sung: tổng {{ total_score }} điểm.")
    edited = tmp_path / "mau.docx"
    doc.save(str(edited))
    out = export_report(EXAMPLE, tmp_path / "a.docx", template=edited)
    assert out.total_score == "69,33"
    assert "Đơn vị bổ sung: tổng 69,33 điểm." in [
        p.text for p in Document(str(tmp_path / "a.docx")).paragraphs]
    doc.add_paragraph("{{ unclosed")
    doc.save(str(edited))
    with pytest.raises(InputError, match="cannot fill the report template"):
        export_report(EXAMPLE, tmp_path / "b.docx", template=edited)
    assert not (tmp_path / "b.docx").exists()
    (tmp_path / "rac.docx").write_bytes(b"not a zip")
    with pytest.raises(InputError, match="cannot read the report template"):
        export_report(EXAMPLE, tmp_path / "c.docx", template=tmp_path / "rac.docx")


def test_cli_report(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "bao-cao.docx"
    code, text, _ = run(capsys, "report", str(EXAMPLE), "-o", str(out))
    assert code == 0
    flat = _flat(text)
    assert f"Đã ghi {out} (báo cáo: tổng điểm tự đánh giá 69,33, chỉ số 90,04%; số ký hiệu " \
           "…/BC-SKHCN)." in flat
    assert "CHÚ Ý: bộ tiêu chí là KHUNG TẠM THỜI" in flat
    before = out.read_bytes()
    code, _, err = run(capsys, "report", str(EXAMPLE), "-o", str(out))
    assert code == 2 and "--force" in _flat(err) and out.read_bytes() == before
    with pytest.raises(ReportExistsError):
        export_report(EXAMPLE, out)
    code, _, _ = run(capsys, "report", str(EXAMPLE), "-o", str(out), "--force")
    assert code == 0
    code, _, err = run(capsys, "report", str(EXAMPLE), "-o", str(tmp_path / "x.pdf"))
    assert code == 2 and ".docx" in err
    code, _, err = run(capsys, "report", str(EXAMPLE), "-o", str(tmp_path / "y.docx"),
                       "--template", str(tmp_path / "none.docx"))
    assert code == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bao-cao.docx"]


def test_number_format() -> None:
    assert (number(Decimal("12.5")), number(Decimal("0")), number(None)) == (
        "12,50", "0,00", "–")
