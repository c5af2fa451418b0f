"""The Textual app: wires the context, keymap and command palette; screens do the rest."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from interview_sim.errors import InterviewSimError
from interview_sim.logs import log_file, setup_logging
from interview_sim.tui.context import AppContext
from interview_sim.tui.messages import OpenInterview, WorkerFailed
from interview_sim.tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from interview_sim.config import Settings
    from interview_sim.services import Services
    from interview_sim.tui.timing import Clock


_log = logging.getLogger(__name__)


class InterviewSimApp(App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "interview-sim"
    SUB_TITLE = "AI/ML interview practice"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Keys", id="app.help", tooltip="List every key on this screen"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", tooltip="Submitted answers are kept"),
    ]

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context

    def on_mount(self) -> None:
        setup_logging()
        if self.context.settings_loaded:
            self.apply_settings()
        self.push_screen(HomeScreen(self.context))

    def apply_settings(self) -> None:
        """The user's key bindings; home calls this once the settings have loaded."""
        self.set_keymap(self.context.settings.ui.keys)

    def on_worker_failed(self, message: WorkerFailed) -> None:
        """Every failed worker is logged with its traceback, once (``ReportsWorkerFailures``
        posts this for the screens and widgets that run workers). The screen that ran it still
        says what did not work; an error no user action explains also says where the log is."""
        error = message.error
        where = f"{message.owner} worker {message.name or message.group!r}"
        if isinstance(error, InterviewSimError):
            _log.warning("%s failed: %s", where, error, exc_info=error)
            return
        _log.error("%s failed", where, exc_info=error)
        path = log_file()
        if path is None:
            return
        from interview_sim.tui.present import short_path

        self.notify(
            f"{type(error).__name__} in the background. The traceback is in {short_path(path)}",
            title="Unexpected error",
            severity="error",
            timeout=15,
        )

    async def on_open_interview(self, message: OpenInterview) -> None:
        """Whatever screen asked, the interview opens straight above home. It may call the
        endpoint, so what home says about the LLM is checked again when home shows next."""
        from interview_sim.tui.screens.interview import InterviewScreen  # loaded on first use

        while len(self.screen_stack) > 2 and not isinstance(self.screen, HomeScreen):
            await self.pop_screen()
        await self.push_screen(InterviewScreen(self.context, message.session_id))
        # Only now: home shows for a moment while the screens above it pop, and a check due
        # then would call the endpoint beside the interview's first follow-up (a local server
        # with one slot makes one of them wait or fail).
        self.context.recheck_llm()

    async def action_quit(self) -> None:
        """Submitted answers are already stored; an unsubmitted draft needs a second ctrl+q."""
        from interview_sim.tui.screens.interview import InterviewScreen

        screen = self.screen
        if isinstance(screen, InterviewScreen) and screen.draft_at_risk():
            return
        await super().action_quit()

    def action_help(self) -> None:
        from interview_sim.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        # Every key the footer shows, and the app's own keys it leaves off for room (F8's
        # custom input): anything with a binding id can be rebound, so F1 lists it. Textual's
        # editing keys (no id) stay out.
        bindings = [
            b for b in self.screen.active_bindings.values() if b.binding.show or b.binding.id
        ]
        self.push_screen(HelpScreen(bindings))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The current screen's actions first, then Textual's own (theme, quit, screenshot)."""
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not active.enabled or active.node is self:
                continue
            yield SystemCommand(
                binding.description,
                binding.tooltip or f"{binding.description} ({self.get_key_display(binding)})",
                partial(self.run_action, binding.action, active.node),
            )
        yield from super().get_system_commands(screen)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def create_app(
    source: Services | Settings | Callable[[], Settings],
    *,
    clock: Clock = _utcnow,
    config_path: Path | None = None,
) -> InterviewSimApp:
    """The one factory the CLI and the tests use; nothing runs at import time.

    Given a function that loads the settings (the CLI), the home screen is drawn first and the
    settings, banks, database and engine load in a worker; given settings, only the services
    do; given services already open (most tests), they are used at once.
    """
    if callable(source):
        return InterviewSimApp(AppContext(source, clock, config_path))
    from interview_sim.services import Services

    if isinstance(source, Services):
        return InterviewSimApp(AppContext(source.settings, clock, config_path, services=source))
    return InterviewSimApp(AppContext(source, clock, config_path))
