"""What Settings says about the LLM is true: the API key line follows the rule that decides
offline mode, the header says where settings will be saved, and test results come into view.

Endpoints are the scripted server on 127.0.0.1, reached through the real ``openai`` client.
"""

from __future__ import annotations

from pydantic import SecretStr
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from interview_sim.banks import Catalog
from interview_sim.config import LLMSettings, Settings
from interview_sim.llm.local_server import LocalServer, with_local_server
from interview_sim.services import open_services
from interview_sim.tui import create_app
from interview_sim.tui.screens.settings import SettingsScreen, key_state
from tests.llm_server import FakeLLMServer, llm_settings, serving
from tests.tui.conftest import MovableClock, settle


def test_the_key_line_says_what_the_offline_rule_says() -> None:
    no_key = LLMSettings()
    assert key_state(no_key) == "not set (offline mode)"
    assert not no_key.configured
    endpoint = LLMSettings(base_url="http://127.0.0.1:8080/v1")
    assert endpoint.configured
    assert key_state(endpoint) == "not sent: this endpoint is called without one"
    assert key_state(LLMSettings(api_key=SecretStr("sk-test"))) == "set"


async def test_settings_with_a_local_model_do_not_claim_offline_mode(
    settings: Settings, catalog: Catalog, clock: MovableClock
) -> None:
    """``--local-model`` drops the key (even one from OPENAI_API_KEY) and points at its server:
    the LLM is in use, so the key line must not say offline, until the endpoint is cleared."""
    with serving(FakeLLMServer()) as server:
        keyed = settings.model_copy(update={"llm": llm_settings("http://127.0.0.1:1/v1")})
        local = with_local_server(keyed, LocalServer(server.url, "test-model"))
        app = create_app(open_services(local, catalog=catalog), clock=clock)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            home_status = str(app.screen.query_one("#llm-status", Static).render())
            assert "· reachable (checked" in home_status
            await pilot.press("s")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, SettingsScreen)
            key_line = screen.query_one("#llm-key-state", Static)
            assert str(key_line.render()) == "not sent: this endpoint is called without one"
            screen.query_one("#llm-base-url", Input).value = ""
            await pilot.pause()
            assert str(key_line.render()) == "not set (offline mode)"


async def test_the_header_says_where_settings_will_be_saved_until_they_are(
    settings: Settings, catalog: Catalog, clock: MovableClock
) -> None:
    app = create_app(open_services(settings, use_llm=False, catalog=catalog), clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        assert not app.context.config_path.exists()
        place = screen.query_one("#save-place", Static)
        assert str(place.render()).startswith("Will be saved to ")
        screen.query_one("#follow-ups", Input).value = "2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.context.config_path.exists()
        assert str(place.render()).startswith("Saved to ")


async def test_connection_results_scroll_into_view(
    settings: Settings, catalog: Catalog, clock: MovableClock
) -> None:
    """At 120x36 the results sit below the fold, under the buttons."""
    with serving(FakeLLMServer()) as server:
        chosen = settings.model_copy(update={"llm": llm_settings(server.url)})
        app = create_app(open_services(chosen, catalog=catalog), clock=clock)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            await pilot.press("s")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, SettingsScreen)
            form = screen.query_one("#settings-form", VerticalScroll)
            assert form.scroll_y == 0
            await pilot.press("ctrl+t")
            await settle(pilot)
            results = screen.query_one("#test-results", Static)
            assert "streaming works" in str(results.render())
            assert form.scroll_y > 0
            assert form.region.contains_region(results.region)
