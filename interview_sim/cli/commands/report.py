"""``report SESSION_ID [--format md|html] [-o FILE]``: a session's full written review."""

from __future__ import annotations

import argparse

from interview_sim.cli.common import check_output, write_whole
from interview_sim.config import Settings
from interview_sim.models import utcnow
from interview_sim.progress.packet import mastered_questions
from interview_sim.reports.build import build_session_report
from interview_sim.reports.render import render_report
from interview_sim.services import open_services


def _report(args: argparse.Namespace, settings: Settings) -> int:
    if args.output is not None:
        check_output(args.output, settings.db)
    engine = open_services(settings).engine
    report = build_session_report(
        engine.summary(args.session_id),
        engine.repo.grades(args.session_id),
        engine.repo.turns(args.session_id),
        engine.catalog,
        generated_at=utcnow(),
        mastered=mastered_questions(engine.repo),
    )
    text = render_report(report, args.format)
    if args.output is None:
        print(text, end="")
        return 0
    write_whole(args.output, text)
    print(f"wrote {args.output}")
    return 0
