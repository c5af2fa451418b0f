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


BREAKS_THE_HARNESS = {
    "items raises": (
        "class D(dict):\n    def items(self):\n        raise ZeroDivisionError('no')\n"
        "def f():\n    return D(a=1)\n"
    ),
    "too large to encode": "def f():\n    return ['x' * 40_000_000] * 8\n",  # 256 MB limit
    "writes a non-string": (
        "import sys\nclass W:\n    def __len__(self):\n        return 5\n"
        "    def __getitem__(self, key):\n        return 123\n"
        "def f():\n    try:\n        sys.stdout.write(W())\n    except TypeError:\n        pass\n"
        "    return 'x'\n"
    ),
    "traceback that is no traceback": (
        "class E(Exception):\n    @property\n    def __traceback__(self):\n        return 5\n"
        "def f():\n    raise E()\n"
    ),
    "str subclass slicing lies": (
        "class S(str):\n    def __getitem__(self, key):\n        return 7\n"
        "    def __len__(self):\n        return -1\n"
        "class E(Exception):\n    def __str__(self):\n        return S('boom')\n"
        "def f():\n    raise E()\n"
    ),
}


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("code", list(BREAKS_THE_HARNESS.values()), ids=list(BREAKS_THE_HARNESS))
def test_values_and_exceptions_that_break_encoding_are_the_answers_fault(
    level: IsolationLevel, code: str
) -> None:
    """Each was a ``harness_error`` (the sandbox's failure, exit 3): now a verdict per test."""
    from interview_sim.sandbox import RunLimits

    limits = RunLimits(case_seconds=3.0, startup_seconds=30.0, memory_mb=256)
    report = attack(code, [[], []], level, limits=limits)
    _blamed_on_the_code(report)
    assert report.status == "completed", report.message
    assert [c.verdict for c in report.cases] in (["fail", "fail"], ["error", "error"])


@pytest.mark.parametrize("level", LEVELS)
def test_patched_harness_helpers_are_blamed_on_the_code(level: IsolationLevel) -> None:
    code = """
import sys
def f():
    for name, module in list(sys.modules.items()):
        if name.startswith('harness'):
            for attr in ('clip', 'sendable', 'exception_info', 'shown', 'dumps', 'type_name'):
                if hasattr(module, attr):
                    setattr(module, attr, None)
    raise ValueError('and now report this')
"""
    report = attack(code, [[], []], level)
    _blamed_on_the_code(report)
    assert report.status in ("protocol_error", "crashed"), report.message


@pytest.mark.parametrize("level", LEVELS)
def test_a_value_nested_deeper_than_the_app_parses_is_a_wrong_answer(
    level: IsolationLevel,
) -> None:
    """900 levels (the code raised its recursion limit) made the app's parser fail and the run
    end as a protocol error; now it is a wrong answer and the next test still runs."""
    code = """
import sys
sys.setrecursionlimit(100_000)
def f(depth):
    value = []
    for _ in range(depth - 1):
        value = [value]
    return value
"""
    shallow: list[object] = []
    for _ in range(149):
        shallow = [shallow]
    report = attack(code, [[150], [900], [150]], level, expected=shallow)
    assert report.status == "completed", report.message
    assert [c.verdict for c in report.cases] == ["pass", "fail", "pass"]
    assert "nested too deeply" in report.cases[1].message


@pytest.mark.parametrize("level", LEVELS)
def test_an_answer_far_larger_than_the_expected_one_is_not_parsed_by_the_app(
    level: IsolationLevel,
) -> None:
    """Parsed, ``[[], [], ...]`` takes some 25 times its size in the app's memory: a 32 MB reply
    held 800 MB. A test's answer may now take 8 times its expected value's JSON (at least
    1 MiB); beyond that the harness reports it as too large, and a reply forged past the
    limit ends the run before the app parses it."""
    code = (
        REPLY_PIPE
        + """
def f(how):
    if how == 'return':
        return [[] for _ in range(400_000)]
    if how == 'forge':
        os.write(_reply_pipe(), b'{"id": 3, "ok": true, "value": [' + b'[],' * 500_000 + b'[]]}\\n')
        os._exit(0)
    return [1, 2]
"""
    )
    report = attack(code, [["return"], ["honest"], ["forge"]], level, expected=[1, 2])
    returned, honest, forged = report.cases
    assert returned.verdict == "fail" and "too large" in returned.message
    assert honest.verdict == "pass"
    assert forged.verdict == "error" and report.status == "protocol_error"
    assert "over 1" in report.message and "bytes" in report.message


