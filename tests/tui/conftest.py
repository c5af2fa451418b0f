"""TUI fixtures: a fresh database and config per test, and a clock the test moves."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from textual.pilot import Pilot
from textual.worker import WorkerFailed

from interview_sim.banks import Catalog
from interview_sim.config import Settings, load_settings
from interview_sim.models import Stage, utcnow
from interview_sim.services import Services, open_services
from interview_sim.tui import InterviewSimApp, create_app
from interview_sim.tui.screens.history import HistoryScreen

FIXED_NOW = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
"""Snapshots store every timestamp at this instant so countdowns and dates never drift."""


class MovableClock:
    """Real time plus an offset the test controls, so "time is up" needs no waiting."""

    def __init__(self, fixed: datetime | None = None) -> None:
        self.fixed = fixed
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return (self.fixed or utcnow()) + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += timedelta(**delta)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """One question per stage and no follow-ups: each flow stays short."""
    return load_settings(
        None,
        db=str(tmp_path / "tui.db"),
        questions_per_stage={stage: 1 for stage in Stage},
        minutes_per_stage={stage: 10 for stage in Stage},
        follow_up_limit=0,
    )


@pytest.fixture
def services(settings: Settings, catalog: Catalog) -> Services:
    return open_services(settings, use_llm=False, catalog=catalog)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def make_app(services: Services, clock: MovableClock) -> Callable[..., InterviewSimApp]:
    """The config file is the default one, inside the test's own home directory."""

    def build(**overrides: object) -> InterviewSimApp:
        chosen = overrides.get("services", services)
        assert isinstance(chosen, Services)
        return create_app(chosen, clock=clock)

    return build


async def settle(pilot: Pilot[None]) -> None:
    """Wait until engine workers and the screens they push have finished."""
    for _ in range(3):
        await pilot.pause()
        # A failed worker has finished too; its screen says so, and the tests check that.
        with contextlib.suppress(WorkerFailed):
            await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def freeze_timestamps(db: str, at: datetime = FIXED_NOW) -> None:
    """Give every stored row the same instant, for snapshots that show dates and clocks."""
    engine = create_engine(f"sqlite:///{db}")
    stamp = at.replace(tzinfo=None).isoformat(sep=" ")
    with engine.begin() as conn:
        conn.execute(text("UPDATE sessions SET started_at = :t"), {"t": stamp})
        conn.execute(
            text("UPDATE sessions SET finished_at = :t WHERE finished_at IS NOT NULL"),
            {"t": stamp},
        )
        conn.execute(text("UPDATE stages SET started_at = :t"), {"t": stamp})
        conn.execute(text("UPDATE turns SET created_at = :t"), {"t": stamp})
        # Time already spent in questions is zero and the stretches closed, as if the app
        # had been closed: the test's own clock then decides what is used.
        conn.execute(
            text("UPDATE question_time SET opened_at = :t, seen_at = :t, closed_at = :t"),
            {"t": stamp},
        )
    engine.dispose()


RunBefore = Callable[[Pilot[None]], Awaitable[None]]


async def open_history(pilot: Pilot[None]) -> HistoryScreen:
    """Home's ``h`` once the services are open: the History screen, with its table loaded."""
    await settle(pilot)
    await pilot.press("h")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, HistoryScreen)
    return screen
