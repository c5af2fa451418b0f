"""With Pilot: `a` on a scorecard answers the question again and shows the change per criterion."""

from __future__ import annotations

from textual.widgets import Markdown, TextArea

from interview_sim.services import Services
from interview_sim.tui import create_app
from interview_sim.tui.screens.interview import InterviewScreen
from interview_sim.tui.screens.scorecard import ScorecardScreen
from interview_sim.tui.screens.summary import SummaryScreen
from tests.test_attempts import STRONG, WEAK
from tests.tui.conftest import MovableClock, settle
from tests.tui.test_clock import _drill, _resume


async def test_answer_again_from_the_scorecard(services: Services, clock: MovableClock) -> None:
    first = _drill(services, 1)
    app = create_app(services, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _resume(pilot)
        question = screen.position.question.id if screen.position else ""
        screen.query_one("#answer", TextArea).insert(WEAK)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ScorecardScreen) and app.screen.again

        await pilot.press("a")
        await settle(pilot)

        retry = app.screen
        assert isinstance(retry, InterviewScreen) and retry.session_id != first
        assert retry.position is not None and retry.position.question.id == question
        retry.query_one("#answer", TextArea).insert(STRONG)
        await pilot.press("ctrl+s")
        await settle(pilot)
        card = app.screen
        assert isinstance(card, ScorecardScreen)
        assert card.preface is not None and f"session {first}" in card.preface
        assert "Against your previous attempt" in card.query_one("#scorecard", Markdown).source
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
    [planned] = services.repo.get_session(retry.session_id).plan  # type: ignore[union-attr]
    assert planned.retry_of == first
    assert len(services.repo.grades(first)) == 1  # the first attempt is unchanged