@pytest.mark.parametrize("level", LEVELS)
def test_an_int_past_floats_range_under_the_float_comparator_is_a_wrong_answer(
    level: IsolationLevel,
) -> None:
    """``math.isclose(10**400, 1.5)`` raises OverflowError: that was a traceback out of the app."""
    code = "def f(nested):\n    return [1.5, 10 ** 400] if nested else 10 ** 400\n"
    report = attack(
        code, [[False], [True]], level, expected=[1.5, 2.0], compare="float", float_tolerance=0.1
    )
    assert report.status == "completed", report.message
    assert [c.verdict for c in report.cases] == ["fail", "fail"]


def test_the_float_comparator_still_compares_huge_ints_exactly() -> None:
    from interview_sim.sandbox.compare import same

    assert same([10**400], [10**400], "float", 1e-6)
    assert not same(10**400, float("inf"), "float", 1e-6)
    assert not same([2.0], [10**400], "float", 1e-6)


@pytest.mark.parametrize("level", LEVELS)
def test_a_patched_clock_cannot_make_the_performance_figure_smaller_than_measured(
    level: IsolationLevel,
) -> None:
    """The verdict was always the app's (CPU read from ``/proc``), but the figure shown beside
    it was the child's own ``process_time``: patched, it read ``0.000s CPU``."""
    from interview_sim.sandbox.models import PerformanceSpec

    code = """
import time
real = time.process_time
time.process_time = time.perf_counter = lambda: 0.0
def f(xs):
    start = real()
    while real() - start < 0.5:
        pass
    return len(xs)
"""
    spec = PerformanceSpec(
        generator="def generate(n):\n    return [list(range(n))]\n",
        n=1000,
        reference_solution="def f(xs):\n    return len(xs)\n",
    )
    report = attack(code, [[[1, 2]]], level, expected=2, performance=spec)
    perf = report.performance
    assert perf is not None and perf.verdict == "passed", perf
    assert perf.seconds is not None and perf.seconds >= 0.2, perf
    assert f"n=1000: {perf.seconds:.3f}s CPU" in perf.message


def test_thousands_of_chained_functions_are_read_in_linear_time_with_short_notes() -> None:
    """The static reader runs in the app, before any sandbox: a search from every function
    for mutual recursion took 9 s for 5,000 chained functions (quadratic), and the note named
    all 5,000 of them."""
    import time

    from interview_sim.sandbox.static import analyse

    count = 6000
    code = "".join(f"def g{i}(x):\n    return g{(i + 1) % count}(x)\n" for i in range(count))
    started = time.process_time()
    report = analyse(code + "def f():\n    return g0(1)\n", "f")
    assert time.process_time() - started < 5.0
    [note] = [n for n in report.notes if n.startswith("recursive:")]
    assert "g0, g1" in note and f"and {count - 10} more" in note and len(note) < 1000


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize(
    "stall", ["time.sleep(60)", "while True:\n        pass"], ids=["sleeps", "spins"]
)
def test_a_candidate_that_stalls_in_a_check_blocks_call_times_out(
    level: IsolationLevel, stall: str
) -> None:
    """Its timeout came back just as the check's deadline passed, relaying it to the judge
    failed, and the run ended as the sandbox's own failure (exit 3)."""
    from interview_sim.sandbox import RunLimits

    check = "def check(candidate):\n    assert candidate(2) == 4\n"
    limits = RunLimits(case_seconds=1.0, startup_seconds=30.0)
    code = f"import time\ndef f(x):\n    {stall}\n"
    report = attack(code, [], level, check=check, helpers="def f(x):\n    pass\n", limits=limits)
    assert report.status in ("completed", "timed_out"), report.message
    assert [c.verdict for c in report.cases] == ["timeout"]


@pytest.mark.parametrize("level", LEVELS)
def test_banks_and_databases_in_a_folder_the_sandbox_does_not_know_are_not_read(
    level: IsolationLevel,
) -> None:
    """A ``--bank-dir`` (or the config's ``bank_dirs``), a ``--config`` or a ``--db`` may lie
    outside the home and the app's folders, which were all the fallback's guard hid: plain
    ``open`` read the hidden tests (or every session).
    (Under bubblewrap the folder is not in the sandbox at all.)"""
    import shutil
    import tempfile

    banks = Path(tempfile.mkdtemp(prefix="interview-sim-banks-"))
    try:
        bank = banks / "private_bank.yaml"
        bank.write_text(f"questions:\n  - tests: [{{expected: {HIDDEN}}}]\n")
        (banks / "alias.txt").symlink_to(bank)
        database = banks / "elsewhere.db"  # a --db outside the app's folders
        database.write_text(HIDDEN)
        code = "def f(path):\n    with open(path) as handle:\n        return handle.read()\n"
        paths = [bank, banks / "alias.txt", database]
        report = attack(code, [[str(p)] for p in paths], level)
    finally:
        shutil.rmtree(banks)
    _not_passed(report)
    for case in report.cases:
        assert case.exception is not None, case
        if level == "fallback-in-process":
            assert case.exception.message.startswith("blocked by the sandbox"), case


