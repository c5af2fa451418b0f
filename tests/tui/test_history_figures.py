"""History's figures against ``interview-sim progress``, its signal filter, and its table at
80x24 (the size the README says the app fits).

Sessions are stored with explicit grade totals, so every figure is worked out by hand.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from contextlib import redirect_stdout
from datetime import UTC, datetime, timedelta

from textual.widget import Widget
from textual.widgets import DataTable, Input, Label

from interview_sim.banks import Catalog
from interview_sim.cli.main import main
from interview_sim.models import (
    LOOP_ORDER,
    CriterionScore,
    Grade,
    HireSignal,
    PlannedQuestion,
    SessionMode,
    Stage,
)
from interview_sim.services import Services
from interview_sim.store import Repository
from interview_sim.tui import InterviewSimApp
from interview_sim.tui.present import HistoryRow
from interview_sim.tui.screens.history import COLUMNS
from tests.tui.conftest import open_history, settle

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _grade(catalog: Catalog, question_id: str, total: float) -> Grade:
    """A grade of ``total`` with every criterion at the nearest level."""
    question = catalog.questions[question_id]
    rubric = catalog.rubric_for(question)
    return Grade(
        question_id=question.id,
        stage=question.stage,
        scores=[
            CriterionScore(criterion=c.id, level=round(total), rationale="fixture")
            for c in rubric.criteria
        ],
        total=total,
        hire_signal=rubric.signal_for(total),
        scorer="fixture",
        scorer_version="1",
        rubric_id=rubric.id,
        rubric_version=rubric.version,
    )


def _stored(
    repo: Repository,
    catalog: Catalog,
    mode: SessionMode,
    graded: list[tuple[str, float]],
    at: datetime,
) -> int:
    plan = [PlannedQuestion(stage=catalog.questions[q].stage, question_id=q) for q, _ in graded]
    sid = repo.create_session(mode, plan, started_at=at).id
    for question_id, total in graded:
        repo.add_grade(sid, _grade(catalog, question_id, total), at=at)
    repo.finish_session(sid, at=at)
    return sid


def _session(
    repo: Repository, catalog: Catalog, stage: Stage, totals: list[float], at: datetime
) -> int:
    """A drill of ``stage`` with one grade per total."""
    questions = catalog.by_stage(stage)[: len(totals)]
    graded = [(q.id, total) for q, total in zip(questions, totals, strict=True)]
    return _stored(repo, catalog, SessionMode.DRILL, graded, at)


def _loop(repo: Repository, catalog: Catalog, at: datetime) -> int:
    """A loop with one question of every stage: the longest Stages cell."""
    graded = [(catalog.by_stage(stage)[0].id, 2.0) for stage in LOOP_ORDER]
    return _stored(repo, catalog, SessionMode.LOOP, graded, at)


def _progress(db: str) -> tuple[dict[str, dict[str, float]], str]:
    """Each stage's and each criterion's (``stage/criterion``) latest, best and average."""
    figures: dict[str, dict[str, float]] = {}
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--db", db, "progress", "--json"]) == 0
    for stage in json.loads(out.getvalue())["progress"]["stages"]:
        figures[stage["stage"]] = {k: stage[k] for k in ("latest", "best", "average")}
        for c in stage["criteria"]:
            key = f"{stage['stage']}/{c['criterion']}"
            figures[key] = {k: c[k] for k in ("latest", "best", "average")}
    text = io.StringIO()
    with redirect_stdout(text):
        assert main(["--db", db, "progress"]) == 0
    return figures, text.getvalue()


async def test_one_session_gives_one_kind_of_figure_in_progress_and_history(
    make_app: Callable[..., InterviewSimApp], services: Services
) -> None:
    """One session, answers 1.0 and 2.5: the session's mean 1.75 is its latest, best and
    average; the best single answer (2.5) is not a session's figure."""
    _session(services.repo, services.catalog, Stage.ML_DEPTH, [1.0, 2.5], T0)
    figures, text = _progress(services.settings.db)
    assert figures["ml_depth"] == {"latest": 1.75, "best": 1.75, "average": 1.75}
    # Each criterion at levels 1 and 2 (the fixture rounds 2.5 to even): the session's 1.5, not
    # the best answer's 2.
    rubric = services.catalog.rubric_for(services.catalog.by_stage(Stage.ML_DEPTH)[0])
    for criterion in rubric.criteria:
        one = {"latest": 1.5, "best": 1.5, "average": 1.5}
        assert figures[f"ml_depth/{criterion.id}"] == one, criterion.id
    assert "ml_depth: latest 1.75, best 1.75, average 1.75" in text

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_history(pilot)
        shown = str(screen.query_one("#trend-ml_depth-text", Label).content)
        assert shown == "now  1.75 /4\nbest 1.75 /4"


