"""The finding kinds of an annex import, and the list they are recorded in, by source row."""

from __future__ import annotations

from pathlib import Path

from parindex.core.findings import Finding, FindingKind, define
from parindex.framework.annex.table import SourceRow

_T = "annex"
HEADER_MISSING_COLUMN = define(
    "annex-column-missing", "warning", "Bảng thiếu cột",
    "Thêm cột với tiêu đề thường dùng (ví dụ 'Cách chấm điểm') hoặc kiểm tra dòng tiêu đề.",
    topic=_T)
EXTRA_BLOCK = define(
    "annex-extra-block", "warning", "Dòng trong khối điểm thưởng / điểm trừ không đọc được",
    "Mỗi mục điểm thưởng, điểm trừ là một dòng đánh số (1, 2 … hoặc T1, TR1) dưới tiêu đề "
    "“Điểm thưởng” hoặc “Điểm trừ”; dòng này bị bỏ qua: sửa bảng hoặc thêm mục vào tệp YAML "
    "(extras).", topic="annex")
EXTRA_ITEM = define(
    "annex-extra-item", "info", "Mục điểm thưởng / điểm trừ ngoài tổng điểm",
    "Mục được nhập vào khối extras (không cộng vào tổng điểm, chỉ số); kiểm tra nhóm, mức "
    "tối đa và cách chấm.", topic=_T)
HIDDEN_ROW = define(
    "annex-hidden-row", "warning", "Dòng bị ẩn trong Excel: không đọc",
    "Bản in và bản PDF của phụ lục không có dòng ẩn. Nếu đó là một tiêu chí thật, hiện dòng "
    "(Unhide) rồi nhập lại.", topic=_T)
ROW_SKIPPED = define(
    "annex-row-skipped", "info", "Dòng bị bỏ qua",
    "Dòng không phải tiêu chí (dòng đánh số cột, tiêu đề phụ); kiểm tra nếu thấy sai.", topic=_T)
CONTINUATION = define(
    "annex-continuation-row", "info", "Dòng nối tiếp dòng trên",
    "Nội dung được nối vào tiêu chí ở dòng trên; kiểm tra lại nếu đó là một tiêu chí riêng.",
    topic=_T)
OPTION_ROW = define(
    "annex-option-row", "info", "Dòng là một mức chấm",
    "Dòng không số thứ tự có điểm được hiểu là một mức chấm của tiêu chí ở trên.", topic=_T)
RULE_IN_NAME = define(
    "annex-rule-in-name-cell", "info", "Cách chấm viết trong ô tên tiêu chí",
    "Các dòng “nội dung: điểm” dưới tên tiêu chí (cùng một ô) được tách ra làm cách chấm; "
    "kiểm tra lại tên và cách chấm đã tách.", topic=_T)
CODE_UNREADABLE = define(
    "annex-code-unreadable", "error", "Số thứ tự không đọc được",
    "Sửa số thứ tự trong bảng (1, 1.1, 1.1.1 hoặc I, II cho lĩnh vực).", topic=_T)
CODE_DUPLICATE = define(
    "annex-code-duplicate", "error", "Số thứ tự bị trùng",
    "Hai dòng cùng số thứ tự; nếu Excel đã đổi 1.10 thành 1.1, nhập ô dạng văn bản.", topic=_T)
CODE_ORPHAN = define(
    "annex-code-orphan", "error", "Tiêu chí không có tiêu chí cha",
    "Thêm dòng tiêu chí cha hoặc sửa số thứ tự.", topic=_T)
NUMBERING_GAP = define(
    "annex-numbering-gap", "warning", "Số thứ tự không liên tục",
    "Kiểm tra bảng gốc: có thể thiếu một dòng hoặc đánh số nhầm.", topic=_T)
CODE_TOO_DEEP = define(
    "annex-code-too-deep", "error", "Số thứ tự quá 3 cấp",
    "Khung tiêu chí có 3 cấp: lĩnh vực, tiêu chí, tiêu chí thành phần.", topic=_T)
POINTS_MISSING = define(
    "annex-points-missing", "error", "Thiếu điểm tối đa",
    "Ghi điểm tối đa cho dòng này (trong bảng hoặc trong tệp YAML).", topic=_T)
