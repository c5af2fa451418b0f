"""Two coaches import the same export into one database at once: both succeed, nothing twice."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from interview_sim.cli.main import main
from interview_sim.store import Repository, open_database
from tests.reliability.support import cli_env

SESSIONS = 120
IMPORTS = 4


def _dump(tmp_path: Path) -> Path:
    """An export of one scripted session, copied under many uuids."""
    source = str(tmp_path / "source.db")
    answers = tmp_path / "answers.yaml"
    answers.write_text("- [a first answer about leakage]\n", encoding="utf-8")
    run = ["run", "--stage", "ml_depth", "--count", "1", "--answers", str(answers)]
    assert main(["--db", source, "--candidate", "ana", *run]) == 0
    dump = tmp_path / "dump.json"
    assert main(["--db", source, "--candidate", "ana", "export", "--json", "-o", str(dump)]) == 0
    data = json.loads(dump.read_text(encoding="utf-8"))
    (session,) = data["sessions"]
    data["sessions"] = [{**session, "uuid": f"{i:032x}"} for i in range(SESSIONS)]
    dump.write_text(json.dumps(data), encoding="utf-8")
    return dump


@pytest.mark.slow  # several CLI processes at once
def test_concurrent_imports_of_one_file_all_succeed_and_store_it_once(
    db_url: str, tmp_path: Path
) -> None:
    dump = _dump(tmp_path)
    open_database(db_url).dispose()  # the schema exists: the race is the import's, not the open's
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "interview_sim", "--db", db_url, "import", str(dump)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(),
        )
        for _ in range(IMPORTS)
    ]
    results = [p.communicate(timeout=180) for p in procs]

    assert [p.returncode for p in procs] == [0] * IMPORTS, [err for _, err in results]
    imported = [int(re.findall(r"imported (\d+)", out)[0]) for out, _ in results]
    assert sum(imported) == SESSIONS
    assert len(Repository(open_database(db_url), candidate="ana").list_sessions()) == SESSIONS
