"""A worker that crashes leaves a logged traceback, and the user is told where the log is."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from interview_sim.logs import log_file
from interview_sim.services import Services
from interview_sim.store.errors import StoreError
from interview_sim.tui import create_app
from interview_sim.tui.screens.history import HistoryScreen
from tests.tui.conftest import MovableClock, settle


def _crash() -> int:
    raise ZeroDivisionError("history count went wrong")


async def _logged(pilot: Pilot[None], needle: str) -> str:
    """The log's text once ``needle`` is in it: a loaded machine may run the worker late."""
    path = log_file()
    assert path is not None
    for _ in range(200):
        if path.exists() and needle in (text := path.read_text(encoding="utf-8")):
            return text
        await pilot.pause(0.05)
    raise AssertionError(f"{needle!r} never reached {path}")


async def test_a_crashing_worker_leaves_its_traceback_in_the_log(
    services: Services, clock: MovableClock, isolated_home: Path
) -> None:
    services.repo.session_count = _crash  # type: ignore[method-assign]
    app = create_app(services, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        path = log_file()
        assert path is not None and path.is_relative_to(isolated_home), path
        text = await _logged(pilot, "HistoryScreen worker '_load' failed")
        assert "ERROR interview_sim.tui.app" in text
        assert "Traceback (most recent call last)" in text
        assert "in _crash" in text and "ZeroDivisionError: history count went wrong" in text
        told = [n.message for n in app._notifications if n.title == "Unexpected error"]
        assert told == [
            "ZeroDivisionError in the background. The traceback is in"
            " ~/.local/state/interview-sim/log/interview-sim.log"
        ]


async def test_an_error_the_user_can_fix_is_logged_without_the_log_notice(
    services: Services, clock: MovableClock
) -> None:
    """A store error is explained by the screen that ran the worker; the log keeps it too."""

    def unavailable() -> int:
        raise StoreError("database is locked")

    services.repo.session_count = unavailable  # type: ignore[method-assign]
    app = create_app(services, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        text = await _logged(pilot, "HistoryScreen worker '_load' failed: database is locked")
        assert "WARNING interview_sim.tui.app" in text
        assert not [n for n in app._notifications if n.title == "Unexpected error"]
