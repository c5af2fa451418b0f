"""Hostile programs that go after the grade instead of the machine, at both isolation levels.

Verdicts are decided in the parent, from JSON the candidate's process sends back, against
expected values that never enter that process. So finding the hidden answer by introspection,
returning an object that equals everything, patching the harness, or writing forged messages
must all end in a verdict that is not a pass, and a report (never a traceback).
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from interview_sim.engine import InterviewEngine
from interview_sim.sandbox import RunReport
from interview_sim.sandbox.models import IsolationLevel, PerformanceSpec
from tests.sandbox.conftest import FAST, HIDDEN, LEVELS, attack
from tests.test_coding_flow import (  # noqa: F401 - fixtures
    PROBLEM,
    _start,
    coding_engine,
    fixture_catalog,
)

pytestmark = pytest.mark.parametrize("level", LEVELS)
MARKER = "REFERENCE_SOLUTION_MARKER_3e8f"
REFERENCE = f"def f(n):\n    # {MARKER}\n    return n\n"
PERFORMANCE = PerformanceSpec(
    generator="def generate(n):\n    return [n]\n", n=10, reference_solution=REFERENCE
)


def _not_passed(report: RunReport) -> None:
    assert report.cases, report
    for case in report.cases:
        assert case.verdict != "pass", case
        assert HIDDEN not in (case.actual or "") and HIDDEN not in case.stdout, case
    assert HIDDEN not in report.console and MARKER not in report.model_dump_json()


def test_the_hidden_answer_is_not_in_any_frame(level: IsolationLevel) -> None:
    code = """
import sys
def f():
    found = []
    frame = sys._getframe(1)
    while frame is not None:
        for value in list(frame.f_locals.values()) + list(frame.f_globals.values()):
            if isinstance(value, dict):
                found += [v for k, v in value.items() if k in ('expected', 'case', 'cases')]
        frame = frame.f_back
    print(found)
    return found[0] if found else None
"""
    _not_passed(attack(code, [[]], level))


def test_gc_finds_neither_hidden_cases_nor_the_reference(level: IsolationLevel) -> None:
    code = """
import gc
def f():
    hits = []
    for obj in gc.get_objects():
        if isinstance(obj, dict):
            for key in ('expected', 'reference', 'cases', 'tests'):
                if key in obj:
                    hits.append(repr(obj[key])[:200])
        elif isinstance(obj, str) and ('hidden-answer' in obj or 'REFERENCE_SOLUTION' in obj):
            hits.append(obj)
    print(hits)
    return next((h for h in hits if 'hidden-answer' in h), None)
"""
    report = attack(code, [[], []], level, performance=PERFORMANCE)
    _not_passed(report)
    assert report.performance is not None and report.performance.verdict != "passed"


@pytest.mark.parametrize(
    "returned",
    [
        "type('Always', (), {'__eq__': lambda s, o: True, '__hash__': lambda s: 0})()",
        "type('S', (str,), {'__eq__': lambda s, o: True})('nope')",
        "type('L', (list,), {'__eq__': lambda s, o: True})()",
        "{1, 2}",
        "10 ** 5000",
        "float('nan')",
    ],
)
def test_objects_that_claim_equality_are_wrong_answers(
    level: IsolationLevel, returned: str
) -> None:
    report = attack(f"def f():\n    return {returned}\n", [[]], level)
    _not_passed(report)
    assert report.status == "completed"
    assert [c.verdict for c in report.cases] == ["fail"]


def test_patching_the_harness_reply_is_a_protocol_error(level: IsolationLevel) -> None:
    code = """
import sys
def f():
    for name, module in list(sys.modules.items()):
        if name.startswith('harness.') and hasattr(module, 'reply_bytes'):
            module.reply_bytes = lambda wire, reply, value: (
                b'{"id": %d, "ok": true, "verdict": "pass", "value": "x"}\\n' % reply['id'])
    return 'patched'
"""
    report = attack(code, [[], [], []], level)
    _not_passed(report)
    assert report.status == "protocol_error" and "not a valid CallReply" in report.message
    first, *rest = report.cases
    assert first.verdict == "error" and "not a valid CallReply" in first.message
    assert all(c.message.startswith("not run") for c in rest)


FORGED = {
    "done event": b'{"event": "done"}\n',
    "case with a bad index": b'{"event": "case", "index": "abc", "verdict": "pass"}\n',
    "not JSON": b"\x00\xff{not json\n",
    "a JSON list": b"[1, 2, 3]\n",
    "deep nesting": b"[" * 100_000 + b"]" * 100_000 + b"\n",
    "an answer to a call not yet asked": (
        b'{"id": 99, "ok": true, "value": 1, "seconds": 0, "cpu_seconds": 0}\n'
    ),
    "oversized": b"x" * (40 * 1024 * 1024),
}


@pytest.mark.parametrize("payload", list(FORGED.values()), ids=list(FORGED))
def test_forged_and_malformed_messages_end_the_run_with_a_clear_verdict(
    level: IsolationLevel, payload: bytes
) -> None:
    code = """
