"""Start-up: home is drawn before the banks and the database open, and keys wait for them."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from interview_sim.config import ConfigError, Settings, load_settings
from interview_sim.services import Services
from interview_sim.tui import create_app
from interview_sim.tui.context import AppContext
from interview_sim.tui.screens.history import HistoryScreen
from interview_sim.tui.screens.home import HomeScreen
from tests.tui.conftest import settle


async def test_home_first_then_services_and_a_key_pressed_early_runs_once_they_open(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real_open = AppContext.open

    def held_open(self: AppContext) -> Services:
        """The real services, after the test has looked at home without them."""
        release.wait(timeout=30)
        return real_open(self)

    monkeypatch.setattr(AppContext, "open", held_open)
    app = create_app(lambda: settings)  # as the CLI does: the app reads the settings
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert not app.context.ready
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen), "history needs the services"
        release.set()
        await settle(pilot)
        assert app.context.ready
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.query_one(DataTable).row_count == 0


async def test_a_database_that_cannot_open_is_shown_on_home(tmp_path: Path) -> None:
    folder = tmp_path / "not-a-file.db"
    folder.mkdir()
    app = create_app(load_settings(None, db=str(folder)))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.context.setup_error is not None
        status = str(app.screen.query_one("#llm-status", Static).content)
        assert status == app.context.setup_error
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_settings_that_cannot_be_read_end_the_app_as_the_cli_would(tmp_path: Path) -> None:
    bad = tmp_path / "config.yaml"
    bad.write_text("questions_per_stage: [1, 2\n", encoding="utf-8")
    app = create_app(lambda: load_settings(bad))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
    assert app.return_code == ConfigError.exit_code
    assert app.context.setup_error is None
