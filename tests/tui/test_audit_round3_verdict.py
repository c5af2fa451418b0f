"""A session graded in part has no verdict yet; it is not "Not graded".

Seen in History: a loop whose coding stage was graded (score 2.85) showed "Not graded" in the
Signal column, and its summary opened with "Recommendation: Not graded".
"""

from __future__ import annotations

from datetime import UTC, datetime

from interview_sim.engine import plan_drill
from interview_sim.models import HireSignal, SessionMode, SessionStatus, Stage
from interview_sim.progress.sessions import SessionOutcome
from interview_sim.services import Services
from interview_sim.tui.render import summary_markdown
from interview_sim.tui.screens.history import history_row


def _outcome(score: float | None, signal: HireSignal | None) -> SessionOutcome:
    return SessionOutcome(
        id=3,
        mode=SessionMode.LOOP,
        status=SessionStatus.IN_PROGRESS,
        started_at=datetime(2026, 5, 4, tzinfo=UTC),
        planned=list(Stage),
        stage_averages={Stage.CODING: 2.85} if score is not None else {},
        score=score,
        signal=signal,
    )


def test_history_tells_a_session_graded_in_part_from_one_not_graded() -> None:
    partly = history_row(_outcome(2.85, None))
    assert partly.signal == "None yet"
    assert partly.matches("none yet") and not partly.matches("no hire")
    assert history_row(_outcome(None, None)).signal == "Not graded"
    assert history_row(_outcome(1.2, HireSignal.NO_HIRE)).signal == "No hire"


def test_the_summary_of_an_unfinished_session_has_no_recommendation_yet(
    services: Services,
) -> None:
    plan = [
        *plan_drill(services.catalog, Stage.ML_DEPTH, 1),
        *plan_drill(services.catalog, Stage.BEHAVIORAL, 1),
    ]
    engine = services.engine
    sid = engine.start(SessionMode.LOOP, plan)
    engine.advance(sid)
    engine.submit_answer(sid, "Leakage is information at training time absent at serving time.")
    text = summary_markdown(engine.summary(sid), services.catalog, drill_key=False)
    assert "**Recommendation: none yet**. A planned stage has no grade yet" in text
    assert "Recommendation: Not graded" not in text
