"""The history screen's weak areas and its recommended-drill key, against the core's review."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import Label, Static

from interview_sim.engine import plan_drill
from interview_sim.models import SessionMode, SessionStatus, Stage
from interview_sim.progress.review import review
from interview_sim.progress.weak_areas import criterion_label
from interview_sim.services import Services
from interview_sim.tui import InterviewSimApp
from interview_sim.tui.screens.interview import InterviewScreen
from tests.tui.conftest import FIXED_NOW, MovableClock, freeze_timestamps, open_history, settle

ML_DEPTH_ANSWER = (
    "Pre-register the primary metric, the MDE, power, alpha and the sample size, because a "
    "test sized after the fact cannot detect a 0.1 point lift. "
    "The p-value is not the probability that the treatment is better, because it assumes "
    "there is no difference and says how surprising the gap would be."
)


def _graded_drill(services: Services, stage: Stage, answer: str) -> int:
    """A one-question drill answered and graded through the engine, as an earlier run would."""
    engine = services.engine
    session_id = engine.start(SessionMode.DRILL, plan_drill(services.catalog, stage, 1))
    engine.advance(session_id)
    engine.submit_answer(session_id, answer)
    return session_id


def _text(widget: Static) -> str:
    return str(widget.content)


async def test_weak_areas_and_the_recommended_drill_key(
    make_app: Callable[..., InterviewSimApp], services: Services, clock: MovableClock
) -> None:
    session_id = _graded_drill(services, Stage.ML_DEPTH, ML_DEPTH_ANSWER)
    (grade,) = services.repo.grades(session_id)
    # One graded answer: each criterion's weighted level is its level in that grade.
    levels = sorted((s.level, s.criterion) for s in grade.scores)
    assert levels[0][0] < levels[1][0], "the fixture needs one clearly weakest criterion"
    weakest_level, weakest = levels[0]
    # Two days on, the weak answer is due again: the drill starts with a variant of it, which
    # only the app's clock (not the wall clock) makes due.
    clock.advance(days=2)
    expected = review(services.repo, services.catalog, now=clock()).drill
    assert expected.items[0].kind == "variant"
    assert expected.items[0].revisits == grade.question_id

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_history(pilot)
        first_area = _text(screen.query_one("#weak-areas", Static)).splitlines()[0]
        name = criterion_label(services.catalog, Stage.ML_DEPTH, weakest)
        assert first_area == f"{weakest_level:.2f}  ML depth · {name}"
        questions = [_text(label) for label in screen.query(".drill-question").results(Label)]
        titles = [services.catalog.questions[i.question_id].title for i in expected.items]
        # The title first (two questions of one stage differ there), the stage after it.
        assert [q.split(". ", 1)[1].rsplit(" · ", 1)[0] for q in questions] == titles
        reasons = [_text(label) for label in screen.query(".drill-reason").results(Label)]
        assert reasons == [i.reason for i in expected.items]

        await pilot.press("r")
        await settle(pilot)
        interview = app.screen
        assert isinstance(interview, InterviewScreen) and interview.position is not None
        assert interview.position.question.id == expected.items[0].question_id

    started = services.repo.get_session(interview.session_id)
    assert started is not None
    assert started.mode == SessionMode.DRILL and started.status == SessionStatus.IN_PROGRESS
    assert started.plan == expected.plan()


async def test_without_history_the_key_starts_unseen_questions(
    make_app: Callable[..., InterviewSimApp], services: Services, clock: MovableClock
) -> None:
    expected = review(services.repo, services.catalog, now=clock()).drill
    assert expected.items and all(i.kind == "fresh" for i in expected.items)

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        assert "nothing is graded" in _text(screen.query_one("#weak-areas", Static))
        await pilot.press("r")
        await settle(pilot)
        interview = app.screen
        assert isinstance(interview, InterviewScreen) and interview.position is not None
        assert interview.position.question.id == expected.items[0].question_id


def test_history_small_terminal(
    snap_compare: Callable[..., bool],
    make_app: Callable[..., InterviewSimApp],
    services: Services,
    clock: MovableClock,
) -> None:
    """At 80x24 the table keeps its rows; each area and question takes one line."""
    clock.fixed = FIXED_NOW
    _graded_drill(services, Stage.ML_DEPTH, ML_DEPTH_ANSWER)
    _graded_drill(services, Stage.BEHAVIORAL, "I led the rollback and wrote the review.")
    freeze_timestamps(services.settings.db)

    async def open_history(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        await settle(pilot)
        pilot.app.screen.set_focus(None)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=open_history)
