"""The interview clock with Pilot: only time in a question counts; keys act on what is asked."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Static, TextArea

from interview_sim.banks import Catalog
from interview_sim.config import Settings
from interview_sim.engine import plan_drill
from interview_sim.models import SessionMode, Stage, TurnKind
from interview_sim.services import Services, open_services
from interview_sim.tui import create_app
from interview_sim.tui.screens.home import HomeScreen
from interview_sim.tui.screens.interview import InterviewScreen
from interview_sim.tui.screens.scorecard import ScorecardScreen
from interview_sim.tui.widgets import ChatBubble, ChatLog
from tests.tui.conftest import MovableClock, settle


def _drill(services: Services, count: int) -> int:
    engine = services.engine
    sid = engine.start(SessionMode.DRILL, plan_drill(services.catalog, Stage.ML_DEPTH, count))
    engine.advance(sid)
    engine.pause_clock(sid)  # the candidate closed the app right after seeing the question
    return sid


def _stage_clock(screen: InterviewScreen) -> str:
    return str(screen.query_one("#stage-clock", Static).render())


async def _resume(pilot: Pilot[None]) -> InterviewScreen:
    await settle(pilot)
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("r")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, InterviewScreen)
    screen.tick()
    return screen


async def test_breaks_away_from_the_app_cost_no_stage_time(
    services: Services, clock: MovableClock
) -> None:
    sid = _drill(services, 1)
    clock.advance(days=1)  # the next day
    app = create_app(services, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _resume(pilot)
        assert _stage_clock(screen).startswith("Stage 09:5") or "10:00" in _stage_clock(screen)
        clock.advance(minutes=3)
        screen.tick()
        assert "Stage 06:5" in _stage_clock(screen) or "Stage 07:00" in _stage_clock(screen)

        await pilot.press("escape")  # home for a long break
        await settle(pilot)
        clock.advance(hours=5)
        screen = await _resume(pilot)
        assert "Stage 06:5" in _stage_clock(screen) or "Stage 07:00" in _stage_clock(screen)
        assert not screen.query_one("#time-up", Static).has_class("-visible")

        screen.query_one("#answer", TextArea).insert("Leakage is training-time information.")
        await pilot.press("ctrl+s")
        await settle(pilot)

    [grade] = services.repo.grades(sid)
    assert not grade.skipped  # answered and graded, not closed by a clock that ran overnight
    used = services.engine.time(sid).stage(Stage.ML_DEPTH)
    assert used is not None and 180 <= used.time_used_seconds < 200


async def test_the_clock_stops_while_a_scorecard_is_open(
    services: Services, clock: MovableClock
) -> None:
    sid = _drill(services, 2)
    app = create_app(services, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _resume(pilot)
        screen.query_one("#answer", TextArea).insert("Leakage is training-time information.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ScorecardScreen)
        assert app.screen.title_text.startswith("Scorecard · time used 00:0")
        clock.advance(minutes=30)  # reading the scorecard for half an hour
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        screen.tick()
        assert "over" not in _stage_clock(screen)
        assert not screen.query_one("#time-up", Static).has_class("-visible")
    used = services.engine.time(sid).stage(Stage.ML_DEPTH)
    assert used is not None and used.time_used_seconds < 60


async def test_hint_and_repeat_act_on_the_pending_follow_up(
    settings: Settings, catalog: Catalog, clock: MovableClock
) -> None:
    services = open_services(
        settings.model_copy(update={"follow_up_limit": 1}), use_llm=False, catalog=catalog
    )
    sid = _drill(services, 1)
    app = create_app(services, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _resume(pilot)
        screen.query_one("#answer", TextArea).insert("A short first answer.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [follow_up] = [t for t in services.repo.turns(sid) if t.kind == TurnKind.FOLLOW_UP]

        await pilot.press("ctrl+r")
        await pilot.pause()
        last = list(screen.query_one(ChatLog).query(ChatBubble))[-1]
        assert follow_up.text in last.entry.body

        await pilot.press("ctrl+t")
        await settle(pilot)
    [hint] = [t for t in services.repo.turns(sid) if t.kind == TurnKind.HINT]
    assert hint.criterion == follow_up.criterion
    question = catalog.questions[follow_up.question_id]
    assert hint.text not in question.hints


async def test_quitting_stops_the_clock(services: Services, clock: MovableClock) -> None:
    sid = _drill(services, 1)
    app = create_app(services, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await _resume(pilot)
        clock.advance(seconds=20)
        await pilot.press("ctrl+q")
        await pilot.pause()
    spans = services.repo.time_spans(sid)
    assert spans and all(s.closed_at is not None for s in spans)
