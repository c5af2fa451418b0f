"""Reference-answer mode and the batch ``grade`` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from interview_sim.banks import Catalog
from interview_sim.cli.main import main
from interview_sim.grading import QuestionContext
from interview_sim.scoring import OfflineRubricScorer
from interview_sim.scoring.reference import derive_key_points, reference_question

QUESTION = "What is the role of a prototype program in problem solving?"
REFERENCE = (
    "To simulate the behaviour of portions of the desired software product before building "
    "it, so design decisions can be tested and requirements clarified with users."
)


def score(catalog: Catalog, answer: str, key_points: list[str] | None = None) -> float:
    question = reference_question(QUESTION, REFERENCE, key_points)
    ctx = QuestionContext.single_answer(question, catalog.rubric_for(question), answer)
    return OfflineRubricScorer().assess(ctx).score


def test_key_points_are_derived_from_the_reference_answer() -> None:
    points = derive_key_points(
        "A stack is last-in first-out. Push adds on top; pop removes the top element."
    )
    assert [p.text for p in points] == [
        "A stack is last-in first-out.",
        "Push adds on top;",
        "pop removes the top element.",
    ]
    assert all(p.weight > 0 for p in points)


def test_reference_mode_ranks_correct_above_partial_above_wrong(catalog: Catalog) -> None:
    correct = score(
        catalog,
        "A prototype simulates parts of the software before it is built, so we can test design "
        "decisions and clarify the requirements with the users.",
    )
    partial = score(catalog, "It lets you simulate part of the program early.")
    wrong = score(catalog, "A prototype is the final compiled version of the program.")
    assert correct > partial > wrong


def test_given_key_points_replace_derived_ones(catalog: Catalog) -> None:
    points = ["simulates behaviour of the product", "tests design decisions early"]
    hit = score(
        catalog, "It simulates the behaviour of the product and tests design decisions.", points
    )
    miss = score(catalog, "It clarifies requirements with users.", points)
    assert hit > miss


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_grade_command_streams_scores_and_reports_bad_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_lines(
        tmp_path / "in.jsonl",
        [
            json.dumps(
                {
                    "id": "a",
                    "question": QUESTION,
                    "answer": "It simulates the product.",
                    "reference_answer": REFERENCE,
                }
            ),
            "{not json",
            json.dumps({"id": "b", "question": "x", "answer": "y"}),
            json.dumps({"id": "c", "question_id": "no_such_question", "answer": "y"}),
            json.dumps(
                {
                    "id": 7,
                    "question": "",
                    "question_id": "imbalanced_pr_auc",
                    "answer": "PR-AUC uses precision.",
                }
            ),
        ],
    )
    out = tmp_path / "out.jsonl"
    assert main(["grade", "--input", str(source), "--output", str(out)]) == 1
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a", 7]
    for row in rows:
        assert 0 <= row["score"] <= 1 and 0 <= row["level"] <= 4
        assert row["criteria"] and all("evidence" in c for c in row["criteria"])
    err = capsys.readouterr().err
    assert "line 2:" in err and "line 3:" in err and "line 4:" in err
    assert "unknown question_id" in err and "Traceback" not in err


def test_grade_command_missing_input_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["grade", "--input", str(tmp_path / "absent.jsonl")]) == 2
    assert "cannot open" in capsys.readouterr().err


def test_grades_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Set iteration order changes with PYTHONHASHSEED; the grades must not."""
    lines = [
        {
            "id": 1,
            "question_id": "imbalanced_pr_auc",
            "answer": "PR-AUC uses precision, so "
            "false positives show up. Accuracy is not a good metric for imbalanced data.",
        },
        {
            "id": 2,
            "question_id": "conflict_with_peer",
            "answer": "I met my peer one to one and "
            "proposed a bake-off. We shipped on time and cut latency by 40%. I learned a lot.",
        },
        {
            "id": 3,
            "question": QUESTION,
            "reference_answer": REFERENCE,
            "answer": "It simulates parts of the product so design decisions can be tested early.",
        },
    ]
    source = write_lines(tmp_path / "in.jsonl", [json.dumps(line) for line in lines])
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-m", "interview_sim", "grade", "--input", str(source)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            timeout=120,
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and outputs[0].count("\n") == 3
