from __future__ import annotations

from interview_sim.engine import (
    AnswerStored,
    FollowUpAsked,
    Graded,
    InterviewEngine,
    QuestionAsked,
    SessionDone,
    StageDone,
    plan_drill,
    plan_loop,
)
from interview_sim.models import LOOP_ORDER, PlannedQuestion, SessionMode, Stage, TurnKind

STRONG = (
    "I would start by clarifying requirements and constraints, then use a hash map from value to"
    " index so each element is checked once, giving linear time and linear extra space. I would"
    " test empty input, duplicates and negative numbers."
)


def test_loop_plan_covers_every_stage_in_order(engine: InterviewEngine) -> None:
    plan = plan_loop(engine.catalog, dict.fromkeys(Stage, 1))
    assert [p.stage for p in plan] == list(LOOP_ORDER)


def test_recently_seen_questions_come_last(engine: InterviewEngine) -> None:
    """Unseen questions keep the bank's id order; the recently seen one moves to the end."""
    pool = sorted(q.id for q in engine.catalog.by_stage(Stage.CODING))
    first = plan_drill(engine.catalog, Stage.CODING, 1)[0].question_id
    assert first == pool[0]
    ranked = plan_drill(engine.catalog, Stage.CODING, len(pool), recently_seen={first})
    assert [p.question_id for p in ranked] == [*pool[1:], first]


def test_drill_asks_follows_up_grades_and_finishes(engine: InterviewEngine) -> None:
    plan = plan_drill(engine.catalog, Stage.CODING, 1)
    sid = engine.start(SessionMode.DRILL, plan)
    events = engine.advance(sid)
    assert isinstance(events[0], QuestionAsked)
    events = engine.submit_answer(sid, STRONG)
    assert isinstance(events[0], AnswerStored)
    assert isinstance(events[1], FollowUpAsked)
    events = engine.submit_answer(sid, "I would add property-based tests against a brute force.")
    kinds = [type(e) for e in events]
    assert kinds == [AnswerStored, Graded, StageDone, SessionDone]
    grade = events[1].grade  # type: ignore[union-attr]
    assert grade.scorer == "offline-rubric"
    assert grade.rubric_version
    answer = STRONG + "\nI would add property-based tests against a brute force."
    for score in grade.scores:
        assert all(quote in answer for quote in score.evidence)


def test_stages_record_start_end_and_budget(engine: InterviewEngine) -> None:
    engine.stage_minutes = {Stage.CODING: 45}
    sid = engine.start(SessionMode.DRILL, plan_drill(engine.catalog, Stage.CODING, 1))
    engine.advance(sid)
    [record] = engine.repo.stages(sid)
    assert record.budget_seconds == 45 * 60 and record.finished_at is None
    engine.skip(sid)
    [record] = engine.repo.stages(sid)
    assert record.finished_at is not None


def test_one_word_answer_scores_low(engine: InterviewEngine) -> None:
    sid = engine.start(SessionMode.DRILL, plan_drill(engine.catalog, Stage.CODING, 1))
    engine.advance(sid)
    engine.submit_answer(sid, "hashmap")
    events = engine.end_question(sid)
    grade = next(e.grade for e in events if isinstance(e, Graded))
    assert grade.total <= 1.0


def test_hint_is_recorded_and_costs_score(engine: InterviewEngine) -> None:
    plan = plan_drill(engine.catalog, Stage.CODING, 1)
    totals = []
    for use_hint in (False, True):
        sid = engine.start(SessionMode.DRILL, plan)
        engine.advance(sid)
        if use_hint:
            hint = engine.hint(sid)
            assert hint is not None and hint.kind == TurnKind.HINT
            assert hint.text == engine.catalog.questions[plan[0].question_id].hints[0]
        engine.submit_answer(sid, STRONG)
        grade = next(e.grade for e in engine.end_question(sid) if isinstance(e, Graded))
        totals.append(grade.total)
        assert grade.hints_used == int(use_hint)
    assert totals[1] < totals[0]


def test_skip_grades_zero_and_moves_on(engine: InterviewEngine) -> None:
    sid = engine.start(SessionMode.DRILL, plan_drill(engine.catalog, Stage.CODING, 2))
    engine.advance(sid)
    events = engine.skip(sid)
    assert isinstance(events[0], Graded) and events[0].grade.skipped
    assert isinstance(events[-1], QuestionAsked)


def test_resume_derives_position_from_committed_turns(engine: InterviewEngine) -> None:
    sid = engine.start(SessionMode.DRILL, plan_drill(engine.catalog, Stage.CODING, 1))
    engine.advance(sid)
    # simulate a crash right after the answer commit, before the follow-up was chosen
    pos = engine.position(sid)
    assert pos is not None
    engine.repo.add_turn(
        pos.turns[0].model_copy(update={"id": None, "kind": TurnKind.ANSWER, "text": STRONG})
    )
    events = engine.advance(sid)
    assert isinstance(events[0], FollowUpAsked)


def test_end_stage_grades_answered_questions_and_leaves_unseen_ones_not_reached(
    engine: InterviewEngine,
) -> None:
    plan = [
        PlannedQuestion(stage=Stage.ML_DEPTH, question_id="data_leakage"),
        PlannedQuestion(stage=Stage.ML_DEPTH, question_id="concept_drift"),
        PlannedQuestion(stage=Stage.BEHAVIORAL, question_id="production_incident"),
    ]
    sid = engine.start(SessionMode.LOOP, plan)
    engine.advance(sid)
    engine.submit_answer(sid, "Leakage is information at training time that is absent at serving.")

    events = engine.end_stage(sid)

    graded = {g.question_id: g for g in engine.repo.grades(sid)}
    assert set(graded) == {"data_leakage"}  # concept_drift was never shown: not graded
    assert not graded["data_leakage"].skipped
    [done] = [e for e in events if isinstance(e, StageDone)]
    assert done.stage == Stage.ML_DEPTH and done.result.not_reached == ["concept_drift"]
    assert [g.question_id for g in done.result.grades] == ["data_leakage"]
    pos = engine.position(sid)
    assert pos is not None and pos.question.id == "production_incident"
    answers = [t.text for t in engine.repo.turns(sid) if t.kind == TurnKind.ANSWER]
    assert answers == ["Leakage is information at training time that is absent at serving."]
