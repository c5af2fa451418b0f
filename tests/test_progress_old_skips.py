"""Skips stored by older versions (a 0 for every criterion) count as skipped, not as weaknesses.

Revision 0008 removes the zeros those versions stored with a skipped grade, so weak areas,
trends and the recommended drill read an old skip exactly as they read a new one. Run on SQLite
and on a real PostgreSQL server, since the progress aggregates differ per backend.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, insert, select, text

from interview_sim.banks import Catalog
from interview_sim.engine import InterviewEngine
from interview_sim.engine.policy import BankedFollowUpPolicy
from interview_sim.models import PlannedQuestion, SessionMode, Stage, TurnKind
from interview_sim.progress.review import Review, review
from interview_sim.scoring import OfflineRubricScorer
from interview_sim.store import Repository, open_database
from interview_sim.store.orm import CriterionScoreRow, GradeRow
from interview_sim.store.records import SessionArchive
from interview_sim.store.schema import VERSION_TABLE
from tests.store.pg_server import db_url, pg_server

__all__ = ["db_url", "pg_server"]

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ANSWER = (
    "Leakage is information at training time that is absent at serving time, such as a feature"
    " computed after the outcome. I would split by time and fit preprocessing inside the fold."
)


def _engine(catalog: Catalog, db: Engine) -> InterviewEngine:
    scorer = OfflineRubricScorer()
    repo = Repository(db, candidate="ana")
    return InterviewEngine(catalog, repo, scorer, BankedFollowUpPolicy(scorer), follow_up_limit=0)


def _history(engine: InterviewEngine) -> tuple[int, int]:
    """One answered question and one skipped (stored the current way, with no scores)."""
    answered = engine.start(
        SessionMode.DRILL, [PlannedQuestion(stage=Stage.ML_DEPTH, question_id="data_leakage")]
    )
    engine.advance(answered)
    engine.submit_answer(answered, ANSWER)
    skipped = engine.start(
        SessionMode.DRILL, [PlannedQuestion(stage=Stage.ML_DEPTH, question_id="concept_drift")]
    )
    engine.advance(skipped)
    engine.skip(skipped)
    return answered, skipped


def _store_the_old_way(engine: InterviewEngine, db: Engine, session_id: int) -> None:
    """What every version before 0008 stored for a skip: a 0, "question skipped", per criterion."""
    [grade] = engine.repo.grades(session_id)
    rubric = engine.catalog.rubrics[grade.rubric_id]
    with db.begin() as conn:
        grade_id = conn.execute(
            select(GradeRow.id).where(GradeRow.session_id == session_id)
        ).scalar_one()
        for criterion in rubric.criteria:
            conn.execute(
                insert(CriterionScoreRow).values(
                    grade_id=grade_id,
                    criterion=criterion.id,
                    level=0,
                    evidence=[],
                    rationale="question skipped",
                    missed=[],
                )
            )


def _progress(engine: InterviewEngine) -> Review:
    return review(engine.repo, engine.catalog, now=NOW)


def _comparable(result: Review) -> dict[str, object]:
    return {
        "weak_areas": result.progress.weak_areas,
        "stages": result.progress.stages,
        "drill": result.drill,
    }


def test_an_old_skip_reads_like_a_new_one_after_the_upgrade(catalog: Catalog, db_url: str) -> None:
    db = open_database(db_url)
    engine = _engine(catalog, db)
    answered, skipped = _history(engine)
    as_new = _progress(engine)
    assert not any("concept" in a.key or "drift" in a.key for a in as_new.progress.weak_areas)

    _store_the_old_way(engine, db, skipped)
    as_old = _progress(engine)
    # The bug as users had it: the unmeasured zeros rank as the weakest areas.
    assert as_old.progress.weak_areas[0].weighted_level == 0.0
    assert _comparable(as_old) != _comparable(as_new)
    with db.begin() as conn:  # the database as the previous release left it
        conn.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = '0007'"))
    db.dispose()

    db = open_database(db_url)  # upgrades through 0008 to the head
    engine = _engine(catalog, db)
    assert _comparable(_progress(engine)) == _comparable(as_new)
    [grade] = engine.repo.grades(skipped)
    assert grade.skipped and grade.total == 0.0 and grade.scores == []
    assert [t.kind for t in engine.repo.turns(skipped)][-1] == TurnKind.SKIP
    [measured] = engine.repo.grades(answered)  # a measured grade keeps every score
    assert not measured.skipped and len(measured.scores) == len(
        catalog.rubrics[measured.rubric_id].criteria
    )
    with db.connect() as conn:
        assert conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar() == "0011"
    db.dispose()


def test_a_measured_zero_is_not_taken_for_a_skip(catalog: Catalog, db_url: str) -> None:
    """Only the skip flag decides: an answer graded 0 on every criterion stays a weakness."""
    db = open_database(db_url)
    engine = _engine(catalog, db)
    sid = engine.start(
        SessionMode.DRILL, [PlannedQuestion(stage=Stage.ML_DEPTH, question_id="data_leakage")]
    )
    engine.advance(sid)
    engine.submit_answer(sid, "No idea.")
    [before] = engine.repo.grades(sid)
    assert not before.skipped and before.total == 0.0  # looks like an old skip but for the flag
    assert before.scores and {s.level for s in before.scores} == {0}
    with db.begin() as conn:
        conn.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = '0007'"))
    db.dispose()

    db = open_database(db_url)
    engine = _engine(catalog, db)
    assert engine.repo.grades(sid) == [before]
    db.dispose()


def test_an_old_export_imports_its_skips_as_skipped(catalog: Catalog, tmp_path: Path) -> None:
    """An export written before 0008 carries the zeros with each skip; import drops them."""
    source = _engine(catalog, open_database(str(tmp_path / "old.db")))
    _history(source)
    as_new = _progress(source)
    dump = [a.model_dump(mode="json") for a in source.repo.export_sessions()]
    [archived] = [a for a in dump if a["plan"][0]["question_id"] == "concept_drift"]
    grade = archived["grades"][0]["grade"]
    rubric = catalog.rubrics[grade["rubric_id"]]
    grade["scores"] = [
        {"criterion": c.id, "level": 0, "evidence": [], "rationale": "question skipped"}
        for c in rubric.criteria
    ]

    target = _engine(catalog, open_database(str(tmp_path / "new.db")))
    target.repo.import_sessions(SessionArchive.model_validate(a) for a in dump)

    assert _comparable(_progress(target)) == _comparable(as_new)
    grades = [g for s in target.repo.list_sessions() for g in target.repo.grades(s.id)]
    [skip] = [g for g in grades if g.skipped]
    assert skip.question_id == "concept_drift" and skip.scores == []
