"""Time a crashed or sleeping process was away is never the candidate's, headless.

A crashed app's open stretch used to carry on when the app came back within 90 s (the
downtime counted), and the app's first heartbeat on resuming stretched it to "now" before the
question's clock was reopened, so a crash resumed the next day cost the whole day.
"""

from __future__ import annotations

from interview_sim.banks import Catalog
from interview_sim.engine import InterviewEngine
from interview_sim.models import PlannedQuestion, SessionMode, Stage
from interview_sim.store import Repository
from tests.test_engine_time import Wall, _engine, wall

PLAN = [PlannedQuestion(stage=Stage.ML_DEPTH, question_id="data_leakage")]

__all__ = ["wall"]  # the movable wall clock fixture, shared with the other clock tests


def _used(engine: InterviewEngine, sid: int) -> float:
    clock = engine.time(sid, live=True).stage(Stage.ML_DEPTH)
    assert clock is not None
    return clock.time_used_seconds


def _crashed_after_two_minutes(catalog: Catalog, repo: Repository, wall: Wall) -> int:
    first = _engine(catalog, repo, wall)
    sid = first.start(SessionMode.DRILL, PLAN)
    first.advance(sid)  # the question is shown: its stretch opens
    for _ in range(8):  # the app beats every 15 s
        wall.wait(seconds=15)
        first.beat_clock(sid)
    wall.wait(seconds=10)  # killed here (kill -9): the stretch is left open
    return sid


def test_coming_back_soon_after_a_crash_does_not_count_the_downtime(
    catalog: Catalog, repo: Repository, wall: Wall
) -> None:
    sid = _crashed_after_two_minutes(catalog, repo, wall)
    wall.wait(seconds=30)  # relaunched within the 90 s a live process would beat in
    again = _engine(catalog, repo, wall)
    again.open_clock(sid)
    wall.wait(seconds=60)
    assert _used(again, sid) == 180.0  # 120 s before the last beat + 60 s since coming back


def test_the_first_heartbeat_after_resuming_does_not_stretch_over_the_crash(
    catalog: Catalog, repo: Repository, wall: Wall
) -> None:
    sid = _crashed_after_two_minutes(catalog, repo, wall)
    wall.wait(days=1)
    again = _engine(catalog, repo, wall)
    again.beat_clock(sid)  # the app's tick can beat before the question's clock reopens
    again.open_clock(sid)
    wall.wait(seconds=30)
    again.beat_clock(sid)
    assert _used(again, sid) == 150.0
    assert _used(again, sid) == _used(_engine(catalog, repo, wall), sid)  # a report agrees


def test_a_live_process_keeps_its_own_stretch(
    catalog: Catalog, repo: Repository, wall: Wall
) -> None:
    engine = _engine(catalog, repo, wall)
    sid = engine.start(SessionMode.DRILL, PLAN)
    engine.advance(sid)
    for _ in range(8):
        wall.wait(seconds=15)
        engine.beat_clock(sid)
    engine.open_clock(sid)  # a help screen closed: same question, same stretch
    wall.wait(seconds=5)
    engine.pause_clock(sid)
    assert len(repo.time_spans(sid)) == 1
    assert _used(engine, sid) == 125.0


def test_a_questions_budget_is_cut_to_what_the_stage_has_left(
    catalog: Catalog, repo: Repository, wall: Wall
) -> None:
    engine = _engine(catalog, repo, wall)
    plan = [*PLAN, PlannedQuestion(stage=Stage.ML_DEPTH, question_id="concept_drift")]
    sid = engine.start(SessionMode.DRILL, plan)
    engine.advance(sid)
    wall.wait(minutes=16)  # of the stage's 20
    engine.submit_answer(sid, "Leakage is training-time information absent at serving time.")
    clock = engine.time(sid).stage(Stage.ML_DEPTH)
    assert clock is not None
    assert clock.question_budget_seconds == 600.0  # the even share
    assert clock.question_budget("concept_drift") == 240.0  # but 4 minutes are left
    wall.wait(minutes=10)  # the stage runs over: no question has time left
    engine.beat_clock(sid)
    clock = engine.time(sid).stage(Stage.ML_DEPTH)
    assert clock is not None and clock.remaining_seconds < 0
    assert clock.question_budget("concept_drift") == clock.question_seconds["concept_drift"]
