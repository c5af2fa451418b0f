"""Candidates sharing one database never see each other's sessions, drafts or progress."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from pydantic import BaseModel

from interview_sim.cli.main import main
from interview_sim.models import PlannedQuestion, SessionMode, Stage
from interview_sim.store import Repository, open_database
from tests.history_data import build_history, fixture_catalog


def _dumps(models: Sequence[BaseModel] | BaseModel) -> object:
    def clean(value: object) -> object:
        if isinstance(value, float):
            return round(value, 3)
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if k not in ("uuid", "candidate")}
        return value

    if isinstance(models, BaseModel):
        return clean(models.model_dump(mode="json"))
    return clean([m.model_dump(mode="json") for m in models])


def test_each_candidate_sees_only_their_own_history(db_url: str, tmp_path: Path) -> None:
    solo = Repository(open_database(str(tmp_path / "solo.db")), candidate="ana")
    build_history(solo, fixture_catalog())

    engine = open_database(db_url)
    ana = Repository(engine, candidate="ana")
    ben = Repository(engine, candidate="ben")
    build_history(ana, fixture_catalog())
    build_history(ben, fixture_catalog())
    draft = ben.create_session(
        SessionMode.DRILL, [PlannedQuestion(stage=Stage.ML_DEPTH, question_id="metrics_a")]
    )

    assert _dumps(ana.history()) == _dumps(solo.history())
    assert _dumps(ana.session_scores()) == _dumps(solo.session_scores())
    assert _dumps(ana.progress_data()) == _dumps(solo.progress_data())
    assert ana.session_count() == 4 and ben.session_count() == 5
    assert [s.id for s in ana.list_sessions()] == [4, 3, 2, 1]
    assert ana.get_session(draft.id) is None
    assert ben.get_session(draft.id) is not None
    assert {s.id for s in ben.history()} == {5, 6, 7, 8, draft.id}
    assert [(c.name, c.sessions, c.in_progress) for c in ana.candidates()] == [
        ("ana", 4, 0),
        ("ben", 5, 1),
    ]

    exported = ana.export_sessions()
    assert [a.candidate for a in exported] == ["ana"] * 4
    other = Repository(open_database(str(tmp_path / "other.db")), candidate="cara")
    assert other.import_sessions(exported).imported == 4
    assert other.history() == []  # still ana's sessions, not cara's
    assert len(Repository(other.engine, candidate="ana").history()) == 4


@pytest.mark.slow  # many CLI runs against one shared database
def test_candidate_option_and_the_coach_listing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "team.db")
    for who in ("ana", "ben"):
        answers = tmp_path / f"{who}.yaml"
        answers.write_text("- [precision and recall under class imbalance]\n")
        run = ["run", "--stage", "ml_depth", "--count", "1", "--answers", str(answers)]
        assert main(["--db", db, "--candidate", who, *run]) == 0
    capsys.readouterr()

    assert main(["sessions", "list", "--json", "--db", db, "--candidate", "ana"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [s["id"] for s in listed] == [1]
    assert main(["--db", db, "--candidate", "ana", "resume", "2"]) == 2
    assert "no session 2" in capsys.readouterr().err

    assert main(["--db", db, "candidates", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["sessions"]) for r in rows] == [("ana", 1), ("ben", 1)]
    assert all(r["recommended_drill"] for r in rows)
