"""Progress figures, weak areas, the spacing rule and the packet rule, against hand-worked numbers.

The fixture history is tabled in ``tests/history_data.py``; each expected value below is worked
out from that table in the comment or expression next to it.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest

from interview_sim.banks import Catalog, load_catalog
from interview_sim.cli.main import main
from interview_sim.engine import InterviewEngine
from interview_sim.engine.policy import BankedFollowUpPolicy
from interview_sim.models import HireSignal, Stage
from interview_sim.progress.compute import compute_progress
from interview_sim.progress.drill import plan_recommended_drill, spacing_interval
from interview_sim.progress.models import ProgressReport, TrendPoint
from interview_sim.progress.packet import (
    RULE_INCOMPLETE,
    RULE_MEDIAN,
    RULE_ONE_NO_HIRE,
    RULE_SINGLE_STAGE,
    RULE_STRONG,
    RULE_TWO_NO_HIRES,
    RULE_VETO,
    build_packet,
    recommend,
)
from interview_sim.progress.review import review
from interview_sim.progress.trends import trend
from interview_sim.scoring import OfflineRubricScorer
from interview_sim.store import Repository, open_database
from tests.history_data import HISTORY, T0, build_history, fixture_catalog

H = HireSignal
# Recency weights of the four sessions, newest (session 4) first: 0.5 ** (rank / 3).
W0, W1, W2, W3 = 1.0, 0.5 ** (1 / 3), 0.5 ** (2 / 3), 0.5


@pytest.fixture(scope="module")
def history_catalog() -> Catalog:
    return fixture_catalog()


@pytest.fixture
def sessions(repo: Repository, history_catalog: Catalog) -> list[int]:
    return build_history(repo, history_catalog)


def _report(repo: Repository, catalog: Catalog, days: float = 8) -> ProgressReport:
    return compute_progress(repo, catalog, now=T0 + timedelta(days=days))


def test_stage_figures(repo: Repository, history_catalog: Catalog, sessions: list[int]) -> None:
    report = _report(repo, history_catalog)
    assert report.sessions == 4 and report.graded == 11
    assert [s.stage for s in report.stages] == list(Stage)
    ml = next(s for s in report.stages if s.stage == Stage.ML_DEPTH)
    # totals 1.0, 2.5 | 2.0 | 3.0 | 1.5 in sessions 1..4: session means 1.75, 2, 3, 1.5, whose
    # mean is 8.25 / 4 = 2.0625 (2.062 to 3 places) and best 3.0
    assert (ml.graded, ml.sessions, ml.average, ml.best) == (5, 4, 2.062, 3.0)
    assert [p.level for p in ml.trend.points] == [1.75, 2.0, 3.0, 1.5]
    assert ml.latest == 1.5
    # slope of [1.75, 2, 3, 1.5] on x = 0..3: 0.125 / 5
    assert ml.trend.per_session == 0.025 and ml.trend.direction == "steady"
    # on x = days 0, 2, 5, 7: 0.625 / 29 per day, times 7
    assert ml.trend.per_week == round(0.625 / 29 * 7, 3)
    assert (ml.hints_used, ml.skipped, ml.answers) == (1, 0, 6)
    # answers after 120 s (after the hint), 90, 90, 90 and 30 (follow-up), 90
    assert ml.seconds_per_answer == 85.0

    coding = next(s for s in report.stages if s.stage == Stage.CODING)
    assert (coding.latest, coding.best, coding.average) == (0.5, 3.5, 2.0)
    assert coding.trend.per_session == -3.0 and coding.trend.direction == "declining"
    # -3 over two days is no weekly rate: -10.5/week would be an extrapolation.
    assert coding.trend.per_week is None and coding.trend.span_days == 2.0
    assert ml.trend.span_days == 7.0


def test_weekly_rate_needs_a_week_of_data() -> None:
    """The issue's case: same-day sessions said "-2221.80/week"; now there is no weekly rate."""
    same_day = [
        TrendPoint(session_id=1, at=T0, level=3.0),
        TrendPoint(session_id=2, at=T0 + timedelta(minutes=20), level=1.55),
    ]
    short = trend(same_day)
    assert short.per_session == -1.45 and short.direction == "declining"
    assert short.per_week is None and short.span_days == round(20 / (24 * 60), 3)
    week = trend([same_day[0], same_day[1].model_copy(update={"at": T0 + timedelta(days=7)})])
    assert week.per_week == -1.45 and week.span_days == 7.0


