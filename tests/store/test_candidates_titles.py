"""``interview-sim candidates`` names each next-drill question by title, as ``progress`` does;
``--json`` keeps the ids for scripts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interview_sim.banks import load_catalog
from interview_sim.cli.main import main


def test_the_next_drill_is_listed_by_title(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for who in ("ana", "ben"):
        answers = tmp_path / f"{who}.yaml"
        answers.write_text("- [precision and recall under class imbalance]\n")
        run = ["run", "--stage", "ml_depth", "--count", "1", "--answers", str(answers)]
        assert main(["--db", db_url, "--candidate", who, *run]) == 0
    capsys.readouterr()
    catalog = load_catalog()

    assert main(["--db", db_url, "candidates", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert main(["--db", db_url, "candidates"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["ana", "ben"]
    for row, line in zip(rows, lines, strict=True):
        expected = []
        for entry in row["recommended_drill"]:
            stage, question_id = entry.split("/", 1)
            expected.append(f"{catalog.questions[question_id].title} ({stage})")
            assert entry not in line  # the id is for --json
        assert expected and line.endswith("next drill: " + "; ".join(expected))