async def test_history_best_is_progress_best_over_a_long_history(
    make_app: Callable[..., InterviewSimApp], services: Services
) -> None:
    """The best session is the oldest of 30: History's bars show the newest 24, but its best,
    like progress's, is over every session."""
    _session(services.repo, services.catalog, Stage.CODING, [3.5], T0)
    for day in range(1, 30):
        _session(services.repo, services.catalog, Stage.CODING, [1.0], T0 + timedelta(days=day))
    figures, _ = _progress(services.settings.db)
    assert figures["coding"]["best"] == 3.5 and figures["coding"]["latest"] == 1.0

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        shown = str(app.screen.query_one("#trend-coding-text", Label).content)
        assert shown == "now  1.00 /4\nbest 3.50 /4"


def _row(signal: str) -> HistoryRow:
    return HistoryRow(
        session_id=1,
        started="2026-03-01 09:00",
        mode="loop",
        status="completed",
        stages="Coding",
        score=1.0,
        signal=signal,
    )


def test_a_signal_filter_is_exact_in_either_spelling() -> None:
    labels = ["Strong no hire", "No hire", "Lean no hire", "Lean hire", "Hire", "Strong hire"]
    rows = [_row(label) for label in labels]
    for needle in ("no hire", "No hire", "no_hire", "NO_HIRE", " no  hire "):
        assert [r.signal for r in rows if r.matches(needle)] == ["No hire"]
    for signal in HireSignal:
        assert len([r for r in rows if r.matches(signal.value)]) == 1, signal
    assert [r.signal for r in rows if r.matches("hire")] == ["Hire"]
    # Other text still matches inside any cell, and the stage filter takes either spelling.
    assert len([r for r in rows if r.matches("strong")]) == 2
    assert all(r.matches("") and r.matches("coding") for r in rows)
    assert _row("Not graded").matches("not_graded")
    assert not _row("Not graded").matches("no hire")


async def test_the_filter_box_filters_signals_exactly(
    make_app: Callable[..., InterviewSimApp], services: Services
) -> None:
    # ML depth means 0.5, 1.25 and 2.0: strong no hire, no hire and lean no hire (its bands).
    sessions = [
        _session(services.repo, services.catalog, Stage.ML_DEPTH, totals, T0 + timedelta(day))
        for day, totals in enumerate([[0.5], [1.0, 1.5], [2.0]])
    ]
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_history(pilot)
        for needle in ("no hire", "no_hire"):
            screen.query_one("#history-filter", Input).value = needle
            await settle(pilot)
            assert [(r.session_id, r.signal) for r in screen.shown] == [(sessions[1], "No hire")]
            assert screen.query_one(DataTable).row_count == 1


async def test_score_and_signal_are_visible_at_80x24(
    make_app: Callable[..., InterviewSimApp], services: Services
) -> None:
    _loop(services.repo, services.catalog, T0)
    _session(services.repo, services.catalog, Stage.ML_DEPTH, [1.0, 2.5], T0 + timedelta(1))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        table = screen.query_one(DataTable)
        visible = table.scrollable_content_region.width
        right = 0
        for column in table.ordered_columns:
            right += column.get_render_width(table)
            if str(column.label) == "Signal":
                break
        assert COLUMNS.index("Signal") < COLUMNS.index("Stages")
        assert right <= visible, (right, visible)
        for stage in Stage:
            label = screen.query_one(f"#trend-{stage.value}-text", Label)
            lines = str(label.content).splitlines()
            room = label.parent  # the stage's quarter of the trends row
            assert isinstance(room, Widget) and lines
            assert all(len(line) <= room.content_region.width for line in lines), lines
