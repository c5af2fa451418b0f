"""The time-up banner speaks only about the question and stage on screen, and the clock only
about time the candidate spent in it.

A tick of the clock while the last answer of an over-time stage was being graded put the
banner back ("Stage time is up...") and nothing took it down again: the next stage opened with
a fresh clock under a banner saying its time was up.
"""

from __future__ import annotations

from textual.widgets import Static, TextArea

from interview_sim.banks import Catalog
from interview_sim.config import Settings
from interview_sim.engine import plan_drill
from interview_sim.models import SessionMode, Stage
from interview_sim.services import Services, open_services
from interview_sim.tui import create_app
from interview_sim.tui.screens.home import HomeScreen
from interview_sim.tui.screens.interview import InterviewScreen
from interview_sim.tui.screens.interview.time_up import STAGE_OVER, TimeUpBanner
from interview_sim.tui.screens.scorecard import ScorecardScreen
from tests.tui.conftest import MovableClock, settle


def _two_stage_session(services: Services) -> int:
    plan = [
        *plan_drill(services.catalog, Stage.ML_DEPTH, 1),
        *plan_drill(services.catalog, Stage.BEHAVIORAL, 1),
    ]
    engine = services.engine
    sid = engine.start(SessionMode.LOOP, plan)
    engine.advance(sid)
    engine.pause_clock(sid)
    return sid


def _banner(screen: InterviewScreen) -> Static:
    return screen.query_one("#time-up", Static)


async def test_the_next_stage_does_not_open_under_the_last_stages_banner(
    services: Services, clock: MovableClock
) -> None:
    _two_stage_session(services)
    app = create_app(services, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        clock.advance(minutes=11)  # the 10-minute ML depth stage is over
        screen.tick()
        assert _banner(screen).has_class("-visible")
        assert STAGE_OVER in str(_banner(screen).render())

        screen.query_one("#answer", TextArea).insert("Leakage is training-time information.")
        await pilot.press("ctrl+s")  # stores the answer and closes the stage
        await settle(pilot)
        assert isinstance(pilot.app.screen, ScorecardScreen)
        await pilot.press("enter")
        await settle(pilot)
        shown: object = pilot.app.screen
        assert shown is screen and screen.position is not None
        assert screen.position.planned.stage == Stage.BEHAVIORAL

        # What a tick during the grading did: the old stage's banner raised again.
        screen.query_one(TimeUpBanner).warn("stage:ml_depth", STAGE_OVER)
        screen.tick()
        assert not _banner(screen).has_class("-visible")
        assert "over" not in str(screen.query_one("#stage-clock", Static).render())


async def test_resuming_a_crashed_session_the_next_day_costs_only_the_time_before_the_crash(
    settings: Settings, catalog: Catalog, clock: MovableClock
) -> None:
    crashed = open_services(settings, use_llm=False, catalog=catalog)  # the killed process
    engine = crashed.engine
    engine.clock = clock
    sid = engine.start(SessionMode.DRILL, plan_drill(catalog, Stage.ML_DEPTH, 1))
    engine.advance(sid)
    for _ in range(8):  # two minutes in the question, beaten every 15 s, then kill -9
        clock.advance(seconds=15)
        engine.beat_clock(sid)
    clock.advance(days=1)

    app = create_app(open_services(settings, use_llm=False, catalog=catalog), clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, InterviewScreen)
        screen.tick()
        shown = str(screen.query_one("#stage-clock", Static).render())
        assert shown in ("Stage 08:00", "Stage 07:59", "Stage 07:58"), shown  # 2 of 10 min used
        assert not _banner(screen).has_class("-visible")


async def test_a_questions_countdown_never_promises_more_than_the_stage_has_left(
    services: Services, clock: MovableClock
) -> None:
    engine = services.engine
    engine.clock = clock
    sid = engine.start(SessionMode.DRILL, plan_drill(services.catalog, Stage.ML_DEPTH, 2))
    engine.advance(sid)
    clock.advance(minutes=8)  # the first question takes 8 of the stage's 10 minutes
    engine.submit_answer(sid, "Leakage is training-time information absent at serving time.")
    engine.pause_clock(sid)

    app = create_app(services, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, InterviewScreen)
        screen.tick()
        question = str(screen.query_one("#question-clock", Static).render())
        stage = str(screen.query_one("#stage-clock", Static).render())
    # The even share is 5 minutes, but only 2 are left in the stage. The clocks read the wall
    # clock between ticks, so a loaded machine may show a few seconds less than 02:00.
    left = {name: _seconds(text, name) for name, text in (("Stage", stage), ("Question", question))}
    assert 90 <= left["Stage"] <= 120, stage
    assert 90 <= left["Question"] <= left["Stage"] + 1, (question, stage)


def _seconds(shown: str, label: str) -> int:
    """``Stage 01:58`` -> 118."""
    assert shown.startswith(f"{label} "), shown
    minutes, seconds = shown.removeprefix(f"{label} ").split(":")
    return int(minutes) * 60 + int(seconds)
