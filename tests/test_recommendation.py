"""One session, one verdict: every place that shows a session's recommendation agrees.

The fixture history (``tests/history_data.py``) has two loops where the packet rules and the
weakest stage disagree: session 3 (strong hire, lean hire, hire, hire) is a hire by the lower
median although its weakest stage is lean hire; session 4 is vetoed to no hire by its strong no
hire coding stage. The engine summary, History's rows, ``sessions list|show --json``, the summary
screen's packet and the report must all say the packet's word.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from interview_sim.banks import Catalog
from interview_sim.cli.main import main
from interview_sim.engine import InterviewEngine
from interview_sim.engine.policy import BankedFollowUpPolicy
from interview_sim.models import (
    CriterionScore,
    Grade,
    HireSignal,
    PlannedQuestion,
    SessionMode,
    Stage,
)
from interview_sim.progress.packet import (
    RULE_INCOMPLETE,
    RULE_MEDIAN,
    RULE_VETO,
    build_packet,
    session_recommendation,
)
from interview_sim.progress.sessions import session_outcomes
from interview_sim.reports.build import build_session_report
from interview_sim.reports.render import render_report
from interview_sim.scoring import OfflineRubricScorer
from interview_sim.store import Repository, open_database
from tests.history_data import HISTORY, T0, build_history, fixture_catalog

H = HireSignal
EXPECTED = {3: (H.HIRE, RULE_MEDIAN), 4: (H.NO_HIRE, RULE_VETO)}


@pytest.fixture
def db(tmp_path: Path) -> tuple[Path, Repository, Catalog, list[int]]:
    """The fixture history plus an unfinished loop, in a file the CLI can open too."""
    path = tmp_path / "verdicts.db"
    repo = Repository(open_database(str(path)))
    # The fixture rubrics have the built-in rubrics' ids and thresholds, so the CLI (which reads
    # the built-in rubrics) derives the same stage signals from these grades.
    catalog = fixture_catalog()
    ids = build_history(repo, catalog)
    # Two stages planned, only the coding one graded: no recommendation yet, anywhere.
    plan = [
        PlannedQuestion(stage=Stage.CODING, question_id="pair_sum"),
        PlannedQuestion(stage=Stage.SYSTEM_DESIGN, question_id="fraud"),
    ]
    partial = repo.create_session(SessionMode.LOOP, plan, started_at=T0 + timedelta(days=9)).id
    rubric = catalog.rubric_for(catalog.questions["pair_sum"])
    scores = [CriterionScore(criterion=c.id, level=4) for c in rubric.criteria]
    repo.add_grade(
        partial,
        Grade(
            question_id="pair_sum",
            stage=Stage.CODING,
            scores=scores,
            total=4.0,
            hire_signal=rubric.signal_for(4.0),
            scorer="fixture",
            scorer_version="1",
            rubric_id=rubric.id,
            rubric_version=rubric.version,
        ),
    )
    return path, repo, catalog, [*ids, partial]


def _engine(repo: Repository, catalog: Catalog) -> InterviewEngine:
    scorer = OfflineRubricScorer()
    return InterviewEngine(catalog, repo, scorer, BankedFollowUpPolicy(scorer))


def test_rule_and_weakest_stage_disagree_in_the_fixture(
    db: tuple[Path, Repository, Catalog, list[int]],
) -> None:
    _, repo, catalog, ids = db
    engine = _engine(repo, catalog)
    for sid, (signal, rule) in EXPECTED.items():
        summary = engine.summary(ids[sid - 1])
        weakest = min((r.hire_signal for r in summary.results), key=list(H).index)
        assert weakest != signal  # the old History rule would have said something else
        planned = [p.stage for p in summary.plan]
        signals = {r.stage: r.hire_signal for r in summary.results}
        assert session_recommendation(planned, signals) == (signal, rule)


def test_every_view_reads_the_same_recommendation(
    db: tuple[Path, Repository, Catalog, list[int]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, repo, catalog, ids = db
    engine = _engine(repo, catalog)
    argv = ["--db", str(path), "--bank-dir", str(HISTORY / "bank")]
    assert main([*argv, "sessions", "list", "--json"]) == 0
    listed = {row["id"]: row["recommendation"] for row in json.loads(capsys.readouterr().out)}
    history = {o.id: o.signal for o in session_outcomes(repo.session_scores(), catalog)}
    for sid in ids:
        summary = engine.summary(sid)
        packet = build_packet(summary, repo.grades(sid), catalog)
        verdict = packet.recommendation
        assert summary.overall_signal == verdict
        assert history[sid] == verdict
        assert listed[sid] == (verdict.value if verdict else None)
        assert main([*argv, "sessions", "show", str(sid), "--json"]) == 0
        shown = json.loads(capsys.readouterr().out)
        assert shown["recommendation"] == listed[sid]
        assert shown["session"]["overall_signal"] == listed[sid]
        assert shown["recommendation_rule"]["id"] == packet.rule.id
        report = build_session_report(
            summary, repo.grades(sid), repo.turns(sid), catalog, generated_at=T0
        )
        assert report.packet.recommendation == verdict
        label = "none" if verdict is None else verdict.value.replace("_", " ")
        assert f"recommendation: **{label}**" in render_report(report, "md").lower()
    assert (history[ids[2]], history[ids[3]]) == (H.HIRE, H.NO_HIRE)
    assert history[ids[-1]] is None
    partial = build_packet(engine.summary(ids[-1]), repo.grades(ids[-1]), catalog)
    assert partial.rule == RULE_INCOMPLETE
