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
# Báo cáo kiểm tra hồ sơ (`parindex.check_dossier`: kết quả tự đánh giá, tài liệu kiểm chứng, số ký
# hiệu, ngày ban hành…) dưới dạng DataFrame, mỗi phát hiện gắn với đơn vị chủ trì lấy từ kế
# hoạch CCHC (`plan.yaml`) và sổ tài liệu kiểm chứng (`register.yaml`):
#
# - phát hiện về một **nhiệm vụ**: đơn vị chủ trì nhiệm vụ đó;
# - về một **tiêu chí**: đơn vị chủ trì các nhiệm vụ phục vụ tiêu chí;
# - về một **văn bản**: đơn vị của các nhiệm vụ, tiêu chí mà văn bản chứng minh;
# - còn lại (tệp lạ trong thư mục…): “hồ sơ chung”.
#
# Hồ sơ ví dụ là **minh họa**; kiểm tra tính đến ngày 10/01/2022, trước hạn nộp 15/01/2022.

# %%
import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import yaml

import parindex as px
from parindex.evidence.register import register_of

ROOT = Path.cwd() if (Path.cwd() / "evidence").is_dir() else Path.cwd().parent
EXAMPLE = ROOT / "evidence" / "so-khcn-quang-ngai-2021"
AS_OF = dt.date(2022, 1, 10)
GENERAL = "(hồ sơ chung)"
NO_TASK = "(không có nhiệm vụ trong kế hoạch)"


def unit_finder(dossier):
    """A function giving the lead units (names) a finding belongs to."""
    plan = dossier.plan
    documents = register_of(dossier).by_id()

    def names(leads):
        out = []
        for lead in leads:
            unit = plan.resolve(lead)
            name = unit.name if unit else lead
            if name not in out:
                out.append(name)
        return out

    def of_task(code):
        known = {t.code: t for t in plan.tasks} if plan else {}
        return names(known[code].all_leads) if code in known else []

    def of_item(code):
        serving = [t for t in plan.tasks if code in t.serves] if plan else []
        return names([lead for t in serving for lead in t.all_leads]) or [NO_TASK]

    def of_document(doc_id):
        doc = documents.get(doc_id)
        if doc is None:
            return []
        units = [u for task in doc.tasks for u in of_task(task)]
        units += [u for proof in doc.proves for u in of_item(proof.item)]
        return list(dict.fromkeys(units))

    def units(row):
        task, item, document = row["task"], row["item"], row["document"]
        if isinstance(task, str) and of_task(task):
            return of_task(task)
        if isinstance(item, str):
            return of_item(item)
        if isinstance(document, str) and of_document(document):
            return of_document(document)
        return [GENERAL]

    return units


def findings_by_unit(dossier, as_of):
    report = px.check_dossier(dossier, as_of=as_of, cache=False, workers=1)
    frame = report.to_frame()
    frame.insert(0, "đơn vị chủ trì", frame.apply(unit_finder(dossier), axis=1))
    return report, frame.explode("đơn vị chủ trì")


# %% [markdown]
# ## Hồ sơ ví dụ

# %%
dossier = px.load_dossier(EXAMPLE)
report, findings = findings_by_unit(dossier, AS_OF)
report

# %%
by_unit = findings.pivot_table(index="đơn vị chủ trì", columns="severity", values="code",
                               aggfunc="count", fill_value=0)
by_unit

# %%
# a chart of the same table (pandas draws through pyplot: the kernel shows it inline)
ax = by_unit.plot.barh(stacked=True, figsize=(8, 3), title="Số phát hiện theo đơn vị chủ trì")
ax.set_xlabel("số phát hiện")
ax.set_ylabel("")

# %%
findings[["đơn vị chủ trì", "severity", "code", "item", "task", "document", "message"]]

# %%
assert len(report.findings) == len(findings.drop_duplicates(subset=["code", "item", "task",
                                                                  "document", "file",
                                                                  "message"]))
assert findings["đơn vị chủ trì"].notna().all()

# %% [markdown]
# ## Một bản nháp chưa xong
# Bản sao tạm của hồ sơ, bỏ ba tiêu chí chưa nhập: các phát hiện mới rơi vào đơn vị chủ trì
# của các nhiệm vụ phục vụ những tiêu chí đó. Hồ sơ ví dụ không bị sửa.

# %%
with tempfile.TemporaryDirectory() as tmp:
    draft_root = Path(tmp) / "ban-nhap"
    shutil.copytree(EXAMPLE, draft_root)
    sa_path = draft_root / "self-assessment.yaml"
    data = yaml.safe_load(sa_path.read_text(encoding="utf-8"))
    for code in ("1.3.1", "3.2.3", "7.1.4"):
        del data["items"][code]
    sa_path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                       encoding="utf-8")
    draft_report, draft = findings_by_unit(px.load_dossier(draft_root), AS_OF)

missing = draft[draft.code == "missing-input"]
missing[["đơn vị chủ trì", "item", "message"]]

# %%
assert set(missing["item"]) == {"1.3.1", "3.2.3", "7.1.4"}
assert GENERAL not in set(missing["đơn vị chủ trì"])  # each has a task in the plan
assert not draft_report.valid
summary = draft.groupby(["đơn vị chủ trì", "severity"]).size().rename("số phát hiện")
assert isinstance(summary, pd.Series)
summary.to_frame()
