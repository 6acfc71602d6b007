"""``parindex score``: the self-assessment score and index of a dossier."""

from __future__ import annotations

from typing import Annotated

import typer

from parindex.cli.common import DossierArg, JsonOpt, console, print_json

__all__ = ["score_cmd"]


def score_cmd(dossier: DossierArg, as_json: JsonOpt = False,
              areas_only: Annotated[bool, typer.Option("--areas", help="Chỉ in lĩnh vực.")]
              = False) -> None:
    """Tính điểm tự đánh giá và Chỉ số CCHC của hồ sơ."""
    from parindex.cli.render import scorecard_table
    from parindex.scoring.dossier import load_dossier

    card = load_dossier(dossier).score()
    if as_json:
        print_json(card.to_dict())
        return
    console.print(scorecard_table(card, detail=not areas_only))
