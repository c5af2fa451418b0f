"""Past sessions in a sortable table, score trends, weak areas and the drill that targets them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, Static
from textual.worker import Worker, WorkerState

from interview_sim.engine.engine import EngineError
from interview_sim.engine.planner import PlanError
from interview_sim.models import LOOP_ORDER, Stage
from interview_sim.progress.review import Review, review
from interview_sim.progress.sessions import SessionOutcome, session_outcomes
from interview_sim.tui.context import AppContext
from interview_sim.tui.messages import OpenInterview
from interview_sim.tui.present import (
    STAGE_LABELS,
    HistoryRow,
    drill_lines,
    session_signal_label,
    trend_bars,
    weak_area_lines,
)
from interview_sim.tui.screens.session_detail import SessionDetailScreen
from interview_sim.tui.worker_failures import ReportsWorkerFailures

TALL_ROWS = 32
"""From this terminal height the screen is ``-tall``: each drill question's reason gets a line."""
NARROW_COLUMNS = 100
"""Below this terminal width the screen is ``-narrow``: each drill question gets the whole
width of its box, and its reason (a tooltip then) a line only when the screen is also tall."""
STAGE_SHORT: dict[Stage, str] = {
    Stage.CODING: "Code",
    Stage.SYSTEM_DESIGN: "Design",
    Stage.ML_DEPTH: "Depth",
    Stage.BEHAVIORAL: "Behav.",
}
"""The Stages cell's abbreviations, for a table too narrow for the full names."""
COLUMNS = ("Session", "Started", "Mode", "Status", "Score", "Signal", "Stages")
"""Score and Signal before the stage list, the one long cell: at 80 columns the list is cut
(the table scrolls sideways to it), never the verdict."""
SCORE_COLUMN = COLUMNS.index("Score")
_NUMERIC = {0, SCORE_COLUMN}
LOADING_AFTER = 0.15
"""Seconds before the table shows a loading spinner for a first page still being read."""
PAGE = 100
"""Rows added to the table at a time: the newest page first, the next when the cursor reaches
the end. Ten thousand rows in a DataTable take seconds; a page takes milliseconds."""


@dataclass(frozen=True)
class SessionRow(HistoryRow):
    """A row and the stages it plans, so the Stages cell can be fitted to the table's width;
    the row's own text (full stage names) is what the filter and the sort read."""

    planned: tuple[Stage, ...] = ()


def history_row(outcome: SessionOutcome) -> SessionRow:
    return SessionRow(
        session_id=outcome.id,
        started=outcome.started_at.strftime("%Y-%m-%d %H:%M"),
        mode=outcome.mode.value,
        status=outcome.status.value.replace("_", " "),
        stages=", ".join(STAGE_LABELS[s] for s in outcome.planned),
        score=outcome.score,
        signal=session_signal_label(outcome.signal, graded=outcome.score is not None),
        planned=tuple(outcome.planned),
    )


def stages_cell(planned: tuple[Stage, ...], width: int) -> str:
    """The Stages cell in ``width`` columns: the full names, else the short ones, else the
    first and how many more (``all 4`` for a loop's every stage). The table's edge would cut
    the cell mid-word ("ML dept"); an abbreviation reads whole. The shortest when none fits."""
    if not planned:
        return ""
    short = [STAGE_SHORT[s] for s in planned]
    everything = len(set(planned)) == len(Stage)
    candidates = [
        ", ".join(STAGE_LABELS[s] for s in planned),
        ", ".join(short),
        "all 4" if everything else f"{short[0]} +{len(short) - 1}",
    ]
    if len(planned) == 1:
        candidates.pop()
    fitting = [c for c in candidates if cell_len(c) <= width]
    return fitting[0] if fitting else min(candidates, key=cell_len)


def stage_trends(outcomes: list[SessionOutcome]) -> dict[Stage, list[float]]:
    """Each stage's session means, oldest first: the bars draw the newest, the best is over
    all of them, as ``interview-sim progress`` reports it."""
    trends: dict[Stage, list[float]] = {stage: [] for stage in LOOP_ORDER}
    for outcome in sorted(outcomes, key=lambda o: o.id):
        for stage, average in outcome.stage_averages.items():
            trends.setdefault(stage, []).append(average)
    return trends


def trend_text(values: list[float]) -> str:
    """Two short lines, so a quarter of an 80-column terminal shows them whole; both figures
    are session means, like progress's latest and best."""
    if not values:
        return "no scores yet"
    return f"now  {values[-1]:.2f} /4\nbest {max(values):.2f} /4"


