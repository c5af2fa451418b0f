"""The Summary screen lists the questions a stage never reached, per stage, as "not reached"."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Markdown

from interview_sim.models import PlannedQuestion, SessionMode, Stage
from interview_sim.services import Services
from interview_sim.tui import InterviewSimApp
from interview_sim.tui.screens.summary import SummaryScreen
from tests.tui.conftest import settle

PLAN = [
    PlannedQuestion(stage=Stage.ML_DEPTH, question_id="data_leakage"),
    PlannedQuestion(stage=Stage.ML_DEPTH, question_id="concept_drift"),
    PlannedQuestion(stage=Stage.BEHAVIORAL, question_id="production_incident"),
]


def _ended_early(services: Services) -> int:
    """ML depth's time ran out on its first question; behavioral was answered."""
    engine = services.engine
    sid = engine.start(SessionMode.LOOP, PLAN)
    engine.advance(sid)
    engine.end_stage(sid, "Leakage is information at training time absent at serving time.")
    engine.submit_answer(sid, "I led the rollback of a bad model release and wrote the review.")
    assert engine.position(sid) is None
    return sid


async def test_summary_lists_not_reached_questions(
    make_app: Callable[..., InterviewSimApp], services: Services
) -> None:
    sid = _ended_early(services)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(SummaryScreen(app.context, sid))
        await settle(pilot)
        source = app.screen.query_one("#summary", Markdown).source
    title = services.catalog.questions["concept_drift"].title
    listed = source.split("**Not reached**", 1)[1].split("## Top strengths", 1)[0]
    assert f"- ML depth: {title}" in listed
    assert "Behavioral" not in listed  # its only question was answered and graded
    assert "| ML depth | " in source and source.split("| ML depth | ", 1)[1].split("\n")[
        0
    ].endswith("| 1 |")  # one graded question: the unseen one is not counted as a 0/4


async def test_summary_without_unreached_questions_says_nothing_of_them(
    make_app: Callable[..., InterviewSimApp], services: Services
) -> None:
    engine = services.engine
    sid = engine.start(SessionMode.LOOP, PLAN[2:])
    engine.advance(sid)
    engine.submit_answer(sid, "I led the rollback of a bad model release and wrote the review.")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(SummaryScreen(app.context, sid))
        await settle(pilot)
        source = app.screen.query_one("#summary", Markdown).source
    assert "Not reached" not in source
