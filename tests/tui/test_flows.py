"""Pilot tests: whole interviews driven through the UI, offline, checked against the database."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import DataTable, Input, Markdown, Static, TextArea

from interview_sim.banks import Catalog
from interview_sim.config import Settings
from interview_sim.engine import InterviewEngine
from interview_sim.grading import QuestionContext
from interview_sim.models import CodingQuestion, Grade, SessionStatus, TurnKind
from interview_sim.services import Services, open_services
from interview_sim.tui import InterviewSimApp, create_app
from interview_sim.tui.screens.history import HistoryScreen
from interview_sim.tui.screens.home import HomeScreen
from interview_sim.tui.screens.interview import InterviewScreen
from interview_sim.tui.screens.scorecard import ScorecardScreen
from interview_sim.tui.screens.session_detail import SessionDetailScreen
from interview_sim.tui.screens.summary import SummaryScreen
from interview_sim.tui.widgets import ChatBubble, PhasePanel
from tests.tui.conftest import MovableClock, settle

AnswerApp = Callable[..., InterviewSimApp]

DESIGN_ANSWER = (
    "Requirements first: latency budget and the business metric. For data I would use "
    "delayed labels carefully, and for monitoring I would track drift and calibration."
)


def _editor(app: InterviewSimApp) -> TextArea:
    return app.screen.query_one("#answer", TextArea)


async def _answer(pilot, text: str) -> None:
    """Paste the answer into the editor, as a user pasting from notes would."""
    _editor(pilot.app).insert(text)
    await pilot.press("ctrl+s")
    await settle(pilot)


async def _continue(pilot) -> None:
    assert isinstance(pilot.app.screen, ScorecardScreen)
    await pilot.press("enter")
    await settle(pilot)


async def drive_full_loop(app: InterviewSimApp, services: Services, clock: MovableClock) -> None:
    """Home to summary: code, a hint, typed answers, a skip and a stage clock running out.

    Shared with the LLM-path test, which runs it against the scripted server.
    """
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("l")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert "Question 1/4" in str(screen.query_one("#question-progress", Static).render())

        # Coding: the workspace opens with the starter code; the reference solution passes.
        assert screen.coding and screen.position is not None
        coding = screen.position.question
        assert isinstance(coding, CodingQuestion)
        screen.query_one("#code", TextArea).load_text(coding.reference_solution)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await _continue(pilot)

        # System design: the phase panel is shown; a hint is recorded before answering;
        # typed key by key, Enter makes a new line and ctrl+s submits.
        assert not screen.coding and screen.query_one(PhasePanel).display
        await pilot.press("ctrl+t")
        await settle(pilot)
        await pilot.press(*"Requirements first", "enter", *"then data")
        assert _editor(app).text == "Requirements first\nthen data"
        _editor(app).clear()
        await _answer(pilot, DESIGN_ANSWER)
        await _continue(pilot)

        # ML depth: skipped. The first ctrl+n only says what a skip costs; the second skips.
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        skip_turns = [t for t in services.repo.turns(1) if t.kind == TurnKind.SKIP]
        assert skip_turns == []
        assert any("0/4" in n.message for n in app._notifications)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await _continue(pilot)

        # Behavioral: the stage clock runs out while the answer is being written.
        _editor(app).insert("I owned the incident and rolled back within minutes.")
        clock.advance(minutes=11)
        screen.tick()
        await pilot.pause()
        assert screen.query_one("#time-up", Static).has_class("-visible")
        assert _editor(app).text.startswith("I owned the incident")  # never thrown away
        await pilot.press("ctrl+s")
        await settle(pilot)
        await _continue(pilot)

        assert isinstance(app.screen, SummaryScreen)
        packet = app.screen.query_one("#summary", Markdown).source
        assert "Recommendation" in packet and "Next steps" in packet

    session = services.repo.list_sessions()[0]
    assert session.status == SessionStatus.COMPLETED
    turns = services.repo.turns(session.id)
    assert [t.text for t in turns if t.kind == TurnKind.CODE_RUN] == [coding.reference_solution]
    answers = [t.text for t in turns if t.kind == TurnKind.ANSWER]
    assert answers == [
        DESIGN_ANSWER,
        "I owned the incident and rolled back within minutes.",
    ]
    assert sum(t.kind == TurnKind.HINT for t in turns) == 1
    grades = services.repo.grades(session.id)
    assert [g.skipped for g in grades] == [False, False, True, False]
    assert grades[1].hints_used == 1


@pytest.mark.slow  # a whole loop through the app, every stage
async def test_full_loop_from_home_to_summary(
    make_app: AnswerApp, services: Services, clock: MovableClock
) -> None:
    await drive_full_loop(make_app(), services, clock)


async def test_resume_an_interrupted_session(make_app: AnswerApp, services: Services) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        app.screen.query_one("#drill-count", Input).value = "2"
        await pilot.press("ctrl+s")  # start: two ML depth questions
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        _editor(app).insert("draft that is not submitted")
        await pilot.press("escape")  # refused: the draft would be lost
        assert isinstance(app.screen, InterviewScreen)
        _editor(app).clear()
        await _answer(pilot, "Regularisation trades variance for bias.")
        await _continue(pilot)
    # The app quit on question 2 with the first answer graded and stored.

    session = services.repo.list_sessions()[0]
    assert session.status == SessionStatus.IN_PROGRESS
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert screen.session_id == session.id
        assert "Question 2/2" in str(screen.query_one("#question-progress", Static).render())
        said = [b.entry.body for b in screen.query(ChatBubble)]
        assert "Regularisation trades variance for bias." in said
        await _answer(pilot, "Early stopping also regularises.")
        await _continue(pilot)
        assert isinstance(app.screen, SummaryScreen)
    assert services.repo.get_session(session.id).status == SessionStatus.COMPLETED  # type: ignore[union-attr]


async def test_hints_run_out_and_skip_keeps_a_draft(
    make_app: AnswerApp, services: Services
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen) and screen.position is not None
        available = len(screen.position.question.hints)
        for _ in range(available + 1):
            await pilot.press("ctrl+t")
            await settle(pilot)
        assert any("No more hints" in n.message for n in app._notifications)
        _editor(app).insert("half an answer")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)  # skip refused while a draft exists
        session_id = screen.session_id
    turns = services.repo.turns(session_id)
    assert sum(t.kind == TurnKind.HINT for t in turns) == available
    assert not any(t.kind == TurnKind.SKIP for t in turns)


def _finished_drill(services: Services, answer: str) -> int:
    """A graded one-question drill, written through the engine as an earlier run would."""
    from interview_sim.engine import plan_drill
    from interview_sim.models import SessionMode, Stage

    engine = services.engine
    plan = plan_drill(services.catalog, Stage.ML_DEPTH, 1)
    session_id = engine.start(SessionMode.DRILL, plan)
    engine.advance(session_id)
    engine.submit_answer(session_id, answer)
    return session_id


async def test_history_opens_a_past_scorecard(make_app: AnswerApp, services: Services) -> None:
    first = _finished_drill(services, "A short answer.")
    second = _finished_drill(services, "Another answer about precision and recall.")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        assert table.get_row_at(0)[0] == str(second)  # newest first
        await pilot.press("slash", *"no such thing")
        assert table.row_count == 0
        app.screen.query_one("#history-filter").value = ""  # type: ignore[attr-defined]
        await pilot.pause()
        assert table.row_count == 2
        table.focus()
        await pilot.press("down", "enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, SessionDetailScreen)
        assert detail.session_id == first
        card = detail.query_one("#detail-scorecards", Markdown).source
        assert "Recommendation" in card and "/4" in card
        await pilot.press("escape")
        assert isinstance(app.screen, HistoryScreen)


async def test_end_stage_with_one_scorecard_per_stage(
    settings: Settings, catalog: Catalog, clock: MovableClock
) -> None:
    per_stage = settings.model_copy(
        update={"ui": settings.ui.model_copy(update={"scorecard": "stage"})}
    )
    services = open_services(per_stage, use_llm=False, catalog=catalog)
    app = create_app(services, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        app.screen.query_one("#drill-count", Input).value = "3"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await _answer(pilot, "Weight decay shrinks the weights towards zero.")
        assert isinstance(app.screen, InterviewScreen)  # no scorecard after the question
        _editor(app).insert("A draft is submitted before the stage ends.")
        await pilot.press("ctrl+l")  # asks first, saying what ending costs
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        assert any(n.title == "End this stage?" for n in app._notifications)
        await pilot.press("ctrl+l")
        await settle(pilot)
        card = app.screen
        # The third question was never shown: not reached, so not graded (and not wrong).
        assert isinstance(card, ScorecardScreen) and len(card.grades) == 2
        assert [g.skipped for g in card.grades] == [False, False]
        assert "1 not reached" in card.title_text
        assert "of 10:00" in card.title_text and "time used 00:0" in card.title_text
        await _continue(pilot)
        assert isinstance(app.screen, SummaryScreen)
    turns = services.repo.turns(services.repo.list_sessions()[0].id)
    assert [t.text for t in turns if t.kind == TurnKind.ANSWER] == [
        "Weight decay shrinks the weights towards zero.",
        "A draft is submitted before the stage ends.",
    ]


class BrokenScorer:
    """A grader that always fails, to show that a failure after submitting loses nothing."""

    name = "broken"
    version = "0"

    def grade(self, ctx: QuestionContext) -> Grade:
        raise RuntimeError("the grader is down")


async def test_a_grading_failure_keeps_the_answer(services: Services, clock: MovableClock) -> None:
    engine = InterviewEngine(
        services.catalog, services.repo, BrokenScorer(), services.engine.policy, follow_up_limit=0
    )
    broken = Services(services.settings, services.catalog, services.repo, engine)
    app = create_app(broken, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        await _answer(pilot, "An answer the grader cannot grade.")
        assert any("the grader is down" in n.message for n in app._notifications)
        assert isinstance(app.screen, HomeScreen)  # back home; the session stays resumable
    session = services.repo.list_sessions()[0]
    assert session.status == SessionStatus.IN_PROGRESS
    answers = [t.text for t in services.repo.turns(session.id) if t.kind == TurnKind.ANSWER]
    assert answers == ["An answer the grader cannot grade."]