def test_progress_text_says_why_there_is_no_weekly_rate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "cli.db"
    repo = Repository(open_database(str(db)))
    build_history(repo, fixture_catalog())
    argv = ["--db", str(db), "--bank-dir", str(HISTORY / "bank")]
    assert main([*argv, "progress"]) == 0
    out = capsys.readouterr().out
    coding = next(line for line in out.splitlines() if line.startswith("coding:"))
    assert "/week" not in coding
    assert "no weekly rate: it needs a week of data, these sessions span 2.0 day(s)" in coding
    ml = next(line for line in out.splitlines() if line.startswith("ml_depth:"))
    assert "/week" in ml


def test_criterion_figures(repo: Repository, history_catalog: Catalog, sessions: list[int]) -> None:
    report = _report(repo, history_catalog)
    ml = next(s for s in report.stages if s.stage == Stage.ML_DEPTH)
    by_id = {c.criterion: c for c in ml.criteria}
    correctness, depth = by_id["correctness"], by_id["depth"]
    # correctness levels 1, 2 | 2 | 3 | 2; depth 1, 3 | 2 | 3 | 1. Best and average are over
    # the session means, like latest: correctness 1.5, 2, 3, 2 (mean 8.5 / 4), depth 2, 2, 3, 1.
    assert (correctness.samples, correctness.average, correctness.best) == (5, 2.125, 3.0)
    assert [p.level for p in correctness.trend.points] == [1.5, 2.0, 3.0, 2.0]
    assert correctness.latest == 2.0 and correctness.name == "Correctness"
    assert (depth.average, depth.best, depth.latest) == (2.0, 3.0, 1.0)


def test_questions_seen(repo: Repository, history_catalog: Catalog, sessions: list[int]) -> None:
    report = _report(repo, history_catalog)
    assert [q.question_id for q in report.questions] == [
        "fraud",
        "incident",
        "metrics_a",
        "metrics_b",
        "pair_sum",
        "trees_a",
    ]
    metrics_a = report.question("metrics_a")
    assert metrics_a is not None
    assert (metrics_a.attempts, metrics_a.latest, metrics_a.best, metrics_a.average) == (
        2,
        1.5,
        1.5,
        1.25,
    )
    # last seen = its latest grade: third question of session 4, answered at 09:21:30, +5 s
    assert metrics_a.last_seen == T0 + timedelta(days=7, minutes=21, seconds=35)
    assert metrics_a.tags == ["metrics", "imbalance"]


def test_weak_areas_ranked_with_recency(
    repo: Repository, history_catalog: Catalog, sessions: list[int]
) -> None:
    weak = _report(repo, history_catalog).weak_areas
    expected = {
        # metrics_a totals 1.5 (session 4) and 1.0 (session 1)
        "imbalance": (1.5 * W0 + 1.0 * W3) / (W0 + W3),
        # metrics_a 1.5 (s4), metrics_b 2.0 (s2), metrics_a 1.0 (s1)
        "metrics": (1.5 * W0 + 2.0 * W2 + 1.0 * W3) / (W0 + W2 + W3),
        "coding/correctness": (0 * W0 + 4 * W1) / (W0 + W1),
        "arrays": (0.5 * W0 + 3.5 * W1) / (W0 + W1),
        "coding/problem_solving": (1 * W0 + 3 * W1) / (W0 + W1),
        "ml_depth/depth": (1 * W0 + 3 * W1 + 2 * W2 + (1 + 3) * W3) / (W0 + W1 + W2 + 2 * W3),
        "ml_depth/correctness": (2 * W0 + 3 * W1 + 2 * W2 + (1 + 2) * W3) / (W0 + W1 + W2 + 2 * W3),
    }
    assert [a.key for a in weak] == list(expected)
    for area in weak:
        assert area.weighted_level == pytest.approx(expected[area.key], abs=1e-3)
    # Not weak: trade-offs (3 * W0 + 2 * W1) / (W0 + W1) = 2.56 and the trees tag = 2.81.
    assert "system_design/trade_offs" not in {a.key for a in weak}


