"""The unit registry: aliases, groups, unknown names kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from parindex.core.errors import InputError
from parindex.plan.units import Unit, UnitRegistry, load_units

from .conftest import EXAMPLE, FIXTURES

REG = UnitRegistry(units=(
    Unit(id="van-phong", name="Văn phòng Sở"),
    Unit(id="trung-tam", name="Trung tâm Ứng dụng và Dịch vụ KHCN",
         aliases=("Trung tâm Ứng dụng và Dịch vụ khoa học công nghệ",)),
    Unit(id="chi-cuc", name="Chi cục Tiêu chuẩn Đo lường Chất lượng"),
))


def test_aliases_resolve_to_one_unit_whatever_the_spacing_or_case() -> None:
    assert REG.resolve("trung tâm ứng dụng và  dịch vụ khoa học công nghệ.").id == "trung-tam"  # type: ignore[union-attr]
    assert REG.resolve("Các phòng, đơn vị trực thuộc Sở").kind == "group"  # type: ignore[union-attr]
    assert REG.resolve("Ban Pháp chế") is None


def test_split_keeps_names_containing_va_and_commas() -> None:
    assert REG.split("Văn phòng Sở; Chi cục Tiêu chuẩn Đo lường Chất lượng và Trung tâm Ứng "
                     "dụng và Dịch vụ KHCN.") == (
        "Văn phòng Sở", "Chi cục Tiêu chuẩn Đo lường Chất lượng",
        "Trung tâm Ứng dụng và Dịch vụ KHCN")
    assert REG.split("Văn phòng Sở và các phòng, đơn vị liên quan") == (
        "Văn phòng Sở", "Các phòng, đơn vị liên quan")


def test_unknown_names_are_kept_and_split_only_before_unit_words() -> None:
    assert REG.split("Văn phòng Sở, Ban Pháp chế HĐND tỉnh và Phòng Tư pháp huyện") == (
        "Văn phòng Sở", "Ban Pháp chế HĐND tỉnh", "Phòng Tư pháp huyện")
    assert REG.split("Tổ kiểm tra việc thực hiện nhiệm vụ và chấp hành kỷ luật, kỷ cương") == (
        "Tổ kiểm tra việc thực hiện nhiệm vụ và chấp hành kỷ luật, kỷ cương",)


def test_group_members() -> None:
    assert REG.members("cac-phong-don-vi") == {"van-phong", "trung-tam", "chi-cuc"}
    assert REG.members("chi-cuc") == {"chi-cuc"}


def test_an_alias_claimed_by_two_units_is_rejected() -> None:
    with pytest.raises(ValidationError, match="belongs to both"):
        UnitRegistry(units=(Unit(id="a", name="Văn phòng Sở"),
                            Unit(id="b", name="Văn phòng", aliases=("văn phòng sở",))))


@given(st.lists(st.sampled_from([u.name for u in REG.units]), min_size=1, max_size=3,
                unique=True), st.sampled_from(["; ", ", ", " và "]))
def test_known_names_joined_any_way_split_back(names: list[str], sep: str) -> None:
    assert REG.split(sep.join(names)) == tuple(names)


def test_load_units_from_a_registry_or_a_plan(tmp_path: Path) -> None:
    reg = load_units(FIXTURES / "plan" / "units_so_khcn.yaml")
    assert reg.resolve("Tổ Công tác của Sở").id == "to-cong-tac-kiem-tra"  # type: ignore[union-attr]
    assert load_units(EXAMPLE / "plan.yaml") == reg


def test_load_units_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "units_id_with_spaces.yaml"
    bad.write_text("units:\n  - id: van phong\n    name: Văn phòng Sở\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_units(bad)
    (problem,) = err.value.problems
    assert (problem.file, problem.line, problem.key) == (bad, 2, "units[0].id")
    bad.write_text("don_vi: []\n", encoding="utf-8")
    with pytest.raises(InputError, match="expected a list of units"):
        load_units(bad)
