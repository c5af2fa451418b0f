"""F1 lists every key of the screen the app defines, as the README says ("f1 lists them all"):
F8 (try your own input) on a coding question was left out because the footer leaves it off for
room."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Select

from interview_sim.models import Stage
from interview_sim.tui import InterviewSimApp
from interview_sim.tui.screens.help import HelpScreen
from interview_sim.tui.screens.interview import InterviewScreen
from tests.tui.conftest import settle


async def _help_ids(app: InterviewSimApp) -> set[str]:
    screen = app.screen
    assert isinstance(screen, HelpScreen)
    return {b.binding.id for b in screen.listed if b.binding.id}


async def test_f1_lists_the_coding_keys_the_footer_leaves_off(
    make_app: Callable[..., InterviewSimApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        app.screen.query_one("#drill-stage", Select).value = Stage.CODING
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        await pilot.press("f1")
        await pilot.pause()
        ids = await _help_ids(app)
        assert {"coding.custom-input", "interview.submit", "interview.run"} <= ids
        listed = app.screen
        assert isinstance(listed, HelpScreen)
        assert all(b.binding.id or b.binding.show for b in listed.listed)  # no editing keys
