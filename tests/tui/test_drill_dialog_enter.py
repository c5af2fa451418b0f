"""Enter in the drill dialog's count field starts the drill, as Enter does in a form."""

from __future__ import annotations

from textual.widgets import Input

from interview_sim.services import Services
from interview_sim.tui.screens.interview import InterviewScreen
from tests.tui.conftest import settle
from tests.tui.test_flows import AnswerApp


async def test_enter_in_the_count_field_starts_the_drill(
    make_app: AnswerApp, services: Services
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        count = app.screen.query_one("#drill-count", Input)
        count.focus()
        count.value = "1"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
    assert len(services.repo.list_sessions()) == 1
