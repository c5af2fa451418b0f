"""Export/import round trip, re-import without duplicates, and the upgrades to v3 and v4."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from interview_sim.cli.main import main
from interview_sim.models import (
    PlannedQuestion,
    SessionMode,
    SessionOrigin,
    Stage,
    Turn,
    TurnKind,
    TurnRecord,
)
from interview_sim.progress.compute import compute_progress
from interview_sim.store import Repository, open_database
from interview_sim.store.migrations import SCHEMA_VERSION, upgrade
from interview_sim.store.records import SessionDump
from tests.history_data import HISTORY, T0, build_history, fixture_catalog


def _with_code_run(path: Path, session_id: int) -> None:
    con = sqlite3.connect(path)
    con.execute(
        "INSERT INTO code_runs (session_id, question_id, hidden, code, report, created_at)"
        " VALUES (?, 'pair_sum', 1, 'def find_pair(): ...', '{\"passed\": 3}',"
        " '2026-03-06 09:01:00.000000')",
        (session_id,),
    )
    con.commit()
    con.close()


def test_round_trip_loses_nothing_and_reimport_adds_nothing(tmp_path: Path) -> None:
    catalog = fixture_catalog()
    source = Repository(open_database(str(tmp_path / "a.db")))
    ids = build_history(source, catalog)
    _with_code_run(tmp_path / "a.db", ids[2])
    exported = source.export_sessions()
    assert len(exported) == 4 and exported[2].code_runs[0].report == {"passed": 3}

    target = Repository(open_database(str(tmp_path / "b.db")))
    first = target.import_sessions(exported)
    again = target.import_sessions(exported)
    assert (first.imported, first.skipped) == (4, 0)
    assert (again.imported, again.skipped) == (0, 4)
    assert target.export_sessions() == exported
    assert [s.id for s in target.history()] == [4, 3, 2, 1]
    now = T0 + timedelta(days=8)
    assert compute_progress(target, catalog, now=now) == compute_progress(source, catalog, now=now)
    assert target.turns(3) == source.turns(ids[2])
    assert target.grades(4) == source.grades(ids[3])


# Written by the version before sessions carried their origin (and before the archive's turn
# was the shared TurnRecord): every key as that version wrote it, so the shape stays readable.
OLD_DUMP = """{
  "format": "interview-sim-sessions",
  "version": 1,
  "exported_at": "2026-03-02T09:00:00Z",
  "sessions": [
    {
      "uuid": "c47560d4dcaf4c4589e57e95d2e08d8c",
      "candidate": "ada",
      "mode": "drill",
      "status": "in_progress",
      "plan": [{"stage": "ml_depth", "question_id": "metrics_a", "retry_of": null}],
      "started_at": "2026-03-01T09:00:00Z",
      "finished_at": null,
      "stages": [
        {
          "stage": "ml_depth",
          "started_at": "2026-03-01T09:00:00Z",
          "finished_at": null,
          "budget_seconds": 1800
        }
      ],
      "turns": [
        {
          "stage": "ml_depth",
          "question_id": "metrics_a",
          "kind": "question",
          "text": "Which metric?",
          "criterion": null,
          "status": "complete",
          "created_at": "2026-03-01T09:00:00Z"
        },
        {
          "stage": "ml_depth",
          "question_id": "metrics_a",
          "kind": "answer",
          "text": "Recall.",
          "criterion": null,
          "status": "complete",
          "created_at": "2026-03-01T09:01:30Z"
        }
      ],
      "grades": [],
      "code_runs": [],
      "question_time": [
        {
          "id": null,
          "stage": "ml_depth",
          "question_id": "metrics_a",
          "opened_at": "2026-03-01T09:00:00Z",
          "seen_at": "2026-03-01T09:01:30Z",
          "closed_at": "2026-03-01T09:01:30Z"
        }
      ]
    }
  ]
}"""


def _dump_json(repo: Repository) -> dict[str, object]:
    """The export as the file holds it, with a fixed export time so two exports compare."""
    dump = SessionDump(exported_at=T0, sessions=repo.export_sessions())
    data: dict[str, object] = json.loads(dump.model_dump_json())
    return data


def test_an_export_from_before_origin_imports_and_exports_again_unchanged(
    tmp_path: Path,
) -> None:
    old = SessionDump.model_validate_json(OLD_DUMP)
    repo = Repository(open_database(str(tmp_path / "b.db")), candidate="ada")
    assert repo.import_sessions(old.sessions).imported == 1

    (session,) = repo.list_sessions()
    # The upgrade to revision 0007 counts stored sessions as interactive; so does the import.
    assert session.origin == SessionOrigin.INTERACTIVE
    turns = repo.turns(session.id)
    assert [(t.kind, t.text, t.session_id) for t in turns] == [
        (TurnKind.QUESTION, "Which metric?", session.id),
        (TurnKind.ANSWER, "Recall.", session.id),
    ]
    assert [s.closed_at for s in repo.time_spans(session.id)] == [turns[1].created_at]

    again = json.loads(
        SessionDump(exported_at=old.exported_at, sessions=repo.export_sessions()).model_dump_json()
    )
    # Every key of the old file comes back with its value; keys added since hold their defaults.
    assert _keeps(again, json.loads(OLD_DUMP))
    assert again["sessions"][0]["origin"] == "interactive"


def _keeps(new: object, old: object) -> bool:
    """True when ``new`` holds everything ``old`` does (dicts may have gained keys)."""
    if isinstance(old, dict):
        return isinstance(new, dict) and all(k in new and _keeps(new[k], v) for k, v in old.items())
    if isinstance(old, list):
        return isinstance(new, list) and len(new) == len(old) and all(map(_keeps, new, old))
    return new == old


def test_origin_survives_export_and_import_and_a_round_trip_is_identical(tmp_path: Path) -> None:
    source = Repository(open_database(str(tmp_path / "a.db")))
    build_history(source, fixture_catalog())
    plan = [PlannedQuestion(stage=Stage.ML_DEPTH, question_id="metrics_a")]
    scripted = source.create_session(SessionMode.DRILL, plan, origin=SessionOrigin.SCRIPT).id
    source.add_turn(
        Turn(
            session_id=scripted,
            stage=Stage.ML_DEPTH,
            question_id="metrics_a",
            kind=TurnKind.ANSWER,
            text="Precision at k.",
            created_at=T0,
        )
    )
    exported = _dump_json(source)

    target = Repository(open_database(str(tmp_path / "b.db")))
    target.import_sessions(SessionDump.model_validate(exported).sessions)
    newest, *older = target.list_sessions()
    assert (newest.origin, len(newest.plan)) == (SessionOrigin.SCRIPT, 1)
    assert len(older) == 4 and {s.origin for s in older} == {SessionOrigin.INTERACTIVE}
    assert _dump_json(target) == exported
    # The archive's turn is the stored turn less its ids: one model, so no field can drift.
    (turn,) = target.turns(newest.id)
    archived = SessionDump.model_validate(exported).sessions[-1].turns
    assert archived == [TurnRecord.model_validate(turn.model_dump(exclude={"id", "session_id"}))]


def test_export_and_import_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = Repository(open_database(str(tmp_path / "a.db")))
    build_history(source, fixture_catalog())
    dump = tmp_path / "dump.json"
    assert main(["--db", str(tmp_path / "a.db"), "export", "--json", "-o", str(dump)]) == 0
    data = json.loads(dump.read_text(encoding="utf-8"))
    assert data["format"] == "interview-sim-sessions" and len(data["sessions"]) == 4
    SessionDump.model_validate(data)

    argv = ["--db", str(tmp_path / "b.db"), "import", str(dump)]
    capsys.readouterr()
    assert main(argv) == 0
    assert main(argv) == 0
    assert capsys.readouterr().out.splitlines() == [
        "imported 4 session(s); skipped 0 already present",
        "imported 0 session(s); skipped 4 already present",
    ]
    assert len(Repository(open_database(str(tmp_path / "b.db"))).history()) == 4

    assert main(["--db", str(tmp_path / "b.db"), "export", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["sessions"]) == 4


def test_import_rejects_a_file_that_is_not_an_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something-else", "sessions": []}', encoding="utf-8")
    assert main(["--db", str(tmp_path / "b.db"), "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"interview-sim: {bad} is not an interview-sim export:")
    assert "format" in err and "Traceback" not in err
    assert main(["--db", str(tmp_path / "b.db"), "import", str(tmp_path / "none.json")]) == 2


def test_progress_command_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build_history(Repository(open_database(str(tmp_path / "a.db"))), fixture_catalog())
    argv = ["--db", str(tmp_path / "a.db"), "--bank-dir", str(HISTORY / "bank")]
    assert main([*argv, "progress", "--json", "--count", "2"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["progress"]["sessions"] == 4
    assert len(data["recommended_drill"]["items"]) == 2
    assert main([*argv, "progress"]) == 0
    assert "Recommended drill:" in capsys.readouterr().out


def test_v2_database_with_rows_upgrades_to_the_current_schema(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        assert upgrade(conn, target=2) == 2
    engine.dispose()
    raw = sqlite3.connect(path)
    plan = json.dumps([{"stage": "ml_depth", "question_id": "metrics_a"}])
    for sid in (1, 2):
        raw.execute(
            "INSERT INTO sessions (id, mode, status, plan, started_at) VALUES"
            " (?, 'drill', 'completed', ?, '2026-01-01 10:00:00.000000')",
            (sid, plan),
        )
    raw.execute(
        "INSERT INTO grades (id, session_id, stage, question_id, total, hire_signal, scorer,"
        " scorer_version, rubric_id, rubric_version, detail, created_at) VALUES (1, 1,"
        " 'ml_depth', 'metrics_a', 2.0, 'lean_no_hire', 'old', '0', 'ml_depth', '1.0', ?,"
        " '2026-01-01 10:05:00.000000')",
        (
            json.dumps(
                {
                    "question_id": "metrics_a",
                    "stage": "ml_depth",
                    "total": 2.0,
                    "hire_signal": "lean_no_hire",
                    "scorer": "old",
                    "scorer_version": "0",
                    "rubric_id": "ml_depth",
                    "rubric_version": "1.0",
                }
            ),
        ),
    )
    raw.execute(
        "INSERT INTO criterion_scores (grade_id, criterion, level, evidence, rationale, missed)"
        " VALUES (1, 'depth', 2, '[]', 'kept', '[]')"
    )
    raw.commit()
    raw.close()

    repo = Repository(open_database(str(path)))
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    listing = repo.history()
    assert [(s.id, s.graded, s.average) for s in listing] == [(2, 0, None), (1, 1, 2.0)]
    uuids = {s.uuid for s in listing}
    assert len(uuids) == 2 and all(re.fullmatch(r"[0-9a-f]{32}", u) for u in uuids)
    assert repo.grades(1)[0].scores[0].rationale == "kept"
    new = repo.create_session(
        SessionMode.DRILL, [PlannedQuestion(stage=Stage.ML_DEPTH, question_id="metrics_a")]
    )
    assert repo.history()[0].id == new.id and repo.history()[0].uuid not in uuids


def test_v3_session_without_uuid_gets_one_in_v4(tmp_path: Path) -> None:
    """A v3 build stored sessions before it filled the uuid; v4 fills it so export works."""
    path = tmp_path / "v3.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        assert upgrade(conn, target=3) == 3
    engine.dispose()
    raw = sqlite3.connect(path)
    raw.execute(
        "INSERT INTO sessions (id, mode, status, plan, started_at, uuid) VALUES"
        " (1, 'drill', 'in_progress', '[]', '2026-01-01 10:00:00.000000', NULL)"
    )
    raw.commit()
    raw.close()

    repo = Repository(open_database(str(path)))
    (archive,) = repo.export_sessions()
    assert re.fullmatch(r"[0-9a-f]{32}", archive.uuid)
