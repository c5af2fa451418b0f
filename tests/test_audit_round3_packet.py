"""Next steps say only what is true of the session they follow.

Seen in a loop where coding and behavioral were both "no hire": "Retake the behavioral stage
first: it decided this loop", though the rule that fired counts both. A coding gap whose code
failed most tests advised practising a key point the candidate had said, with no word about
the failing tests. An unfinished drill was told to "Finish the loop".
"""

from __future__ import annotations

from datetime import UTC, datetime

from interview_sim.banks import Catalog
from interview_sim.models import (
    CriterionScore,
    Grade,
    HireSignal,
    PlannedQuestion,
    SessionMode,
    SessionStatus,
    SessionSummary,
    Stage,
    StageResult,
)
from interview_sim.progress.packet import RULE_INCOMPLETE, RULE_TWO_NO_HIRES, build_packet

QUESTIONS = {
    Stage.CODING: "anagram_query_groups",
    Stage.SYSTEM_DESIGN: "ads_ctr_prediction",
    Stage.ML_DEPTH: "active_learning",
    Stage.BEHAVIORAL: "adopting_ai_tools",
}
SIGNALS = {
    Stage.CODING: (1.6, HireSignal.NO_HIRE),
    Stage.SYSTEM_DESIGN: (2.4, HireSignal.LEAN_HIRE),
    Stage.ML_DEPTH: (3.6, HireSignal.STRONG_HIRE),
    Stage.BEHAVIORAL: (1.45, HireSignal.NO_HIRE),
}


def _grade(catalog: Catalog, stage: Stage, level: int, rationale: str = "") -> Grade:
    question = catalog.questions[QUESTIONS[stage]]
    rubric = catalog.rubric_for(question)
    total, signal = SIGNALS[stage]
    return Grade(
        question_id=question.id,
        stage=stage,
        scores=[
            CriterionScore(
                criterion=c.id, level=level, rationale=rationale, missed=["a missed point"]
            )
            for c in rubric.criteria
        ],
        total=total,
        hire_signal=signal,
        scorer="offline-rubric",
        scorer_version="test",
        rubric_id=rubric.id,
        rubric_version=rubric.version,
    )


def _summary(mode: SessionMode, stages: list[Stage], grades: list[Grade]) -> SessionSummary:
    return SessionSummary(
        id=1,
        mode=mode,
        status=SessionStatus.COMPLETED,
        started_at=datetime(2026, 5, 4, tzinfo=UTC),
        plan=[PlannedQuestion(stage=s, question_id=QUESTIONS[s]) for s in stages],
        results=[
            StageResult(stage=g.stage, grades=[g], average=g.total, hire_signal=SIGNALS[g.stage][1])
            for g in grades
        ],
    )


def test_two_stages_at_no_hire_are_both_named_as_deciding_the_loop(catalog: Catalog) -> None:
    grades = [
        _grade(catalog, Stage.CODING, 2),
        _grade(catalog, Stage.SYSTEM_DESIGN, 2),
        _grade(catalog, Stage.ML_DEPTH, 4),
        _grade(catalog, Stage.BEHAVIORAL, 0),
    ]
    packet = build_packet(_summary(SessionMode.LOOP, list(Stage), grades), grades, catalog)
    assert packet.rule == RULE_TWO_NO_HIRES
    first = packet.next_steps[0]
    assert first.startswith("Retake the behavioral stage first: of coding and behavioral,")
    assert "which decided this loop together, it is the weakest" in first
    assert "it decided this loop" not in first


def test_a_coding_gap_with_failing_tests_says_to_fix_the_code_first(catalog: Catalog) -> None:
    rationale = "level 0 (0.0): 0/1 key points covered (27%); tests passed 2/10"
    grades = [_grade(catalog, Stage.CODING, 0, rationale)]
    packet = build_packet(_summary(SessionMode.DRILL, [Stage.CODING], grades), grades, catalog)
    steps = [s for s in packet.next_steps if s.startswith("Practise")]
    assert steps and all(
        "fix the code first (it passed 2 of 10 tests in your last submission); then:" in s
        for s in steps
    )

    slow = "level 1 (1.0): performance test too slow"
    grades = [_grade(catalog, Stage.CODING, 1, slow)]
    packet = build_packet(_summary(SessionMode.DRILL, [Stage.CODING], grades), grades, catalog)
    assert any("the performance test found it too slow" in s for s in packet.next_steps)

    passed = "level 2 (2.0): tests passed 10/10"
    grades = [_grade(catalog, Stage.CODING, 2, passed)]
    packet = build_packet(_summary(SessionMode.DRILL, [Stage.CODING], grades), grades, catalog)
    assert not any("fix the code first" in s for s in packet.next_steps)


def test_an_unfinished_drill_is_told_to_finish_the_drill(catalog: Catalog) -> None:
    grades = [_grade(catalog, Stage.CODING, 2)]
    stages = [Stage.CODING, Stage.ML_DEPTH]
    packet = build_packet(_summary(SessionMode.DRILL, stages, grades), grades, catalog)
    assert packet.rule == RULE_INCOMPLETE
    assert "Finish the drill (ml_depth) to get a recommendation." in packet.next_steps
