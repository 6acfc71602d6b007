"""parindex — PAR INDEX (Chỉ số cải cách hành chính) self-assessment for Vietnamese departments.

The public API. Importing parindex is light: each name below loads its module on first use,
so the command line starts fast and pandas / openpyxl load only when a function needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .catalog import load_framework, shipped_frameworks
    from .compare import compare
    from .dossier import Dossier, load_dossier, score_dossier
    from .errors import InputError, ParindexError, Problem, UnknownFrameworkError
    from .findings import CATALOGUE, Finding, Report
    from .framework import Area, Criterion, Framework, SubCriterion
    from .gains import reach_target, where_the_points_are
    from .inputs import ItemInput, SelfAssessment, SurveyResults
    from .montecarlo import SurveyAssumptions, simulate
    from .plan import Plan, Task, load_plan
    from .planimport import import_plan
    from .planlint import lint_plan
    from .schedule import Calendar, build_calendar
    from .scoring import NodeScore, Scorecard, score
    from .whatif import what_if
    from .workbook import export_workbook, write_workbook
    from .workbook_read import appraisal_diff, read_workbook

_LAZY: dict[str, str] = {
    "Area": "framework",
    "CATALOGUE": "findings",
    "Calendar": "schedule",
    "Criterion": "framework",
    "Dossier": "dossier",
    "Finding": "findings",
    "Framework": "framework",
    "InputError": "errors",
    "ItemInput": "inputs",
    "NodeScore": "scoring",
    "ParindexError": "errors",
    "Plan": "plan",
    "Problem": "errors",
    "Report": "findings",
    "Scorecard": "scoring",
    "SelfAssessment": "inputs",
    "SubCriterion": "framework",
    "SurveyAssumptions": "montecarlo",
    "SurveyResults": "inputs",
    "Task": "plan",
    "UnknownFrameworkError": "errors",
    "appraisal_diff": "workbook_read",
    "build_calendar": "schedule",
    "compare": "compare",
    "export_workbook": "workbook",
    "import_plan": "planimport",
    "lint_plan": "planlint",
    "load_dossier": "dossier",
    "load_framework": "catalog",
    "load_plan": "plan",
    "reach_target": "gains",
    "read_workbook": "workbook_read",
    "score": "scoring",
    "score_dossier": "dossier",
    "shipped_frameworks": "catalog",
    "simulate": "montecarlo",
    "what_if": "whatif",
    "where_the_points_are": "gains",
    "write_workbook": "workbook",
}

__all__ = [
    "CATALOGUE",
    "Area",
    "Calendar",
    "Criterion",
    "Dossier",
    "Finding",
    "Framework",
    "InputError",
    "ItemInput",
    "NodeScore",
    "ParindexError",
    "Plan",
    "Problem",
    "Report",
    "Scorecard",
    "SelfAssessment",
    "SubCriterion",
    "SurveyAssumptions",
    "SurveyResults",
    "Task",
    "UnknownFrameworkError",
    "appraisal_diff",
    "build_calendar",
    "compare",
    "export_workbook",
    "import_plan",
    "lint_plan",
    "load_dossier",
    "load_framework",
    "load_plan",
    "reach_target",
    "read_workbook",
    "score",
    "score_dossier",
    "shipped_frameworks",
    "simulate",
    "what_if",
    "where_the_points_are",
    "write_workbook",
]

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'parindex' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
