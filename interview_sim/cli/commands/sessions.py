"""``sessions list|show``: past sessions and their transcripts."""

from __future__ import annotations

import argparse
import json
import sys

from interview_sim.cli.commands.sessions_time import stage_clocks
from interview_sim.config import Settings
from interview_sim.models import HireSignal, session_score
from interview_sim.progress.packet import session_recommendation
from interview_sim.progress.sessions import session_outcomes
from interview_sim.services import open_services


def _sessions(args: argparse.Namespace, settings: Settings) -> int:
    services = open_services(settings)
    engine, repo = services.engine, services.repo
    if args.action == "list":
        # One aggregate query for the page, however long the history.
        sessions = repo.history(limit=args.limit, offset=args.offset)
        # The same page's stage means, for the recommendation History and the summary show.
        page = repo.session_scores(limit=args.limit, offset=args.offset)
        verdict: dict[int, HireSignal | None] = {
            o.id: o.signal for o in session_outcomes(page, services.catalog)
        }
        if args.json:
            rows = [
                {**s.model_dump(mode="json"), "recommendation": _value(verdict.get(s.id))}
                for s in sessions
            ]
            print(json.dumps(rows, indent=2))
        for s in [] if args.json else sessions:
            score = f"{s.average:.2f}" if s.average is not None else "-"
            print(
                f"{s.id:>5}  {s.mode.value:<5}  {s.status.value:<12}  {s.started_at:%Y-%m-%d %H:%M}"
                f"  {s.graded:>2}/{s.planned:<2} graded  {score:>4}"
                f"  {_value(verdict.get(s.id)) or '-'}"
            )
        if not sessions and not args.offset and not args.json:
            _nobody(repo.candidate, [c.name for c in repo.candidates()])
        return 0
    summary = engine.summary(args.session_id)
    turns = repo.turns(args.session_id)
    clocks = stage_clocks(engine, args.session_id)
    attempts = engine.attempts(args.session_id)
    recommendation, rule = session_recommendation(
        (p.stage for p in summary.plan), {r.stage: r.hire_signal for r in summary.results}
    )
    overall = session_score(r.average for r in summary.results)
    if args.json:
        print(
            json.dumps(
                {
                    "session": summary.model_dump(mode="json"),
                    "score": overall,
                    "recommendation": _value(recommendation),
                    "recommendation_rule": rule.model_dump(mode="json"),
                    "stages": [c.model_dump(mode="json") for c in clocks],
                    "attempts": [a.model_dump(mode="json") for a in attempts],
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
    if overall is not None:
        print(f"score: {overall:.2f}/4 (the mean of its stage means)")
    for clock in clocks:
        print(clock.line())
    for attempt in attempts:
        print(f"{attempt.question_id}: {attempt.summary()}")
    print(f"recommendation: {_value(recommendation) or 'none'} ({rule.text})")
    return 0


def _nobody(candidate: str, others: list[str]) -> None:
    """An empty list on a shared database is most often a name typed differently: say whose
    sessions there are (on stderr, so the listing stays empty for scripts)."""
    if others:
        names = ", ".join(others[:10]) + (", ..." if len(others) > 10 else "")
        print(
            f"no sessions for candidate {candidate!r}; this database has sessions of {names}"
            " (--candidate NAME)",
            file=sys.stderr,
        )


def _value(signal: HireSignal | None) -> str | None:
    return signal.value if signal is not None else None
