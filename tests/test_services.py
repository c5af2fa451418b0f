"""Starting a session and choosing the one to resume have one home below the UI (issue 18, and
issue 14 item 14): ``interview-sim run`` and the app plan alike and differ only in origin."""

from __future__ import annotations

from pathlib import Path

from interview_sim.banks import Catalog
from interview_sim.cli.main import main
from interview_sim.config import load_settings
from interview_sim.engine import plan_drill
from interview_sim.models import SessionMode, SessionOrigin, SessionSummary, Stage
from interview_sim.services import open_services
from interview_sim.store import Repository, open_database
from interview_sim.tui.context import AppContext
from tests.tui.conftest import MovableClock


def _app(tmp_path: Path, catalog: Catalog, per_stage: int = 2) -> AppContext:
    """The app's context on its own database, ``per_stage`` questions a stage in a loop."""
    settings = load_settings(
        None,
        db=str(tmp_path / "app.db"),
        questions_per_stage={stage: per_stage for stage in Stage},
    )
    services = open_services(settings, use_llm=False, catalog=catalog)
    return AppContext(settings, MovableClock(), services=services)


def _run(tmp_path: Path, *run: str) -> SessionSummary:
    """The session ``interview-sim run ...`` stores, given one scripted answer (then it stops)."""
    answers = tmp_path / "answers.yaml"
    answers.write_text("- Regularisation trades variance for bias.\n", encoding="utf-8")
    db = str(tmp_path / "cli.db")
    assert main(["--db", db, "run", *run, "--offline", "--answers", str(answers), "--json"]) == 0
    (session,) = Repository(open_database(db)).list_sessions()
    return session


def _session(app: AppContext, session_id: int) -> SessionSummary:
    found = app.services.repo.get_session(session_id)
    assert found is not None
    return found


def _questions(app: AppContext, session_id: int) -> list[str]:
    return [p.question_id for p in _session(app, session_id).plan]


def test_a_drill_from_the_run_command_and_from_the_app_is_the_same_plan(
    tmp_path: Path, catalog: Catalog
) -> None:
    scripted = _run(tmp_path, "--stage", "ml_depth", "--count", "2")
    app = _app(tmp_path, catalog)
    mine = _session(app, app.start_drill(Stage.ML_DEPTH, None, 2))

    assert (scripted.origin, mine.origin) == (SessionOrigin.SCRIPT, SessionOrigin.INTERACTIVE)
    assert scripted.mode == mine.mode == SessionMode.DRILL
    assert scripted.plan == mine.plan and len(mine.plan) == 2


def test_a_loop_from_the_run_command_and_from_the_app_is_the_same_plan(
    tmp_path: Path, catalog: Catalog
) -> None:
    scripted = _run(tmp_path, "--loop", "--count", "1")
    app = _app(tmp_path, catalog, per_stage=1)
    mine = _session(app, app.start_loop())

    assert (scripted.origin, mine.origin) == (SessionOrigin.SCRIPT, SessionOrigin.INTERACTIVE)
    assert scripted.mode == mine.mode == SessionMode.LOOP
    assert scripted.plan == mine.plan
    assert [p.stage for p in mine.plan] == [
        Stage.CODING,
        Stage.SYSTEM_DESIGN,
        Stage.ML_DEPTH,
        Stage.BEHAVIORAL,
    ]


def test_a_new_session_plans_the_recently_seen_questions_last(
    tmp_path: Path, catalog: Catalog
) -> None:
    app = _app(tmp_path, catalog)
    first = app.services.start_drill(Stage.ML_DEPTH, count=2, origin=SessionOrigin.SCRIPT)
    second = app.services.start_drill(Stage.ML_DEPTH, count=2)

    plans = [_questions(app, s.id) for s in (first, second)]
    assert (first.questions, second.questions) == (2, 2)
    assert not set(plans[0]) & set(plans[1])
    everything = plan_drill(catalog, Stage.ML_DEPTH, len(catalog.by_stage(Stage.ML_DEPTH)))
    assert plans[0] == [p.question_id for p in everything[:2]]


def test_unfinished_offers_the_newest_interactive_session_before_scripted_runs(
    tmp_path: Path, catalog: Catalog
) -> None:
    """The rule Home's Resume reads: a newer scripted run that ran out of answers follows."""
    app = _app(tmp_path, catalog)
    started = [
        app.services.start_drill(Stage.ML_DEPTH, count=1, origin=origin).id
        for origin in (
            SessionOrigin.INTERACTIVE,
            SessionOrigin.SCRIPT,
            SessionOrigin.INTERACTIVE,
            SessionOrigin.SCRIPT,
            SessionOrigin.INTERACTIVE,
        )
    ]
    app.services.repo.finish_session(started[4])  # the newest is done: nothing to resume there

    i1, s1, i2, s2, _ = started
    assert [s.id for s in app.services.repo.unfinished()] == [i2, i1, s2, s1]
    assert [s.id for s in app.unfinished()] == [i2, i1, s2, s1]  # what Home offers
