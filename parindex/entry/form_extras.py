"""The bonus and penalty items (điểm thưởng, điểm trừ) in the input form.

After the tree's areas, the form of the office that owns the dossier (the whole-dossier form,
or Văn phòng Sở's with ``--unit`` / ``--all-units``) carries a heading row per group
("Điểm thưởng", "Điểm trừ") and one row per item a person types, with the columns and
drop-downs its rule asks (:func:`parindex.entry.fields.needs_of_extra`). An item computed
from the appraisal (``from_appraisal``) has no row: nobody types it. The rows are keyed by the
item's code, as the tree's, and read back by :mod:`parindex.entry.form_read` into
``self-assessment.yaml`` under ``items``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from parindex.entry.fields import Needs, needs_of_extra
from parindex.framework.extras import GROUP_VI, ExtraGroup, ExtraItem, Group
from parindex.framework.model import Framework
from parindex.framework.rules import _fmt

__all__ = ["HELP_ELSEWHERE", "HELP_HERE", "ExtraRow", "extra_codes", "extra_needs",
           "group_heading", "typed_extras"]

HELP_HERE = ("7. Điểm thưởng, điểm trừ (ngoài tổng điểm của bộ tiêu chí): các dòng ở cuối "
             "phiếu, sau các lĩnh vực, chỉ có trong phiếu của Văn phòng Sở (phiếu chung của hồ "
             "sơ). Để trống nếu không có (không có sáng kiến, không có vi phạm); mục tính từ "
             "kết quả thẩm định không có dòng, không nhập.")
HELP_ELSEWHERE = ("7. Điểm thưởng, điểm trừ (ngoài tổng điểm) không nhập ở phiếu này: Văn "
                  "phòng Sở nhập ở phiếu của Văn phòng Sở.")


@dataclass(frozen=True)
class ExtraRow:
    """A bonus or penalty item seen as a form row (what the item rows read of a tree node)."""

    code: str
    name: str
    max_points: Decimal
    item: ExtraItem

    @classmethod
    def of(cls, item: ExtraItem) -> ExtraRow:
        return cls(item.code, item.name, item.max_points, item)


def typed_extras(fw: Framework) -> tuple[tuple[Group, ExtraGroup, tuple[ExtraItem, ...]], ...]:
    """Each group with the items a person types (not those computed from the appraisal);
    a group with none is left out."""
    if fw.extras is None:
        return ()
    out = []
    for group, grp in fw.extras.groups():
        items = tuple(it for it in grp.items if it.from_appraisal is None)
        if items:
            out.append((group, grp, items))
    return tuple(out)


def extra_codes(fw: Framework) -> tuple[str, ...]:
    """The codes of the typed bonus and penalty items, bonus first."""
    return tuple(it.code for _, _, items in typed_extras(fw) for it in items)


def extra_needs(fw: Framework, code: str) -> tuple[Needs, Decimal] | None:
    """What the typed extra item ``code`` asks and its most points; None when ``code`` is
    not one."""
    for _, _, items in typed_extras(fw):
        for it in items:
            if it.code == code:
                return needs_of_extra(it), it.max_points
    return None


def group_heading(group: Group, grp: ExtraGroup) -> str:
    """The group's heading row: "Điểm thưởng (ngoài tổng điểm, tối đa 2 điểm)"."""
    cap = f", tối đa {_fmt(grp.max_points)} điểm" if grp.max_points is not None else ""
    return f"{GROUP_VI[group]} (ngoài tổng điểm{cap}; để trống nếu không có)"
