"""A drill whose low score comes from a skipped question says so in its next steps, instead of
"no gaps at level 2 or below: practise harder questions"."""

from __future__ import annotations

from interview_sim.banks import Catalog
from interview_sim.engine import InterviewEngine
from interview_sim.models import PlannedQuestion, SessionMode, Stage
from interview_sim.progress.packet import build_packet


def test_a_skip_that_pulled_a_drill_down_is_the_next_step(
    engine: InterviewEngine, catalog: Catalog
) -> None:
    first, second = "data_leakage", "concept_drift"
    plan = [
        PlannedQuestion(stage=Stage.ML_DEPTH, question_id=first),
        PlannedQuestion(stage=Stage.ML_DEPTH, question_id=second),
    ]
    sid = engine.start(SessionMode.DRILL, plan)
    engine.advance(sid)
    answer = catalog.questions[first].model_answer
    for _ in range(6):
        position = engine.position(sid)
        assert position is not None
        if position.question.id != first:
            break
        engine.submit_answer(sid, answer)
    engine.skip(sid)

    grades = engine.repo.grades(sid)
    assert [g.question_id for g in grades if g.skipped] == [second]
    packet = build_packet(engine.summary(sid), grades, catalog)
    title = catalog.questions[second].title
    assert any(
        step.startswith(f'Answer what you skipped ("{title}")') for step in packet.next_steps
    )
    assert not any("practise harder questions" in step for step in packet.next_steps)
