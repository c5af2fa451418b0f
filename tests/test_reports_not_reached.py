"""Questions a stage never reached are listed as "not reached" in reports, not graded 0/4.

Headless: the engine ends a stage on its first question, then the report is built and rendered
the way ``interview-sim report`` does it (and through the command itself).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from interview_sim.banks import Catalog
from interview_sim.cli.main import main
from interview_sim.engine import InterviewEngine
from interview_sim.engine.policy import BankedFollowUpPolicy
from interview_sim.models import PlannedQuestion, SessionMode, Stage, utcnow
from interview_sim.progress.packet import build_packet
from interview_sim.reports.build import SessionReport, build_session_report
from interview_sim.reports.render import render_report
from interview_sim.scoring import OfflineRubricScorer
from interview_sim.store import Repository
from tests.test_reports import parse

PLAN = [
    PlannedQuestion(stage=Stage.ML_DEPTH, question_id="data_leakage"),
    PlannedQuestion(stage=Stage.ML_DEPTH, question_id="concept_drift"),
    PlannedQuestion(stage=Stage.BEHAVIORAL, question_id="production_incident"),
]
LEAKAGE = "Leakage is information at training time that is absent at serving time."
STORY = "I led the rollback of a bad model release, told the team and wrote the review."


@pytest.fixture
def engine(catalog: Catalog, repo: Repository) -> InterviewEngine:
    scorer = OfflineRubricScorer()
    return InterviewEngine(catalog, repo, scorer, BankedFollowUpPolicy(scorer), follow_up_limit=0)


@pytest.fixture
def session(engine: InterviewEngine) -> int:
    """ML depth ends on its first question (time up, the draft graded); behavioral is answered."""
    sid = engine.start(SessionMode.LOOP, PLAN)
    engine.advance(sid)
    engine.end_stage(sid, LEAKAGE)
    engine.submit_answer(sid, STORY)
    assert engine.position(sid) is None
    return sid


def _report(engine: InterviewEngine, sid: int) -> SessionReport:
    return build_session_report(
        engine.summary(sid),
        engine.repo.grades(sid),
        engine.repo.turns(sid),
        engine.catalog,
        generated_at=utcnow(),
    )


def test_the_packet_lists_the_unreached_question_per_stage(
    engine: InterviewEngine, session: int
) -> None:
    packet = build_packet(engine.summary(session), engine.repo.grades(session), engine.catalog)
    by_stage = {s.stage: s for s in packet.stages}
    title = engine.catalog.questions["concept_drift"].title
    assert [(q.question_id, q.title) for q in by_stage[Stage.ML_DEPTH].not_reached] == [
        ("concept_drift", title)
    ]
    assert by_stage[Stage.ML_DEPTH].questions == 1  # graded: the unseen one is not a 0/4
    assert by_stage[Stage.BEHAVIORAL].not_reached == []


def test_markdown_report_says_not_reached_instead_of_a_grade(
    engine: InterviewEngine, session: int
) -> None:
    report = _report(engine, session)
    [unseen] = [q for q in report.questions if q.question_id == "concept_drift"]
    assert unseen.not_reached and unseen.grade is None
    assert [q.question_id for q in report.questions if q.not_reached] == ["concept_drift"]

    markdown = render_report(report, "md")
    title = engine.catalog.questions["concept_drift"].title
    assert f"- ml depth: {title} (`concept_drift`)" in markdown
    section = markdown.split("(`concept_drift`)\n", 2)[-1].split("#### Model answer")[0]
    assert "Not reached: the stage ended before this question was shown" in section
    assert "Not graded yet" not in section and "/4" not in section


def test_html_report_lists_and_links_the_unreached_question(
    engine: InterviewEngine, session: int
) -> None:
    doc = parse(render_report(_report(engine, session), "html"))
    listed = doc.by_id("not-reached")
    title = engine.catalog.questions["concept_drift"].title
    assert f"ml depth: {title}" in " ".join(listed.text.split())
    assert [a.attrs["href"] for a in listed.find("a")] == ["#q-concept_drift"]
    card = doc.by_id("q-concept_drift").find("section", "scorecard")[0]
    assert card.find("p", "not-reached") and "/4" not in card.text
    graded = doc.by_id("q-data_leakage").find("section", "scorecard")[0]
    assert not graded.find("p", "not-reached") and "/4" in graded.text


def test_report_command_lists_not_reached(
    session: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(tmp_path / "test.db"), "report", str(session)]) == 0
    out = capsys.readouterr().out
    assert "Not reached (the stage ended before they were shown: not graded" in out
    assert "(`concept_drift`)" in out
