"""What every screen needs from outside the UI: the core services, the clock and the config file.

Screens receive this object instead of reaching for the app, so each screen can be built and
tested on its own, and there is no global state.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from interview_sim.llm.checks import Check, Status

if TYPE_CHECKING:  # pydantic, the engine and SQLAlchemy load in the worker, after home shows
    from interview_sim.config import LLMSettings, Settings
    from interview_sim.models import Difficulty, SessionSummary, Stage
    from interview_sim.progress.models import RecommendedDrill
    from interview_sim.services import Services
    from interview_sim.tui.timing import Clock


@dataclass(frozen=True)
class LLMCheckRequest:
    """What a check of the endpoint is about: the settings checked, in which round."""

    llm: LLMSettings
    round: int


@dataclass(frozen=True)
class LLMHealth:
    """What the last check of the endpoint in use found, and when: Home shows the last known
    state rather than a verdict from launch that may no longer hold."""

    request: LLMCheckRequest
    checks: tuple[Check, ...]
    at: datetime

    def verdict(self) -> str:
        """Reachable or not, with the first problem the check found."""
        when = f"{self.at:%H:%M} UTC"
        failed = [c for c in self.checks if c.status == Status.FAIL]
        if not failed:
            return f"reachable (checked {when})"
        if failed[0].name == "endpoint":
            return f"not reachable ({failed[0].message}; checked {when}); offline fallback in use"
        return f"reachable, but {failed[0].message} (checked {when})"

    @property
    def failed(self) -> bool:
        return any(c.status == Status.FAIL for c in self.checks)


class AppContext:
    """The settings and services load after the home screen is drawn (:meth:`load_settings`
    and :meth:`open`, from a worker); until then :attr:`settings_loaded` and :attr:`ready` are
    False. Tests pass settings or services already open."""

    def __init__(
        self,
        settings: Settings | Callable[[], Settings],
        clock: Clock,
        config_path: Path | None = None,
        services: Services | None = None,
    ) -> None:
        self._load = settings if callable(settings) else None
        self._settings = None if callable(settings) else settings
        self._services = services
        self._config_path = config_path
        self.clock = clock
        self.llm_health: LLMHealth | None = None
        """The last check of the endpoint in use (run in a worker); None until one has run."""
        self._llm_round = 0
        """Bumped whenever the endpoint's state may have changed since the last check (settings
        saved, an interview called it): a check from an earlier round is due again."""
        self.setup_error: str | None = None
        """Why the services could not be opened (bad banks, unreadable database)."""

    @property
    def config_path(self) -> Path:
        """The file the settings screen saves to: the ``--config`` file, else the user's."""
        if self._config_path is None:
            from interview_sim.config_writer import config_file_path

            self._config_path = config_file_path(None)
        return self._config_path

    @property
    def settings_loaded(self) -> bool:
        return self._settings is not None or self._services is not None

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
        if self._services is not None:
            return self._services.settings
        if self._settings is None:
            raise RuntimeError("the settings are still loading; check settings_loaded first")
        return self._settings

    def load_settings(self) -> Settings:
        """Read the config file and environment (pydantic-settings): from a worker thread."""
        if self._settings is None and self._services is None and self._load is not None:
            self._settings = self._load()
        return self.settings

    def open(self) -> Services:
        """Open the catalog, database and engine: slow, so called from a worker thread. The
        caller stores the result in :attr:`services` on the UI thread."""
        if self._services is not None:
            return self._services
        from interview_sim.services import open_services

        return open_services(self.load_settings())

    def reopen(self, settings: Settings) -> None:
        """Rebuild the engine after the settings screen saved (timers, follow-up limit, LLM)."""
        from interview_sim.services import open_services

        self.services = open_services(settings, catalog=self.services.catalog)
        if self.llm_health is not None and self.llm_health.request.llm != settings.llm:
            self.llm_health = None  # it describes the endpoint no longer in use
        self.recheck_llm()

    def unfinished(self) -> list[SessionSummary]:
        """The sessions Home offers to resume, in the core's order (``Repository.unfinished``);
        empty until the services are open."""
        return self._services.repo.unfinished() if self._services is not None else []

    # Starting a session is the core's (``Services``, shared with ``interview-sim run``); the
    # app's sessions have the default origin, interactive.

    def start_loop(self) -> int:
        """Plan and store a new loop; raises PlanError or EngineError with a clear message."""
        return self.services.start_loop().id

    def start_drill(self, stage: Stage, difficulty: Difficulty | None, count: int) -> int:
        return self.services.start_drill(stage, count=count, difficulty=difficulty).id

    def start_recommended(self, drill: RecommendedDrill) -> int:
        """Store the drill the history screen recommends, as ``run --recommended`` does."""
        return self.services.start_recommended(drill).id

    @property
    def llm_configured(self) -> bool:
        return self.settings.llm.configured

    def recheck_llm(self) -> None:
        """The endpoint may have changed since it was checked (an interview called it, or the
        settings were saved): Home checks it again the next time it shows."""
        self._llm_round += 1

    @property
    def llm_check_due(self) -> bool:
        """An endpoint is in use and the last check (if any) is from an earlier round."""
        if not self.ready or not self.llm_configured:
            return False
        return self.llm_health is None or self.llm_health.request.round < self._llm_round

    def llm_check_request(self) -> LLMCheckRequest:
        return LLMCheckRequest(self.settings.llm, self._llm_round)

    def llm_checked(self, request: LLMCheckRequest, checks: Sequence[Check]) -> None:
        """Keep a finished check unless it is about settings no longer in use, or older than
        the result already kept (a slow check that a newer one overtook)."""
        if request.llm != self.settings.llm:
            return
        if self.llm_health is not None and self.llm_health.request.round > request.round:
            return
        self.llm_health = LLMHealth(request, tuple(checks), self.clock())

    @property
    def llm_down(self) -> bool:
        """Home styles its status as offline: no endpoint, or the last check found a problem."""
        return not self.llm_configured or (self.llm_health is not None and self.llm_health.failed)

    def llm_status(self) -> str:
        """One line for the home screen: the LLM in use and what its last check found, or
        offline. While a new check runs the last known state stays, marked as being re-checked."""
        llm = self.settings.llm
        if not llm.configured:
            return "Offline mode: banked follow-ups and the offline scorer"
        line = f"LLM: {llm.model} at {llm.base_url or 'api.openai.com'}"
        if self.llm_health is None:
            return f"{line} · checking…"
        again = " · checking again…" if self.llm_check_due else ""
        return f"{line} · {self.llm_health.verdict()}{again}"