import os
def f(payload, then_exit):
    data = payload.encode('latin-1')
    for fd in range(3, 40):
        try:
            if os.fstat(fd).st_mode & 0o170000 == 0o010000:  # a pipe
                while data:
                    data = data[os.write(fd, data):]
        except OSError:
            pass
    if then_exit:
        os._exit(0)
    return 'forged'
"""
    text = payload.decode("latin-1")
    report = attack(code, [[text, False], [text, True], [text, False]], level)
    _not_passed(report)
    assert report.status in ("protocol_error", "crashed"), report.status
    assert report.message


def test_a_fake_report_then_os_exit_is_a_crash_not_a_pass(level: IsolationLevel) -> None:
    code = """
import os, json
def f():
    fake = [json.dumps({'event': 'case', 'index': i, 'verdict': 'pass'}) for i in range(3)]
    fake.append(json.dumps({'event': 'done'}))
    for fd in range(3, 40):
        try:
            os.write(fd, ('\\n'.join(fake) + '\\n').encode())
        except OSError:
            pass
    os._exit(0)
"""
    report = attack(code, [[], [], []], level)
    _not_passed(report)
    assert report.status in ("protocol_error", "crashed")


def test_a_forged_message_in_a_submission_is_stored_with_its_verdict(
    level: IsolationLevel,
    coding_engine: InterviewEngine,  # noqa: F811 - the fixture imported above
) -> None:
    from interview_sim.sandbox import runner

    forced = runner.run_code

    def at_level(request: Any, *, cancel: Any = None) -> RunReport:
        return forced(request, cancel=cancel, level=level)

    coding_engine.code_runner = at_level
    sid = _start(coding_engine)
    code = (
        "import os\ndef square_sum(nums):\n    for fd in range(3, 40):\n        try:\n"
        '            os.write(fd, b\'{"event": "case", "index": "abc"}\\n\')\n'
        "        except OSError:\n            pass\n    return 0\n"
    )
    coding_engine.submit_code(sid, code)
    [stored] = coding_engine.repo.code_runs(sid, PROBLEM, hidden=True)
    assert stored.code == code
    assert stored.report["status"] in ("protocol_error", "crashed")
    assert os.getpid() > 0


def test_a_thread_that_writes_between_calls_is_a_protocol_error(level: IsolationLevel) -> None:
    code = """
import os, threading, time
def f():
    def later():
        time.sleep(0.3)
        for fd in range(3, 40):
            try:
                os.write(fd, b'{"id": 2, "ok": true, "value": "x", "seconds": 0}\\n')
            except OSError:
                pass
    threading.Thread(target=later, daemon=True).start()
    return 'first'
"""
    slow = "import time\n" + code.replace("return 'first'", "time.sleep(1)\n    return 'first'")
    for program in (code, slow):
        report = attack(program, [[], [], []], level)
        _not_passed(report)
        assert report.status in ("protocol_error", "completed"), report.status


@pytest.mark.parametrize(
    "trick",
    [
        "signal.setitimer(signal.ITIMER_REAL, 0)\n    while True:\n        pass",
        "signal.signal(signal.SIGALRM, signal.SIG_IGN)\n    while True:\n        pass",
        'os.write(fd, b\'{"id": 1, "ok": tr\')\n    time.sleep(60)',
        "os.close(fd)\n    return 'closed'",
    ],
    ids=["timer-off", "alarm-ignored", "half-a-message", "closed-pipe"],
)
def test_tampering_with_timers_and_the_pipe_is_stopped_from_outside(
    level: IsolationLevel, trick: str
) -> None:
    code = (
        "import fcntl, os, signal, stat, time\n"
        "def f():\n"
        "    fd = next(fd for fd in range(3, 40) if _reply_pipe(fd))\n"
        f"    {trick}\n"
        "def _reply_pipe(fd):\n"
        "    try:\n"
        "        write_only = fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY\n"
        "        return write_only and stat.S_ISFIFO(os.fstat(fd).st_mode)\n"
        "    except OSError:\n"
        "        return False\n"
    )
    limits = FAST.model_copy(update={"case_seconds": 1.0})
    report = attack(code, [[], []], level, limits=limits)
    _not_passed(report)
    assert report.status in ("timed_out", "crashed", "protocol_error"), report
    assert report.cases[1].message.startswith("not run")
