"""The sandbox: containment of hostile code, verdicts, comparators, check blocks, static checks.

Every escape test asserts two things: the run reports what happened in plain words, and this
(the app's) process and the machine are untouched. Limits are generous wall-clock caps, so a
loaded machine makes the tests slower, never flaky; no test asserts a duration. Runs use the
strongest isolation level this machine offers unless a test forces the fallback; the hostile
programs aimed at each level live in ``tests/sandbox/``.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from interview_sim.sandbox import (
    CaseSpec,
    RunCancelled,
    RunLimits,
    RunReport,
    RunRequest,
    SandboxError,
    analyse,
    run_code,
)
from interview_sim.sandbox.isolation import level_for, unshare_prefix
from interview_sim.sandbox.models import IsolationLevel

LINUX = sys.platform.startswith("linux")
FAST = RunLimits(case_seconds=3.0)
FALLBACK: IsolationLevel = "fallback-in-process"
LEVEL = level_for()


def run(
    code: str,
    cases: list[tuple[list[Any], Any]],
    *,
    function: str = "f",
    limits: RunLimits = FAST,
    level: IsolationLevel | None = None,
    **request: Any,
) -> RunReport:
    tests = [
        CaseSpec(name=f"t{i}", kind="hidden", args=args, expected=expected)
        for i, (args, expected) in enumerate(cases)
    ]
    return run_code(
        RunRequest(code=code, function=function, cases=tests, limits=limits, **request),
        level=level,
    )


def verdicts(report: RunReport) -> list[str]:
    return [c.verdict for c in report.cases]


def test_pass_fail_error_with_input_expected_actual_line_and_stdout() -> None:
    code = (
        "def f(a, b):\n    print('adding', a, b)\n    if b == 0:\n        return a / b\n"
        "    return a + b\n"
    )
    report = run(code, [([1, 2], 3), ([1, 1], 3), ([1, 0], 0)])
    assert report.status == "completed"
    assert verdicts(report) == ["pass", "fail", "error"]
    ok, wrong, crash = report.cases
    assert ok.stdout == "adding 1 2\n"
    assert (wrong.input, wrong.expected, wrong.actual) == ("f(1, 1)", "3", "2")
    assert crash.exception is not None
    assert crash.exception.type == "ZeroDivisionError"
    assert (crash.exception.line, crash.exception.source) == (4, "return a / b")
    assert report.outcome().passed == 1 and report.outcome().total == 3


@pytest.mark.parametrize(
    ("compare", "actual", "expected", "verdict"),
    [
        ("exact", "(1, 2)", [1, 2], "pass"),  # a tuple answer equals the JSON list
        ("exact", "1", True, "fail"),  # bools are not integers here
        ("exact", "[2, 1]", [1, 2], "fail"),
        ("unordered", "[[3, 4], [1, 2]]", [[1, 2], [3, 4]], "pass"),
        ("unordered", "[1, 1, 2]", [1, 2, 2], "fail"),  # a multiset, not a set
        ("float", "[0.1 + 0.2, 1.0]", [0.3, 1], "pass"),
        ("float", "[0.31]", [0.3], "fail"),
    ],
)
def test_comparators(compare: str, actual: str, expected: Any, verdict: str) -> None:
    report = run(f"def f():\n    return {actual}\n", [([], expected)], compare=compare)
    assert verdicts(report) == [verdict]


def test_a_result_json_cannot_carry_is_a_wrong_answer_not_a_harness_failure() -> None:
    code = (
        "class Odd:\n    def __eq__(self, other):\n        raise TypeError('no')\n"
        "def f():\n    return Odd()\n"
    )
    report = run(code, [([], 1)])
    assert report.status == "completed"
    [case] = report.cases
    assert case.verdict == "fail" and "not JSON-safe" in case.message
    assert case.actual is not None and "Odd" in case.actual


def test_check_block_format_reports_the_failing_assertion() -> None:
    check = "def check(candidate):\n    assert candidate(2) == 4\n    assert candidate(3) == 9\n"
    good = run("def f(x):\n    return x * x\n", [], check=check)
    assert verdicts(good) == ["pass"] and good.cases[0].kind == "check"
    bad = run("def f(x):\n    return x + 2\n", [], check=check)
    assert verdicts(bad) == ["fail"]
    assert bad.cases[0].input == "assert candidate(3) == 9"
    crash = run("def f(x):\n    return x / 0\n", [], check=check)
    assert verdicts(crash) == ["error"]
    assert crash.cases[0].exception is not None and crash.cases[0].exception.line == 2


def test_infinite_loop_times_out_and_later_tests_still_run() -> None:
    code = "def f(x):\n    while x:\n        pass\n    return x\n"
    report = run(code, [([1], 1), ([0], 0)])
    assert verdicts(report) == ["timeout", "pass"]
    assert "no result within" in report.cases[0].message


def test_loop_that_swallows_the_timeout_is_killed_by_the_run_budget() -> None:
    code = (
        "def f():\n    while True:\n        try:\n            while True:\n                pass\n"
        "        except BaseException:\n            pass\n"
    )
    limits = RunLimits(case_seconds=1.0, startup_seconds=10.0)
    report = run(code, [([], 1), ([], 2)], limits=limits)
    assert report.status == "timed_out"
    assert verdicts(report) == ["timeout", "error"]
    assert "not run" in report.cases[1].message


@pytest.mark.parametrize("audit_hooks", [True, False])
def test_fork_bomb_is_refused(audit_hooks: bool) -> None:
    code = (
        "import os\ndef f():\n    started = 0\n    while True:\n        if os.fork() == 0:\n"
        "            os._exit(0)\n        started += 1\n"
    )
    report = run(code, [([], None)], limits=FAST.model_copy(update={"audit_hooks": audit_hooks}))
    if not audit_hooks and not report.isolation.seccomp:
        pytest.skip("no seccomp here: only the audit hook stops fork")
    [case] = report.cases
    assert case.verdict == "error"
    assert case.exception is not None
    assert case.exception.type in ("PermissionError", "BlockingIOError")
    assert case.exception.line == 5


def test_fallback_refuses_subprocess_killing_the_parent_and_native_code() -> None:
    code = (
        "import os, signal, subprocess\n"
        "def f(what):\n"
        "    if what == 'run':\n        subprocess.run(['true'])\n"
        "    if what == 'kill':\n        os.kill(os.getppid(), signal.SIGKILL)\n"
        "    if what == 'ctypes':\n        import ctypes\n"
        "    return 'survived'\n"
    )
    report = run(code, [(["run"], None), (["kill"], None), (["ctypes"], None)], level=FALLBACK)
    assert report.isolation.level == FALLBACK
    assert verdicts(report) == ["error", "error", "error"]
    messages = [c.exception.message for c in report.cases if c.exception]
    assert messages == [
        "blocked by the sandbox: starting programs",
        "blocked by the sandbox: sending signals",
        "blocked by the sandbox: importing ctypes",
    ]


def test_allocating_4_gb_is_a_memory_error() -> None:
    report = run("def f():\n    return len(bytearray(4 * 1024 ** 3))\n", [([], 0)])
    [case] = report.cases
    assert case.verdict == "error"
    assert case.exception is not None and case.exception.type == "MemoryError"


def test_deep_recursion_is_reported_both_ways() -> None:
    code = (
        "import sys\ndef f(raise_limit):\n    if raise_limit:\n"
        "        sys.setrecursionlimit(10 ** 7)\n    return g(10 ** 6)\n"
        # map() recurses through C, so past the limit the C stack itself overflows.
        "def g(n):\n    return 0 if n == 0 else 1 + sum(map(g, [n - 1]))\n"
    )
    report = run(code, [([False], 0), ([True], 0), ([False], 0)])
    first, second, third = report.cases
    assert first.exception is not None and first.exception.type == "RecursionError"
    assert first.exception.line == 7
    # Past the C stack the interpreter dies; the report says so and names the test.
    assert report.status == "crashed"
    assert second.verdict == "error" and "recursion" in second.message
    assert third.verdict == "error" and third.message.startswith("not run")


def test_printing_100_mb_is_truncated_and_marked() -> None:
    code = (
        "import os, sys\ndef f(raw):\n    chunk = 'x' * (1024 * 1024)\n    for _ in range(100):\n"
        "        if raw:\n            os.write(1, chunk.encode())\n        else:\n"
        "            sys.stdout.write(chunk)\n    return 1\n"
    )
    report = run(code, [([False], 1), ([True], 1)])
    printed, raw = report.cases
    assert printed.verdict == "pass" and printed.stdout_truncated
    assert "[output truncated:" in printed.stdout
    assert len(printed.stdout) < 10_000
    # Raw descriptor writes hit the file size limit and the console cap, not our memory.
    assert raw.verdict == "error"
    assert raw.exception is not None and "File too large" in raw.exception.message
    assert report.console.endswith("[console output truncated]")
    assert len(report.console) < 20_000


def test_file_size_is_limited_inside_the_run_folder() -> None:
    code = "def f():\n    with open('big.bin', 'wb') as out:\n        out.write(bytes(64 << 20))\n"
    report = run(code, [([], None)], limits=FAST.model_copy(update={"file_mb": 8}))
    [case] = report.cases
    assert case.verdict == "error"
    assert case.exception is not None and "File too large" in case.exception.message


def test_fallback_limits_the_number_of_new_files() -> None:
    """Under bubblewrap the working folder is a size-capped tmpfs instead."""
    code = (
        "def f():\n    for i in range(100):\n"
        "        with open(f'file_{i}.txt', 'w') as out:\n            out.write('x')\n"
    )
    limits = FAST.model_copy(update={"max_files": 10})
    report = run(code, [([], None)], limits=limits, level=FALLBACK)
    [case] = report.cases
    assert case.exception is not None
    assert (
        case.exception.message == "blocked by the sandbox: creating more than 10 files or folders"
    )


@pytest.mark.parametrize("level", [LEVEL, FALLBACK] if LEVEL != FALLBACK else [FALLBACK])
def test_writes_outside_the_run_folder_are_refused(
    isolated_home: Path, tmp_path: Path, level: IsolationLevel
) -> None:
    outside_tmp = tmp_path / "escaped.txt"
    code = (
        "import os, pathlib, shutil\n"
        "def f(path):\n"
        "    if path == 'here':\n"
        "        pathlib.Path('mine.txt').write_text('ok')\n"
        "        return os.getcwd()\n"
        "    if path.endswith('dir_fd'):\n"
        "        fd = os.open(os.path.dirname(path), os.O_RDONLY)\n"
        "        os.open('x', os.O_WRONLY | os.O_CREAT, dir_fd=fd)\n"
        "    if path.endswith('.db'):\n"
        "        import sqlite3\n"
        "        sqlite3.connect(path).execute('create table t (x)')\n"
        "    with open(path, 'w') as handle:\n"
        "        handle.write('escaped')\n"
    )
    targets = [str(isolated_home / "escaped.txt"), str(outside_tmp), str(tmp_path / "dir_fd")]
    targets.append(str(tmp_path / "escaped.db"))
    report = run(code, [(["here"], None)] + [([t], None) for t in targets], level=level)
    here, *escapes = report.cases
    assert here.verdict == "fail" and here.actual is not None  # returned its own folder
    # Refused by a guard (fallback), or the path is not in the sandbox's world at all.
    refusals = {"PermissionError", "FileNotFoundError", "OperationalError", "OSError"}
    refusals.add("ImportError")  # the fallback refuses sqlite3: its ATTACH writes from C
    for case in escapes:
        assert case.verdict == "error"
        assert case.exception is not None and case.exception.type in refusals
    assert not (isolated_home / "escaped.txt").exists()
    assert not outside_tmp.exists()
    assert not (tmp_path / "x").exists()
    assert not (tmp_path / "escaped.db").exists()
    if level == FALLBACK:
        run_folder = Path(here.actual.strip("'"))
        assert not run_folder.exists(), "the run folder is removed afterwards"
    else:
        assert here.actual == "'/work'", "a tmpfs of its own, gone with the sandbox"


def test_secrets_in_the_environment_are_not_visible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret-value")
    code = (
        "import os\n"
        "def f(how):\n"
        "    if how == 'env':\n        return sorted(os.environ)\n"
        "    with open(f'/proc/{os.getppid()}/environ', 'rb') as handle:\n"
        "        return handle.read().decode(errors='replace')\n"
    )
    report = run(code, [(["env"], None), (["proc"], None)])
    env, proc = report.cases
    assert env.actual is not None and "OPENAI" not in env.actual
    assert "sk-test-secret-value" not in (proc.actual or "")
    if LINUX:
        assert proc.verdict == "error"


@pytest.mark.parametrize("audit_hooks", [True, False])
def test_opening_a_socket_fails(audit_hooks: bool) -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    try:
        code = (
            "import socket\ndef f(port):\n"
            "    socket.create_connection(('127.0.0.1', port), timeout=2).close()\n"
            "    return 'connected'\n"
        )
        limits = FAST.model_copy(update={"audit_hooks": audit_hooks})
        report = run(code, [([port], None)], limits=limits)
    finally:
        server.close()
    if not audit_hooks and not (report.isolation.seccomp or report.isolation.network_namespace):
        pytest.skip("no OS-level network isolation here: only the audit hook applies")
    [case] = report.cases
    assert case.verdict == "error"
    assert case.exception is not None and case.exception.line == 3


def test_sys_exit_is_an_error_and_os_exit_ends_the_run_with_a_clear_report() -> None:
    code = (
        "import os, sys\ndef f(how):\n    if how == 'sys':\n        sys.exit(3)\n    os._exit(0)\n"
    )
    report = run(code, [(["sys"], None), (["os"], None), (["sys"], None)])
    first, second, third = report.cases
    assert first.verdict == "error" and first.exception is not None
    assert first.exception.type == "SystemExit"
    assert report.status == "crashed"
    assert second.verdict == "error" and "os._exit" in second.message
    assert third.message.startswith("not run")


def test_syntax_error_reports_line_and_column_without_running() -> None:
    report = run("def f(x):\n    return (x +\n", [([1], 1)])
    assert report.status == "syntax_error"
    assert report.static.syntax_error is not None
    assert report.static.syntax_error.line == 2
    assert report.static.syntax_error.column > 0
    assert verdicts(report) == ["error"]
    assert "syntax error at line 2" in report.summary()


def test_missing_module_and_missing_function_are_load_errors() -> None:
    missing = run("import no_such_module_here\ndef f():\n    return 1\n", [([], 1)])
    assert missing.status == "load_error"
    assert missing.load_exception is not None
    assert missing.load_exception.type == "ModuleNotFoundError"
    assert missing.load_exception.line == 1
    assert verdicts(missing) == ["error"]
    stuck = run("while True:\n    pass\ndef f():\n    return 1\n", [([], 1)])
    assert stuck.status == "load_error"
    assert stuck.load_exception is not None and stuck.load_exception.type == "Timeout"
    renamed = run("def g():\n    return 1\n", [([], 1)])
    assert renamed.status == "missing_function"
    assert "does not define f()" in renamed.cases[0].message


def test_environment_is_scrubbed_and_isolation_is_reported() -> None:
    report = run("import os\ndef f():\n    return sorted(os.environ)\n", [([], None)])
    allowed = {"PATH", "HOME", "TMPDIR", "TMP", "TEMP", "LANG", "LC_ALL", "LC_CTYPE", "PWD"}
    shown = report.cases[0].actual or ""
    names = {n.strip(" '") for n in shown.strip("[]").split(",") if n.strip()}
    assert names <= allowed
    iso = report.isolation
    assert iso.level == LEVEL and iso.process_group
    assert iso.audit_hooks == (LEVEL == FALLBACK)
    if LINUX:
        assert "RLIMIT_AS" in iso.resource_limits
    if LEVEL == FALLBACK:
        assert iso.network_namespace == bool(unshare_prefix())
    else:
        assert iso.network_namespace and iso.seccomp
        assert {"user", "pid", "network", "mount"} <= set(iso.namespaces)


def test_static_checks() -> None:
    code = (
        "def f(list, n):\n"
        "    sum = 0\n"
        "    for i in range(n):\n"
        "        for j in range(n):\n"
        "            if i < j:\n"
        "                sum += 1\n"
        "    return f(list, n - 1) if n else sum\n"
    )
    static = analyse(code, "f")
    assert static.defines_function
    assert static.max_loop_depth == 2 and static.loops == 2
    assert static.max_nesting == 4
    assert static.recursive_functions == ["f"]
    assert [(s.name, s.line) for s in static.shadowed_builtins] == [("list", 1), ("sum", 2)]
    assert any("O(n^2)" in note for note in static.notes)
    assert analyse("x = [i for i in range(3) for j in range(3)]").max_loop_depth == 2
    broken = analyse("def f(:\n    pass\n")
    assert broken.syntax_error is not None
    assert (broken.syntax_error.line, broken.syntax_error.column) == (1, 7)
    assert not analyse("def g(): pass", "f").defines_function


def test_a_missing_interpreter_is_a_harness_failure_not_a_verdict(tmp_path: Path) -> None:
    request = RunRequest(code="def f():\n    return 1\n", function="f", limits=FAST)
    try:
        report = run_code(request, python=str(tmp_path / "no-python"))
    except SandboxError as exc:
        assert "cannot start" in str(exc)
    else:
        assert report.status == "harness_error"
        assert "did not start" in report.message


def test_the_app_process_is_untouched_after_hostile_runs() -> None:
    before = (os.getpid(), os.getcwd(), dict(os.environ))
    code = "import os\ndef f():\n    os.chdir('/')\n    os.environ['X'] = '1'\n    return 1\n"
    run(code, [([], 1)])
    assert (os.getpid(), os.getcwd(), dict(os.environ)) == before


def test_a_cancelled_run_is_killed_with_its_children_and_reports_nothing() -> None:
    """The code spins forever; setting the event stops it long before any limit would."""
    started = threading.Event()
    cancel = threading.Event()
    slow = RunLimits(case_seconds=300.0)
    request = RunRequest(
        code="def f():\n    while True:\n        pass\n",
        function="f",
        cases=[CaseSpec(name="t0", kind="hidden", args=[], expected=None)],
        limits=slow,
    )
    outcome: list[BaseException] = []

    def runner() -> None:
        started.set()
        try:
            run_code(request, cancel=cancel)
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=runner)
    thread.start()
    started.wait()
    cancel.set()
    thread.join(timeout=120)
    assert not thread.is_alive(), "the cancelled run was not stopped"
    assert len(outcome) == 1 and isinstance(outcome[0], RunCancelled)