class HistoryScreen(ReportsWorkerFailures, Screen[None]):
    AUTO_FOCUS = "#history-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="history.back"),
        Binding("slash", "filter", "Filter", id="history.filter"),
        Binding("o", "sort", "Sort", id="history.sort", tooltip="Cycle the sort column"),
        Binding("enter", "open", "Open", id="history.open", show=False),
        Binding(
            "r",
            "recommended",
            "Recommended drill",
            id="history.recommended",
            tooltip="Start the drill that targets your weak areas",
        ),
    ]

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.rows: list[HistoryRow] = []
        self.complete = False
        """False while only the newest page is loaded; sorting and filtering then cover it."""
        self.shown: list[HistoryRow] = []
        """The sorted, filtered rows; the table holds the first of them, a page at a time."""
        self.total = 0
        self.first_page_shown = False
        self.sort_column = 0
        self.sort_reverse = True
        self.stages_room = 0
        """Columns the Stages cells have at the table's width (every page alike)."""
        self.reviewed: Review | None = None
        self.start_when_reviewed = False
        """The drill key was pressed before the review was ready: start it once it is."""

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
        with Horizontal(id="review"):
            weak = Static("reading your history…", id="weak-areas", classes="dim")
            weak.border_title = "Weak areas (level of 4)"
            yield weak
            with Grid(id="drill-items") as drill:
                drill.border_title = "Recommended drill · r"
                yield Label("planning…", classes="drill-note dim")
        yield Footer()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.height >= TALL_ROWS, "-tall")
        self.set_class(event.size.width < NARROW_COLUMNS, "-narrow")
        if self.rows:  # the Stages cells fit the new width once the table has it
            self.call_after_refresh(self._fill, True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        table.focus()
        self._load()
        # The first page usually arrives within milliseconds: a spinner drawn and removed at
        # once would only delay it. Shown only if the page is slow.
        self.set_timer(LOADING_AFTER, self._still_loading)

    def _still_loading(self) -> None:
        if not self.first_page_shown:
            self.query_one(DataTable).loading = True

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def _load(self) -> None:
        """The newest page first, so the table fills at once; then every session, so sorting,
        filtering and the trends see the whole history. Three statements at any length; rows
        are built here, off the UI thread."""
        services = self.context.services
        total = services.repo.session_count()
        page = session_outcomes(services.repo.session_scores(limit=PAGE), services.catalog)
        complete = len(page) >= total
        rows = [history_row(o) for o in page]
        self.app.call_from_thread(self._loaded, rows, stage_trends(page), total, complete)
        if not complete:
            every = session_outcomes(services.repo.session_scores(), services.catalog)
            rows = [history_row(o) for o in every]
            self.app.call_from_thread(self._loaded, rows, stage_trends(every), len(every), True)

    @work(thread=True, exclusive=True, group="review", exit_on_error=False)
    def _load_review(self) -> Review:
        """Progress over every graded answer, up to ~0.5 s on a long history: off the UI thread."""
        services = self.context.services
        return review(services.repo, services.catalog, now=self.context.clock())

    @on(Worker.StateChanged)
    async def _reviewed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "review":
            return
        if event.worker.state == WorkerState.SUCCESS and isinstance(event.worker.result, Review):
            self.reviewed = event.worker.result
            await self._show_review(self.reviewed)
            if self.start_when_reviewed:
                self._start_recommended(self.reviewed)
        elif event.worker.state == WorkerState.ERROR:
            self.start_when_reviewed = False
            self.query_one("#weak-areas", Static).update("unavailable")
            await self._show_drill([Label("unavailable", classes="drill-note dim")])
            self.notify(str(event.worker.error), title="Cannot review progress", severity="error")

    async def _show_review(self, result: Review) -> None:
        catalog = self.context.services.catalog
        areas = [
            Content.assemble((level, "bold"), "  " if level else "", name)
            for level, name in weak_area_lines(result.progress, catalog)
        ]
        weak = self.query_one("#weak-areas", Static)
        weak.update(Content("\n").join(areas))
        weak.set_class(not result.progress.weak_areas, "dim")
        cells: list[Label] = []
        for n, line in enumerate(drill_lines(result.drill, catalog), 1):
            # The title first: two questions of one stage differ there, and a narrow box cuts
            # the end of the line, so the stage goes last.
            title = Content.assemble(f"{n}. ", (line.title, "bold"), (f" · {line.stage}", "dim"))
            question = Label(title, classes="drill-question")
            question.tooltip = line.reason  # the reason, where a narrow box has no room for it
            reason = Label(line.reason, classes="drill-reason dim", markup=False)
            reason.tooltip = line.reason
            cells += [question, reason]
        await self._show_drill(cells or [Label("nothing to recommend", classes="drill-note dim")])

    async def _show_drill(self, cells: list[Label]) -> None:
        """One row per question: what it is, and why the planner chose it."""
        grid = self.query_one("#drill-items", Grid)
        await grid.remove_children()
        await grid.mount_all(cells)

    def _loaded(
        self, rows: list[HistoryRow], trends: dict[Stage, list[float]], total: int, complete: bool
    ) -> None:
        if not self.is_attached:  # closed while the worker was reading
            return
        table = self.query_one(DataTable)
        table.loading = False
        if not self.first_page_shown:  # now the review, which would slow the first page down
            self.first_page_shown = True
            self._load_review()
        self.rows = rows
        self.total, self.complete = total, complete
        self._fill(keep_cursor=True)
        self._show_trends(trends)

    @on(Worker.StateChanged)
    def _load_failed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "history" and event.worker.state == WorkerState.ERROR:
            self.query_one(DataTable).loading = False
            if not self.first_page_shown:
                self.first_page_shown = True
                self._load_review()
            self.notify(str(event.worker.error), title="Cannot read history", severity="error")

    def _show_trends(self, trends: dict[Stage, list[float]]) -> None:
        for stage, values in trends.items():
            self.query_one(f"#trend-{stage.value}", Static).update(trend_bars(values))
            self.query_one(f"#trend-{stage.value}-text", Label).update(trend_text(values))

    def _sort_key(self, row: HistoryRow) -> tuple[int, float | str]:
        cell = row.cells()[self.sort_column]
        if self.sort_column == SCORE_COLUMN:
            return (0, row.score) if row.score is not None else (1, 0.0)
        if self.sort_column in _NUMERIC:
            return (0, float(cell))
        return (0, cell)

    def _fill(self, keep_cursor: bool = False) -> None:
        table = self.query_one(DataTable)
        cursor = table.cursor_row if keep_cursor else 0
        table.clear()
        needle = self.query_one("#history-filter", Input).value.strip()
        self.shown = [r for r in self.rows if r.matches(needle)]
        self.shown.sort(key=self._sort_key, reverse=self.sort_reverse)
        self.stages_room = self._stages_width(self.shown)
        self._add_page(max(PAGE, cursor + 1))
        if keep_cursor and cursor:
            table.move_cursor(row=min(cursor, table.row_count - 1))
        self._count()

    def _add_page(self, size: int = PAGE) -> None:
        table = self.query_one(DataTable)
        start = table.row_count
        page = self.shown[start : start + size]
        for row in page:
            *cells, stages = row.cells()
            if isinstance(row, SessionRow):
                stages = stages_cell(row.planned, self.stages_room)
            table.add_row(*cells, stages, key=str(row.session_id))

    def _stages_width(self, rows: list[HistoryRow]) -> int:
        """The columns the Stages cell has before the table's right edge: the table's width
        less the other columns (as wide as their widest cell in any page), their padding and a
        scrollbar if the rows overflow. A table not laid out yet has room for any cell."""
        table = self.query_one(DataTable)
        if not table.size.width:
            return 1_000
        texts = [r.cells() for r in rows]
        others = [
            max([cell_len(header), *(cell_len(t[i]) for t in texts)])
            for i, header in enumerate(COLUMNS[:-1])
        ]
        padding = 2 * table.cell_padding
        overflow = len(self.shown) + table.header_height > table.size.height
        scrollbar = table.styles.scrollbar_size_vertical if overflow else 0
        return table.size.width - scrollbar - sum(w + padding for w in others) - padding

    def _count(self) -> None:
        arrow = "▼" if self.sort_reverse else "▲"
        table = self.query_one(DataTable)
        listed = f"{len(self.shown)} of {self.total} sessions"
        if not self.complete:
            listed = f"newest {len(self.shown)} of {self.total} sessions (reading the rest…)"
        elif table.row_count < len(self.shown):
            listed += f" · {table.row_count} listed, more below"
        hint = " · enter: back to the table" if self._filtering() else ""
        self.query_one("#history-count", Label).update(
            f"{listed} · by {COLUMNS[self.sort_column]} {arrow}{hint}"
        )

    def _filtering(self) -> bool:
        """Typing in the filter: letters are text there, so the footer hides the table's letter
        keys (``o`` Sort, ``r`` Recommended drill); the count line says how to get them back."""
        return self.query_one("#history-filter", Input).has_focus

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._count()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self._count()

    @on(DataTable.RowHighlighted)
    def _more(self, event: DataTable.RowHighlighted) -> None:
        """Reaching the last listed row lists the next page."""
        table = event.data_table
        if event.cursor_row >= table.row_count - 1 and table.row_count < len(self.shown):
            self._add_page()
            self._count()

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

    def action_recommended(self) -> None:
        if self.reviewed is None:
            self.start_when_reviewed = True
            self.notify("Planning the recommended drill…")
            return
        self._start_recommended(self.reviewed)

    def _start_recommended(self, result: Review) -> None:
        self.start_when_reviewed = False
        try:
            session_id = self.context.start_recommended(result.drill)
        except (PlanError, EngineError) as exc:
            self.notify(str(exc), title="Cannot start the drill", severity="error")
            return
        self.post_message(OpenInterview(session_id))

    def action_back(self) -> None:
        self.app.pop_screen()
