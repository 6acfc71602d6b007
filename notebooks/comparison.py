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
# # So sánh hai bảng điểm: tự đánh giá và thẩm định, năm trước và năm nay
#
# Các tiêu chí được ghép theo **mã**; khi bộ tiêu chí thay đổi giữa hai năm, các mã chỉ có ở
# một bên được liệt kê riêng. Số liệu **minh họa**: “điểm thẩm định” và “năm 2020” dưới đây được
# dựng từ hồ sơ ví dụ để minh họa cách dùng, không phải kết quả thật.

# %%
from decimal import Decimal
from pathlib import Path

import parindex as px
from parindex import Framework, ItemInput, choose, occurrences, ratio

ROOT = Path.cwd() if (Path.cwd() / "evidence").is_dir() else Path.cwd().parent
dossier = px.load_dossier(ROOT / "evidence" / "so-khcn-quang-ngai-2021")
self_card = dossier.score()

# %% [markdown]
# ## Tự đánh giá và thẩm định
# Giả sử đoàn thẩm định không công nhận “đúng hạn, đủ tài liệu” ở 1.7 và tính thêm một báo
# cáo trễ hạn ở 1.2.1.

# %%
appraised = px.what_if(dossier, [choose("1.7", "tre-hoac-thieu"),
                              occurrences("1.2.1", **{"tre-han": 2})]).after
self_vs = px.compare(self_card, appraised, ("tự đánh giá", "thẩm định"))
self_vs

# %%
self_vs.to_frame().query("delta != 0")[["code", "name", "level", "score_a", "score_b", "delta"]]

# %%
assert self_vs.index_delta == Decimal("-0.98")  # 69,33 → 68,58 of 77

# %% [markdown]
# ## Năm trước và năm nay, bộ tiêu chí khác nhau
# Bộ tiêu chí “2020” minh họa: tiêu chí sáng kiến mang mã 1.8 (năm 2021 là 1.5) và tiêu chí
# 1.6 có tên khác.

# %%
data = dossier.framework.model_dump(by_alias=True)
data |= {"id": "qn-so-2020-minh-hoa", "scoring_year": 2020}
area1 = data["areas"][0]
initiative = next(c for c in area1["criteria"] if c["code"] == "1.5")
area1["criteria"] = [c for c in area1["criteria"] if c["code"] != "1.5"]
area1["criteria"].append(initiative | {"code": "1.8",
                                       "name": "Sáng kiến CCHC được áp dụng (năm 2020)"})
for c in area1["criteria"]:
    if c["code"] == "1.6":
        c["name"] = "Thực hiện nhiệm vụ UBND tỉnh giao (năm 2020)"
fw2020 = Framework.model_validate(data)

inputs2020 = {k: v for k, v in dossier.inputs.items() if k != "1.5"}
inputs2020 |= {"1.8": ItemInput(count=Decimal(0)), "1.1.3": ItemInput(done=25, total=32),
               "7.2.2": ItemInput(percent=Decimal(18))}
card2020 = px.score(fw2020, inputs2020)
years = px.compare(card2020, self_card, ("2020", "2021"))
print(years.summary())

# %%
years.to_frame()[years.to_frame().level == "area"][["code", "name", "index_a", "index_b",
                                                     "index_delta"]]

# %%
print("chỉ có năm 2020:", [(n.code, n.name) for n in years.only_a])
print("chỉ có năm 2021:", [(n.code, n.name) for n in years.only_b])
print("đổi tên:", [r.code for r in years.rows if r.renamed])
assert [n.code for n in years.only_a] == ["1.8"] and [n.code for n in years.only_b] == ["1.5"]

# %%
px.year_over_year({"2020": card2020, "2021": self_card})

# %%
px.index_by_area(appraised, target=90)

# %%
# what would 2021 have been had 1.1.3 stayed at the 2020 ratio?
px.what_if(dossier, [ratio("1.1.3", done=25, total=32)])
