"""parindex — PAR INDEX (Chỉ số cải cách hành chính) self-assessment for Vietnamese departments.

Every function taking a dossier accepts a loaded ``Dossier``, a ``Path`` or a string (the
dossier folder). Results show themselves in a notebook (a short repr, an HTML table) and have
``to_frame()`` (fixed columns and dtypes) and ``to_dict()`` (the CLI's ``--json``). Text for
people (``summary()``, HTML tables) uses the Vietnamese number format (90,04 %); values are
numbers (``Decimal`` on the objects, ``float64`` in frames). Mistakes raise ``InputError``
naming the item, field or file. Use ``help(parindex.NAME)`` for any name below.

Load and score
    load_dossier(folder) -> Dossier        score_dossier(dossier) -> Scorecard
    load_framework(id | path) -> Framework shipped_frameworks()
    score(framework, inputs, survey)       Scorecard, NodeScore, ItemInput, SelfAssessment,
                                           SurveyResults, Framework, Area, Criterion,
                                           SubCriterion
    Scorecard.extras -> ExtrasScore        bonus and penalty items, apart from the index;
                                           score(..., appraisal=Appraisal(self, appraised))

Start a dossier, collect the inputs (a form per unit)
    new_dossier(folder, unit, year, ...)   export_forms(dossier, out) -> the forms to fill
    import_forms(dossier, forms) -> what was read into self-assessment.yaml

Check before submission
    check_dossier(dossier, as_of=...) -> Report      Report, Finding, CATALOGUE (finding kinds)

What-if: change inputs in memory
    what_if(dossier, changes) -> WhatIf
    changes: choose(code, option), ratio(code, percent | done=, total=), count(code, n),
             counts(code, total, **by_kind), occurrences(code, **by_penalty),
             manual(code, points, explanation), not_applicable(code),
             survey(code, points | answers=), tasks_done(*task_codes, completed=),
             Change(code, {field: value}), TasksDone

Where the points are, reaching a target (targets in percent: 95, not 0.95)
    where_the_points_are(dossier, as_of=...) -> Opportunities
    reach_target(dossier, 95, as_of=..., cost={code: cost}) -> TargetPlan

Survey points: Monte Carlo
    simulate(dossier, 90, runs=, seed=, assumptions=) -> Simulation
    SurveyAssumptions(items={code: ...}, default=...), SurveyRange(low=, high=),
    AnswerShares(shares={"A": 60, ...} adding up to 100), PastResults(values=),
    load_assumptions(path)

Compare: two years, or self-assessed against appraised
    compare(a, b, labels) -> Comparison    (a, b: Scorecard, Dossier or folder)

Charts (matplotlib Figures; a notebook shows them by themselves)
    index_by_area(card, target=)  simulation_histogram(sim)  year_over_year({label: card})

The CCHC plan and its calendar
    load_plan(path) -> Plan, Task          import_plan(text | docx, registry)
    lint_plan(plan) -> Report              build_calendar(plan | dossier, as_of) -> Calendar

The scoring workbook (bảng điểm) and the appraisal
    export_workbook(dossier, out)          write_workbook(card, out, heading)
    read_workbook(path) -> WorkbookReading appraisal_diff(reading, dossier) -> AppraisalDiff
    export_report(dossier, out)            (the self-assessment report document)

The province (Sở Nội vụ): roll up the departments' appraised workbooks
    read_survey(path) -> the survey table  roll_up(folder, framework, survey) -> the ranking
    write_summary(result, out)             (the province's summary workbook)

Errors
    InputError (unusable input: .problems), Problem, ParindexError, UnknownFrameworkError

Stages (subpackages, in data-flow order): core, framework, plan, scoring, evidence,
workbook, analysis, entry, province.

Importing parindex is light: each public name is declared once, in the stub ``__init__.pyi``
beside this file, and loads its module on first use (lazy_loader), so the command line starts
fast and pandas / openpyxl load only when a function needs them. ``dir(parindex)`` lists the
functions, constants and stages; the classes above are reached by name (their pages are long:
``help(parindex.Scorecard)``).
"""

from __future__ import annotations

import lazy_loader

__getattr__, _dir, __all__ = lazy_loader.attach_stub(__name__, __file__)

__version__ = "0.1.0"

_CLASSES = frozenset(n for n in __all__ if n[:1].isupper() and not n.isupper())


def __dir__() -> list[str]:
    """Functions, constants and stages: what ``help(parindex)`` documents after its page.

    The classes are left out so the page stays short (a pydantic model's help is hundreds of
    lines of inherited methods); they are listed by task above and load by name as usual.
    """
    return sorted({*(n for n in _dir() if n not in _CLASSES), "__version__"})
