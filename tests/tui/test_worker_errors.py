"""A worker that crashes leaves a logged traceback, and the user is told where the log is."""

from __future__ import annotations

import ast
import importlib
import threading
from collections.abc import Generator
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Select, Static

import interview_sim.tui
from interview_sim.engine import StreamEvent
from interview_sim.logs import log_file
from interview_sim.models import Stage
from interview_sim.sandbox.models import RunReport
from interview_sim.services import Services
from interview_sim.store.errors import StoreError
from interview_sim.tui import InterviewSimApp, create_app
from interview_sim.tui.present import short_path
from interview_sim.tui.screens.history import HistoryScreen
from interview_sim.tui.screens.home import HomeScreen
from interview_sim.tui.screens.interview import InterviewScreen
from interview_sim.tui.worker_failures import ReportsWorkerFailures
from tests.tui.conftest import MovableClock, settle


def _crash() -> int:
    raise ZeroDivisionError("history count went wrong")


async def _logged(pilot: Pilot[None], needle: str, times: int = 1) -> str:
    """The log's text once ``needle`` is in it ``times`` times: a loaded machine may run the
    worker late."""
    path = log_file()
    assert path is not None
    for _ in range(200):
        if path.exists() and (text := path.read_text(encoding="utf-8")).count(needle) >= times:
            return text
        await pilot.pause(0.05)
    raise AssertionError(f"{needle!r} never reached {path} {times} times")


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
        await settle(pilot)
        text = await _logged(pilot, "HistoryScreen worker '_load' failed")
        assert text.count("HistoryScreen worker '_load' failed") == 1
        titles = [n.title for n in app._notifications]
        assert titles.count("Cannot read history") == 1  # the screen's own handler still ran
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


def _unexpected(app: InterviewSimApp) -> list[str]:
    return [n.message for n in app._notifications if n.title == "Unexpected error"]


async def _drill(pilot: Pilot[None], stage: Stage) -> None:
    """From home, start a one-question drill of ``stage``."""
    await settle(pilot)
    await pilot.press("d")
    await pilot.pause()
    pilot.app.screen.query_one("#drill-stage", Select).value = stage
    await pilot.pause()
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_a_pushed_screens_failing_worker_is_logged_once_and_its_screen_still_reacts(
    services: Services, clock: MovableClock
) -> None:
    """The interview screen's engine worker fails, its own handler retries once and then closes
    the screen; each failure reaches the app's log and its notice exactly once."""

    def broken(
        session_id: int, cancel: threading.Event | None = None
    ) -> Generator[StreamEvent, None, None]:
        raise ZeroDivisionError("engine went wrong")

    services.engine.advance_stream = broken  # type: ignore[method-assign]
    app = create_app(services, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await _drill(pilot, Stage.BEHAVIORAL)
        for _ in range(100):  # the screen's own handler: retry once, then close the screen
            if isinstance(app.screen, HomeScreen):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, HomeScreen)
        failed = "InterviewScreen worker '_perform' failed"
        await _logged(pilot, failed, times=2)
        await settle(pilot)
        text = await _logged(pilot, failed, times=2)
        assert text.count(failed) == 2  # the first try and the retry, each once
        assert text.count("ERROR interview_sim.tui.app") == 2
        assert text.count("Traceback (most recent call last)") == 2
        assert "in broken" in text
        told = [n.title for n in app._notifications]
        assert told.count("That did not work") == 2  # the screen's own handler ran each time
        path = log_file()
        assert path is not None
        assert (
            _unexpected(app)
            == [f"ZeroDivisionError in the background. The traceback is in {short_path(path)}"] * 2
        )


async def test_a_widgets_failing_worker_is_logged_once(
    services: Services, clock: MovableClock
) -> None:
    """The coding workspace (a widget, not a screen) runs the examples in a worker."""

    def broken(session_id: int, code: str, cancel: threading.Event | None = None) -> RunReport:
        raise ZeroDivisionError("sandbox went wrong")

    services.engine.run_examples = broken  # type: ignore[method-assign]
    app = create_app(services, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await _drill(pilot, Stage.CODING)
        screen = app.screen
        assert isinstance(screen, InterviewScreen) and screen.coding
        await pilot.press("f5")
        text = await _logged(pilot, "CodingWorkspace worker '_run' failed")
        await settle(pilot)
        text = await _logged(pilot, "sandbox went wrong")
        assert text.count("CodingWorkspace worker '_run' failed") == 1
        assert "in broken" in text and "ZeroDivisionError: sandbox went wrong" in text
        status = str(screen.query_one("#run-status", Static).render())
        assert "The run failed: sandbox went wrong" in status  # the widget's own handler ran
        path = log_file()
        assert path is not None
        assert _unexpected(app) == [
            f"ZeroDivisionError in the background. The traceback is in {short_path(path)}"
        ]


def test_every_node_that_runs_workers_reports_their_failures() -> None:
    """A screen or widget with a ``@work`` method or a ``run_worker`` call must mix in
    ``ReportsWorkerFailures``, or its failed workers never reach the app's log."""
    root = Path(interview_sim.tui.__file__).parent
    runners: list[type] = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = ".".join(path.relative_to(root.parent.parent).with_suffix("").parts)
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and _runs_workers(node):
                runners.append(getattr(importlib.import_module(module), node.name))
    assert len(runners) >= 5, runners
    assert [c for c in runners if not issubclass(c, ReportsWorkerFailures)] == []


def _runs_workers(node: ast.ClassDef) -> bool:
    for item in ast.walk(node):
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in item.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(target, ast.Name) and target.id == "work":
                    return True
        if isinstance(item, ast.Attribute) and item.attr == "run_worker":
            return True
    return False
