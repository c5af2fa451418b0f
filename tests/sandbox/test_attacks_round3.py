"""Hostile programs of a third audit, at both isolation levels: each gets a verdict the app
decided, never a pass it did not earn, a "sandbox failed" status it caused, or a traceback.

The holes this audit found: a candidate's process could end a run as the sandbox's own failure
(``harness_error``, run-code's exit 3) by writing that message itself or by breaking the harness
(a dict whose ``items`` raises, a value too large to encode, a non-string written to stdout,
patched harness helpers).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from interview_sim.sandbox import RunReport
from interview_sim.sandbox.models import IsolationLevel
from tests.sandbox.conftest import HIDDEN, LEVELS, attack

REPLY_PIPE = """
import fcntl, os, stat
def _reply_pipe():
    for fd in range(3, 64):
        try:
            write_only = fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY
            if write_only and stat.S_ISFIFO(os.fstat(fd).st_mode):
                return fd
        except OSError:
            pass
"""
"""Finds the descriptor the harness sends replies on, for programs that forge messages."""
FORGED_FAILURE = b'{"event": "harness_error", "message": "the bank entry is broken"}\n'


def _not_passed(report: RunReport) -> None:
    assert report.cases, report
    for case in report.cases:
        assert case.verdict != "pass", case
        assert HIDDEN not in (case.actual or "") and HIDDEN not in case.stdout, case


def _blamed_on_the_code(report: RunReport) -> None:
    """Not a pass, and not the sandbox's failure: the code caused it."""
    _not_passed(report)
    assert report.status != "harness_error", report.message


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("where", ["top level", "in a call"])
def test_a_forged_harness_failure_is_a_protocol_error(level: IsolationLevel, where: str) -> None:
    forge = f"os.write(_reply_pipe(), {FORGED_FAILURE!r})"
    if where == "top level":
        code = f"{REPLY_PIPE}\n{forge}\ndef f():\n    return 'x'\n"
    else:
        code = f"{REPLY_PIPE}\ndef f():\n    {forge}\n    import time\n    time.sleep(30)\n"
    report = attack(code, [[], []], level)
    _blamed_on_the_code(report)
    assert report.status == "protocol_error", report.message
    assert "after the code ran" in report.message


def test_run_code_exits_0_for_a_forged_harness_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit status 3 means the sandbox itself failed; code that claims so gets 0 and a verdict."""
    from interview_sim.cli.commands.run_code import _run_code
    from interview_sim.config import Settings

    solution = tmp_path / "sol.py"
    forge = f"os.write(_reply_pipe(), {FORGED_FAILURE!r})"
    solution.write_text(
        f"{REPLY_PIPE}\ndef find_pair(nums, target):\n    {forge}\n    os._exit(0)\n"
    )
    args = argparse.Namespace(
        problem="pair_sum_indices",
        code=solution,
        hidden=False,
        verbose=False,
        json=False,
        input=None,
    )
    assert _run_code(args, Settings) == 0
    out = capsys.readouterr().out
    assert "protocol_error" in out or "after the code ran" in out
