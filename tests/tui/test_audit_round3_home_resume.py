"""Home's Resume line fits the menu: a loop is "all four stages", not the four names, which
wrapped onto the next line under "Resume" at 80 and 120 columns."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import OptionList

from interview_sim.engine import plan_drill, plan_loop
from interview_sim.models import SessionMode, Stage
from interview_sim.services import Services
from interview_sim.tui import InterviewSimApp
from tests.tui.conftest import settle


async def test_the_resume_line_of_a_loop_says_all_four_stages(
    make_app: Callable[..., InterviewSimApp], services: Services
) -> None:
    engine = services.engine
    counts = {stage: 1 for stage in Stage}
    loop = engine.start(SessionMode.LOOP, plan_loop(services.catalog, counts))
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        menu = pilot.app.screen.query_one("#home-menu", OptionList)
        resume = str(menu.get_option("resume").prompt)
        assert resume.endswith(f"session {loop}: loop, all four stages")
        assert "Behavioral" not in resume

    drill = engine.start(SessionMode.DRILL, plan_drill(services.catalog, Stage.ML_DEPTH, 1))
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        menu = pilot.app.screen.query_one("#home-menu", OptionList)
        assert f"session {drill}: drill, ML depth (+1 more)" in str(
            menu.get_option("resume").prompt
        )
