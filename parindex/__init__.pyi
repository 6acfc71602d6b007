"""The public API of parindex: each name is declared once, here; ``__init__.py`` loads
it lazily from this stub (lazy_loader), so ``import parindex`` costs almost nothing."""

from .analysis.assumptions import SurveyAssumptions as SurveyAssumptions
from .analysis.compare import compare as compare
from .analysis.gains import (
    reach_target as reach_target,
)
from .analysis.gains import (
    where_the_points_are as where_the_points_are,
)
from .analysis.simulation import simulate as simulate
from .analysis.whatif import what_if as what_if
from .core.errors import (
    InputError as InputError,
)
from .core.errors import (
    ParindexError as ParindexError,
)
from .core.errors import (
    Problem as Problem,
)
from .core.errors import (
    UnknownFrameworkError as UnknownFrameworkError,
)
from .core.findings import CATALOGUE as CATALOGUE
from .core.findings import Finding as Finding
from .core.findings import Report as Report
from .entry.form_export import export_forms as export_forms
from .entry.form_import import import_forms as import_forms
from .entry.skeleton import new_dossier as new_dossier
from .framework.catalog import (
    load_framework as load_framework,
)
from .framework.catalog import (
    shipped_frameworks as shipped_frameworks,
)
from .framework.inputs import (
    ItemInput as ItemInput,
)
from .framework.inputs import (
    SelfAssessment as SelfAssessment,
)
from .framework.inputs import (
    SurveyResults as SurveyResults,
)
from .framework.model import (
    Area as Area,
)
from .framework.model import (
    Criterion as Criterion,
)
from .framework.model import (
    Framework as Framework,
)
from .framework.model import (
    SubCriterion as SubCriterion,
)
from .plan.importer import import_plan as import_plan
from .plan.lint import lint_plan as lint_plan
from .plan.model import Plan as Plan
from .plan.model import Task as Task
from .plan.model import load_plan as load_plan
from .plan.schedule import Calendar as Calendar
from .plan.schedule import build_calendar as build_calendar
from .province.rollup import roll_up as roll_up
from .province.summary import write_summary as write_summary
from .province.survey import read_survey as read_survey
from .report.document import export_report as export_report
from .scoring.dossier import (
    Dossier as Dossier,
)
from .scoring.dossier import (
    load_dossier as load_dossier,
)
from .scoring.dossier import (
    score_dossier as score_dossier,
)
from .scoring.scorecard import NodeScore as NodeScore
from .scoring.scorecard import Scorecard as Scorecard
from .scoring.scorecard import score as score
from .workbook.diff import appraisal_diff as appraisal_diff
from .workbook.export import export_workbook as export_workbook
from .workbook.export import write_workbook as write_workbook
from .workbook.read import read_workbook as read_workbook

__version__: str
