"""Snapshot tests of every screen at fixed sizes, with frozen timestamps and a frozen clock.

Regenerate after an intended change with ``pytest tests/tui/test_snapshots.py
--snapshot-update`` and review the SVGs in ``__snapshots__``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from interview_sim.engine import plan_drill
from interview_sim.models import CodingQuestion, CrossCheck, SessionMode, Stage
from interview_sim.services import Services
from interview_sim.tui import InterviewSimApp
from interview_sim.tui.screens.help import HelpScreen
from interview_sim.tui.screens.interview import InterviewScreen
from interview_sim.tui.screens.scorecard import ScorecardScreen
from interview_sim.tui.screens.summary import SummaryScreen
from tests.tui.conftest import FIXED_NOW, MovableClock, freeze_timestamps, settle

Snap = Callable[..., bool]

DESIGN_DRAFT = (
    "Requirements: a latency budget per transaction and the business metric.\n"
    "Data: labels arrive late, so train on matured windows."
)


@pytest.fixture(autouse=True)
def frozen(clock: MovableClock) -> None:
    clock.fixed = FIXED_NOW


def _quiet_cursors(pilot: Pilot[None]) -> None:
    """A blinking cursor would make two runs of the same screen differ: show none."""
    for widget in pilot.app.screen.query("TextArea, Input"):
        assert isinstance(widget, TextArea | Input)
        widget.cursor_blink = False
    pilot.app.screen.set_focus(None)


def _drill(services: Services, stage: Stage, answers: list[str]) -> int:
    engine = services.engine
    session_id = engine.start(SessionMode.DRILL, plan_drill(services.catalog, stage, 1))
    engine.advance(session_id)
    for answer in answers:
        engine.submit_answer(session_id, answer)
    return session_id


def _app(make_app: Callable[..., InterviewSimApp], services: Services) -> InterviewSimApp:
    freeze_timestamps(services.settings.db)
    return make_app()


def test_home(snap_compare: Snap, make_app: Any, services: Services) -> None:
    assert snap_compare(_app(make_app, services), terminal_size=(120, 40))


def test_home_small_terminal(snap_compare: Snap, make_app: Any, services: Services) -> None:
    _drill(services, Stage.ML_DEPTH, [])
    assert snap_compare(_app(make_app, services), terminal_size=(80, 24))


def test_drill_dialog(snap_compare: Snap, make_app: Any, services: Services) -> None:
    async def open_dialog(pilot: Pilot[None]) -> None:
        await pilot.press("d")
        await pilot.pause()
        _quiet_cursors(pilot)

    assert snap_compare(_app(make_app, services), terminal_size=(120, 40), run_before=open_dialog)


def _resume_with_draft(clock: MovableClock, minutes: float) -> Callable[[Pilot[None]], Any]:
    """Resume after a day away (which costs nothing), then spend ``minutes`` in the question."""

    async def run(pilot: Pilot[None]) -> None:
        clock.offset = timedelta(days=1)
        await pilot.press("r")
        await settle(pilot)
        clock.advance(minutes=minutes)
        screen = pilot.app.screen
        assert isinstance(screen, InterviewScreen)
        screen.tick()
        pilot.app.screen.query_one("#answer", TextArea).insert(DESIGN_DRAFT)
        _quiet_cursors(pilot)
        await pilot.pause()

    return run


def test_system_design_interview_low_on_time(
    snap_compare: Snap, make_app: Any, services: Services, clock: MovableClock
) -> None:
    _drill(services, Stage.SYSTEM_DESIGN, [])
    app = _app(make_app, services)
    assert snap_compare(app, terminal_size=(120, 40), run_before=_resume_with_draft(clock, 8))


def test_interview_small_terminal_time_up(
    snap_compare: Snap, make_app: Any, services: Services, clock: MovableClock
) -> None:
    _drill(services, Stage.SYSTEM_DESIGN, [])
    app = _app(make_app, services)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_resume_with_draft(clock, 12))


def test_scorecard(snap_compare: Snap, make_app: Any, services: Services) -> None:
    session_id = _drill(
        services,
        Stage.ML_DEPTH,
        [
            "Pre-register the primary metric, the MDE, power, alpha and the sample size. "
            "The p-value is not the probability that the treatment is better. "
            "Peeking inflates false positives, and CUPED variance reduction increases power."
        ],
    )

    async def show(pilot: Pilot[None]) -> None:
        context = pilot.app.context  # type: ignore[attr-defined]
        grades = services.repo.grades(session_id)
        turns = services.repo.turns(session_id)
        await pilot.app.push_screen(ScorecardScreen(context, "Scorecard", grades, turns))
        await pilot.press("m")  # reveal the model answer
        await pilot.pause()

    assert snap_compare(_app(make_app, services), terminal_size=(120, 40), run_before=show)


def test_loop_summary(snap_compare: Snap, make_app: Any, services: Services) -> None:
    session_id = _drill(services, Stage.BEHAVIORAL, ["I led the rollback and wrote the review."])

    async def show(pilot: Pilot[None]) -> None:
        context = pilot.app.context  # type: ignore[attr-defined]
        await pilot.app.push_screen(SummaryScreen(context, session_id))
        await pilot.pause()

    assert snap_compare(_app(make_app, services), terminal_size=(120, 40), run_before=show)


def test_history(snap_compare: Snap, make_app: Any, services: Services) -> None:
    _drill(services, Stage.ML_DEPTH, ["Bias and variance trade off."])
    _drill(services, Stage.ML_DEPTH, ["Regularisation reduces variance at some cost in bias."])
    _drill(services, Stage.BEHAVIORAL, [])

    async def open_history(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        await settle(pilot)
        _quiet_cursors(pilot)

    app = _app(make_app, services)
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_history)


def test_session_detail(snap_compare: Snap, make_app: Any, services: Services) -> None:
    _drill(services, Stage.ML_DEPTH, ["Bias and variance trade off."])

    async def open_detail(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    app = _app(make_app, services)
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_detail)


def test_settings(snap_compare: Snap, make_app: Any, services: Services) -> None:
    async def open_settings(pilot: Pilot[None]) -> None:
        await pilot.press("s")
        await pilot.pause()
        _quiet_cursors(pilot)

    app = _app(make_app, services)
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_settings)


def test_help(snap_compare: Snap, make_app: Any, services: Services) -> None:
    _drill(services, Stage.ML_DEPTH, [])

    async def open_help(pilot: Pilot[None]) -> None:
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)

    app = _app(make_app, services)
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_help)


def test_coding_workspace_after_a_run(
    snap_compare: Snap, make_app: Any, services: Services
) -> None:
    _drill(services, Stage.CODING, [])

    async def run_examples(pilot: Pilot[None]) -> None:
        await pilot.press("r")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, InterviewScreen) and screen.position is not None
        question = screen.position.question
        assert isinstance(question, CodingQuestion)
        code = screen.query_one("#code", TextArea)
        code.load_text(f"def {question.function}(*args):\n    return None\n")
        await pilot.press("f5")
        await settle(pilot)
        _quiet_cursors(pilot)

    app = _app(make_app, services)
    assert snap_compare(app, terminal_size=(120, 40), run_before=run_examples)


def test_scorecard_when_graders_disagree(
    snap_compare: Snap, make_app: Any, services: Services
) -> None:
    """A flagged LLM grade shows the judge's and the offline scorer's levels side by side."""
    session_id = _drill(services, Stage.ML_DEPTH, ["Power, MDE and sample size come first."])
    offline = services.repo.grades(session_id)[0]
    first = offline.scores[0]
    judged = offline.model_copy(
        update={
            "flagged": True,
            "scorer": "llm-judge",
            "model": "test-model",
            # The judge's own score for the first criterion: its level, none of the offline caps.
            "scores": [first.model_copy(update={"level": 3, "capped": ""}), *offline.scores[1:]],
            "cross_checks": [
                CrossCheck(criterion=first.criterion, judge_level=3, offline_level=first.level)
            ],
        }
    )

    async def show(pilot: Pilot[None]) -> None:
        context = pilot.app.context  # type: ignore[attr-defined]
        turns = services.repo.turns(session_id)
        await pilot.app.push_screen(ScorecardScreen(context, "Scorecard", [judged], turns))
        await pilot.pause()

    assert snap_compare(_app(make_app, services), terminal_size=(120, 40), run_before=show)