def test_spacing_holds_back_recent_weak_answers_and_sends_a_variant(
    repo: Repository, history_catalog: Catalog, sessions: list[int]
) -> None:
    now = T0 + timedelta(days=8)
    report = _report(repo, history_catalog, days=8)
    drill = plan_recommended_drill(
        history_catalog, report.weak_areas, report.questions, now=now, count=3
    )
    # metrics_b (2.0, one attempt, 6 days ago) is due after 1 day: it comes back as the
    # unseen metrics_c, which shares its "metrics" tag. metrics_a and pair_sum were weak one
    # day ago, with two attempts each, so they wait 3 days and are not asked at all.
    assert [(i.question_id, i.kind, i.revisits) for i in drill.items] == [
        ("metrics_c", "variant", "metrics_b"),
        ("window_sum", "targeted", None),
        ("trees_a", "targeted", None),
    ]
    assert "coding: Correctness" in drill.items[1].reason
    assert [p.question_id for p in drill.plan()] == ["metrics_c", "window_sum", "trees_a"]


def test_due_question_without_an_alternative_returns_with_follow_ups(
    repo: Repository, history_catalog: Catalog, sessions: list[int]
) -> None:
    now = T0 + timedelta(days=11)
    report = _report(repo, history_catalog, days=11)
    drill = plan_recommended_drill(
        history_catalog, report.weak_areas, report.questions, now=now, count=3
    )
    # All three weak answers are due; weakest first. metrics_c is the only unplanned
    # "metrics" question, so once metrics_a has it, metrics_b comes back as itself.
    assert [(i.question_id, i.kind, i.revisits) for i in drill.items] == [
        ("window_sum", "variant", "pair_sum"),
        ("metrics_c", "variant", "metrics_a"),
        ("metrics_b", "follow_ups", "metrics_b"),
    ]
    assert drill.items[2].follow_ups == ["How does it relate to the online metric?"]


def test_fresh_drill_without_history(repo: Repository, history_catalog: Catalog) -> None:
    report = _report(repo, history_catalog)
    assert report.stages == [] and report.weak_areas == []
    drill = plan_recommended_drill(history_catalog, [], [], now=T0, count=5)
    assert [i.question_id for i in drill.items] == [
        "pair_sum",
        "fraud",
        "metrics_a",
        "incident",
        "window_sum",
    ]
    assert {i.kind for i in drill.items} == {"fresh"}


def test_spacing_intervals_grow_with_attempts() -> None:
    assert [spacing_interval(n).days for n in (1, 2, 3, 4, 5, 9)] == [1, 3, 7, 14, 30, 30]


@pytest.mark.parametrize(
    ("signals", "expected", "rule"),
    [
        ([H.HIRE, H.STRONG_NO_HIRE, H.STRONG_HIRE, H.STRONG_HIRE], H.NO_HIRE, RULE_VETO),
        ([H.HIRE, H.NO_HIRE, H.NO_HIRE, H.STRONG_HIRE], H.NO_HIRE, RULE_TWO_NO_HIRES),
        ([H.HIRE, H.NO_HIRE, H.STRONG_HIRE, H.STRONG_HIRE], H.LEAN_NO_HIRE, RULE_ONE_NO_HIRE),
        ([H.STRONG_HIRE, H.HIRE, H.STRONG_HIRE, H.HIRE], H.STRONG_HIRE, RULE_STRONG),
        ([H.STRONG_HIRE, H.LEAN_HIRE, H.STRONG_HIRE, H.HIRE], H.HIRE, RULE_MEDIAN),
        ([H.LEAN_NO_HIRE, H.LEAN_HIRE, H.HIRE, H.LEAN_NO_HIRE], H.LEAN_NO_HIRE, RULE_MEDIAN),
        ([H.HIRE, None, H.HIRE, H.HIRE], None, RULE_INCOMPLETE),
        ([H.NO_HIRE], H.NO_HIRE, RULE_SINGLE_STAGE),
        ([H.STRONG_NO_HIRE], H.STRONG_NO_HIRE, RULE_SINGLE_STAGE),
        ([H.LEAN_HIRE], H.LEAN_HIRE, RULE_SINGLE_STAGE),
        ([None], None, RULE_INCOMPLETE),
    ],
)
def test_packet_rules(
    signals: list[HireSignal | None], expected: HireSignal | None, rule: object
) -> None:
    assert recommend(signals) == (expected, rule)


def _engine(repo: Repository, catalog: Catalog) -> InterviewEngine:
    scorer = OfflineRubricScorer()
    return InterviewEngine(catalog, repo, scorer, BankedFollowUpPolicy(scorer))


