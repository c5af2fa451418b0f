"""The coding results pane states each fact of a run once (real sandbox runs)."""

from __future__ import annotations

import pytest

from interview_sim.banks import load_catalog
from interview_sim.models import CodingQuestion
from interview_sim.sandbox import request_for, run_code
from interview_sim.sandbox.models import RunReport
from interview_sim.tui.present import report_lines
from tests.conftest import FIXTURES

RAISES = "def square_sum(nums):\n    return nums[0] * nums[0] + square_sum(nums[1:])\n"
BREAKS_ON_LOAD = "import math\nraise ValueError('broken module')\n"


@pytest.fixture(scope="module")
def question() -> CodingQuestion:
    found = load_catalog([FIXTURES / "sandbox" / "bank"]).questions["fixture_square_sum"]
    assert isinstance(found, CodingQuestion)
    return found


def _submit(question: CodingQuestion, code: str) -> RunReport:
    return run_code(request_for(question, code, "submission"))


def test_a_too_slow_run_says_performance_once(question: CodingQuestion) -> None:
    assert question.naive_solution is not None
    report = _submit(question, question.naive_solution)
    assert report.performance is not None and report.performance.verdict == "too_slow"
    pane = "\n".join(report_lines(report))
    assert pane.count("performance:") == 1
    assert pane.count(report.performance.message) == 1


@pytest.mark.parametrize("code", [RAISES, BREAKS_ON_LOAD])
def test_an_error_is_stated_once_with_its_line(question: CodingQuestion, code: str) -> None:
    report = _submit(question, code)
    failure = report.first_failure()
    error = report.load_exception or (failure.exception if failure else None)
    assert error is not None
    pane = "\n".join(report_lines(report))
    assert pane.count(error.describe()) == 1
    assert pane.count("performance:") <= 1
