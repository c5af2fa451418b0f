"""A skipped question counts as skipped in progress, never as a measured weakness of its topics."""

from __future__ import annotations

from interview_sim.engine import Graded, InterviewEngine
from interview_sim.models import PlannedQuestion, SessionMode, Stage
from interview_sim.progress.compute import compute_progress
from interview_sim.tui.render import scorecard_markdown


def test_a_skip_is_counted_as_skipped_not_as_a_weak_topic(engine: InterviewEngine) -> None:
    sid = engine.start(
        SessionMode.DRILL, [PlannedQuestion(stage=Stage.ML_DEPTH, question_id="data_leakage")]
    )
    engine.advance(sid)

    events = engine.skip(sid)

    [grade] = [e.grade for e in events if isinstance(e, Graded)]
    assert grade.skipped and grade.total == 0.0
    assert grade.scores == []  # nothing measured, so no criterion reads 0/4
    report = compute_progress(engine.repo, engine.catalog)
    assert report.weak_areas == []
    [ml] = [s for s in report.stages if s.stage == Stage.ML_DEPTH]
    assert ml.skipped == 1


def test_a_skipped_scorecard_says_what_the_skip_cost(engine: InterviewEngine) -> None:
    sid = engine.start(
        SessionMode.DRILL, [PlannedQuestion(stage=Stage.ML_DEPTH, question_id="data_leakage")]
    )
    engine.advance(sid)
    engine.skip(sid)

    card = scorecard_markdown(
        engine.repo.grades(sid), engine.catalog, engine.repo.turns(sid), reveal=False
    )

    assert "You skipped this question: it scores 0/4 in the stage." in card
    assert "| Criterion | Level |" not in card  # no empty table of levels nobody measured
