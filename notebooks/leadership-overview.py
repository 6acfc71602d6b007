# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Chỉ số cải cách hành chính năm 2021: tổng quan cho lãnh đạo Sở
#
# Tài liệu này trả lời ba câu hỏi: **chúng ta đang ở đâu**, **còn thiếu gì** trước khi nộp hồ
# sơ tự đánh giá cho Sở Nội vụ, và **khả năng đạt mục tiêu** của năm. Các con số được tính
# lại mỗi lần chạy từ hồ sơ tự đánh giá của Sở.
#
# *Lưu ý:* hồ sơ dùng ở đây là hồ sơ **ví dụ minh họa** của Sở Khoa học và Công nghệ tỉnh
# Quảng Ngãi (không phải kết quả thật của Sở); bộ tiêu chí là **khung tạm thời**. Bản này được
# xuất ra HTML không kèm mã lệnh (`jupyter nbconvert --to html --no-input`).

# %%
# Everything is computed here; the cells below only show the results.
import datetime as dt
from decimal import Decimal
from pathlib import Path

from IPython.display import Markdown, display

import parindex as px

ROOT = Path.cwd() if (Path.cwd() / "evidence").is_dir() else Path.cwd().parent
FOLDER = ROOT / "evidence" / "so-khcn-quang-ngai-2021"
AS_OF = dt.date(2021, 12, 15)  # the day of this review: two weeks before the year ends
TARGET = 90  # the department's target index (%)
SAFE = 95  # a margin above the target, for the self-assessed part

dossier = px.load_dossier(FOLDER)
card = dossier.score()
report = px.check_dossier(dossier, as_of=AS_OF, cache=False, workers=1)
gains = px.where_the_points_are(dossier, as_of=AS_OF)
plan = px.reach_target(dossier, SAFE, as_of=AS_OF)
assumptions = px.SurveyAssumptions(items={
    "8.1": px.PastResults(values=(Decimal(88), Decimal(91), Decimal(93))),
    "8.2": px.SurveyRange(low=Decimal(80), high=Decimal(100)),
    "8.3": px.AnswerShares(shares={"A": Decimal(75), "B": Decimal(20), "C": Decimal(4),
                                   "D": Decimal(1)}, respondents=120),
})
now = px.simulate(dossier, TARGET, runs=20_000, seed=2021, assumptions=assumptions)
after = px.simulate(dossier, TARGET, runs=20_000, seed=2021, assumptions=assumptions,
                    changes=plan.changes)


def vn(value, places=2):
    """A number as Vietnamese text: 90,04."""
    return "–" if value is None else f"{float(value):.{places}f}".replace(".", ",")


def points(value):
    """Points as a score sheet writes them: 69,33; 77; 0,5."""
    return format(Decimal(value).normalize(), "f").replace(".", ",")


def day(value):
    return value.strftime("%d/%m/%Y")


# %% [markdown]
# ## 1. Chúng ta đang ở đâu

# %%
total = card.total
display(Markdown(
    f"Tính đến ngày {day(AS_OF)}, Sở tự chấm **{points(total.self_score)}/"
    f"{points(total.self_max)} điểm**. Chưa có kết quả điều tra xã hội học "
    f"({points(total.pending)} điểm), nên chỉ số "
    f"hiện tại là điểm tự chấm quy về thang 100: **{vn(total.index)}%**, xếp loại "
    f"**{card.classification}**. Mục tiêu của năm là {TARGET}%."))
display(card)

# %%
px.index_by_area(card, target=TARGET)

# %% [markdown]
# ## 2. Còn thiếu gì trước khi nộp hồ sơ
#
# Kết quả kiểm tra hồ sơ: mỗi dòng là một việc cần xử lý (thiếu tài liệu kiểm chứng, văn bản
# ban hành trễ hạn, số ký hiệu không khớp…). Hồ sơ chỉ nên gửi khi không còn **lỗi**.

# %%
c = report.counts
display(Markdown(
    f"Hồ sơ **{'đã đạt, có thể gửi' if report.valid else 'chưa đạt'}**: {c['error']} lỗi, "
    f"{c['warning']} cảnh báo, {c['info']} thông tin."))
display(report)

# %% [markdown]
# Những tiêu chí còn có thể tăng điểm, và việc cần làm (các phương án “kịp thời” đã quá hạn
# thì không còn tính):

# %%
display(Markdown(
    f"Nếu làm hết mọi việc còn có thể, Sở tăng được **{points(gains.gainable)} điểm** và chỉ số tự "
    f"chấm đạt tối đa **{vn(gains.best_index)}%**."))
display(gains)

# %% [markdown]
# ## 3. Khả năng đạt mục tiêu
#
# Điểm điều tra xã hội học (20 điểm) chỉ có khi Sở Nội vụ công bố. Ước tính bằng mô phỏng
# 20.000 lần theo các giả định dưới đây (kết quả các năm trước, một khảo sát thử), xác suất để
# chỉ số cuối cùng đạt mục tiêu là:

# %%
display(Markdown(
    f"- Với hồ sơ hiện nay: **{vn(100 * now.probability, 0)}%** khả năng đạt từ {TARGET}% trở "
    f"lên (chỉ số dự kiến khoảng {vn(now.percentiles[25])}–{vn(now.percentiles[75])}%, trung "
    f"bình {vn(now.mean)}%).\n"
    f"- Nếu thực hiện {len(plan.chosen)} việc dưới đây (đưa phần tự chấm lên {SAFE}%): "
    f"**{vn(100 * after.probability, 0)}%** khả năng đạt mục tiêu."))
display(plan)

# %%
px.simulation_histogram(after)

# %%
display(now)
