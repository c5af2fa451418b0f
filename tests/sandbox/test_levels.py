"""The isolation levels: which one a machine gets, what the fallback still holds, and how the
level reaches ``doctor`` and the run report. Also the custom-inputs API at both levels."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from interview_sim.cli.main import main
from interview_sim.sandbox import (
    CaseSpec,
    InputsRequest,
    RunLimits,
    RunRequest,
    run_code,
    run_inputs,
)
from interview_sim.sandbox.isolation import FORCE_ENV, describe, level_for
from interview_sim.sandbox.models import IsolationLevel
from tests.sandbox.conftest import BUBBLEWRAP_MISSING, LEVELS, Planted, attack

FALLBACK: IsolationLevel = "fallback-in-process"
HONEST = """
import os, shutil, tempfile
def f():
    os.mkdir('d')
    with open('d/a.txt', 'w') as out:
        out.write('x')
    os.rename('d/a.txt', 'd/b.txt')
    os.chmod('d/b.txt', 0o600)
    os.remove('d/b.txt')
    os.rmdir('d')
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, 'n.txt')
        open(path, 'w').write('y')
        shutil.copy(path, path + '.bak')
    return sorted(os.listdir('.'))
"""


def test_a_machine_without_usable_bubblewrap_gets_the_labelled_fallback(tmp_path: Path) -> None:
    """An interpreter bubblewrap cannot start (here: one that does not exist) is refused by
    the probe, so the level falls back and says why, rather than failing a candidate's run."""
    missing = str(tmp_path / "no-python")
    assert level_for(missing) == FALLBACK
    text = describe(missing)
    assert text.startswith("fallback-in-process (")
    assert "in-process guards" in text and "install bubblewrap" in text


def test_doctor_names_the_isolation_level(capsys: pytest.CaptureFixture[str]) -> None:
    main(["doctor"])
    out = capsys.readouterr().out
    [line] = [line for line in out.splitlines() if line.startswith("sandbox isolation:")]
    expected = "bubblewrap" if BUBBLEWRAP_MISSING is None else FALLBACK
    assert line.split(": ", 1)[1].startswith(expected)


def test_the_fallback_can_be_forced_and_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``INTERVIEW_SIM_ISOLATION=fallback-in-process`` shows what a machine without bubblewrap
    gets: doctor names the level and why, and a run with no level asked for uses it."""
    monkeypatch.setenv(FORCE_ENV, FALLBACK)
    assert level_for() == FALLBACK
    main(["doctor"])
    [line] = [x for x in capsys.readouterr().out.splitlines() if x.startswith("sandbox isol")]
    assert f"{FALLBACK} (forced by {FORCE_ENV}={FALLBACK})" in line
    request = RunRequest(
        code="def f():\n    return 1\n",
        function="f",
        cases=[CaseSpec(name="t", kind="example", args=[], expected=1)],
        limits=RunLimits(startup_seconds=30.0),
    )
    report = run_code(request)
    assert report.isolation.level == FALLBACK and report.isolation.audit_hooks
    assert [c.verdict for c in report.cases] == ["pass"]


@pytest.mark.parametrize("level", LEVELS)
def test_the_report_carries_the_level_that_ran(level: IsolationLevel) -> None:
    report = attack("def f():\n    return 1\n", [[]], level, expected=1)
    assert report.status == "completed" and report.passed == 1
    assert report.isolation.level == level
    assert report.isolation.audit_hooks == (level == FALLBACK)
    assert report.model_dump(mode="json")["isolation"]["level"] == level


@pytest.mark.parametrize("level", LEVELS)
def test_honest_code_may_print_through_any_stream_and_recurse_deeply(level: IsolationLevel) -> None:
    """``print``, ``sys.stdout.write``, ``sys.stdout.buffer.write`` and stderr all land in the
    test's output; a recursion 100,000 deep runs once the solution raises its own limit."""
    code = """
import sys
sys.setrecursionlimit(200000)
def depth(n):
    return 0 if n == 0 else 1 + depth(n - 1)
def f(n):
    print('a')
    sys.stdout.write('b\\n')
    sys.stdout.buffer.write('c\\n'.encode())
    sys.stdout.flush()
    print('d', file=sys.stderr)
    return depth(n)
"""
    report = attack(code, [[100_000]], level, expected=100_000)
    [case] = report.cases
    assert case.verdict == "pass", case
    assert case.stdout == "a\nb\nc\nd\n"