def test_packet_for_a_vetoed_loop(
    repo: Repository, history_catalog: Catalog, sessions: list[int]
) -> None:
    engine = _engine(repo, history_catalog)
    loop = sessions[3]
    packet = build_packet(engine.summary(loop), repo.grades(loop), history_catalog)
    assert [(s.stage, s.signal) for s in packet.stages] == [
        (Stage.CODING, H.STRONG_NO_HIRE),  # 0.5
        (Stage.SYSTEM_DESIGN, H.HIRE),  # 3.0
        (Stage.ML_DEPTH, H.NO_HIRE),  # 1.5
        (Stage.BEHAVIORAL, H.STRONG_HIRE),  # 3.5
    ]
    assert (packet.recommendation, packet.rule) == (H.NO_HIRE, RULE_VETO)
    # Level 4 first; among level 3s the heavier criterion, then loop order.
    assert [(s.question_id, s.criterion, s.level) for s in packet.strengths] == [
        ("incident", "star_structure", 4),
        ("fraud", "architecture", 3),
        ("fraud", "trade_offs", 3),
    ]
    assert packet.strengths[0].evidence == ["I paged the team and rolled back in ten minutes."]
    assert [(g.question_id, g.criterion, g.level) for g in packet.gaps] == [
        ("pair_sum", "correctness", 0),
        ("pair_sum", "problem_solving", 1),
        ("metrics_a", "depth", 1),
    ]
    assert packet.gaps[0].missed == ["a one-pass hash map", "O(n) time"]
    assert packet.next_steps == [
        "Retake the coding stage first: it decided this loop (weakest: Correctness, level 0).",
        # Same topic (the arrays tag) as the gap's question, shown by title.
        'Practise Correctness (coding): a one-pass hash map. Try "Maximum window sum".',
        'Practise Problem solving (coding): a one-pass hash map. Try "Maximum window sum".',
        # metrics_b and metrics_c share the metrics tag; metrics_b has a follow-up on depth.
        'Practise Depth (ml_depth): random PR-AUC equals prevalence. Try "Choosing an offline'
        ' metric".',
    ]


def test_the_stage_that_decided_a_loop_has_a_gap_listed_and_named(
    repo: Repository, history_catalog: Catalog, sessions: list[int]
) -> None:
    """Advice to retake a stage comes with what to fix there, even when other stages hold the
    three lowest levels."""
    engine = _engine(repo, history_catalog)
    loop = sessions[3]
    lifted = [
        g.model_copy(update={"scores": [c.model_copy(update={"level": 2}) for c in g.scores]})
        if g.stage is Stage.CODING
        else g.model_copy(update={"scores": [c.model_copy(update={"level": 1}) for c in g.scores]})
        for g in repo.grades(loop)
    ]
    packet = build_packet(engine.summary(loop), lifted, history_catalog)
    assert packet.rule == RULE_VETO
    assert len(packet.gaps) == 3 and packet.gaps[0].stage is Stage.CODING
    assert packet.next_steps[0] == (
        "Retake the coding stage first: it decided this loop"
        f" (weakest: {packet.gaps[0].criterion_name}, level 2)."
    )
    assert any(
        step.startswith(f"Practise {packet.gaps[0].criterion_name} (coding)")
        for step in packet.next_steps
    )


def test_packet_for_a_passing_loop(
    repo: Repository, history_catalog: Catalog, sessions: list[int]
) -> None:
    engine = _engine(repo, history_catalog)
    loop = sessions[2]
    packet = build_packet(engine.summary(loop), repo.grades(loop), history_catalog)
    # strong hire (3.5), lean hire (2.5), hire (3.0), hire (3.0): lower median is hire
    assert (packet.recommendation, packet.rule) == (H.HIRE, RULE_MEDIAN)
    assert [(g.question_id, g.criterion) for g in packet.gaps] == [("fraud", "trade_offs")]


def test_run_recommended_starts_the_planned_drill(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "cli.db"
    repo = Repository(open_database(str(db)))
    build_history(repo, fixture_catalog())
    cli_catalog = load_catalog([HISTORY / "bank"])
    expected = review(repo, cli_catalog, count=2).drill.plan()
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    argv = ["--db", str(db), "--bank-dir", str(HISTORY / "bank")]
    assert main([*argv, "run", "--recommended", "--count", "2", "--offline"]) == 0
    assert "(drill, 2 questions)" in capsys.readouterr().out
    started = repo.get_session(5)
    assert started is not None and started.plan == expected
