"""Banked problems through the sandbox: right verdicts, and performance cases that separate
O(n) from O(n^2) by a ratio to the reference measured on this machine (so load cannot flip them).
"""

from __future__ import annotations

import pytest

from interview_sim.banks import Catalog
from interview_sim.models import CodingQuestion
from interview_sim.sandbox import request_for, run_code

VERDICT_PROBLEMS = ["pair_sum_indices", "running_median", "balanced_brackets"]
PERF_PROBLEMS = [
    "pair_sum_indices",
    "running_median",
    "max_window_sum",
    "merge_time_windows",
    "top_k_frequent_events",
]


def _question(catalog: Catalog, question_id: str) -> CodingQuestion:
    question = catalog.questions[question_id]
    assert isinstance(question, CodingQuestion)
    return question


@pytest.mark.parametrize("question_id", VERDICT_PROBLEMS)
def test_correct_wrong_and_crashing_solutions_get_the_right_verdicts(
    catalog: Catalog, question_id: str
) -> None:
    question = _question(catalog, question_id)
    suite = request_for(question, question.reference_solution, "submission")
    without_perf = suite.model_copy(update={"performance": None})

    correct = run_code(without_perf)
    assert correct.status == "completed"
    assert correct.passed == correct.total == len(question.tests)

    wrong = run_code(without_perf.model_copy(update={"code": question.starter_code}))
    assert wrong.passed == 0 and {c.verdict for c in wrong.cases} == {"fail"}

    crashing = f"def {question.function}(*args):\n    raise ValueError('boom')\n"
    crashed = run_code(without_perf.model_copy(update={"code": crashing}))
    assert {c.verdict for c in crashed.cases} == {"error"}
    first = crashed.cases[0].exception
    assert first is not None and (first.type, first.line) == ("ValueError", 2)


@pytest.mark.slow  # runs each naive solution until it is too slow: up to ~40 s a problem
@pytest.mark.parametrize("question_id", PERF_PROBLEMS)
def test_performance_case_separates_linear_from_quadratic(
    catalog: Catalog, question_id: str
) -> None:
    question = _question(catalog, question_id)
    assert question.performance is not None and question.naive_solution is not None
    only_perf = request_for(question, question.reference_solution, "submission").model_copy(
        update={"cases": [], "check": None}
    )

    fast = run_code(only_perf).performance
    assert fast is not None and fast.verdict == "passed", fast

    slow = run_code(only_perf.model_copy(update={"code": question.naive_solution})).performance
    assert slow is not None and slow.verdict == "too_slow", slow
    assert slow.message.startswith(f"too slow for n={question.performance.n}")
    assert slow.limit_seconds is not None and slow.reference_seconds is not None


def test_a_fast_wrong_answer_on_the_large_input_is_wrong_not_slow(catalog: Catalog) -> None:
    question = _question(catalog, "pair_sum_indices")
    wrong_code = "def find_pair(nums, target):\n    return [0, 1]\n"
    only_perf = request_for(question, wrong_code, "submission").model_copy(
        update={"cases": [], "check": None}
    )
    wrong = run_code(only_perf).performance
    assert wrong is not None and wrong.verdict == "failed"
    assert wrong.message.startswith("wrong answer for n=200000")
