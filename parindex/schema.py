"""JSON Schemas generated from the models, published beside the data for editors.

``python -m parindex.schema`` rewrites them; a test fails when the committed files differ.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from parindex.analysis.assumptions import SurveyAssumptions
from parindex.evidence.register import Register
from parindex.framework.inputs import SelfAssessment, SurveyResults
from parindex.framework.mapping import CodeMapping
from parindex.framework.model import Framework
from parindex.plan.model import Plan
from parindex.scoring.dossier import DossierManifest

__all__ = ["SCHEMAS", "render_schema", "write_schemas"]

ROOT = Path(__file__).resolve().parent.parent

SCHEMAS: dict[str, type[BaseModel]] = {
    "criteria/framework.schema.json": Framework,
    "criteria/mapping.schema.json": CodeMapping,
    "evidence/schema/dossier.schema.json": DossierManifest,
    "evidence/schema/self-assessment.schema.json": SelfAssessment,
    "evidence/schema/survey.schema.json": SurveyResults,
    "evidence/schema/plan.schema.json": Plan,
    "evidence/schema/register.schema.json": Register,
    "evidence/schema/survey-assumptions.schema.json": SurveyAssumptions,
}


def render_schema(model: type[BaseModel]) -> str:
    schema = model.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write_schemas(root: Path = ROOT) -> list[Path]:
    """Write every schema under ``root``; returns the files written."""
    written = []
    for rel, model in SCHEMAS.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_schema(model), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover
    for p in write_schemas():
        print(p)
