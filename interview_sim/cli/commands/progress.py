"""``progress [--json] [--count N]``: trends, weak areas and the recommended drill."""

from __future__ import annotations

import argparse
import json

from interview_sim.config import Settings
from interview_sim.progress.compute import ProgressSource
from interview_sim.progress.review import DRILL_SIZE, review
from interview_sim.services import open_catalog
from interview_sim.store.reader import open_progress_reader


def _source(settings: Settings) -> ProgressSource:
    """A current single-candidate SQLite file is read with ``sqlite3`` alone (no SQLAlchemy to
    import); anything else is opened as every command opens it (created, upgraded, checked) and
    read with the repository's statements through SQLAlchemy Core, without its ORM."""
    reader = open_progress_reader(settings.db, settings.candidate)
    if reader is not None:
        return reader
    from interview_sim.store.engine_reader import open_engine_reader

    return open_engine_reader(settings.db, settings.candidate)


def _progress(args: argparse.Namespace, settings: Settings) -> int:
    # The aggregates and banks only: no engine or scorer to build for a read.
    result = review(_source(settings), open_catalog(settings), count=args.count or DRILL_SIZE)
    if args.json:
        payload = {
            "progress": result.progress.model_dump(mode="json"),
            "recommended_drill": result.drill.model_dump(mode="json"),
        }
        print(json.dumps(payload, indent=2))
        return 0
    from interview_sim.reports.render import render_progress  # jinja2: for the text only

    print(render_progress(result), end="")
    return 0
