"""parindex — PAR INDEX (Chỉ số cải cách hành chính) self-assessment for Vietnamese departments.

The public API. Importing parindex is light: pandas and openpyxl load only when a function
that needs them runs.
"""

from .catalog import load_framework, shipped_frameworks
from .dossier import Dossier, load_dossier, score_dossier
from .errors import InputError, ParindexError, Problem, UnknownFrameworkError
from .findings import CATALOGUE, Finding, Report
from .framework import Area, Criterion, Framework, SubCriterion
from .inputs import ItemInput, SelfAssessment, SurveyResults
from .plan import Plan, Task, load_plan
from .planimport import import_plan
from .planlint import lint_plan
from .schedule import Calendar, build_calendar
from .scoring import NodeScore, Scorecard, score

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
    "SurveyResults",
    "Task",
    "UnknownFrameworkError",
    "build_calendar",
    "import_plan",
    "lint_plan",
    "load_dossier",
    "load_framework",
    "load_plan",
    "score",
    "score_dossier",
    "shipped_frameworks",
]

__version__ = "0.1.0"
