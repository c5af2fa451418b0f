"""A recommended drill that presses on follow-ups asks those follow-ups (issue 18)."""

from __future__ import annotations

from interview_sim.engine import FollowUpAsked, InterviewEngine
from interview_sim.models import AnyQuestion, SessionMode, Stage
from interview_sim.progress.models import DrillItem, RecommendedDrill

ANSWER = (
    "I would clarify the requirements first, then pick a simple baseline, measure it and"
    " iterate on the biggest error source."
)


def _question(engine: InterviewEngine) -> AnyQuestion:
    """A question with several banked follow-ups, so the plan's choice can be told apart."""
    return next(q for q in engine.catalog.by_stage(Stage.ML_DEPTH) if len(q.follow_ups) >= 2)


def _first_follow_up(engine: InterviewEngine, item: DrillItem) -> str:
    sid = engine.start(SessionMode.DRILL, RecommendedDrill(items=[item]).plan())
    engine.advance(sid)
    asked = [e for e in engine.submit_answer(sid, ANSWER) if isinstance(e, FollowUpAsked)]
    assert len(asked) == 1
    return asked[0].turn.text


def test_the_drill_asks_the_follow_ups_it_planned(engine: InterviewEngine) -> None:
    question = _question(engine)
    item = DrillItem(
        stage=question.stage, question_id=question.id, kind="follow_ups", reason="due again"
    )
    unplanned = _first_follow_up(engine, item)
    pressed = next(f.text for f in question.follow_ups if f.text != unplanned)

    planned = item.model_copy(update={"follow_ups": [pressed]})
    [plan] = RecommendedDrill(items=[planned]).plan()
    assert plan.follow_ups == [pressed]
    assert _first_follow_up(engine, planned) == pressed


def test_planned_follow_ups_survive_a_restart(engine: InterviewEngine) -> None:
    """The plan is stored with its follow-ups, so a resumed drill presses on the same ones."""
    question = _question(engine)
    pressed = question.follow_ups[-1].text
    item = DrillItem(
        stage=question.stage,
        question_id=question.id,
        kind="follow_ups",
        reason="due again",
        follow_ups=[pressed],
    )
    sid = engine.start(SessionMode.DRILL, RecommendedDrill(items=[item]).plan())
    stored = engine.repo.get_session(sid)
    assert stored is not None and stored.plan[0].follow_ups == [pressed]
    position = engine.position(sid)
    assert position is not None
    assert [f.text for f in position.question.follow_ups] == [pressed]


def test_items_without_follow_ups_plan_the_bank_as_it_is(engine: InterviewEngine) -> None:
    question = _question(engine)
    item = DrillItem(stage=question.stage, question_id=question.id, kind="targeted", reason="r")
    [plan] = RecommendedDrill(items=[item]).plan()
    assert plan.follow_ups is None
    sid = engine.start(SessionMode.DRILL, [plan])
    position = engine.position(sid)
    assert position is not None and position.question.follow_ups == question.follow_ups
