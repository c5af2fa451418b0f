"""A scripted run that ran out of answers never takes Home's Resume slot from the session the
candidate was in (issue: the loop as a candidate lives it, item 14)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import OptionList

from interview_sim.cli.main import main
from interview_sim.engine import plan_drill
from interview_sim.models import SessionMode, SessionOrigin, SessionStatus, Stage
from interview_sim.services import Services
from interview_sim.store import Repository
from interview_sim.store.db import open_database
from interview_sim.tui import InterviewSimApp
from interview_sim.tui.screens.interview import InterviewScreen
from tests.tui.conftest import settle


def test_the_run_command_stores_its_sessions_as_scripted(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("- Regularisation trades variance for bias.\n", encoding="utf-8")
    db = tmp_path / "s.db"
    args = ["--db", str(db), "run", "--stage", "ml_depth", "--count", "2", "--offline"]
    main([*args, "--answers", str(answers)])  # runs out of answers after the first question

    (session,) = Repository(open_database(str(db))).list_sessions()
    assert session.origin == SessionOrigin.SCRIPT
    assert session.status == SessionStatus.IN_PROGRESS


async def test_resume_offers_the_interactive_session_and_counts_the_others(
    make_app: Callable[..., InterviewSimApp], services: Services
) -> None:
    engine = services.engine
    mine = engine.start(SessionMode.DRILL, plan_drill(services.catalog, Stage.ML_DEPTH, 1))
    scripted = engine.start(
        SessionMode.DRILL,
        plan_drill(services.catalog, Stage.BEHAVIORAL, 1),
        origin=SessionOrigin.SCRIPT,
    )
    assert scripted > mine  # the scripted run is the newest unfinished session

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        menu = app.screen.query_one("#home-menu", OptionList)
        resume = str(menu.get_option("resume").prompt)
        assert f"session {mine}:" in resume and "(+1 more)" in resume
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        assert app.screen.session_id == mine
