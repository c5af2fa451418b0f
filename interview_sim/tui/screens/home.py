"""Home: start a loop or a drill, resume, history, settings; and whether an LLM is in use.

Home is the first thing drawn, so it imports only Textual: the settings, the banks, the database
and the engine load in a worker once it shows, and a key pressed before they are ready runs as
soon as they are. Settings that cannot be read end the app with the CLI's one-line message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from interview_sim.llm.checks import Check, Status
from interview_sim.tui.context import AppContext, LLMCheckRequest
from interview_sim.tui.messages import OpenInterview
from interview_sim.tui.worker_failures import ReportsWorkerFailures

if TYPE_CHECKING:
    from interview_sim.models import SessionSummary
    from interview_sim.services import Services
    from interview_sim.tui.screens.drill_dialog import DrillChoice


class HomeScreen(ReportsWorkerFailures, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "loop", "Full loop", id="home.loop", tooltip="All four stages"),
        Binding("d", "drill", "Drill", id="home.drill", tooltip="One stage, your choice"),
        Binding("r", "resume", "Resume", id="home.resume", tooltip="The latest unfinished"),
        Binding("h", "history", "History", id="home.history"),
        Binding("s", "settings", "Settings", id="home.settings"),
    ]

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self._pending: Callable[[], object] | None = None
        """An action chosen before the services were open; it runs when they are."""
        self._checking: tuple[Worker[list[Check]], LLMCheckRequest] | None = None
        """The endpoint check under way and what it checks; its result is kept in the context."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Center(), Vertical(id="home-panel"):
            yield Label("interview-sim", id="home-title")
            yield Static(
                "Practise the AI/ML engineering loop: coding, ML system design, "
                "ML depth and behavioral. Scores quote your own words.",
                id="home-tagline",
            )
            yield OptionList(id="home-menu")
            yield Static("", id="llm-status")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_menu()
        if self.context.ready:
            self._services_ready()
        else:
            self.call_after_refresh(self._open_services)

    @work(thread=True, exclusive=True, group="open-services", exit_on_error=False)
    def _open_services(self) -> Services:
        """After the first frame: the settings, the banks, the database and the engine, then the
        screens the next keys lead to, so entering an interview does not wait for imports."""
        if not self.context.settings_loaded:
            try:
                self.context.load_settings()
            except Exception as exc:
                self.app.call_from_thread(self._settings_failed, exc)
                raise
            self.app.call_from_thread(self._settings_loaded)
        services = self.context.open()
        import interview_sim.tui.screens.drill_dialog
        import interview_sim.tui.screens.interview  # noqa: F401

        return services

    def _settings_loaded(self) -> None:
        from interview_sim.tui.app import InterviewSimApp

        if isinstance(self.app, InterviewSimApp):
            self.app.apply_settings()
        self.refresh_menu()

    def _settings_failed(self, error: Exception) -> None:
        """As the CLI would: one line on stderr, exit code 2 (or the error's own)."""
        code = getattr(error, "exit_code", 2)
        self.app.exit(return_code=code, message=f"interview-sim: {error}")

    def _services_ready(self) -> None:
        self.refresh_menu()
        self._check_llm_if_due()
        pending, self._pending = self._pending, None
        if pending is not None:
            pending()

    def _when_ready(self, action: Callable[[], object]) -> bool:
        """True when the services are open; otherwise ``action`` is kept for when they are."""
        if self.context.ready:
            return True
        if self.context.setup_error is not None:
            self.notify(self.context.setup_error, title="Cannot open", severity="error")
            return False
        self._pending = action
        self.notify("Opening the question banks and your history…")
        return False

    def _check_llm_if_due(self) -> None:
        """At launch, and when Home shows again after the settings were saved or an interview
        called the endpoint; never twice at once for the same settings."""
        if not self.context.llm_check_due or not self.is_current:
            return  # not while an interview above may be using a one-request local server
        request = self.context.llm_check_request()
        if self._checking is not None and self._checking[1] == request:
            return
        self._checking = (self._check_llm(request), request)
        self.refresh_status()

    @work(thread=True, exclusive=True, group="llm-check", exit_on_error=False)
    def _check_llm(self, request: LLMCheckRequest) -> list[Check]:
        """Off the UI thread: the endpoint may be slow or down, and Home never waits for it."""
        from interview_sim.llm.doctor import run_checks  # openai loads only when it is needed

        return run_checks(request.llm)

    @on(Worker.StateChanged)
    def _opened(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "open-services":
            return
        if event.worker.state == WorkerState.SUCCESS and event.worker.result is not None:
            self.context.services = event.worker.result
            self._services_ready()
        elif event.worker.state == WorkerState.ERROR and self.context.settings_loaded:
            self.context.setup_error = str(event.worker.error) or "cannot open the services"
            self._pending = None
            self.refresh_menu()
            self.notify(self.context.setup_error, title="Cannot open", severity="error")

    @on(Worker.StateChanged)
    def _llm_checked(self, event: Worker.StateChanged) -> None:
        if self._checking is None or event.worker is not self._checking[0]:
            return  # another group's worker, or a check a newer one replaced
        request = self._checking[1]
        if event.worker.state == WorkerState.SUCCESS and isinstance(event.worker.result, list):
            self.context.llm_checked(request, event.worker.result)
        elif event.worker.state == WorkerState.ERROR:
            failed = Check("endpoint", Status.FAIL, str(event.worker.error) or "check failed")
            self.context.llm_checked(request, [failed])
        else:
            return
        self._checking = None
        self.refresh_status()
        self._check_llm_if_due()  # the state may have changed again while this one ran

    def on_screen_resume(self) -> None:
        self.refresh_menu()
        self._check_llm_if_due()

    def refresh_menu(self) -> None:
        """Rebuilt whenever the screen shows again: a finished interview changes what resumes."""
        length = "four stages"
        if self.context.settings_loaded:
            from interview_sim.models import LOOP_ORDER

            settings = self.context.settings
            minutes = sum(settings.minutes_per_stage.get(s, 30) for s in LOOP_ORDER)
            length = f"four stages, about {minutes} minutes"
        unfinished = self.context.unfinished()
        menu = self.query_one("#home-menu", OptionList)
        menu.clear_options()
        menu.add_options(
            [
                Option(
                    f"[b]Start a full loop[/b]  [dim]l[/]\n  {length}",
                    id="loop",
                ),
                Option(
                    "[b]Drill a stage[/b]  [dim]d[/]\n  pick stage, difficulty, count", id="drill"
                ),
                Option(
                    f"[b]Resume[/b]  [dim]r[/]\n  {self._resume_text(unfinished)}",
                    id="resume",
                    disabled=self.context.ready and not unfinished,
                ),
                Option("[b]History[/b]  [dim]h[/]\n  past sessions and score trends", id="history"),
                Option(
                    "[b]Settings[/b]  [dim]s[/]\n  LLM endpoint, timers, questions", id="settings"
                ),
            ]
        )
        menu.highlighted = 0
        self.refresh_status()

    def refresh_status(self) -> None:
        """The line under the menu: reading settings, why the services cannot open, or the LLM
        in use and what its last check found. Redrawn alone so a check never moves the cursor."""
        status = self.query_one("#llm-status", Static)
        if not self.context.settings_loaded:
            status.update("Reading your settings…")
            return
        status.update(self.context.setup_error or self.context.llm_status())
        status.set_class(self.context.llm_down, "-offline")

    def _resume_text(self, unfinished: list[SessionSummary]) -> str:
        if not self.context.ready:
            return "reading your sessions…"
        if not unfinished:
            return "no unfinished session"
        from interview_sim.tui.present import STAGE_LABELS

        latest = unfinished[0]
        planned = list(dict.fromkeys(p.stage for p in latest.plan))
        # Every stage named in full is wider than the menu: the line wrapped under "Resume".
        stages = (
            "all four stages"
            if len(planned) == len(STAGE_LABELS)
            else ", ".join(STAGE_LABELS[s] for s in planned)
        )
        more = f" (+{len(unfinished) - 1} more)" if len(unfinished) > 1 else ""
        return f"session {latest.id}: {latest.mode.value}, {stages}{more}"

    @on(OptionList.OptionSelected, "#home-menu")
    async def _chosen(self, event: OptionList.OptionSelected) -> None:
        await self.run_action(str(event.option.id))

    def action_loop(self) -> None:
        if not self._when_ready(self.action_loop):
            return
        from interview_sim.engine.engine import EngineError
        from interview_sim.engine.planner import PlanError

        try:
            session_id = self.context.start_loop()
        except (PlanError, EngineError) as exc:
            self.notify(str(exc), title="Cannot start the loop", severity="error")
            return
        self.post_message(OpenInterview(session_id))

    def action_drill(self) -> None:
        if not self._when_ready(self.action_drill):
            return
        from interview_sim.tui.screens.drill_dialog import DrillDialog

        self.app.push_screen(
            DrillDialog(dict(self.context.settings.questions_per_stage)), self._start_drill
        )

    def _start_drill(self, choice: DrillChoice | None) -> None:
        if choice is None:
            return
        self.start_drill(choice)

    def start_drill(self, choice: DrillChoice) -> None:
        from interview_sim.engine.engine import EngineError
        from interview_sim.engine.planner import PlanError

        try:
            session_id = self.context.start_drill(choice.stage, choice.difficulty, choice.count)
        except (PlanError, EngineError) as exc:
            self.notify(str(exc), title="Cannot start the drill", severity="error")
            return
        self.post_message(OpenInterview(session_id))

    def action_resume(self) -> None:
        if not self._when_ready(self.action_resume):
            return
        unfinished = self.context.unfinished()
        if not unfinished:
            self.notify("There is no unfinished session to resume.")
            return
        self.post_message(OpenInterview(unfinished[0].id))

    def action_history(self) -> None:
        if not self._when_ready(self.action_history):
            return
        from interview_sim.tui.screens.history import HistoryScreen  # loaded on first use

        self.app.push_screen(HistoryScreen(self.context))

    def action_settings(self) -> None:
        if not self._when_ready(self.action_settings):
            return
        from interview_sim.tui.screens.settings import SettingsScreen  # loaded on first use

        self.app.push_screen(SettingsScreen(self.context))
