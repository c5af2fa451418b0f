"""The session reports state one word count per question, as the scorecard does.

Seen: the scorecard said "64 words" (its Communication line) while ``interview-sim report``
listed the scorer's own "63 words in 4 sentence(s)" under Feedback beside a Communication
table of 64: two totals for the same answers.
"""

from __future__ import annotations

from datetime import UTC, datetime

from interview_sim.banks import Catalog
from interview_sim.engine import InterviewEngine
from interview_sim.models import PlannedQuestion, SessionMode, Stage
from interview_sim.reports.build import build_session_report
from interview_sim.reports.render import render_report
from interview_sim.store import Repository

ANSWER = (
    "Active learning is pool-based: train, score the unlabelled pool, label the most"
    " informative documents, retrain. Uncertainty sampling (least-confidence, margin, entropy)"
    " picks near-duplicates in a batch, so I'd add diversity with a core-set over k-means"
    " clusters. Keep a random test set: actively selected data are biased."
)


def test_reports_leave_out_the_scorers_own_word_count(
    catalog: Catalog, repo: Repository, engine: InterviewEngine
) -> None:
    plan = [PlannedQuestion(stage=Stage.ML_DEPTH, question_id="active_learning")]
    sid = engine.start(SessionMode.DRILL, plan)
    engine.advance(sid)
    engine.end_question(sid, ANSWER)
    [grade] = repo.grades(sid)
    assert any(" words in " in line for line in grade.feedback), "the scorer counts words too"
    report = build_session_report(
        engine.summary(sid),
        repo.grades(sid),
        repo.turns(sid),
        catalog,
        generated_at=datetime(2026, 5, 4, tzinfo=UTC),
    )
    for fmt in ("md", "html"):
        text = render_report(report, fmt)
        assert " words in " not in text, fmt
    assert report.questions[0].feedback == [
        line for line in grade.feedback if " words in " not in line
    ]
