"""Past sessions in a sortable, filterable table, with a score trend per stage."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, Static
from textual.worker import Worker, WorkerState

from interview_sim.models import LOOP_ORDER, SessionSummary
from interview_sim.tui.context import AppContext
from interview_sim.tui.present import (
    STAGE_LABELS,
    HistoryRow,
    history_row,
    stage_trends,
    trend_bars,
)
from interview_sim.tui.screens.session_detail import SessionDetailScreen

COLUMNS = ("Session", "Started", "Mode", "Status", "Stages", "Score", "Signal")
_NUMERIC = {0, 5}


class HistoryScreen(Screen[None]):
    AUTO_FOCUS = "#history-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="history.back"),
        Binding("slash", "filter", "Filter", id="history.filter"),
        Binding("o", "sort", "Sort", id="history.sort", tooltip="Cycle the sort column"),
        Binding("enter", "open", "Open", id="history.open", show=False),
    ]

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.rows: list[HistoryRow] = []
        self.sort_column = 0
        self.sort_reverse = True

    def compose(self) -> ComposeResult:
        yield Label("History", classes="screen-title")
        yield Input(placeholder="Filter: stage, mode, status, signal…", id="history-filter")
        yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield Label("", id="history-count", classes="dim")
        with Horizontal(id="trends"):
            for stage in LOOP_ORDER:
                with Vertical(classes="trend"):
                    yield Label(STAGE_LABELS[stage], classes="trend-title")
                    yield Static("", id=f"trend-{stage.value}", classes="trend-bars")
                    yield Label("no scores yet", id=f"trend-{stage.value}-text", classes="dim")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        table.loading = True
        table.focus()
        self._load()

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def _load(self) -> list[SessionSummary]:
        """Grades for every session: potentially slow on a long history, so off the UI thread."""
        engine = self.context.services.engine
        return [engine.summary(s.id) for s in self.context.services.repo.list_sessions()]

    @on(Worker.StateChanged)
    def _loaded(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "history":
            return
        table = self.query_one(DataTable)
        if event.worker.state == WorkerState.SUCCESS and isinstance(event.worker.result, list):
            summaries: list[SessionSummary] = event.worker.result
            table.loading = False
            self.rows = [history_row(s) for s in summaries]
            self._fill()
            self._show_trends(summaries)
        elif event.worker.state == WorkerState.ERROR:
            table.loading = False
            self.notify(str(event.worker.error), title="Cannot read history", severity="error")

    def _show_trends(self, summaries: list[SessionSummary]) -> None:
        for stage, values in stage_trends(summaries).items():
            self.query_one(f"#trend-{stage.value}", Static).update(trend_bars(values))
            text = self.query_one(f"#trend-{stage.value}-text", Label)
            if values:
                text.update(f"now {values[-1]:.2f} · best {max(values):.2f} (of 4)")
            else:
                text.update("no scores yet")

    def _sort_key(self, row: HistoryRow) -> tuple[int, float | str]:
        cell = row.cells()[self.sort_column]
        if self.sort_column == 5:
            return (0, row.score) if row.score is not None else (1, 0.0)
        if self.sort_column in _NUMERIC:
            return (0, float(cell))
        return (0, cell)

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        needle = self.query_one("#history-filter", Input).value.strip()
        shown = [r for r in self.rows if r.matches(needle)]
        shown.sort(key=self._sort_key, reverse=self.sort_reverse)
        for row in shown:
            table.add_row(*row.cells(), key=str(row.session_id))
        arrow = "▼" if self.sort_reverse else "▲"
        self.query_one("#history-count", Label).update(
            f"{len(shown)} of {len(self.rows)} sessions · by {COLUMNS[self.sort_column]} {arrow}"
        )

    @on(Input.Changed, "#history-filter")
    def _filter_changed(self) -> None:
        self._fill()

    @on(Input.Submitted, "#history-filter")
    def _filter_done(self) -> None:
        self.query_one(DataTable).focus()

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        self._sort_by(event.column_index)

    def _sort_by(self, column: int) -> None:
        if column == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, False
        self._fill()

    def action_sort(self) -> None:
        self.sort_column = (self.sort_column + 1) % len(COLUMNS)
        self.sort_reverse = False
        self._fill()

    def action_filter(self) -> None:
        self.query_one("#history-filter", Input).focus()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.app.push_screen(SessionDetailScreen(self.context, int(event.row_key.value)))

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if key is not None:
                self.app.push_screen(SessionDetailScreen(self.context, int(key)))

    def action_back(self) -> None:
        self.app.pop_screen()
