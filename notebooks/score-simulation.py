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
# # Mô phỏng điểm Chỉ số CCHC: what-if, mục tiêu, điều tra xã hội học
#
# Hồ sơ ví dụ của Sở Khoa học và Công nghệ Quảng Ngãi năm 2021 (số liệu **minh họa**, khung
# tiêu chí **tạm thời**). Mọi thay đổi dưới đây chỉ làm trong bộ nhớ: không tệp nào bị sửa.
#
# 1. Điểm hiện tại theo lĩnh vực.
# 2. *What-if*: nếu hoàn thành thêm nhiệm vụ, nếu sáng kiến được công nhận…
# 3. Điểm còn có thể tăng ở đâu (tính đến một ngày: các mốc “kịp thời” đã qua thì không tính).
# 4. Ít thay đổi nhất để đạt mục tiêu, kiểm chứng bằng cách chấm lại.
# 5. Monte Carlo điểm điều tra xã hội học: xác suất đạt 90 %.

# %%
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd

from parindex import load_dossier
from parindex.analysis.assumptions import (
    AnswerShares,
    PastResults,
    SurveyAssumptions,
    SurveyRange,
)
from parindex.analysis.gains import reach_target, reach_target_scores, where_the_points_are
from parindex.analysis.plots import index_by_area, simulation_histogram
from parindex.analysis.simulation import simulate, simulate_scores
from parindex.analysis.whatif import choose, count, ratio, tasks_done, what_if

ROOT = Path.cwd() if (Path.cwd() / "evidence").is_dir() else Path.cwd().parent
dossier = load_dossier(ROOT / "evidence" / "so-khcn-quang-ngai-2021")
card = dossier.score()
card.total.index

# %% [markdown]
# ## 1. Điểm theo lĩnh vực
# Chưa có điều tra xã hội học: chỉ số là điểm tự chấm quy về thang 100.

# %%
frame = card.to_frame()
frame[frame.level == "area"][["code", "name", "max", "score", "pending", "index"]]

# %%
index_by_area(card, target=90)

# %% [markdown]
# ## 2. What-if
# Giả sử hoàn thành đủ 34/34 nhiệm vụ của kế hoạch CCHC và sáng kiến được công nhận.

# %%
result = what_if(dossier, [ratio("1.1.3", done=34, total=34), count("1.5", 1)])
print(f"{result.index_before} % → {result.index_after} % (+{result.score_delta} điểm)")
result.to_frame().query("delta != 0")[["code", "name", "level", "score_before", "score_after",
                                        "delta"]]

# %%
assert result.score_delta == Decimal("1.5")
assert dossier.score() == result.before  # the dossier itself is unchanged

# %% [markdown]
# Nhiệm vụ của kế hoạch: tiêu chí 1.1.3 được tính từ `plan.yaml` (số nhiệm vụ hoàn thành đúng
# hạn / tổng số). Hoàn thành hai nhiệm vụ còn dở thì được 33/34, vẫn cùng mức điểm; nhiệm vụ
# II.6.2.b đã hoàn thành trễ hạn nên 100 % không còn đạt được.

# %%
plan_result = what_if(dossier, [tasks_done("II.2.b", "II.4.b")])
print(plan_result.inputs["1.1.3"].note, plan_result.score_delta)
assert plan_result.inputs["1.1.3"].done == 33 and plan_result.score_delta == 0

# %% [markdown]
# ## 3. Điểm còn có thể tăng ở đâu
# Tính đến ngày 15/12/2021 (năm đánh giá chưa kết thúc): các tiêu chí có mốc “kịp thời” đã qua
# không còn tăng được bằng phương án “kịp thời”.

# %%
as_of = dt.date(2021, 12, 15)
opportunities = where_the_points_are(dossier, as_of=as_of)
print(opportunities.summary(limit=5))
opportunities.to_frame()[["code", "action", "needed", "gain", "index_gain", "reachable",
                          "reason"]]

# %%
# a "kịp thời" option is out of reach once its deadline has passed
late_plan = what_if(dossier, [choose("1.1.1", "khong-kip-thoi")])
late, late_inputs = late_plan.after, late_plan.inputs
from parindex.analysis.gains import opportunities as rank

blocked = [g for o in rank(late, as_of=as_of).items if o.code == "1.1.1" for g in o.blocked]
print([(g.action, g.reason) for g in blocked])
assert blocked and blocked[0].action == "Ban hành kịp thời"

# %% [markdown]
# Sau ngày 31/12/2021 kết quả của năm đã qua không còn thay đổi được: chỉ còn các việc hoàn
# thiện hồ sơ (nhập số liệu còn thiếu, sửa số ký hiệu, đăng ký văn bản, giải trình), lấy từ
# kết quả kiểm tra hồ sơ.

# %%
closed = where_the_points_are(dossier, as_of=dt.date(2022, 1, 10))
print(closed.summary())
assert closed.closed and not any(o.gains for o in closed.items) and closed.records

# %% [markdown]
# ## 4. Ít thay đổi nhất để đạt mục tiêu
# Chọn các thay đổi có điểm tăng lớn nhất trước (với mỗi thay đổi tính là một đơn vị công sức,
# cách chọn này cho số thay đổi ít nhất), rồi hạ từng thay đổi xuống mức nhỏ nhất vẫn đạt
# mục tiêu; kết quả được chấm lại để kiểm chứng.

# %%
plan = reach_target(dossier, 95, as_of=as_of)
print(plan.summary())
assert plan.reached and plan.index_after is not None and plan.index_after >= 95

# %%
# had the plan been issued late (after 31/12/2020), 100 % would be out of reach
too_far = reach_target_scores(dossier.framework, late_inputs, None, 100, as_of=as_of)
print(too_far.summary())
assert not too_far.reached and too_far.shortfall > 0

# %% [markdown]
# ## 5. Monte Carlo điểm điều tra xã hội học
# Giả định (tỷ lệ % điểm tối đa của từng tiêu chí): 8.1 theo kết quả ba năm trước; 8.2 trong
# khoảng 80–100 %; 8.3 theo tỷ lệ trả lời A/B/C/D của một khảo sát thử 120 người (A 100 %,
# B 60 %, C 20 %, D 0 % số điểm). Các con số là giả định minh họa.

# %%
assumptions = SurveyAssumptions(items={
    "8.1": PastResults(values=(Decimal(88), Decimal(91), Decimal(93))),
    "8.2": SurveyRange(low=Decimal(80), high=Decimal(100)),
    "8.3": AnswerShares(shares={"A": Decimal(75), "B": Decimal(20),
                                               "C": Decimal(4), "D": Decimal(1)},
                        respondents=120),
})
sim = simulate(dossier, 90, runs=20_000, seed=2021, assumptions=assumptions)
pd.Series(sim.to_dict()["percentiles"], name="phân vị (%)")

# %%
print(f"P(chỉ số ≥ 90 %) = {sim.probability:.1%}, trung bình {sim.mean:.2f} %")
simulation_histogram(sim)

# %%
# the same seed gives the same result
again = simulate(dossier, 90, runs=20_000, seed=2021, assumptions=assumptions)
assert again.to_dict() == sim.to_dict()

# %% [markdown]
# Sau khi thực hiện các thay đổi của mục 4, xác suất đạt 90 % là bao nhiêu?

# %%
after = simulate_scores(dossier.framework, plan.confirmation.inputs, plan.confirmation.survey,
                        90, runs=20_000, seed=2021, assumptions=assumptions)
print(f"{sim.probability:.1%} → {after.probability:.1%}")
assert after.probability >= sim.probability
