"""HumanEval-style check blocks judged outside the candidate, and limits that bind C code.

A check block runs in a judge process beside the problem's own code, so it may call helpers
defined there and the function by its name, as HumanEval's harness allows; every call reaches
the candidate through the parent. A loop stuck in C cannot be interrupted from inside Python,
so the parent stops it from outside at the per-test deadline.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from interview_sim.sandbox import RunLimits, RunRequest, run_code
from interview_sim.sandbox.channel import ChannelTimeout
from interview_sim.sandbox.models import IsolationLevel
from interview_sim.sandbox.session import GRACE_SECONDS, Session
from tests.sandbox.conftest import LEVELS, attack

pytestmark = pytest.mark.parametrize("level", LEVELS)

PROMPT = '''
def is_palindrome(text: str) -> bool:
    return text == text[::-1]


def make_palindrome(text: str) -> str:
    """The shortest palindrome that begins with ``text``."""
'''
SOLUTION = """
def is_palindrome(text: str) -> bool:
    return text == text[::-1]


def make_palindrome(text: str) -> str:
    for start in range(len(text) + 1):
        if is_palindrome(text[start:]):
            return text + text[:start][::-1]
    return text
"""
CHECK = """
def check(candidate):
    assert candidate('') == ''
    assert is_palindrome(candidate('cat'))
    assert make_palindrome('cata') == 'catac'
    assert candidate('jerry') == 'jerryrrej'
"""


def _check_request(code: str) -> RunRequest:
    return RunRequest(
        code=code,
        function="make_palindrome",
        check=CHECK,
        helpers=PROMPT,
        limits=RunLimits(case_seconds=5.0),
    )


def test_a_humaneval_check_calling_a_helper_and_the_function_by_name_passes(
    level: IsolationLevel,
) -> None:
    report = run_code(_check_request(SOLUTION), level=level)
    assert report.status == "completed", report.message
    [case] = report.cases
    assert (case.kind, case.verdict) == ("check", "pass"), case


TUPLE_CHECK = """
def check(candidate):
    assert candidate([]) == (0, 1)
    assert candidate([3, 5, 7]) == (3 + 5 + 7, 3 * 5 * 7)
    assert candidate([(2, 3)]) == ((2, 3), 6)
    assert candidate([[1], {'a': (1,)}]) == [[1], {'a': (1,)}]
"""
TUPLE_SOLUTION = """
def sum_product(numbers):
    if numbers and not isinstance(numbers[0], (int, tuple)):
        assert isinstance(numbers[1]['a'], tuple)
        return numbers
    if numbers and isinstance(numbers[0], tuple):
        return numbers[0], numbers[0][0] * numbers[0][1]
    total, product = 0, 1
    for n in numbers:
        total, product = total + n, product * n
    return total, product
"""


def test_a_humaneval_check_comparing_with_tuples_passes_a_solution_returning_them(
    level: IsolationLevel,
) -> None:
    """HumanEval/8 compares ``candidate([]) == (0, 1)``: JSON alone would hand the check
    ``[0, 1]`` and fail a correct solution, so the check's calls keep tuples both ways."""
    request = RunRequest(
        code=TUPLE_SOLUTION,
        function="sum_product",
        check=TUPLE_CHECK,
        helpers="def sum_product(numbers):\n    pass\n",
        limits=RunLimits(case_seconds=5.0),
    )
    [case] = run_code(request, level=level).cases
    assert case.verdict == "pass", case
    wrong = request.model_copy(update={"code": "def sum_product(numbers):\n    return [0, 1]\n"})
    [case] = run_code(wrong, level=level).cases
    assert case.verdict == "fail" and case.exception is not None, case
    assert case.exception.source == "assert candidate([]) == (0, 1)"


def test_a_wrong_solution_fails_at_the_assertion_that_caught_it(level: IsolationLevel) -> None:
    wrong = SOLUTION.replace("text[:start][::-1]", "text[:start]")
    report = run_code(_check_request(wrong), level=level)
    [case] = report.cases
    assert case.verdict == "fail", case
    assert case.input == "assert is_palindrome(candidate('cat'))"


def test_a_crash_in_the_candidate_is_reported_with_its_own_line(level: IsolationLevel) -> None:
    crashing = "def make_palindrome(text):\n    return text[0]\n"
    report = run_code(_check_request(crashing), level=level)
    [case] = report.cases
    assert case.verdict == "error" and case.exception is not None
    assert (case.exception.type, case.exception.line, case.exception.where) == (
        "IndexError",
        2,
        "solution",
    )


def test_the_check_block_is_not_in_the_candidates_process(level: IsolationLevel) -> None:
    code = (
        "import gc\ndef make_palindrome(text):\n"
        "    for obj in gc.get_objects():\n"
        "        if isinstance(obj, str) and 'jerryrrej' in obj:\n"
        "            return 'found the check'\n"
        "    return text + text[:-1][::-1]\n"
    )
    report = run_code(_check_request(code), level=level)
    [case] = report.cases
    assert case.verdict == "fail"


def test_a_c_level_loop_is_stopped_from_outside_at_the_per_test_limit(
    level: IsolationLevel,
) -> None:
    limits = RunLimits(case_seconds=1.0, startup_seconds=30.0)
    code = "import itertools\ndef f(x):\n    return sum(itertools.repeat(1, 10 ** 13))\n"
    started = time.monotonic()
    report = attack(code, [[1], [2], [3]], level, expected=0, limits=limits)
    elapsed = time.monotonic() - started
    assert report.status == "timed_out"
    assert [c.verdict for c in report.cases] == ["timeout", "error", "error"]
    assert "stopped from outside" in report.cases[0].message
    # One test's limit plus the grace, not the whole run's budget (generous for slow machines).
    assert elapsed < 1.0 + GRACE_SECONDS + 20


def test_the_killed_process_is_gone_and_holds_no_cpu(level: IsolationLevel) -> None:
    limits = RunLimits(case_seconds=1.0, startup_seconds=30.0)
    import sys

    session = Session(level, sys.executable, limits, 30.0, None)
    session.start(
        {
            "role": "candidate",
            "code": "import itertools\ndef f():\n    return sum(itertools.repeat(1, 10 ** 13))\n",
            "function": "f",
        }
    )
    session.load()
    pid = session.process.host_pid()
    assert pid is not None
    with pytest.raises(ChannelTimeout):
        session.call([], 1.0)
    session.process.kill()
    session.process.finish()
    session.process.console.close()
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        stat = Path(f"/proc/{pid}/stat").read_text() if Path(f"/proc/{pid}/stat").exists() else ""
        if ") Z" in stat:
            break  # a zombie uses no CPU; its parent reaps it
        time.sleep(0.05)
    alive = Path(f"/proc/{pid}/stat")
    assert not alive.exists() or ") Z" in alive.read_text() or _other_process(pid)


def _other_process(pid: int) -> bool:
    """The PID was reused by an unrelated process (not an interpreter we started)."""
    try:
        return b"harness" not in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True


def test_a_run_cannot_raise_its_own_limits(level: IsolationLevel) -> None:
    code = (
        "import resource\ndef f():\n"
        "    resource.setrlimit(resource.RLIMIT_CPU, (10 ** 6, 10 ** 6))\n"
        "    return 'raised'\n"
    )
    report = attack(code, [[]], level, expected="raised")
    [case] = report.cases
    assert case.verdict == "error" and case.exception is not None
    assert case.exception.type in ("ValueError", "PermissionError")
    assert os.getpid() > 0
