"""``progress [--json] [--count N]``: trends, weak areas and the recommended drill."""

from __future__ import annotations

import argparse
import json

from interview_sim.config import Settings
from interview_sim.progress.review import DRILL_SIZE, review
from interview_sim.reports.render import render_progress
from interview_sim.services import open_catalog, open_repository


def _progress(args: argparse.Namespace, settings: Settings) -> int:
    # The repository and banks only: no engine or scorer to build for a read.
    result = review(
        open_repository(settings), open_catalog(settings), count=args.count or DRILL_SIZE
    )
    if args.json:
        payload = {
            "progress": result.progress.model_dump(mode="json"),
            "recommended_drill": result.drill.model_dump(mode="json"),
        }
        print(json.dumps(payload, indent=2))
        return 0
    print(render_progress(result), end="")
    return 0
