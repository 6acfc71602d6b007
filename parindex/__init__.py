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
from .scoring import NodeScore, Scorecard, score

__all__ = [
    "CATALOGUE",
    "Area",
    "Criterion",
    "Dossier",
    "Finding",
    "Framework",
    "InputError",
    "ItemInput",
    "NodeScore",
    "ParindexError",
    "Problem",
    "Report",
    "Scorecard",
    "SelfAssessment",
    "SubCriterion",
    "SurveyResults",
    "UnknownFrameworkError",
    "load_dossier",
    "load_framework",
    "score",
    "score_dossier",
    "shipped_frameworks",
]

__version__ = "0.1.0"