OTHER_SHEETS = define(
    "annex-other-sheets", "warning", "Tệp có nhiều trang bảng tiêu chí: chỉ đọc một trang",
    "Kiểm tra trang đã đọc là bảng đúng năm; chọn trang khác bằng --sheet.", topic=_T)
POINTS_UNREADABLE = define(
    "annex-points-unreadable", "error", "Điểm tối đa không đọc được",
    "Ghi điểm dạng số, ví dụ 1 hoặc 0,5.", topic=_T)
SUM_MISMATCH = define(
    "annex-sum-mismatch", "error", "Tổng điểm các mục con khác điểm của mục cha",
    "Đối chiếu với văn bản gốc và sửa điểm; parindex không tự sửa.", topic=_T)
TOTAL_MISMATCH = define(
    "annex-total-mismatch", "error", "Tổng điểm các lĩnh vực khác dòng tổng cộng",
    "Đối chiếu với văn bản gốc và sửa điểm; parindex không tự sửa.", topic=_T)
TOTAL_COMPUTED = define(
    "annex-total-computed", "info", "Không có dòng tổng cộng",
    "Tổng điểm của khung được tính bằng tổng các lĩnh vực.", topic=_T)
RULE_KEPT_AS_TEXT = define(
    "annex-rule-kept-as-text", "warning", "Cách chấm giữ nguyên dạng chữ",
    "Không nhận ra mẫu cách chấm: tiêu chí được chấm thủ công (manual), có giải trình. "
    "Có thể viết lại quy tắc trong tệp YAML.", topic=_T)
RULE_AMBIGUOUS = define(
    "annex-rule-ambiguous", "warning", "Cách chấm đọc được nhưng có chỗ chưa rõ",
    "Kiểm tra cách hiểu với văn bản gốc; sửa quy tắc trong tệp YAML nếu cần.", topic=_T)
RULE_MISSING = define(
    "annex-rule-missing", "warning", "Tiêu chí không có cách chấm",
    "Tiêu chí được chấm thủ công (manual); bổ sung cách chấm nếu văn bản gốc có.", topic=_T)
RULE_MAX_MISMATCH = define(
    "annex-rule-max-mismatch", "error", "Mức điểm cao nhất của cách chấm khác điểm tối đa",
    "Đối chiếu với văn bản gốc: điểm tối đa hoặc các mức chấm bị ghi sai.", topic=_T)
RULE_SHARED = define(
    "annex-rule-shared", "warning", "Ô cách chấm gộp cho nhiều dòng",
    "Một ô cách chấm gộp (merge) cho nhiều tiêu chí: đã áp dụng cho từng tiêu chí; "
    "kiểm tra lại.", topic=_T)
PARENT_RULE = define(
    "annex-parent-rule", "warning", "Mục có mục con lại có cách chấm",
    "Điểm của mục có mục con là tổng các mục con; cách chấm được giữ làm hướng dẫn.", topic=_T)
SURVEY_BY_AREA = define(
    "annex-survey-by-area", "info", "Chấm bằng điều tra xã hội học theo lĩnh vực",
    "Tiêu chí không có cách chấm thuộc lĩnh vực điều tra xã hội học: coi là điểm điều tra.",
    topic=_T)
AREA_EMPTY = define(
    "annex-area-empty", "error", "Lĩnh vực không có tiêu chí",
    "Mỗi lĩnh vực cần ít nhất một tiêu chí; kiểm tra số thứ tự các dòng bên dưới.", topic=_T)
FRAMEWORK_INVALID = define(
    "annex-framework-invalid", "error", "Khung tiêu chí không hợp lệ",
    "Sửa bảng gốc hoặc tệp YAML theo thông báo.", topic=_T)
METADATA_DEFAULT = define(
    "annex-metadata-default", "info", "Thông tin chung lấy theo mặc định",
    "Ghi rõ bằng tùy chọn dòng lệnh (--year, --province, --title …).", topic=_T)


class Recorder:
    """The findings of one import, each placed on its source row of ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.findings: list[Finding] = []

    def at(self, kind: FindingKind, message: str, row: SourceRow | None,
           item: str | None = None) -> None:
        where = f"{row.where}: " if row is not None else ""
        self.findings.append(kind(where + message, item=item, file=str(self.path),
                                  line=row.number if row is not None else None))
