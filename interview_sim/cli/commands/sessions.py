"""``sessions list|show``: past sessions and their transcripts."""

from __future__ import annotations

import argparse
import json

from interview_sim.config import Settings
from interview_sim.services import open_services


def _sessions(args: argparse.Namespace, settings: Settings) -> int:
    services = open_services(settings)
    engine, repo = services.engine, services.repo
    if args.action == "list":
        # One aggregate query for the page, however long the history.
        sessions = repo.history(limit=args.limit, offset=args.offset)
        if args.json:
            print(json.dumps([s.model_dump(mode="json") for s in sessions], indent=2))
        for s in [] if args.json else sessions:
            score = f"{s.average:.2f}" if s.average is not None else "-"
            print(
                f"{s.id:>5}  {s.mode.value:<5}  {s.status.value:<12}  {s.started_at:%Y-%m-%d %H:%M}"
                f"  {s.graded:>2}/{s.planned:<2} graded  {score:>4}"
            )
        return 0
    summary = engine.summary(args.session_id)
    turns = repo.turns(args.session_id)
    if args.json:
        print(
            json.dumps(
                {
                    "session": summary.model_dump(mode="json"),
                    "turns": [t.model_dump(mode="json") for t in turns],
                },
                indent=2,
            )
        )
        return 0
    print(f"session {summary.id} ({summary.mode.value}, {summary.status.value})")
    for t in turns:
        print(f"[{t.stage.value}/{t.question_id}] {t.kind.value}: {t.text}")
    for result in summary.results:
        print(f"{result.stage.value}: {result.average:.2f}/4 {result.hire_signal.value}")
    return 0