@pytest.mark.parametrize("level", LEVELS)
def test_a_lone_surrogate_printed_or_raised_is_shown_not_a_protocol_error(
    level: IsolationLevel,
) -> None:
    """The parent reads strict UTF-8 text; a ``"\\ud800"`` a solution printed or put in an
    exception message is replaced on the way instead of ending the run."""
    code = """
def f(fail):
    print('odd \\ud800 text')
    if fail:
        raise ValueError('bad \\udcff')
    return '\\ud800'
"""
    report = attack(code, [[False], [True]], level)
    assert report.status == "completed", report.message
    returned, raised = report.cases
    assert returned.verdict == "fail" and returned.stdout == "odd ? text\n"
    assert raised.exception is not None and raised.exception.message == "bad ?"


@pytest.mark.parametrize("level", LEVELS)
def test_honest_code_may_create_rename_chmod_delete_and_use_tempfile(level: IsolationLevel) -> None:
    report = attack(HONEST, [[]], level, expected=[])
    assert [c.verdict for c in report.cases] == ["pass"], report.cases


def test_the_fallback_still_refuses_writes_and_reads_outside(planted: Planted) -> None:
    """In-process guards: weaker (code that finds them can switch them off, see the README),
    but ordinary attempts are still refused and reported."""
    code = """
import os
def f(paths, what):
    if what == 'write':
        with open(paths['outside'] + '/x.txt', 'w') as out:
            out.write('escaped')
    if what == 'chmod':
        os.chmod(paths['key'], 0o777)
    if what == 'proc':
        with open(f'/proc/{os.getppid()}/environ', 'rb') as handle:
            return handle.read().decode(errors='replace')
    return 'done'
"""
    before = planted.snapshot()
    cases = [[planted.args(), "write"], [planted.args(), "chmod"], [planted.args(), "proc"]]
    report = attack(code, cases, FALLBACK)
    assert report.isolation.level == FALLBACK
    for case in report.cases:
        assert case.verdict == "error" and case.exception is not None, case
        assert case.exception.message.startswith("blocked by the sandbox"), case
    assert planted.snapshot() == before


@pytest.mark.parametrize("level", LEVELS)
def test_custom_inputs_show_the_output_beside_the_reference(level: IsolationLevel) -> None:
    request = InputsRequest(
        code="def f(xs):\n    print('sorting', len(xs))\n    return sorted(set(xs))\n",
        reference_solution="def f(xs):\n    return sorted(xs)\n",
        function="f",
        inputs=[[[3, 1, 2]], [[2, 2, 1]], ["abc"], [None]],
        limits=RunLimits(case_seconds=3.0),
    )
    report = run_inputs(request, level=level)
    assert report.status == "completed", report.message
    assert report.isolation.level == level
    distinct, repeated, text, broken = report.results
    assert (distinct.input, distinct.same) == ("f([3, 1, 2])", True)
    assert distinct.candidate.value == distinct.reference.value == "[1, 2, 3]"
    assert distinct.candidate.stdout == "sorting 3\n"
    assert repeated.same is False
    assert (repeated.candidate.value, repeated.reference.value) == ("[1, 2]", "[1, 2, 2]")
    assert text.same is True and text.candidate.value == "['a', 'b', 'c']"
    assert broken.same is None
    assert broken.candidate.verdict == broken.reference.verdict == "error"
    assert broken.candidate.exception is not None
    assert broken.candidate.exception.type == "TypeError"


