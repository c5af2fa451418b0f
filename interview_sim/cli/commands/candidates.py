"""``candidates [--json]``: a coach's view of a shared database, one line per candidate.

Each line is the candidate's sessions and their recommended drill, computed from that
candidate's own history only (the same ``review`` that ``progress`` shows them).
"""

from __future__ import annotations

import argparse
import json

from interview_sim.config import Settings
from interview_sim.progress.models import DrillItem
from interview_sim.progress.review import review
from interview_sim.services import open_services
from interview_sim.store import Repository


def _candidates(args: argparse.Namespace, settings: Settings) -> int:
    services = open_services(settings)
    rows = []
    titles: list[list[str]] = []
    for who in services.repo.candidates():
        theirs = Repository(services.repo.engine, candidate=who.name)
        drill = review(theirs, services.catalog).drill
        rows.append(
            {
                **who.model_dump(mode="json"),
                "recommended_drill": [f"{i.stage.value}/{i.question_id}" for i in drill.items],
            }
        )
        titles.append([_titled(item) for item in drill.items])
    if args.json:  # ids, as ``progress --json`` gives them, for scripts
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print("no sessions yet")
    for row, drill_titles in zip(rows, titles, strict=True):
        drill_text = "; ".join(drill_titles) or "nothing due"
        print(
            f"{row['name']:<20} {row['sessions']:>4} sessions ({row['in_progress']} open),"
            f" last {row['last_started'][:10]}; next drill: {drill_text}"
        )
    return 0


def _titled(item: DrillItem) -> str:
    """A reader's name for a drill question: its title and stage, as ``progress`` lists the
    drill; the id only when the banks no longer hold it (its title is then unknown)."""
    return f"{item.title or item.question_id} ({item.stage.value})"
