"""What every screen needs from outside the UI: the core services, the clock and the config file.

Screens receive this object instead of reaching for the app, so each screen can be built and
tested on its own, and there is no global state.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from interview_sim.config import Settings
from interview_sim.llm.checks import Check, Status
from interview_sim.models import Difficulty, SessionMode, SessionStatus, SessionSummary, Stage

if TYPE_CHECKING:  # the engine and SQLAlchemy load in the worker that opens the services
    from interview_sim.progress.models import RecommendedDrill
    from interview_sim.services import Services
    from interview_sim.tui.timing import Clock

RECENT_SESSIONS = 20
"""Questions from this many recent sessions are planned last, as the CLI does."""


class AppContext:
    """The services open after the home screen is drawn (see :meth:`open`); until then only
    the settings are known, and :attr:`ready` is False."""

    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        config_path: Path,
        services: Services | None = None,
    ) -> None:
        self._settings = settings
        self._services = services
        self.clock = clock
        self.config_path = config_path
        self.llm_checks: list[Check] | None = None
        """The endpoint check from this launch (run once, in a worker); None until it has run."""
        self.setup_error: str | None = None
        """Why the services could not be opened (bad banks, unreadable database)."""

    @property
    def ready(self) -> bool:
        return self._services is not None

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("the services are still opening; check AppContext.ready first")
        return self._services

    @services.setter
    def services(self, services: Services) -> None:
        self._services = services

    @property
    def settings(self) -> Settings:
        return self._services.settings if self._services is not None else self._settings

    def open(self) -> Services:
        """Open the catalog, database and engine: slow, so called from a worker thread. The
        caller stores the result in :attr:`services` on the UI thread."""
        if self._services is not None:
            return self._services
        from interview_sim.services import open_services

        return open_services(self._settings)

    def reopen(self, settings: Settings) -> None:
        """Rebuild the engine after the settings screen saved (timers, follow-up limit, LLM)."""
        from interview_sim.services import open_services

        self.services = open_services(settings, catalog=self.services.catalog)

    def recently_seen(self) -> set[str]:
        sessions = self.services.repo.list_sessions(limit=RECENT_SESSIONS)
        return {p.question_id for s in sessions for p in s.plan}

    def unfinished(self) -> list[SessionSummary]:
        """Empty until the services are open."""
        if self._services is None:
            return []
        return self._services.repo.list_sessions(status=SessionStatus.IN_PROGRESS)

    def start_loop(self) -> int:
        """Plan and store a new loop; raises PlanError or EngineError with a clear message."""
        from interview_sim.engine import plan_loop

        engine = self.services.engine
        plan = plan_loop(engine.catalog, self.settings.questions_per_stage, self.recently_seen())
        return engine.start(SessionMode.LOOP, plan)

    def start_drill(self, stage: Stage, difficulty: Difficulty | None, count: int) -> int:
        from interview_sim.engine import plan_drill

        engine = self.services.engine
        plan = plan_drill(
            engine.catalog,
            stage,
            count,
            difficulty=difficulty,
            recently_seen=self.recently_seen(),
        )
        return engine.start(SessionMode.DRILL, plan)

    def start_recommended(self, drill: RecommendedDrill) -> int:
        """Store the drill the history screen recommends, as ``run --recommended`` does."""
        from interview_sim.engine.planner import PlanError

        plan = drill.plan()
        if not plan:
            raise PlanError(
                "nothing to recommend: every question has been seen and no weak answer is due"
                " again yet; drill a stage instead"
            )
        return self.services.engine.start(SessionMode.DRILL, plan)

    @property
    def llm_configured(self) -> bool:
        return self.settings.llm.configured

    def llm_status(self) -> str:
        """One line for the home screen: the LLM in use and whether it answered, or offline."""
        llm = self.settings.llm
        if not self.llm_configured:
            return "Offline mode: banked follow-ups and the offline scorer"
        where = llm.base_url or "api.openai.com"
        line = f"LLM: {llm.model} at {where}"
        if self.llm_checks is None:
            return f"{line} · checking…"
        failed = [c for c in self.llm_checks if c.status == Status.FAIL]
        if failed:
            return f"{line} · not reachable ({failed[0].message}); offline fallback in use"
        return f"{line} · reachable"
