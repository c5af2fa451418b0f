"""History at scale, as the user waits for it: the History screen and ``interview-sim progress``
on 10,000 sessions with about 40,000 graded answers.

The database comes from :func:`bench.history.build_database` (real schema, raw inserts). The
screen is opened with Pilot in an app whose services are already open (as they are once home
has loaded them): the time runs from the key press until the table shows its first page, and
separately until every session is loaded for sorting and filtering. ``progress`` is the whole
command in a fresh interpreter (imports, settings, banks, queries, rendering), next to the
in-process ``review()`` it calls, through the ``sqlite3`` reader the command uses on such a file
and through the repository (as the History screen reads it). Medians of several runs.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.history import build_database
from bench.measure import Row, median_time, run_process, side_by_side
from interview_sim.banks import load_catalog
from interview_sim.config import load_settings
from interview_sim.progress.review import review
from interview_sim.services import Services, open_services
from interview_sim.store.reader import open_progress_reader

SESSIONS = 10_000
RUNS = 5
SCREEN_TARGET = 0.3
PROGRESS_TARGET = 0.5
IMPORTS = "import interview_sim.cli.main, interview_sim.cli.commands.progress, interview_sim.store"
"""What ``progress`` imports before it reads anything: settings, the store's reader, progress."""


async def _open_history(services: Services) -> tuple[float, float]:
    """Seconds from pressing ``h`` on home to the first page shown, and to every row loaded."""
    from textual import events
    from textual.widgets import DataTable

    from interview_sim.tui import create_app
    from interview_sim.tui.screens.history import HistoryScreen

    app = create_app(services)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        # The key goes in as the terminal driver would send it: ``Pilot.press`` would also
        # wait for the whole process to go idle, loading workers included.
        key = events.Key("h", "h")
        key.set_sender(app)
        start = time.perf_counter()
        assert app._driver is not None
        app._driver.send_message(key)
        first = whole = 0.0
        while not whole:
            screen = app.screen
            if isinstance(screen, HistoryScreen):
                if not first and screen.query_one(DataTable).row_count:
                    first = time.perf_counter() - start
                if screen.complete:
                    whole = time.perf_counter() - start
            await asyncio.sleep(0.001)
        app.exit()
    return first, whole


def measure(sessions: int = SESSIONS, runs: int = RUNS) -> dict[str, Any]:
    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        db = folder / "history.db"
        build_database(db, sessions, catalog)
        services = open_services(load_settings(None, db=str(db)), use_llm=False, catalog=catalog)
        graded = sum(s.graded for s in services.repo.history())
        screen = [asyncio.run(_open_history(services)) for _ in range(runs)]
        env = {**os.environ, "XDG_CONFIG_HOME": str(folder), "XDG_CACHE_HOME": str(folder)}
        command = [sys.executable, "-m", "interview_sim", "--db", str(db), "progress"]
        options: dict[str, Any] = {"cwd": folder, "env": env}
        # The whole command next to what it imports before any work, and SQLAlchemy alone.
        timed = side_by_side(
            {
                "command": lambda: run_process(command, **options),
                "imports": lambda: run_process([sys.executable, "-c", IMPORTS], **options),
                "sqlalchemy": lambda: run_process(
                    [sys.executable, "-c", "import sqlalchemy.orm"], **options
                ),
                "bare": lambda: run_process([sys.executable, "-c", "pass"], **options),
            },
            runs,
        )
        reader = open_progress_reader(str(db))
        assert reader is not None  # a current file of one candidate, as the command finds it
        in_process = median_time(lambda: review(reader, services.catalog), runs)
        queries = median_time(lambda: reader.progress_data(), runs)
        repo_in_process = median_time(lambda: review(services.repo, services.catalog), runs)
        repo_queries = median_time(lambda: services.repo.progress_data(), runs)
    return {
        "sessions": sessions,
        "graded": graded,
        "screen_first_page_s": statistics.median(first for first, _ in screen),
        "screen_all_rows_s": statistics.median(whole for _, whole in screen),
        "progress_command_s": timed["command"],
        "progress_imports_s": timed["imports"],
        "sqlalchemy_import_s": timed["sqlalchemy"],
        "bare_s": timed["bare"],
        "progress_in_process_s": in_process,
        "progress_queries_s": queries,
        "progress_repo_in_process_s": repo_in_process,
        "progress_repo_queries_s": repo_queries,
    }


def run() -> list[Row]:
    r = measure()
    size = f"{r['sessions']:,} sessions, {r['graded']:,} graded answers"
    return [
        Row(
            f"History screen until the table is filled, {size}",
            f"{r['screen_first_page_s'] * 1000:.0f} ms",
            f"<= {SCREEN_TARGET * 1000:.0f} ms",
            r["screen_first_page_s"] <= SCREEN_TARGET,
        ),
        Row(
            "History screen until every session is loaded (sorting, filtering)",
            f"{r['screen_all_rows_s'] * 1000:.0f} ms",
        ),
        Row(
            f"`interview-sim progress`, whole command, {size}",
            f"{r['progress_command_s'] * 1000:.0f} ms",
            f"<= {PROGRESS_TARGET * 1000:.0f} ms",
            r["progress_command_s"] <= PROGRESS_TARGET,
        ),
        Row(
            "progress + recommended drill in process (`review()`): sqlite3 reader / repository",
            f"{r['progress_in_process_s'] * 1000:.0f} ms"
            f" / {r['progress_repo_in_process_s'] * 1000:.0f} ms",
        ),
        Row(
            "of which the aggregate queries (`progress_data()`): sqlite3 reader / repository",
            f"{r['progress_queries_s'] * 1000:.0f} ms"
            f" / {r['progress_repo_queries_s'] * 1000:.0f} ms",
        ),
        Row(
            "`progress` imports alone (no SQLAlchemy) / `import sqlalchemy.orm`, which it skips"
            " / `python -c pass`",
            f"{r['progress_imports_s'] * 1000:.0f} ms / {r['sqlalchemy_import_s'] * 1000:.0f} ms"
            f" / {r['bare_s'] * 1000:.0f} ms",
        ),
    ]


if __name__ == "__main__":
    for row in run():
        print(f"{row.name}: {row.value} (target {row.target})")
