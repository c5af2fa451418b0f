"""Next steps and the recommended drill point at practice that targets the gap.

Issue 14 item 4: an A/B-testing gap suggested an optimiser question, a coding gap named a check
the code had already passed and suggested a question already scored 4/4, and the suggestions
named ids. Each case below is built by hand so the expected suggestion can be read off the banks.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta
from pathlib import Path

import pytest

from interview_sim.banks import Catalog
from interview_sim.cli.main import main
from interview_sim.models import (
    CriterionScore,
    Grade,
    PlannedQuestion,
    SessionMode,
    SessionStatus,
    SessionSummary,
    StageResult,
)
from interview_sim.progress.drill import plan_recommended_drill
from interview_sim.progress.models import QuestionProgress
from interview_sim.progress.packet import build_packet, mastered_questions
from interview_sim.store import Repository, open_database
from tests.history_data import HISTORY, T0, Answered, add_session, build_history, fixture_catalog


@pytest.fixture(scope="module")
def history_catalog() -> Catalog:
    return fixture_catalog()


def _graded(
    catalog: Catalog, question_id: str, levels: dict[str, tuple[int, str, list[str]]]
) -> Grade:
    """A grade with the given (level, rationale, missed) per criterion; the rest at level 3."""
    question = catalog.questions[question_id]
    rubric = catalog.rubric_for(question)
    scores = [
        CriterionScore(
            criterion=c.id,
            level=levels.get(c.id, (3, "", []))[0],
            rationale=levels.get(c.id, (3, "", []))[1],
            missed=levels.get(c.id, (3, "", []))[2],
            evidence=["A quote."],
        )
        for c in rubric.criteria
    ]
    total = sum(s.level for s in scores) / len(scores)
    return Grade(
        question_id=question_id,
        stage=question.stage,
        scores=scores,
        total=total,
        hire_signal=rubric.signal_for(total),
        scorer="fixture",
        scorer_version="1",
        rubric_id=rubric.id,
        rubric_version=rubric.version,
    )


def _steps(catalog: Catalog, grade: Grade, mastered: Collection[str] = ()) -> list[str]:
    """The packet's next steps for a one-question drill graded ``grade``."""
    rubric = catalog.rubrics[grade.rubric_id]
    summary = SessionSummary(
        id=1,
        mode=SessionMode.DRILL,
        status=SessionStatus.COMPLETED,
        started_at=T0,
        plan=[PlannedQuestion(stage=grade.stage, question_id=grade.question_id)],
        results=[
            StageResult(
                stage=grade.stage,
                grades=[grade],
                average=grade.total,
                hire_signal=rubric.signal_for(grade.total),
            )
        ],
    )
    return build_packet(summary, [grade], catalog, mastered=mastered).next_steps


def test_an_ab_testing_gap_is_practised_on_experimentation(catalog: Catalog) -> None:
    missed = ["Peeking and early stopping inflate false positives; use sequential methods"]
    grade = _graded(catalog, "ab_test_statistics", {"depth": (1, "", missed)})
    steps = _steps(catalog, grade)
    depth = next(s for s in steps if s.startswith("Practise Depth"))
    suggested = depth.split(' Try "', 1)[1].rstrip('".')
    chosen = next(q for q in catalog.questions.values() if q.title == suggested)
    assert chosen.id != "adam_vs_sgd"
    assert {"experimentation", "ab-testing", "statistics"} & set(chosen.tags)
    assert "ab_test_statistics" not in depth  # titles, not ids


def test_no_suggestion_rather_than_another_topic(history_catalog: Catalog) -> None:
    """trees_a is the only trees question; metrics_b has a depth follow-up but another topic."""
    grade = _graded(history_catalog, "trees_a", {"depth": (1, "", ["decorrelation"])})
    steps = _steps(history_catalog, grade)
    assert steps == ["Practise Depth (ml_depth): decorrelation."]


