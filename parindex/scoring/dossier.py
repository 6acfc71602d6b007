"""A dossier folder: the unit's self-assessment for one year.

Layout (names can be changed in ``dossier.yaml``)::

    dossier.yaml            who, which year, which framework
    self-assessment.yaml    inputs per scored item (option, counts, giải trình …)
    survey.yaml             survey points, once known (optional)
    plan.yaml               the year's CCHC plan (optional)
    register.yaml           the evidence register (optional)
    documents/              the evidence files
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from parindex.core.base import Strict
from parindex.core.errors import InputError, Problem
from parindex.core.paths import confined
from parindex.core.yamlio import load_model, load_model_lines
from parindex.framework.catalog import load_framework
from parindex.framework.inputs import ItemInput, SelfAssessment, SurveyResults
from parindex.framework.model import Framework
from parindex.plan.model import Plan, derived_inputs, load_plan, merge_derived
from parindex.scoring.scorecard import Scorecard, score

__all__ = ["Dossier", "DossierFiles", "DossierManifest", "Submission", "as_dossier",
           "as_scorecard", "heading_name",
           "load_dossier", "score_dossier"]

MANIFEST = "dossier.yaml"


class DossierFiles(Strict):
    """File names inside the dossier folder (the defaults rarely need changing)."""

    self_assessment: str = "self-assessment.yaml"
    survey: str = "survey.yaml"
    plan: str = "plan.yaml"
    register_: str = Field(default="register.yaml", alias="register")
    documents: str = "documents"


def heading_name(unit: str, superior: str | None, province: str | None) -> str:
    """The unit's name without its province when the body above already names it
    (Nghị định 30/2020: "SỞ KHOA HỌC VÀ CÔNG NGHỆ" under "UBND TỈNH QUẢNG NGÃI")."""
    if not province or not superior or province.casefold() not in superior.casefold():
        return unit
    for word in ("tỉnh", "thành phố"):
        tail = f" {word} {province}"
        if unit.casefold().endswith(tail.casefold()):
            return unit[: -len(tail)].rstrip(" ,")
    return unit


class Submission(Strict):
    """What the submitted papers name (all optional: dots are printed for what is missing):
    the report the workbook goes with ("Kèm theo Báo cáo số …/BC-… ngày …") and the signers."""

    report_number: str | None = None
    """Số ký hiệu of the self-assessment report, e.g. ``12/BC-SKHCN``."""
    report_date: dt.date | None = None
    """Date of that report."""
    prepared_by: str | None = None
    """Người lập biểu: the name under the left signature of the workbook."""
    head: str | None = None
    """Thủ trưởng đơn vị: the name of who signs the report and the workbook."""
    head_title: str | None = None
    """The signing title, upper case: "GIÁM ĐỐC", or "KT. GIÁM ĐỐC" and "PHÓ GIÁM ĐỐC" on two
    lines (default "THỦ TRƯỞNG ĐƠN VỊ" in the workbook, "GIÁM ĐỐC" in the report)."""
    recipients: tuple[str, ...] = ()
    """Nơi nhận of the report after Sở Nội vụ (e.g. "Lãnh đạo Sở"); "Lưu: VT" is added."""


class DatedReference(Strict):
    """A dated event that deadlines may count from: a day, or a register document's date."""

    date: dt.date | None = None
    document: str | None = None
    """The id of a register document whose date is the reference's."""
    label: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> DatedReference:
        if (self.date is None) == (self.document is None):
            raise ValueError("give either date or document")
        return self


class DossierManifest(Strict):
    """``dossier.yaml``."""

    kind: Literal["parindex/dossier"] = "parindex/dossier"
    schema_version: Literal[1] = 1
    unit: str
    """Full name, e.g. "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi"."""
    unit_code: str | None = None
    """Issuer code in document numbers, e.g. ``SKHCN``."""
    superior: str | None = None
    """The body above the unit, for workbook headings, e.g. "UBND TỈNH QUẢNG NGÃI"."""
    province: str
    year: int = Field(ge=2000, le=2100)
    framework: str
    """A shipped framework id, or a path relative to the dossier folder."""
    submission_deadline: dt.date | None = None
    example: bool = False
    """True for illustration dossiers: their figures are not a unit's real result."""
    note: str | None = None
    submission: Submission | None = None
    """The report number and the signers printed on the submission (optional)."""
    files: DossierFiles = DossierFiles()
    references: dict[str, DatedReference] = Field(default_factory=dict)
    """Dated events that relative deadlines count from (``deadline_after`` in the framework),
    by the key the framework uses, e.g. ``ke-hoach-tinh: {document: kh-10-ubnd}``."""