@pytest.mark.parametrize("level", LEVELS)
def test_text_the_code_controls_cannot_print_lines_of_its_own_in_the_report(
    level: IsolationLevel,
) -> None:
    """Exception messages, reprs and type names are printed inside a report's lines; a newline
    in them printed ``PASS`` lines and a ``result: 12/12 tests passed`` line of the code's own
    below the real ones (and into the summary the interviewer reads)."""
    from interview_sim.sandbox import CaseSpec, RunRequest, run_code

    fake = "\\n\\nPASS    t1\\nresult: 12/12 tests passed\\t"
    code = f"""
class Odd:
    def __repr__(self):
        return "odd{fake}"
def f(how):
    if how == 'raise':
        raise ValueError("nope{fake}")
    if how == 'type':
        return type("T{fake}", (), {{}})()
    return Odd()
"""
    cases = [
        CaseSpec(name=f"t{i}", kind="hidden", args=[how], expected=1)
        for i, how in enumerate(["raise", "type", "repr"])
    ]
    report = run_code(RunRequest(code=code, function="f", cases=cases), level=level)
    assert report.status == "completed", report.message
    for case in report.cases:
        shown = " ".join(
            [case.actual or "", case.message, case.exception.describe() if case.exception else ""]
        )
        assert "PASS" in shown and "\n" not in shown and "\t" not in shown, case
    assert "\nPASS" not in report.summary() and "\nresult" not in report.summary()


@pytest.mark.parametrize("level", LEVELS)
def test_a_forged_load_message_is_held_to_what_its_output_needs(level: IsolationLevel) -> None:
    """The top level may write the ``loaded`` message itself: 32 MB of ``[[], ...]`` in it
    was parsed (some 800 MB of the app's memory) before its extra field was refused."""
    code = (
        REPLY_PIPE
        + """
os.write(_reply_pipe(), b'{"event": "loaded", "junk": [' + b'[],' * 400_000 + b'[]]}\\n')
def f():
    return 1
"""
    )
    report = attack(code, [[]], level, expected=1)
    _not_passed(report)
    assert report.status == "protocol_error" and "bytes" in report.message, report.message


@pytest.mark.parametrize(
    "how",
    [
        "os.chmod(fd, 0o777)",
        "os.chown(fd, 4321, 4321)",
        "os.utime(fd, (0, 0))",
        "os.setxattr(fd, 'user.x', b'1')",
        "fcntl.ioctl(fd, 0x40086602, struct.pack('l', 0x20))",  # FS_IOC_SETFLAGS: append-only
    ],
)
def test_the_fallback_refuses_changing_an_outside_file_through_a_descriptor(how: str) -> None:
    """A file outside the run folder may be opened for reading (``/usr``, say); ``fchmod``,
    ``fchown``, ``futimes``, ``fsetxattr`` and ``ioctl`` on that descriptor changed it: as root,
    any file of the system (``FS_IOC_SETFLAGS`` made one append-only). Files of the run folder
    may still be changed through theirs."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="interview-sim-outside-"))
    try:
        target = folder / "system.conf"
        target.write_text("root only\n")
        target.chmod(0o644)
        before = target.stat()
        code = f"""
import fcntl, os, struct
def f(path, mine):
    if mine:
        open('own.txt', 'w').close()
        path = os.path.abspath('own.txt')
    fd = os.open(path, os.O_RDONLY)
    {how}
    return 'changed'