def test_a_check_the_code_passed_is_not_named_as_the_gap(history_catalog: Catalog) -> None:
    rationale = (
        "level 0 (0.4): 0/1 key points covered (0%); performance test passed;"
        " complexity never stated: judged from the measurement only"
    )
    # The fixture coding rubric has problem solving and correctness only.
    grade = _graded(history_catalog, "pair_sum", {"correctness": (0, rationale, ["O(n) time"])})
    assert _steps(history_catalog, grade)[-1:] == [
        "Practise Correctness (coding): the code already passed (performance test passed);"
        ' say it in words: O(n) time. Try "Maximum window sum".'
    ]


def test_a_mastered_question_is_never_suggested(history_catalog: Catalog) -> None:
    grade = _graded(history_catalog, "pair_sum", {"correctness": (1, "", ["a hash map"])})
    assert _steps(history_catalog, grade)[0].endswith('Try "Maximum window sum".')
    assert _steps(history_catalog, grade, mastered={"window_sum"}) == [
        "Practise Correctness (coding): a hash map."
    ]


def test_mastered_means_the_latest_attempt_is_four(tmp_path: Path) -> None:
    repo = Repository(open_database(str(tmp_path / "m.db")))
    catalog = fixture_catalog()
    add_session(repo, catalog, SessionMode.DRILL, T0, [Answered("window_sum", (4, 4), "Slide.")])
    add_session(repo, catalog, SessionMode.DRILL, T0, [Answered("trees_a", (4, 4), "Average.")])
    assert mastered_questions(repo) == {"window_sum", "trees_a"}
    later = T0 + timedelta(days=1)
    add_session(repo, catalog, SessionMode.DRILL, later, [Answered("window_sum", (2, 2), "Hmm.")])
    assert mastered_questions(repo) == {"trees_a"}


def _seen(question_id: str, latest: float, catalog: Catalog) -> QuestionProgress:
    question = catalog.questions[question_id]
    return QuestionProgress(
        question_id=question_id,
        stage=question.stage,
        title=question.title,
        tags=list(question.tags),
        attempts=1,
        latest=latest,
        best=latest,
        average=latest,
        last_seen=T0,
    )


def test_the_drill_skips_mastered_questions_and_names_titles(history_catalog: Catalog) -> None:
    """pair_sum is weak and due; its only variant, window_sum, was just answered 4/4."""
    history = [_seen("pair_sum", 0.5, history_catalog), _seen("window_sum", 4.0, history_catalog)]
    drill = plan_recommended_drill(
        history_catalog, [], history, now=T0 + timedelta(days=2), count=5
    )
    ids = [i.question_id for i in drill.items]
    assert "window_sum" not in ids
    first = drill.items[0]
    assert (first.question_id, first.kind, first.title) == ("pair_sum", "follow_ups", "Pair sum")
    assert first.reason.endswith('"Pair sum" scored 0.50/4 on 2026-03-01; due again after 1 day(s)')


def test_progress_text_names_questions_by_title(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "cli.db"
    build_history(Repository(open_database(str(db))), fixture_catalog())
    assert main(["--db", str(db), "--bank-dir", str(HISTORY / "bank"), "progress"]) == 0
    out = capsys.readouterr().out
    drill = out.split("Recommended drill:", 1)[1]
    assert '"Pair sum" scored 0.50/4' in drill
    assert "pair_sum" not in drill
    assert "ROC-AUC on imbalanced data" in out.split("Questions seen:", 1)[1]


def test_a_long_title_in_questions_seen_is_cut_with_an_ellipsis(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ "Statistics of an A/B test for a new model" is 41 characters: cut, it must not read as
    a whole title ("... for a new mode")."""
    db, answers = str(tmp_path / "s.db"), tmp_path / "a.yaml"
    answers.write_text("ab_test_statistics: [Pre-register the sample size.]\n", encoding="utf-8")
    run = ["--stage", "ml_depth", "--question", "ab_test_statistics", "--answers", str(answers)]
    assert main(["--db", db, "run", *run]) == 0
    capsys.readouterr()
    assert main(["--db", db, "progress"]) == 0
    seen = capsys.readouterr().out.split("Questions seen:", 1)[1].splitlines()[1]
    assert seen.strip().startswith("Statistics of an A/B test for a new mod… 1x"), seen
