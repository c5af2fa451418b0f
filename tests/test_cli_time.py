"""``sessions show`` reports the same clock the TUI counts down: time used and budget per stage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interview_sim.banks import Catalog
from interview_sim.cli.main import main
from interview_sim.models import SessionMode
from interview_sim.store import Repository, open_database
from tests.test_engine_time import ANSWER, PLAN, Wall, _engine


def test_sessions_show_reports_time_used_and_budget_per_stage(
    tmp_path: Path, catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "time.db"
    wall = Wall()
    engine = _engine(catalog, Repository(open_database(str(db))), wall)
    sid = engine.start(SessionMode.LOOP, PLAN)
    engine.advance(sid)
    wall.wait(minutes=3)
    engine.pause_clock(sid)
    wall.wait(days=2)  # away for two days: not the candidate's time
    engine.open_clock(sid)
    wall.wait(seconds=45)
    engine.end_stage(sid, ANSWER)

    assert main(["--db", str(db), "sessions", "show", str(sid), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    stages = {s["stage"]: s for s in out["stages"]}
    assert stages["ml_depth"]["time_used_seconds"] == 225.0
    assert stages["ml_depth"]["budget_seconds"] == 20 * 60
    assert stages["ml_depth"]["not_reached"] == ["concept_drift"]
    assert stages["behavioral"]["time_used_seconds"] == 0.0  # asked, not yet answered
    assert stages["behavioral"]["budget_seconds"] == 10 * 60

    assert main(["--db", str(db), "sessions", "show", str(sid)]) == 0
    text = capsys.readouterr().out
    assert "ml_depth: time used 03:45 of 20:00; not reached: concept_drift" in text
