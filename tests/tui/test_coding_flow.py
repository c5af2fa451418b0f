"""A coding question through the UI: run the examples, fail a submission, fix it, pass."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Select, Static, TextArea

from interview_sim.banks import Catalog
from interview_sim.config import Settings
from interview_sim.engine.coding import stored_report
from interview_sim.models import CodingQuestion, Stage, TurnKind
from interview_sim.services import open_services
from interview_sim.tui import create_app
from interview_sim.tui.screens.interview import InterviewScreen
from interview_sim.tui.screens.scorecard import ScorecardScreen
from interview_sim.tui.screens.summary import SummaryScreen
from interview_sim.tui.widgets.coding_workspace import CodingWorkspace
from tests.tui.conftest import MovableClock, settle


def _code(screen: InterviewScreen) -> TextArea:
    return screen.query_one("#code", TextArea)


async def _drill_one_coding_question(
    pilot: Pilot[None],
) -> tuple[InterviewScreen, CodingQuestion]:
    """From home, start a one-question coding drill and return its screen and question."""
    await settle(pilot)
    await pilot.press("d")
    await pilot.pause()
    pilot.app.screen.query_one("#drill-stage", Select).value = Stage.CODING
    await pilot.pause()
    await pilot.press("ctrl+s")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, InterviewScreen) and screen.position is not None
    question = screen.position.question
    assert isinstance(question, CodingQuestion)
    return screen, question


async def test_run_fail_fix_pass(settings: Settings, catalog: Catalog, clock: MovableClock) -> None:
    services = open_services(
        settings.model_copy(update={"follow_up_limit": 2}), use_llm=False, catalog=catalog
    )
    app = create_app(services, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, question = await _drill_one_coding_question(pilot)
        assert screen.coding and _code(screen).text == question.starter_code

        wrong = f"def {question.function}(*args):\n    return None\n"
        _code(screen).load_text(wrong)
        await pilot.press("f5")  # run the examples: stored, never graded
        await settle(pilot)
        status = str(screen.query_one("#run-status", Static).render())
        assert "Examples" in status and "tests passed" in status

        await pilot.press("ctrl+s")  # a failing submission
        await settle(pilot)
        assert not screen.coding  # the interviewer asks about the failure in the chat
        await pilot.press("f2")
        assert screen.coding and _code(screen).text == wrong  # the code is still there
        _code(screen).load_text(question.reference_solution)
        await pilot.press("ctrl+s")  # the fix
        await settle(pilot)
        if isinstance(app.screen, InterviewScreen):  # a follow-up may still be open
            await pilot.press("ctrl+f")
            await settle(pilot)
        assert isinstance(app.screen, ScorecardScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)

    session_id = services.repo.list_sessions()[0].id
    turns = services.repo.turns(session_id)
    assert [t.text for t in turns if t.kind == TurnKind.CODE_RUN] == [
        wrong,
        question.reference_solution,
    ]
    examples = services.repo.code_runs(session_id, question.id, hidden=False)
    submissions = services.repo.code_runs(session_id, question.id, hidden=True)
    assert len(examples) == 1 and len(submissions) == 2
    reports = [stored_report(run) for run in submissions]
    assert reports[0] is not None and reports[0].passed < reports[0].total
    assert reports[1] is not None and reports[1].passed == reports[1].total


async def test_stopping_a_run_kills_it_and_stores_nothing(
    settings: Settings, catalog: Catalog, clock: MovableClock
) -> None:
    services = open_services(settings, use_llm=False, catalog=catalog)
    app = create_app(services, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, question = await _drill_one_coding_question(pilot)
        _code(screen).load_text(f"def {question.function}(*args):\n    while True:\n        pass\n")
        await pilot.press("f5")
        await pilot.pause()
        workspace = screen.query_one(CodingWorkspace)
        assert workspace.running
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert not workspace.running
        assert isinstance(app.screen, InterviewScreen) and app.screen.coding

    session_id = services.repo.list_sessions()[0].id
    assert services.repo.code_runs(session_id, question.id) == []
