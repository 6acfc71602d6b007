"""Build small .docx plans for the importer tests (generated, not committed as binaries)."""

from __future__ import annotations

from pathlib import Path

HEADER = ("STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Sản phẩm", "Thời gian")

TABLE_ROWS: tuple[tuple[str, ...], ...] = (
    ("1", "Cải cách thể chế", "", "", "", ""),
    ("1.1", "Rà soát văn bản quy phạm pháp luật\ndo Sở tham mưu", "Thanh tra Sở",
     "Văn phòng Sở\nCác phòng, đơn vị thuộc Sở", "Báo cáo kết quả rà soát", "Quý II/2021"),
    ("1.2", "Theo dõi thi hành pháp luật", "Thanh tra Sở", "Phòng Quản lý đô thị",
     "Kế hoạch; báo cáo", "Thường xuyên trong năm"),
    ("2", "Hiện đại hóa hành chính", "", "", "", ""),
    ("2.1", "Duy trì ISO 9001", "Văn phòng Sở", "", "", "Tháng 10/2021"),
)


ROMAN_ROWS: tuple[tuple[str, ...], ...] = (
    ("I", "CẢI CÁCH THỂ CHẾ", "", "", "", ""),
    ("1", "Rà soát văn bản quy phạm pháp luật", "Văn phòng Sở", "", "Báo cáo", "Quý III/2021"),
    ("2", "Theo dõi thi hành pháp luật", "Thanh tra Sở", "", "Kế hoạch", "Quý I/2021"),
    ("II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "", "", "", ""),
    ("1", "Niêm yết công khai TTHC", "Văn phòng Sở", "", "TTHC được niêm yết",
     "Thường xuyên trong năm"),
)


def write_table_plan(path: Path, rows: tuple[tuple[str, ...], ...] = TABLE_ROWS) -> Path:
    """A Sở Xây dựng plan whose tasks sit in a six-column table (with a merged heading row)."""
    import docx

    document = docx.Document()
    for text in ("SỞ XÂY DỰNG", "Số: 12/KH-SXD", "Quảng Ngãi, ngày 05 tháng 01 năm 2021",
                 "KẾ HOẠCH", "Cải cách hành chính năm 2021", "I. MỤC ĐÍCH, YÊU CẦU",
                 "Bảo đảm hoàn thành các chỉ tiêu.", "II. NHIỆM VỤ CỤ THỂ"):
        document.add_paragraph(text)
    table = document.add_table(rows=1, cols=len(HEADER))
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
    merged = table.add_row().cells
    merged[0].merge(merged[-1]).text = "Nhiệm vụ năm 2021"
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            lines = text.split("\n")
            cell.text = lines[0]
            for extra in lines[1:]:
                cell.add_paragraph(extra)
    for text in ("III. TỔ CHỨC THỰC HIỆN", "- Báo cáo quý I: trước ngày 10/3/2021.",
                 "- Báo cáo năm: trước ngày 20/11/2021."):
        document.add_paragraph(text)
    document.save(str(path))
    return path


def write_prose_plan(path: Path, lines: list[str]) -> Path:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path



def seed_path() -> Path:
    """The seed plan, as committed beside the tests (a copy of ``shared/seed``, so that a clean
    clone tests the importer on the real document)."""
    return Path(__file__).parent / "fixtures" / "plan" / "ke-hoach-cchc-2021-so-khcn-quang-ngai.txt"