@pytest.mark.parametrize("level", LEVELS)
def test_custom_inputs_of_code_that_does_not_load_say_so(level: IsolationLevel) -> None:
    request = InputsRequest(
        code="import no_such_module\ndef f(x):\n    return x\n",
        reference_solution="def f(x):\n    return x\n",
        function="f",
        inputs=[[1]],
    )
    report = run_inputs(request, level=level)
    assert report.status == "load_error"
    [result] = report.results
    assert result.candidate.verdict == "not_run" and result.reference.verdict == "returned"
    assert "No module named" in report.message


def test_run_code_input_prints_both_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The handler behind ``run-code --input``."""
    import argparse

    from interview_sim.cli.commands.run_code import _run_code
    from interview_sim.config import Settings

    solution = tmp_path / "sol.py"
    solution.write_text("def find_pair(nums, target):\n    return [0, 1]\n")
    args = argparse.Namespace(
        problem="pair_sum_indices",
        code=solution,
        hidden=False,
        verbose=False,
        json=False,
        input=["[[2, 7, 11, 15], 9]", "[[1, 2], 100]"],
    )
    assert _run_code(args, Settings) == 0  # the settings, read lazily
    out = capsys.readouterr().out
    assert "SAME      find_pair([2, 7, 11, 15], 9)" in out
    assert "DIFFERENT find_pair([1, 2], 100)" in out
    assert "reference: returned []" in out
    expected = "bubblewrap" if BUBBLEWRAP_MISSING is None else FALLBACK
    assert f"isolation: {expected}" in out


UNPRIVILEGED = """
import json, sys
sys.path[:0] = sys.argv[1:]
from interview_sim.sandbox import CaseSpec, RunRequest, run_code
code = 'import os\\ndef f():\\n    return [os.getuid(), sorted(os.listdir("/"))]\\n'
case = CaseSpec(name='who', kind='hidden', args=[], expected=None)
report = run_code(RunRequest(code=code, function='f', cases=[case]))
print(json.dumps([report.status, report.isolation.level, report.cases[0].actual]))
"""


@pytest.mark.skipif(
    BUBBLEWRAP_MISSING is not None
    or not hasattr(os, "geteuid")
    or os.geteuid() != 0
    or shutil.which("setpriv") is None
    or not Path(f"/usr/bin/python3.{sys.version_info.minor}").exists(),
    reason="needs root (to become another user), setpriv and a system Python of this version",
)
def test_an_unprivileged_user_gets_the_bubblewrap_level_too() -> None:
    """bwrap needs no privileges: as ``nobody`` (with a system interpreter that user can read)
    the sandbox still creates its namespaces."""
    root = Path(__file__).resolve().parents[2]
    site = next((root / ".venv" / "lib").glob("python3.*/site-packages"))
    done = subprocess.run(
        [
            "setpriv",
            "--reuid",
            "65534",
            "--regid",
            "65534",
            "--clear-groups",
            f"/usr/bin/python3.{sys.version_info.minor}",
            "-c",
            UNPRIVILEGED,
            str(root),
            str(site),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd="/",
        env={"PATH": os.defpath, "LANG": "C.UTF-8"},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    status, level, actual = json.loads(done.stdout.strip().splitlines()[-1])
    assert (status, level) == ("completed", "bubblewrap")
    assert actual.startswith("[65534, ") and "'home'" not in actual and "'root'" not in actual


def test_an_installation_that_contains_home_is_not_exposed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Binding the interpreter's installation read-only must never bind the home folder with
    it (Python installed with ``--prefix=$HOME``, say): such a machine gets the fallback."""
    from interview_sim.sandbox.bwrap import probe

    monkeypatch.setenv("HOME", str(Path(sys.base_prefix) / "lib"))
    probe.cache_clear()
    try:
        assert level_for() == FALLBACK
        assert "contains your home folder" in describe()
    finally:
        monkeypatch.undo()
        probe.cache_clear()
