"""What Home says about the LLM is the last known state, with when it was checked: checked
again after the settings are saved and after an interview, and never waited for.

Every endpoint here is the scripted server on 127.0.0.1 (or a port nothing listens on), reached
through the real ``openai`` client.
"""

from __future__ import annotations

import asyncio
import contextlib

from textual.widgets import Input, Static, TextArea

from interview_sim.banks import Catalog
from interview_sim.config import LLMSettings, Settings
from interview_sim.services import open_services
from interview_sim.tui import InterviewSimApp, create_app
from interview_sim.tui.screens.home import HomeScreen
from interview_sim.tui.screens.interview import InterviewScreen
from interview_sim.tui.screens.settings import SettingsScreen
from tests.llm_server import FakeLLMServer, Reply, closed_port_url, llm_settings, serving
from tests.tui.conftest import MovableClock, settle


def _status(app: InterviewSimApp) -> str:
    assert isinstance(app.screen, HomeScreen)
    return str(app.screen.query_one("#llm-status", Static).render())


def _llm_app(
    settings: Settings, catalog: Catalog, llm: LLMSettings, clock: MovableClock
) -> InterviewSimApp:
    chosen = settings.model_copy(update={"llm": llm, "follow_up_limit": 1})
    return create_app(open_services(chosen, use_llm=True, catalog=catalog), clock=clock)


async def test_saving_settings_checks_the_new_endpoint_again(
    settings: Settings, catalog: Catalog, clock: MovableClock
) -> None:
    dead = closed_port_url()
    app = _llm_app(settings, catalog, llm_settings(dead), clock)
    with serving(FakeLLMServer()) as live:
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            assert "not reachable" in _status(app)
            assert "offline fallback in use" in _status(app)
            assert f"checked {clock():%H:%M} UTC" in _status(app)

            await pilot.press("s")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, SettingsScreen)
            screen.query_one("#llm-base-url", Input).value = live.url
            await pilot.press("ctrl+t")
            await settle(pilot)
            assert "reached" in str(screen.query_one("#test-results", Static).render())

            checked_before = len(live.requests)
            await pilot.press("ctrl+s")
            await pilot.press("escape")
            await settle(pilot)
            status = _status(app)
            assert f"at {live.url} · reachable (checked" in status
            assert "not reachable" not in status
            assert len(live.requests) > checked_before  # Home asked the new endpoint itself
            assert not app.screen.query_one("#llm-status").has_class("-offline")


async def test_home_follows_an_endpoint_that_died_during_an_interview(
    settings: Settings, catalog: Catalog, clock: MovableClock
) -> None:
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(serving(FakeLLMServer()))
        app = _llm_app(settings, catalog, llm_settings(server.url), clock)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert "· reachable (checked" in _status(app)

            await pilot.press("d")
            await pilot.pause()
            await pilot.press("ctrl+s")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, InterviewScreen)
            # The server dies mid-interview; stopping it waits for its thread, so off the
            # app's event loop.
            await asyncio.to_thread(stack.close)
            screen.query_one("#answer", TextArea).insert("Adam adapts the step size per weight.")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert any("could not be reached" in n.message for n in app._notifications)

            clock.advance(minutes=7)
            await pilot.press("escape")
            await settle(pilot)
            status = _status(app)
            assert "not reachable" in status and "offline fallback in use" in status
            assert f"checked {clock():%H:%M} UTC" in status
            assert app.screen.query_one("#llm-status").has_class("-offline")


async def test_a_running_check_keeps_the_last_known_state_on_screen(
    settings: Settings, catalog: Catalog, clock: MovableClock
) -> None:
    """Back from an interview, the old verdict stays, marked as being checked again, until the
    new check answers; Home does not wait for it."""
    with serving(FakeLLMServer()) as server:
        app = _llm_app(settings, catalog, llm_settings(server.url, timeout=5), clock)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("d")
            await pilot.pause()
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, InterviewScreen)
            server.script(Reply(delay=2.0))  # the re-check's tiny chat call is slow
            await pilot.press("escape")
            await pilot.pause()
            status = _status(app)
            assert "· reachable (checked" in status and status.endswith("· checking again…")
            await settle(pilot)
            assert not _status(app).endswith("checking again…")