@dataclass(frozen=True)
class Dossier:
    root: Path
    manifest: DossierManifest
    framework: Framework
    self_assessment: SelfAssessment
    survey: SurveyResults | None = None
    cache: bool = field(default=False, compare=False)
    """Whether its files are read through the per-user cache of validated models (the plan,
    read on first use; see :func:`load_dossier`)."""

    def __repr__(self) -> str:
        m = self.manifest
        return (f"<Dossier {self.root.name}: {m.unit}, {m.year}, framework "
                f"{self.framework.id}, {len(self.self_assessment.items)} inputs>")[:299]

    def path(self, name: str) -> Path:
        """A path inside the dossier folder."""
        return self.root / name

    def own_files(self) -> tuple[Path, ...]:
        """The dossier's own files (``dossier.yaml``, the register …): no output replaces one."""
        f = self.manifest.files
        names = (MANIFEST, f.self_assessment, f.survey, f.plan, f.register_)
        return tuple(p for p in (self.root / n for n in names) if p.is_file())

    @cached_property
    def plan(self) -> Plan | None:
        """The year's CCHC plan (``plan.yaml``), if the dossier has one."""
        path = self.root / self.manifest.files.plan
        if not path.is_file():
            return None
        plan = load_plan(path, cache=self.cache)
        if plan.year != self.manifest.year:
            raise InputError([Problem(f"the plan is for {plan.year} but the dossier for "
                                      f"{self.manifest.year}", path, key="year")],
                             "plan does not fit the dossier")
        return plan

    @cached_property
    def inputs(self) -> dict[str, ItemInput]:
        """The inputs scoring uses: recorded ones, plus those derived from the plan etc.

        Items the framework marks ``derive`` are computed from ``plan.yaml`` and laid over
        what was typed (the typed explanation is kept).
        """
        typed = dict(self.self_assessment.items)
        if self.plan is None:
            return typed
        return merge_derived(typed, derived_inputs(self.plan, self.framework))

    def score(self) -> Scorecard:
        return score(self.framework, self.inputs, self.survey.items if self.survey else None,
                     unit=self.manifest.unit)


def load_dossier(folder: Path | str, *, cache: bool = False) -> Dossier:
    """Load a dossier folder; raises :class:`InputError` when a file cannot be used.

    With ``cache``, the framework, the self-assessment, the survey and the plan are rebuilt
    from the per-user cache while their files' bytes are the ones validated
    (:mod:`parindex.core.modelcache`); ``dossier.yaml`` is always read."""
    root = Path(folder)
    if root.is_file() and root.name == MANIFEST:
        root = root.parent
    manifest_path = root / MANIFEST
    if not root.is_dir():
        raise InputError([Problem("không phải thư mục (not a folder)", root)],
                         "cannot open dossier")
    if not manifest_path.is_file():
        missing = f"thư mục không có {MANIFEST} (no {MANIFEST} in this folder)"
        raise InputError([Problem(missing, root)], "not a parindex dossier")
    manifest, lines = load_model_lines(DossierManifest, manifest_path,
                                       title="invalid dossier.yaml")
    for name, info in DossierFiles.model_fields.items():  # files.register … stay inside
        key = ("files", info.alias or name)
        confined(root, getattr(manifest.files, name), file=manifest_path,
                 line=lines.line_of(key), key=".".join(key))
    fw_ref = manifest.framework
    local = root / fw_ref
    framework = load_framework(local if local.suffix in {".yaml", ".yml"} else fw_ref,
                               cache=cache)
    sa_path = root / manifest.files.self_assessment
    if sa_path.is_file():
        sa = load_model(SelfAssessment, sa_path, text_keys=("code",),
                        title="invalid self-assessment file", cache=cache)
    else:
        sa = SelfAssessment()
    survey_path = root / manifest.files.survey
    survey = None
    if survey_path.is_file():
        survey = load_model(SurveyResults, survey_path, text_keys=("code",),
                            title="invalid survey file", cache=cache)
    return Dossier(root, manifest, framework, sa, survey, cache=cache)


def as_dossier(dossier: Dossier | Path | str, *, cache: bool = False) -> Dossier:
    """``dossier`` if it is loaded already, else the dossier folder it names, loaded.

    Every public function taking a dossier goes through this, so each accepts a
    :class:`Dossier`, a :class:`~pathlib.Path` or a string alike.
    """
    if isinstance(dossier, Dossier):
        return dossier
    if isinstance(dossier, str | os.PathLike):
        return load_dossier(Path(dossier), cache=cache)
    raise TypeError(f"expected a Dossier or the path of a dossier folder, not "
                    f"{type(dossier).__name__}")


def as_scorecard(value: Scorecard | Dossier | Path | str) -> Scorecard:
    """A scorecard: ``value`` itself, or the score of a dossier (loaded from its folder)."""
    return value if isinstance(value, Scorecard) else as_dossier(value).score()


def score_dossier(folder: Dossier | Path | str) -> Scorecard:
    """Load (unless given a :class:`Dossier`) and score a dossier in one call."""
    return as_dossier(folder).score()