"""
        report = attack(code, [[str(target), False], [str(target), True]], "fallback-in-process")
        after = target.stat()
    finally:
        shutil.rmtree(folder)
    outside, own = report.cases
    assert outside.exception is not None, outside
    assert outside.exception.message.startswith("blocked by the sandbox"), outside
    assert (after.st_mode, after.st_uid, after.st_mtime) == (
        before.st_mode,
        before.st_uid,
        before.st_mtime,
    )
    assert own.exception is None or "blocked" not in own.exception.message, own


def test_the_fallback_refuses_devices_and_terminals() -> None:
    """As root with only a network namespace (``unshare -n`` keeps every capability) a raw disk
    was readable, home folder and database included; the user's terminal (a pts is the user's
    own) gave the keys typed into the app, and ``termios`` (no audit event) could stop it.
    The harmless devices stay open to honest code."""
    code = (
        "def f(path):\n    with open(path, 'rb') as handle:\n        return len(handle.read(8))\n"
    )
    refused = ["/dev/tty", "/dev/pts/0", "/dev/console", "/dev/vda", "/dev/sda", "/dev/mem"]
    allowed = ["/dev/null", "/dev/zero", "/dev/urandom"]
    report = attack(code, [[p] for p in [*refused, *allowed]], "fallback-in-process", expected=8)
    for case in report.cases[: len(refused)]:
        assert case.exception is not None, case
        assert case.exception.message.startswith("blocked by the sandbox: opening a device"), case
    assert [c.verdict for c in report.cases[len(refused) :]] == ["fail", "pass", "pass"]


def _program(*lines: str) -> str:
    return "\n".join(lines) + "\n"


RAISES_FIRST = "def f(i):\n    if i == 0:\n        raise {}\n    return i\n"
CONTAINED: dict[str, tuple[str, list[str], tuple[str, ...]]] = {
    # name: (program, verdicts, statuses); f(i) is called with i = 0 and 1, and the answer is i.
    "SystemExit": (RAISES_FIRST.format("SystemExit(0)"), ["error", "pass"], ("completed",)),
    "KeyboardInterrupt": (
        RAISES_FIRST.format("KeyboardInterrupt"),
        ["error", "pass"],
        ("completed",),
    ),
    "GeneratorExit": (RAISES_FIRST.format("GeneratorExit"), ["error", "pass"], ("completed",)),
    "a BaseException of its own": (
        "class Boom(BaseException):\n    pass\n" + RAISES_FIRST.format("Boom('x')"),
        ["error", "pass"],
        ("completed",),
    ),
    "an exception whose str raises": (
        _program("class E(Exception):", "    def __str__(self):", "        raise SystemExit(3)")
        + RAISES_FIRST.format("E()"),
        ["error", "pass"],
        ("completed",),
    ),
    "an int whose repr and eq lie": (
        _program(
            "class I(int):",
            "    def __repr__(self):",
            "        return '0'",
            "    __str__ = __repr__",
            "    def __eq__(self, other):",
            "        return True",
            "    __hash__ = int.__hash__",
            "def f(i):",
            "    return I(i + 7)",
        ),
        ["fail", "fail"],
        ("completed",),
    ),
    "a float whose repr lies": (
        _program(
            "class F(float):",
            "    def __repr__(self):",
            "        return '0.0'",
            "def f(i):",
            "    return F(i + 0.5)",
        ),
        ["fail", "fail"],
        ("completed",),
    ),
    "a bool for an int": ("def f(i):\n    return bool(i)\n", ["fail", "fail"], ("completed",)),
    "fake PASS lines, then os._exit": (
        _program(
            "import os",
            "def f(i):",
            "    os.write(1, b'PASS    t0\\nPASS    t1\\n')",
            "    os._exit(0)",
        ),
        ["error", "error"],
        ("crashed",),
    ),
    "every descriptor closed": (
        _program("import os", "def f(i):", "    os.closerange(0, 4096)", "    return i"),
        ["error", "error"],
        ("crashed",),
    ),
    "input() eats no request": (
        _program(
            "def f(i):",
            "    try:",
            "        input()",
            "    except EOFError:",
            "        pass",
            "    return i",
        ),
        ["pass", "pass"],
        ("completed",),
    ),
    "an atexit hook that forges replies": (
        _program(
            "import atexit, os",
            'fake = b\'{"id": 2, "ok": true, "value": 1}\\n\'',
            "atexit.register(lambda: [os.write(fd, fake) for fd in range(1, 9)])",
            "def f(i):",
            "    raise SystemExit(1)",
        ),
        ["error", "error"],
        ("completed",),
    ),
    "a thread printing through every test": (
        _program(
            "import threading, time",
            "def spam():",
            "    while True:",
            "        print('PASS')",
            "        time.sleep(0.001)",
            "threading.Thread(target=spam, daemon=True).start()",
            "def f(i):",
            "    time.sleep(0.05)",
            "    return i",
        ),
        ["pass", "pass"],
        ("completed",),
    ),
}


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("name", list(CONTAINED))
def test_instructive_attacks_that_were_already_contained(level: IsolationLevel, name: str) -> None:
    """Regression set: each gets the verdicts an honest judge would give it, never a pass it
    did not earn, and never the sandbox's own failure."""
    from interview_sim.sandbox import CaseSpec, RunRequest, run_code
    from tests.sandbox.conftest import FAST

    code, verdicts, statuses = CONTAINED[name]
    cases = [CaseSpec(name=f"t{i}", kind="hidden", args=[i], expected=i) for i in range(2)]
    report = run_code(RunRequest(code=code, function="f", cases=cases, limits=FAST), level=level)
    assert report.status in statuses, report.message
    assert [c.verdict for c in report.cases] == verdicts, report.cases


