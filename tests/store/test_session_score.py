"""One session, one score: the mean of its stage means (``models.session_score``), the same in
``sessions list`` (text and JSON), ``sessions show``, History and the outcomes behind it, on
SQLite and PostgreSQL.

The session below is where the two readings part: coding 3.5 (one answer) and ML depth 1.0 and
2.0 (two answers, mean 1.5). The stage means give (3.5 + 1.5) / 2 = 2.50; the mean of the three
grades would be 6.5 / 3 = 2.17, which let one stage's extra answer outweigh another stage.
"""

from __future__ import annotations

import json

import pytest

from interview_sim.cli.main import main
from interview_sim.models import SessionMode, Stage, session_score
from interview_sim.progress.sessions import session_outcomes
from interview_sim.store import Repository, open_database
from interview_sim.tui.screens.history import history_row
from tests.history_data import HISTORY, T0, Answered, add_session, fixture_catalog

SCORE = 2.5


def _uneven_session(repo: Repository) -> int:
    return add_session(
        repo,
        fixture_catalog(),
        SessionMode.LOOP,
        T0,
        [
            Answered("pair_sum", (3, 4), "A hash map of seen values. One pass, O(n)."),
            Answered("metrics_a", (1, 1), "Accuracy is fine. It is simple."),
            Answered("trees_a", (2, 2), "Averaging trees lowers variance. It helps."),
        ],
    )


def test_the_rule_weighs_stages_not_answers() -> None:
    assert session_score([3.5, 1.5]) == SCORE
    assert session_score([]) is None
    # Order does not matter, to the last digit.
    assert session_score([0.1, 0.2, 0.3]) == session_score([0.3, 0.1, 0.2])


def test_every_view_gives_the_same_score(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    repo = Repository(open_database(db_url))
    sid = _uneven_session(repo)

    (listed,) = repo.history()
    assert listed.average == SCORE
    assert listed.stage_averages == {Stage.CODING: 3.5, Stage.ML_DEPTH: 1.5}
    (outcome,) = session_outcomes(repo.session_scores(), fixture_catalog())
    assert outcome.score == SCORE
    assert history_row(outcome).cells()[4] == "2.50"

    argv = ["--db", db_url, "--bank-dir", str(HISTORY / "bank")]
    assert main([*argv, "sessions", "list"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert " 2.50 " in f"{line} " and "2.17" not in line
    assert main([*argv, "sessions", "list", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["average"] == SCORE
    assert main([*argv, "sessions", "show", str(sid), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["score"] == SCORE
    assert main([*argv, "sessions", "show", str(sid)]) == 0
    assert "score: 2.50/4" in capsys.readouterr().out
