"""Settings reach the config file and the engine; keys have ids, rebind, and are listed."""

from __future__ import annotations

from collections.abc import Callable

import yaml
from textual.widgets import DataTable, Input

from interview_sim.models import Stage, TurnKind
from interview_sim.paths import default_config_file
from interview_sim.services import Services
from interview_sim.tui import InterviewSimApp, create_app
from interview_sim.tui.screens.help import HelpScreen
from interview_sim.tui.screens.home import HomeScreen
from interview_sim.tui.screens.interview import InterviewScreen
from interview_sim.tui.screens.settings import SettingsScreen
from tests.tui.conftest import MovableClock, settle


async def test_settings_are_saved_and_used(
    make_app: Callable[..., InterviewSimApp], services: Services
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#minutes-ml_depth", Input).value = "25"
        app.screen.query_one("#llm-model", Input).value = "local-model"
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one("#questions-coding", Input).value = "0"
        await pilot.press("ctrl+s")  # refused: out of range, nothing written
        await pilot.pause()
        assert any("questions coding" in n.message for n in app._notifications)
        assert app.context.services.engine.stage_minutes[Stage.ML_DEPTH] == 25
    saved = yaml.safe_load(default_config_file().read_text())
    # The per-stage mapping is written whole: the other stages as the form showed them (10 here).
    minutes = {"coding": 10, "system_design": 10, "ml_depth": 25, "behavioral": 10}
    assert saved == {"minutes_per_stage": minutes, "llm": {"model": "local-model"}}


async def test_keys_rebind_from_config_and_show_in_help(
    services: Services, clock: MovableClock
) -> None:
    rebound = services.settings.model_copy(
        update={"ui": services.settings.ui.model_copy(update={"keys": {"home.drill": "g"}})}
    )
    app = create_app(
        Services(rebound, services.catalog, services.repo, services.engine), clock=clock
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("d")  # no longer bound
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        palette = {c.title: c for c in app.get_system_commands(screen)}
        assert {"Submit", "Hint", "Skip", "End stage"} <= set(palette)
        await palette["Hint"].callback()  # the palette runs the screen's own action
        await settle(pilot)
        hints = [t for t in services.repo.turns(screen.session_id) if t.kind == TurnKind.HINT]
        assert len(hints) == 1
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        ids = {str(table.get_row_at(i)[2]) for i in range(table.row_count)}
        assert {"interview.submit", "interview.hint", "interview.skip"} <= ids
        assert all(ids), "every listed binding has an id"
