"""The clock is an engine fact: only time spent in a question counts, headless through the engine.

A movable clock stands in for the wall: breaks, a closed app, a crash and the next day are
minutes and days added to it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from interview_sim.banks import Catalog
from interview_sim.engine import Graded, InterviewEngine, StageDone
from interview_sim.engine.hints import key_point_hint
from interview_sim.engine.policy import BankedFollowUpPolicy
from interview_sim.models import PlannedQuestion, SessionMode, Stage, TurnKind
from interview_sim.scoring import OfflineRubricScorer
from interview_sim.store import Repository

START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
ANSWER = "Leakage is information at training time that is absent at serving time."


class Wall:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def wait(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def wall() -> Wall:
    return Wall()


def _engine(catalog: Catalog, repo: Repository, wall: Wall, follow_ups: int = 0) -> InterviewEngine:
    scorer = OfflineRubricScorer()
    return InterviewEngine(
        catalog,
        repo,
        scorer,
        BankedFollowUpPolicy(scorer),
        follow_up_limit=follow_ups,
        stage_minutes={Stage.ML_DEPTH: 20, Stage.BEHAVIORAL: 10},
        clock=wall,
    )


PLAN = [
    PlannedQuestion(stage=Stage.ML_DEPTH, question_id="data_leakage"),
    PlannedQuestion(stage=Stage.ML_DEPTH, question_id="concept_drift"),
    PlannedQuestion(stage=Stage.BEHAVIORAL, question_id="production_incident"),
]


def _used(engine: InterviewEngine, sid: int, stage: Stage, *, live: bool = False) -> float:
    clock = engine.time(sid, live=live).stage(stage)
    assert clock is not None
    return clock.time_used_seconds


def test_a_break_between_questions_costs_no_time(
    catalog: Catalog, repo: Repository, wall: Wall
) -> None:
    engine = _engine(catalog, repo, wall)
    sid = engine.start(SessionMode.LOOP, PLAN)
    engine.advance(sid)
    wall.wait(minutes=4)
    engine.submit_answer(sid, ANSWER)  # graded: the clock stops, concept_drift is asked
    wall.wait(minutes=1)
    engine.pause_clock(sid)  # the candidate closes the app
    wall.wait(days=1)
    engine.open_clock(sid)  # and comes back the next day
    wall.wait(seconds=60)

    # The live interface counts its open stretch to now; a report reads committed facts
    # only: the open stretch up to its last heartbeat.
    assert _used(engine, sid, Stage.ML_DEPTH, live=True) == 360.0
    assert _used(engine, sid, Stage.ML_DEPTH) == 300.0
    engine.beat_clock(sid)
    wall.wait(seconds=60)
    engine.beat_clock(sid)
    time = engine.time(sid).stage(Stage.ML_DEPTH)
    assert time is not None
    assert time.question_seconds == {"data_leakage": 240.0, "concept_drift": 180.0}
    assert time.time_used_seconds == 420.0 and time.budget_seconds == 20 * 60
    assert time.question_budget_seconds == 600.0


def test_a_crash_loses_at_most_the_time_since_the_last_heartbeat(
    catalog: Catalog, repo: Repository, wall: Wall
) -> None:
    engine = _engine(catalog, repo, wall)
    sid = engine.start(SessionMode.LOOP, PLAN)
    engine.advance(sid)
    wall.wait(minutes=3)
    engine.beat_clock(sid)
    wall.wait(seconds=10)  # the process dies here, the stretch still open

    wall.wait(hours=9)
    again = _engine(catalog, repo, wall)  # a new process resumes
    assert _used(again, sid, Stage.ML_DEPTH, live=True) == 180.0  # stale: ends at its beat
    again.open_clock(sid)
    wall.wait(seconds=60)

    spans = repo.time_spans(sid)
    assert [s.closed_at for s in spans] == [START + timedelta(minutes=3), None]
    assert _used(again, sid, Stage.ML_DEPTH, live=True) == 240.0


def test_reopening_a_live_question_does_not_restart_its_stretch(
    catalog: Catalog, repo: Repository, wall: Wall
) -> None:
    engine = _engine(catalog, repo, wall)
    sid = engine.start(SessionMode.LOOP, PLAN)
    engine.advance(sid)
    wall.wait(seconds=30)
    engine.open_clock(sid)  # e.g. a help screen closed: same question, still being beaten
    wall.wait(seconds=30)
    assert len(repo.time_spans(sid)) == 1
    assert _used(engine, sid, Stage.ML_DEPTH, live=True) == 60.0


def test_resuming_the_next_day_does_not_end_the_stage_or_grade_unseen_questions(
    catalog: Catalog, repo: Repository, wall: Wall
) -> None:
    engine = _engine(catalog, repo, wall)
    sid = engine.start(SessionMode.LOOP, PLAN)
    engine.advance(sid)
    wall.wait(minutes=2)
    engine.pause_clock(sid)
    wall.wait(days=1)
    engine.open_clock(sid)
    wall.wait(seconds=60)

    events = engine.submit_answer(sid, ANSWER)

    time = engine.time(sid, live=True).stage(Stage.ML_DEPTH)
    assert time is not None and time.remaining_seconds == 20 * 60 - 180
    assert [e.grade.question_id for e in events if isinstance(e, Graded)] == ["data_leakage"]
    assert not any(isinstance(e, StageDone) for e in events)
    pos = engine.position(sid)
    assert pos is not None and pos.question.id == "concept_drift"


def test_ending_a_stage_leaves_unseen_questions_not_reached_not_wrong(
    catalog: Catalog, repo: Repository, wall: Wall
) -> None:
    engine = _engine(catalog, repo, wall)
    sid = engine.start(SessionMode.LOOP, PLAN)
    engine.advance(sid)
    engine.submit_answer(sid, ANSWER)  # concept_drift is now on screen

    events = engine.end_stage(sid)

    grades = {g.question_id: g for g in repo.grades(sid)}
    assert set(grades) == {"data_leakage", "concept_drift"}
    assert grades["concept_drift"].skipped and grades["concept_drift"].scores == []
    [done] = [e for e in events if isinstance(e, StageDone)]
    assert done.result.not_reached == []  # both were seen
    summary = engine.summary(sid)
    assert summary.results[0].grades[0].question_id == "data_leakage"


def test_a_stage_ended_on_its_first_question_reports_the_rest_not_reached(
    catalog: Catalog, repo: Repository, wall: Wall
) -> None:
    engine = _engine(catalog, repo, wall)
    sid = engine.start(SessionMode.LOOP, PLAN)
    engine.advance(sid)

    engine.end_stage(sid, ANSWER)  # time is up: the draft is committed and graded

    [grade] = repo.grades(sid)
    assert grade.question_id == "data_leakage" and not grade.skipped
    assert all("off-topic" not in s.rationale for s in grade.scores)
    result = engine.summary(sid).results[0]
    assert result.not_reached == ["concept_drift"]
    assert result.average == grade.total  # the unseen question does not pull the stage down
    asked = [t.question_id for t in repo.turns(sid) if t.kind == TurnKind.QUESTION]
    assert asked == ["data_leakage", "production_incident"]


def test_ending_a_question_stores_no_follow_up_the_candidate_never_saw(
    catalog: Catalog, repo: Repository, wall: Wall
) -> None:
    engine = _engine(catalog, repo, wall, follow_ups=2)
    sid = engine.start(SessionMode.LOOP, PLAN)
    engine.advance(sid)
    engine.submit_answer(sid, ANSWER)  # a follow-up is asked and shown

    engine.end_question(sid, "Split by time and fit preprocessing on the training fold only.")

    kinds = [t.kind for t in repo.turns(sid) if t.question_id == "data_leakage"]
    assert kinds == [TurnKind.QUESTION, TurnKind.ANSWER, TurnKind.FOLLOW_UP, TurnKind.ANSWER]
    assert [g.question_id for g in repo.grades(sid)] == ["data_leakage"]


def test_ending_a_stage_with_a_draft_stores_no_unseen_follow_up(
    catalog: Catalog, repo: Repository, wall: Wall
) -> None:
    engine = _engine(catalog, repo, wall, follow_ups=2)
    sid = engine.start(SessionMode.LOOP, PLAN)
    engine.advance(sid)

    engine.end_stage(sid, ANSWER)

    kinds = [t.kind for t in repo.turns(sid) if t.question_id == "data_leakage"]
    assert kinds == [TurnKind.QUESTION, TurnKind.ANSWER]


def test_a_hint_during_a_follow_up_is_about_the_follow_up(
    catalog: Catalog, repo: Repository, wall: Wall
) -> None:
    engine = _engine(catalog, repo, wall, follow_ups=2)
    sid = engine.start(SessionMode.LOOP, PLAN)
    engine.advance(sid)
    engine.submit_answer(sid, ANSWER)
    pos = engine.position(sid)
    assert pos is not None
    follow_up = pos.turns[-1]
    assert follow_up.kind == TurnKind.FOLLOW_UP

    hint = engine.hint(sid)

    assert hint is not None and hint.criterion == follow_up.criterion
    question = catalog.questions["data_leakage"]
    banked = set(question.hints) | {key_point_hint(k.text) for k in question.key_points}
    assert hint.text in banked  # something about the question, not the rubric restated
    assert engine.hint(sid) is None  # one hint per follow-up
    engine.submit_answer(sid, "Use a time-based split.")
    pos = engine.position(sid)
    if pos is not None and pos.question.id == "data_leakage" and question.hints:
        main = engine.hint(sid)  # the next follow-up's hint, not one of the question's
        assert main is not None and main.criterion is not None
