"""Content checks over the built-in banks: references pass, naive solutions are slow, no dupes."""

from __future__ import annotations

import difflib
import itertools
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from interview_sim.banks import load_catalog
from interview_sim.models import CodingQuestion

HARNESS = Path(__file__).with_name("harness.py")
CATALOG = load_catalog()
CODING = [q for q in CATALOG.questions.values() if isinstance(q, CodingQuestion)]


def _run(job: dict[str, Any], timeout: float) -> Any:
    result = subprocess.run(
        [sys.executable, str(HARNESS)],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return json.loads(result.stdout)


def _job(q: CodingQuestion, code: str) -> dict[str, Any]:
    cases = [c.model_dump() for c in [*q.examples, *q.tests]]
    return {
        "code": code,
        "function": q.function,
        "cases": cases,
        "compare": q.compare,
        "tol": q.float_tolerance,
    }


@pytest.mark.parametrize("question", CODING, ids=lambda q: q.id)
def test_reference_solution_passes_every_case(question: CodingQuestion) -> None:
    verdicts = _run(_job(question, question.reference_solution), timeout=60)
    failed = [v for v in verdicts if not v["ok"]]
    assert not failed, failed[:3]
    assert len(question.tests) >= 8


PERF = [q for q in CODING if q.performance and q.naive_solution]


@pytest.mark.parametrize("question", PERF, ids=lambda q: q.id)
def test_naive_solution_is_too_slow_on_the_performance_case(question: CodingQuestion) -> None:
    assert question.performance is not None and question.naive_solution is not None
    job = {**_job(question, question.reference_solution), "perf": question.performance.model_dump()}
    reference = _run(job, timeout=120)["seconds"]
    limit = 5 * reference + 0.5
    job["code"] = question.naive_solution
    try:
        naive = _run(job, timeout=limit + 1)["seconds"]
    except subprocess.TimeoutExpired:
        return
    assert naive > limit, f"naive took {naive:.2f}s, limit {limit:.2f}s"


def _normalised(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def test_no_two_questions_are_near_duplicates() -> None:
    prompts = {q.id: _normalised(q.prompt) for q in CATALOG.questions.values()}
    for (a, pa), (b, pb) in itertools.combinations(prompts.items(), 2):
        ratio = difflib.SequenceMatcher(None, pa, pb).quick_ratio()
        if ratio > 0.8:
            assert difflib.SequenceMatcher(None, pa, pb).ratio() < 0.8, (a, b)


def test_every_question_has_a_model_answer_and_hints_or_follow_ups() -> None:
    for q in CATALOG.questions.values():
        assert q.model_answer.strip(), q.id
        assert q.hints or q.follow_ups, q.id


def test_every_follow_up_targets_an_existing_criterion() -> None:
    for q in CATALOG.questions.values():
        criteria = {c.id for c in CATALOG.rubric_for(q).criteria}
        assert {f.criterion for f in q.follow_ups} <= criteria, q.id
