"""History and progress read aggregated rows: the number of SQL statements does not grow with
the number of sessions.

Two generated databases (the benchmark's generator: loops and drills over the built-in banks,
every answer graded on every criterion) differ tenfold in size; each read is counted with
SQLAlchemy's ``before_cursor_execute`` event and must issue the same number of statements on
both. The history screen is opened with Pilot until its table is filled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event
from textual.widgets import DataTable

from bench.history import build_database
from interview_sim.banks import Catalog
from interview_sim.cli.main import main
from interview_sim.config import load_settings
from interview_sim.progress.review import review
from interview_sim.services import Services, open_services
from interview_sim.store.reader import open_progress_reader
from interview_sim.tui import create_app
from interview_sim.tui.screens.history import PAGE, HistoryScreen
from tests.tui.conftest import settle

SIZES = (150, 1500)
"""Both above the history screen's page, so both read the page and then the rest."""


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> dict[int, Path]:
    folder = tmp_path_factory.mktemp("history-scale")
    paths = {}
    for size in SIZES:
        paths[size] = folder / f"h{size}.db"
        build_database(paths[size], size, catalog)
    return paths


class Statements:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, *args: Any) -> None:
        self.seen.append(str(args[2]))

    def __len__(self) -> int:
        return len(self.seen)


@contextmanager
def counted() -> Iterator[Statements]:
    """Every statement any engine sends while the block runs."""
    statements = Statements()
    event.listen(Engine, "before_cursor_execute", statements)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", statements)


def _services(path: Path, catalog: Catalog) -> Services:
    return open_services(load_settings(None, db=str(path)), use_llm=False, catalog=catalog)


def _per_size(
    databases: dict[int, Path], catalog: Catalog, read: Callable[[Services], object]
) -> dict[int, int]:
    counts = {}
    for size, path in databases.items():
        services = _services(path, catalog)
        with counted() as statements:
            read(services)
        counts[size] = len(statements)
    return counts


@pytest.mark.parametrize(
    "read",
    [
        lambda s: s.repo.session_scores(),
        lambda s: s.repo.session_scores(limit=PAGE),
        lambda s: s.repo.history(limit=50),
        lambda s: review(s.repo, s.catalog),
        lambda s: s.repo.grades(s.repo.history(limit=1)[0].id),
    ],
    ids=["session-scores", "session-scores-page", "history-page", "progress-and-drill", "grades"],
)
def test_reads_issue_the_same_statements_at_any_size(
    databases: dict[int, Path], catalog: Catalog, read: Callable[[Services], object]
) -> None:
    counts = _per_size(databases, catalog, read)
    assert counts[SIZES[0]] == counts[SIZES[1]], counts
    assert counts[SIZES[0]] <= 10


def test_every_stage_score_matches_the_engine(databases: dict[int, Path], catalog: Catalog) -> None:
    """The aggregate rows say what ``engine.summary`` says, session by session."""
    from interview_sim.progress.sessions import session_outcomes

    services = _services(databases[SIZES[0]], catalog)
    outcomes = session_outcomes(services.repo.session_scores(), catalog)
    assert len(outcomes) == SIZES[0]
    for outcome in outcomes:
        summary = services.engine.summary(outcome.id)
        assert outcome.stage_averages == {r.stage: r.average for r in summary.results}
        assert outcome.signal == summary.overall_signal
        assert outcome.planned == list(dict.fromkeys(p.stage for p in summary.plan))


def test_the_progress_command_reader_issues_the_same_statements_at_any_size(
    databases: dict[int, Path],
) -> None:
    """``interview-sim progress`` reads these files with ``sqlite3`` alone (``store.reader``),
    which SQLAlchemy's event cannot see: its own trace counts the statements."""
    counts = {}
    for size, path in databases.items():
        seen: list[str] = []
        reader = open_progress_reader(str(path), trace=seen.append)
        assert reader is not None
        reader.progress_data()
        counts[size] = len(seen)
    assert counts[SIZES[0]] == counts[SIZES[1]] <= 12, counts


@pytest.mark.parametrize("command", [["progress", "--json"], ["sessions", "list", "--json"]])
def test_cli_reads_issue_the_same_statements_at_any_size(
    databases: dict[int, Path], command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    counts = {}
    for size, path in databases.items():
        with counted() as statements:
            assert main(["--db", str(path), *command]) == 0
        counts[size] = len(statements)
    capsys.readouterr()
    assert counts[SIZES[0]] == counts[SIZES[1]], counts


async def test_history_screen_statements_do_not_grow(
    databases: dict[int, Path], catalog: Catalog
) -> None:
    counts = {}
    for size, path in databases.items():
        app = create_app(_services(path, catalog))
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            with counted() as statements:
                await pilot.press("h")
                await settle(pilot)
                screen = app.screen
                assert isinstance(screen, HistoryScreen)
                assert screen.complete and len(screen.rows) == size
                table = screen.query_one(DataTable)
                assert table.row_count == min(size, PAGE)
            counts[size] = len(statements)
            # Paging: reaching the last listed row lists the next page, without a query.
            with counted() as more:
                table.move_cursor(row=table.row_count - 1)
                await pilot.pause()
            assert len(more) == 0
            assert table.row_count == min(size, 2 * PAGE)
    assert counts[SIZES[0]] == counts[SIZES[1]], counts


async def test_home_and_starting_a_loop_do_not_grow_with_history(
    databases: dict[int, Path], catalog: Catalog
) -> None:
    """Home reads the unfinished sessions and the planner the newest few, never every one."""
    from interview_sim.tui.screens.home import HomeScreen

    counts = {}
    for size, path in databases.items():
        services = _services(path, catalog)
        with counted() as statements:
            app = create_app(services)
            async with app.run_test(size=(120, 40)) as pilot:
                await settle(pilot)
                assert isinstance(app.screen, HomeScreen)
                app.context.start_loop()
        counts[size] = len(statements)
    assert counts[SIZES[0]] == counts[SIZES[1]], counts
