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
# # Còn thiếu gì trước khi nộp hồ sơ tự đánh giá, theo đơn vị chủ trì
#
# **Tạm thời:** module kiểm tra hồ sơ (`parindex.check`: tài liệu kiểm chứng, số ký hiệu,
# ngày ban hành…) chưa có trên nhánh chính khi notebook này được viết. Notebook dùng những gì
# bảng điểm đã biết: tiêu chí **chưa nhập**, **nhập sai**, **chờ điều tra XHH**, và tiêu chí
# **chưa đạt tối đa mà chưa có giải trình**. Đơn vị chủ trì lấy từ kế hoạch CCHC của hồ sơ
# (`plan.yaml`: các nhiệm vụ phục vụ từng tiêu chí). Khi `parindex.check` có mặt, thay bảng
# dưới bằng `check_dossier(...).to_frame()` (cột `item`, `task`) ghép với cùng bảng đơn vị.

# %%
from pathlib import Path

import pandas as pd

from parindex import load_dossier
from parindex.scoring import score

ROOT = Path.cwd() if (Path.cwd() / "evidence").is_dir() else Path.cwd().parent
dossier = load_dossier(ROOT / "evidence" / "so-khcn-quang-ngai-2021")
NEEDS = {
    "missing-input": "chưa nhập kết quả tự đánh giá",
    "invalid-input": "số liệu nhập không dùng được",
    "survey-pending": "chờ kết quả điều tra XHH (không tự chấm)",
}


def lead_units(plan, code):
    """Names of the lead units of the plan tasks serving item ``code``."""
    names = []
    for task in plan.tasks_serving(code) if plan else ():
        for lead in task.all_leads:
            unit = plan.resolve(lead)
            name = unit.name if unit else lead
            if name not in names:
                names.append(name)
    return names or ["(không có nhiệm vụ trong kế hoạch)"]


def missing_frame(card, plan):
    """One row per item and lead unit that still needs something, with its area."""
    frame = card.to_frame()
    areas = frame[frame.level == "area"].set_index("code")["name"]
    leaves = frame[frame.code.isin([n.code for n in card.leaves()])].copy()
    leaves["cần làm"] = leaves.status.map(NEEDS)
    below = (leaves.status == "scored") & (leaves.score < leaves["max"]) & \
        leaves.explanation.isna()
    leaves.loc[below, "cần làm"] = "chưa đạt tối đa: cần giải trình"
    out = leaves[leaves["cần làm"].notna()].copy()
    out.insert(0, "lĩnh vực", out.area.map(lambda c: f"{c}. {areas[c]}"))
    out.insert(0, "đơn vị chủ trì", out.code.map(lambda c: lead_units(plan, c)))
    out = out.explode("đơn vị chủ trì")
    return out[["đơn vị chủ trì", "lĩnh vực", "code", "name", "status", "max", "score",
                "cần làm", "problem"]]


# %% [markdown]
# ## Hồ sơ ví dụ

# %%
todo = missing_frame(dossier.score(), dossier.plan)
todo.groupby(["đơn vị chủ trì", "cần làm"]).size().rename("số tiêu chí").to_frame()

# %%
todo

# %% [markdown]
# ## Một bản nháp chưa xong
# Bỏ ba tiêu chí chưa nhập và ghi sai một tiêu chí, để thấy bảng kiểm tra khi hồ sơ còn dở.

# %%
from parindex.inputs import ItemInput

draft = {k: v for k, v in dossier.inputs.items() if k not in {"1.3.1", "3.2.3", "7.1.4"}}
draft["1.6"] = ItemInput(done=20, total=19)
draft_todo = missing_frame(score(dossier.framework, draft), dossier.plan)
summary = draft_todo.groupby(["đơn vị chủ trì", "cần làm"]).size().rename("số tiêu chí")
summary.to_frame()

# %%
draft_todo[draft_todo.status.isin(["missing-input", "invalid-input"])]

# %%
assert set(draft_todo[draft_todo.status == "missing-input"].code) == {"1.3.1", "3.2.3", "7.1.4"}
assert set(draft_todo[draft_todo.status == "invalid-input"].code) == {"1.6"}
assert isinstance(summary, pd.Series)

# %%
# every row names a unit: a lead unit of the plan, or says that no task serves the item
assert draft_todo["đơn vị chủ trì"].notna().all()
draft_todo[draft_todo.code == "3.2.3"][["đơn vị chủ trì", "code", "cần làm"]]