def test_a_full_disk_when_the_check_starts_is_the_sandboxs_failure_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At the fallback level a run may fill the disk (32 files of 16 MB) before the check's
    judge makes its run folder; the ``OSError`` escaped ``run_code`` as a traceback."""
    import errno
    import tempfile

    from interview_sim.sandbox import SandboxError

    made: list[str] = []
    real = tempfile.mkdtemp

    def mkdtemp_then_full(*args: object, **kwargs: object) -> str:
        if made:
            raise OSError(errno.ENOSPC, "No space left on device")
        made.append(real(*args, **kwargs))  # type: ignore[call-overload]
        return made[-1]

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp_then_full)
    check = "def check(candidate):\n    assert candidate(2) == 4\n"
    with pytest.raises(SandboxError, match="No space left"):
        attack("def f(x):\n    return x * 2\n", [], "fallback-in-process", check=check)


def test_the_fallback_refuses_priority_and_scheduling_changes() -> None:
    """No audit event shows them: as root the candidate took real-time priority (a busy loop
    then starves the machine), and as any user it could renice the app (its parent)."""
    import os

    code = """
import os
def f(what):
    if what == 'realtime':
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(10))
    if what == 'renice the app':
        os.setpriority(os.PRIO_PROCESS, os.getppid(), 19)
    if what == 'pin the app':
        os.sched_setaffinity(os.getppid(), {0})
    return 'changed'
"""
    before = os.getpriority(os.PRIO_PROCESS, 0), os.sched_getaffinity(0)
    cases = [["realtime"], ["renice the app"], ["pin the app"]]
    report = attack(code, cases, "fallback-in-process")
    for case in report.cases:
        assert case.exception is not None and "not permitted" in case.exception.message, case
    assert (os.getpriority(os.PRIO_PROCESS, 0), os.sched_getaffinity(0)) == before


@pytest.mark.parametrize("audit_hooks", [True, False], ids=["guarded", "seccomp-only"])
def test_the_fallback_cannot_signal_the_app_through_a_descriptors_owner(audit_hooks: bool) -> None:
    """``fcntl(F_SETOWN, app)`` with ``F_SETSIG`` (or ``ioctl(FIOSETOWN)`` on a socket) makes
    the kernel signal the app when the descriptor is ready: a byte written to a pipe sent the
    app SIGKILL, past the filter that lets ``kill`` reach only the candidate itself. Here the
    signal asked for is SIGWINCH, which the test watches for."""
    import signal

    from interview_sim.sandbox import RunLimits

    received: list[int] = []
    previous = signal.signal(signal.SIGWINCH, lambda number, frame: received.append(number))
    code = """
import fcntl, os, socket, struct
def f(how):
    app = os.getppid()
    if how == 'fcntl':
        r, w = os.pipe()
        fcntl.fcntl(r, fcntl.F_SETSIG, 28)
        fcntl.fcntl(r, fcntl.F_SETOWN, app)
        fcntl.fcntl(r, fcntl.F_SETFL, os.O_ASYNC | os.O_NONBLOCK)
        os.write(w, b'x')
    else:
        a, b = socket.socketpair()
        fcntl.ioctl(a, 0x8901, struct.pack('i', app))  # FIOSETOWN
        fcntl.fcntl(a.fileno(), fcntl.F_SETSIG, 28)
        fcntl.fcntl(a.fileno(), fcntl.F_SETFL, os.O_ASYNC | os.O_NONBLOCK)
        b.send(b'x')
    return 'signalled'
"""
    limits = RunLimits(case_seconds=3.0, startup_seconds=30.0, audit_hooks=audit_hooks)
    try:
        report = attack(code, [["fcntl"], ["ioctl"]], "fallback-in-process", limits=limits)
    finally:
        signal.signal(signal.SIGWINCH, previous)
    assert received == []
    for case in report.cases:
        assert case.exception is not None, case
