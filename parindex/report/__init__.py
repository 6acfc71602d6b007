"""The self-assessment report (Báo cáo kết quả tự đánh giá, chấm điểm Chỉ số CCHC) that goes with
the submission workbook: its content from the scorecard and the register
(:mod:`~parindex.report.content`), drafted into an editable Word template
(:mod:`~parindex.report.document`, the template built by :mod:`~parindex.report.template`)."""
