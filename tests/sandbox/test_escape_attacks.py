"""Hostile programs that try to outlive the run, read what bound folders hold, reach the user's
terminal, or use the kernel interfaces that skip the seccomp filter.

Each was a hole found by a hostile audit of the bubblewrap level: a candidate that cleared its
parent-death signal survived the run (bwrap was killed, not the interpreter); a site-packages
folder under a bound installation was readable (where interview-sim is installed, that holds
the banks with their hidden tests and reference solutions); escape sequences printed by the
code reached the terminal raw; io_uring answered.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from interview_sim.sandbox import RunLimits, RunRequest, bwrap, run_code
from interview_sim.sandbox.isolation import FALLBACK
from interview_sim.sandbox.models import IsolationLevel
from tests.sandbox.conftest import (
    GUARDS_OFF,
    HIDDEN,
    LEVELS,
    Planted,
    assert_contained,
    attack,
    needs_bubblewrap,
)

LEVEL: IsolationLevel = "bubblewrap"

LINGER = (
    GUARDS_OFF
    + """
import gc, os, signal, threading, time
def f(marker, how):
    guards_off()  # the fallback's guard off (nothing to find under bubblewrap)
    import ctypes
    libc = ctypes.CDLL(None)
    libc.prctl(1, 0, 0, 0, 0)                    # PR_SET_PDEATHSIG: none (refused)
    libc.prctl(15, marker.encode(), 0, 0, 0)     # PR_SET_NAME: findable from outside
    for sig in (signal.SIGALRM, signal.SIGPROF, signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, signal.SIG_IGN)
    try:
        os.setsid()
    except OSError:
        pass
    def burn():
        while True:
            pass
    threading.Thread(target=burn, daemon=True).start()
    if how == 'exec':
        os.execv('/bin/sleep', [marker, '3000'])  # refused at the fallback level
    if how == 'answer':
        return 'an answer, with a thread still burning CPU'
    while True:
        try:
            time.sleep(1)
        except BaseException:
            pass
"""
)


def _running(marker: str) -> list[int]:
    """Processes (other than zombies) whose name or command line carries ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        state = stat.rsplit(")", 1)[1].split()[0]
        if state != "Z" and (marker in stat or marker.encode() in cmdline):
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("how", ["sleep", "exec", "answer"])
def test_nothing_of_the_candidate_outlives_the_run(level: IsolationLevel, how: str) -> None:
    """Cleared parent-death signal, own session, ignored signals, a burning thread, an exec'd
    program: whether the run timed out or got its answer, nothing of it is left afterwards."""
    marker = f"isl{os.getpid() % 100000}{how[:3]}"
    report = attack(LINGER, [[marker, how]], level)
    try:
        assert report.status != "harness_error", report.message
        assert [c.verdict for c in report.cases] != ["pass"]
        assert _running(marker) == []
    finally:
        for pid in _running(marker):
            os.kill(pid, 9)


@pytest.fixture
def fake_installation() -> Iterator[Path]:
    """A system folder, bound read-only like ``/usr``, with interview-sim pip-installed into
    its ``site-packages`` (banks included) and another copy under a folder of its own.

    Under ``/var/tmp`` rather than ``/tmp``: the sandbox's ``/tmp`` is its working folder.
    """
    root = Path(tempfile.mkdtemp(prefix="interview-sim-opt-", dir="/var/tmp"))
    try:
        site = root / "lib" / "python3.11" / "site-packages"
        bank = site / "interview_sim" / "data" / "question_banks" / "coding"
        bank.mkdir(parents=True)
        (bank / "secret.yaml").write_text(f"tests:\n  - expected: {HIDDEN}\n")
        (root / "local" / "lib" / "python3" / "dist-packages").mkdir(parents=True)
        (root / "local" / "lib" / "python3" / "dist-packages" / "x.txt").write_text(HIDDEN)
        (root / "share").mkdir()
        (root / "share" / "visible.txt").write_text("fine")
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


@needs_bubblewrap
def test_site_packages_under_a_bound_folder_are_empty(
    fake_installation: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """interview-sim installed into a bound installation's site-packages (the banks with it)
    is not readable: every site-/dist-packages folder under a bound folder is an empty tmpfs."""
    monkeypatch.setattr(bwrap, "SYSTEM_DIRS", (*bwrap.SYSTEM_DIRS, str(fake_installation)))
    code = """
import os
def f(root):
    found = []
    for top, dirs, files in os.walk(root):
        found += [os.path.join(top, name) for name in files]
    for path in list(found):
        found.append(open(path).read())
    try:
        open(root + '/lib/python3.11/site-packages/new.txt', 'w')
        found.append('wrote')
    except OSError as exc:
        found.append(type(exc).__name__)
    return found
"""
    report = attack(code, [[str(fake_installation)]], LEVEL)
    [case] = report.cases
    assert case.verdict == "fail" and case.actual is not None, case
    assert HIDDEN not in case.actual and "secret.yaml" not in case.actual
    assert "visible.txt" in case.actual and "wrote" not in case.actual


@needs_bubblewrap
def test_the_interpreters_own_site_packages_are_empty() -> None:
    """The real installation on this machine: its site-packages (and /usr's) show nothing."""
    code = """
import glob, sys
def f():
    roots = [sys.base_prefix, '/usr', '/usr/local']
    full = []
    for root in roots:
        for pattern in ('lib*/python3*/site-packages', 'lib*/python3*/dist-packages',
                        'lib*/python3/dist-packages'):
            full += [p for p in glob.glob(root + '/' + pattern) if glob.glob(p + '/*')]
    return full
"""
    report = attack(code, [[]], LEVEL, expected=[])
    assert [c.verdict for c in report.cases] == ["pass"], report.cases


def test_masked_lists_only_folders_strictly_inside_bound_ones(fake_installation: Path) -> None:
    site = str(fake_installation / "lib" / "python3.11" / "site-packages")
    dist = str(fake_installation / "local" / "lib" / "python3" / "dist-packages")
    assert {site, dist} <= set(bwrap.masked((str(fake_installation),)))
    assert str(fake_installation) not in bwrap.masked((str(fake_installation),))
    inner = str(Path(site) / "interview_sim")
    assert inner not in bwrap.masked((str(fake_installation), inner))  # the outermost only


@pytest.mark.parametrize("level", LEVELS)
def test_terminal_escapes_in_output_and_exceptions_are_made_inert(level: IsolationLevel) -> None:
    """Printed text, exception messages and raw console writes reach the report (and so the
    terminal) with ESC, CR and bidi controls written out, so they cannot repaint ERROR as PASS."""
    code = """
import os, sys
def f():
    fake = '\\x1b[2J\\x1b[H\\x1b]52;c;cHduZWQ=\\x07\\rPASS \\x1b[32mall\\x1b[0m \\u202e'
    print(fake)
    os.write(1, fake.encode())
    sys.__stderr__.write(fake)
    sys.__stderr__.flush()
    raise ValueError(fake)
"""
    report = attack(code, [[]], level)
    [case] = report.cases
    assert case.verdict == "error" and case.exception is not None
    texts = [case.stdout, case.exception.message, report.console, report.model_dump_json()]
    for text in texts[:3]:
        assert "\x1b" not in text and "\r" not in text and "\u202e" not in text, text
        assert "\x07" not in text
    assert "\\x1b[2J" in case.stdout
    assert "\\x1b[2J" in report.console


@needs_bubblewrap
def test_io_uring_and_descriptor_stealing_syscalls_are_refused() -> None:
    """io_uring's requests would skip the filter (its socket op, say); pidfd_getfd,
    open_by_handle_at and the new mount API have no use in a solution."""
    code = """
import ctypes
def f():
    libc = ctypes.CDLL(None, use_errno=True)
    params = ctypes.create_string_buffer(256)
    results = []
    for number, args in [(425, (8, params)), (438, (0, 0, 0)), (304, (0, 0, 0)),
                         (430, (b'tmpfs', 0)), (248, (b'user', b'k', 0, 0, 0))]:
        ctypes.set_errno(0)
        results.append([libc.syscall(number, *args), ctypes.get_errno()])
    return results
"""
    report = attack(code, [[]], LEVEL, expected=[[-1, 1]] * 5)
    assert [c.verdict for c in report.cases] == ["pass"], report.cases


@pytest.mark.parametrize("level", LEVELS)
def test_signalling_the_app_through_a_pidfd_is_refused(level: IsolationLevel) -> None:
    """``pidfd_send_signal`` raises no audit event, so the fallback's hook never saw it: the
    seccomp filter refuses pidfd_open and pidfd_send_signal at both levels."""
    code = """
import os, signal
def f(parent):
    done = []
    for pid in (parent, os.getppid() or 1):
        try:
            signal.pidfd_send_signal(os.pidfd_open(pid), signal.SIGTERM)
            done.append('sent')
        except OSError as exc:
            done.append(type(exc).__name__)
    return done
"""
    report = attack(code, [[os.getpid()]], level, expected=["PermissionError"] * 2)
    assert [c.verdict for c in report.cases] == ["pass"], report.cases


def test_the_fallback_refuses_home_files_and_proc_through_a_directory_descriptor(
    planted: Planted,
) -> None:
    """Without switching its guard off, fallback code can neither open the user's files (the
    SSH key, the config with its API key, the database) nor reach another process's ``/proc``
    through a descriptor of ``/`` or ``/proc`` (the audit event does not show ``dir_fd``)."""
    code = """
import os
def f(paths, parent, what):
    if what == 'dir_fd':
        for top in ('/proc', '/'):
            fd = os.open(top, os.O_RDONLY)
            name = f'{parent}/environ' if top == '/proc' else f'proc/{parent}/environ'
            try:
                return os.read(os.open(name, os.O_RDONLY, dir_fd=fd), 1 << 16).decode()
            except PermissionError:
                pass
        raise PermissionError('blocked by the sandbox: both')
    with open(paths[what], 'rb') as handle:
        return handle.read().decode(errors='replace')
"""
    before = planted.snapshot()
    cases = [[planted.args(), os.getpid(), what] for what in ("key", "config", "db", "dir_fd")]
    report = attack(code, cases, FALLBACK)
    assert_contained(report, planted, before)
    for case in report.cases:
        assert case.verdict == "error" and case.exception is not None, case
        assert case.exception.message.startswith("blocked by the sandbox"), case


@needs_bubblewrap
def test_a_database_or_config_named_in_the_environment_is_hidden_under_a_bound_folder(
    fake_installation: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = fake_installation / "share" / "interview-sim"
    data.mkdir()
    (data / "sessions.db").write_text(HIDDEN)
    (data / "config.yaml").write_text(HIDDEN)
    monkeypatch.setenv("INTERVIEW_SIM_DB", f"sqlite:///{data / 'sessions.db'}")
    monkeypatch.setattr(bwrap, "SYSTEM_DIRS", (*bwrap.SYSTEM_DIRS, str(fake_installation)))
    code = """
import os
def f(share):
    found = sorted(os.listdir(share))
    for name in ('sessions.db', 'config.yaml'):
        try:
            found.append(open(os.path.join(share, 'interview-sim', name)).read())
        except OSError as exc:
            found.append(type(exc).__name__)
    return found
"""
    report = attack(code, [[str(fake_installation / "share")]], LEVEL)
    [case] = report.cases
    assert (
        case.actual == "['interview-sim', 'visible.txt', 'FileNotFoundError', 'FileNotFoundError']"
    )


def test_masking_never_hides_the_interpreter(
    fake_installation: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database kept beside the interpreter (``/usr/local/sessions.db``, say) must not cover
    ``/usr/local`` and with it the Python the sandbox runs."""
    python = str(fake_installation / "bin" / "python3")
    monkeypatch.setenv("INTERVIEW_SIM_DB", str(fake_installation / "sessions.db"))
    inner = str(fake_installation / "share")
    monkeypatch.setenv("INTERVIEW_SIM_CONFIG", inner + "/config.yaml")
    bound = ("/", str(fake_installation))
    assert str(fake_installation) in bwrap.masked(bound)
    assert str(fake_installation) not in bwrap.masked(bound, (python,))
    assert inner in bwrap.masked(bound, (python,))


def test_the_fallback_refuses_signals_to_other_processes_even_with_its_guard_off() -> None:
    """The audit hook's state can be found with ``gc`` and switched off (see the README); the
    seccomp filter the fallback loads still lets signals reach only the process itself."""
    code = (
        GUARDS_OFF
        + """
import gc, os, signal
def f(parent):
    guards_off()
    done = []
    for attempt in (lambda: os.kill(parent, signal.SIGTERM),
                    lambda: os.killpg(os.getpgid(parent), signal.SIGTERM),
                    lambda: os.kill(-1, signal.SIGTERM),
                    lambda: os.kill(os.getpid(), 0),
                    lambda: signal.raise_signal(signal.SIGWINCH)):
        try:
            attempt()
            done.append('sent')
        except OSError as exc:
            done.append(type(exc).__name__)
    return done
"""
    )
    pid = os.getpid()
    expected = ["PermissionError"] * 3 + ["sent"] * 2
    report = attack(code, [[pid]], FALLBACK, expected=expected)
    assert os.getpid() == pid
    assert [c.verdict for c in report.cases] == ["pass"], report.cases


def _descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _harness_in(pids: set[int]) -> bool:
    for pid in pids:
        try:
            if b"harness.main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return True
        except OSError:
            continue
    return False


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.parametrize("level", LEVELS)
def test_the_sandbox_dies_with_an_app_that_is_killed_outright(level: IsolationLevel) -> None:
    """SIGKILL leaves the app no time to clean up: the parent-death signal must end the
    sandbox, so the filter refuses clearing it (``prctl(PR_SET_PDEATHSIG, 0)``)."""
    app = f"""
import sys
from interview_sim.sandbox import CaseSpec, RunLimits, RunRequest, run_code
code = '''{GUARDS_OFF}
import gc, signal, time
def f():
    guards_off()  # the fallback's guard off, so ctypes loads there too
    import ctypes
    cleared = ctypes.CDLL(None).prctl(1, 0, 0, 0, 0)
    for sig in (signal.SIGALRM, signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, signal.SIG_IGN)
    print('cleared' if cleared == 0 else 'refused', flush=True)
    while True:
        try:
            time.sleep(1)
        except BaseException:
            pass
'''
case = CaseSpec(name='t', kind='hidden', args=[], expected=1)
limits = RunLimits(case_seconds=60.0, startup_seconds=30.0)
run_code(RunRequest(code=code, function='f', cases=[case], limits=limits), level={level!r})
"""
    root = Path(__file__).resolve().parents[2]
    process = subprocess.Popen([sys.executable, "-c", app], cwd=root)
    try:
        deadline = time.monotonic() + 30
        while not _harness_in(_descendants(process.pid)) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(2.0)  # the candidate's code is in its sleep loop by now
        sandbox = _descendants(process.pid)
        assert _harness_in(sandbox)
    finally:
        process.kill()
        process.wait()
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in sandbox) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in sandbox if _alive(pid)]
    for pid in left:
        os.kill(pid, 9)
    assert left == []


def test_the_fallbacks_judge_is_not_dumpable() -> None:
    """At the fallback level the judge runs as the same user as the candidate: not dumpable,
    its ``/proc/<pid>/mem`` is out of a (non-root) candidate's reach even with the guard off."""
    check = """
def check(candidate):
    import ctypes
    assert ctypes.CDLL(None).prctl(3, 0, 0, 0, 0) == 0  # PR_GET_DUMPABLE
    assert candidate() == 1
"""
    request = RunRequest(
        code="def f():\n    return 1\n",
        function="f",
        check=check,
        limits=RunLimits(case_seconds=5.0, startup_seconds=30.0),
    )
    [case] = run_code(request, level=FALLBACK).cases
    assert case.verdict == "pass", case


@pytest.mark.parametrize("level", LEVELS)
def test_memory_outside_the_address_space_limit_is_refused(level: IsolationLevel) -> None:
    """A memfd's pages are not counted by ``RLIMIT_AS``: sixty of 16 MB each held about 1 GB
    beside the 1 GiB limit. ``memfd_create`` is refused; mapping memory stays capped."""
    code = """
import mmap, os
def f():
    done = []
    try:
        os.memfd_create('hold')
        done.append('created')
    except OSError as exc:
        done.append(type(exc).__name__)
    try:
        mmap.mmap(-1, 4 << 30)
        done.append('mapped')
    except OSError as exc:
        done.append(type(exc).__name__)
    return done
"""
    report = attack(code, [[]], level, expected=["PermissionError", "OSError"])
    assert [c.verdict for c in report.cases] == ["pass"], report.cases


def test_code_nested_too_deeply_for_the_static_reader_is_still_run_and_judged() -> None:
    """``f = lambda: lambda: ... 1`` parses but nests deeper than ``ast.NodeVisitor`` can
    recurse: the parent's static reading raised RecursionError (a traceback in the app)."""
    code = "f = " + "lambda: " * 1000 + "1\n"
    report = attack(code, [[]], LEVEL if bwrap.probe(sys.executable) is None else FALLBACK)
    assert report.status == "completed", report.message
    assert "nested too deeply to read in full" in " ".join(report.static.notes)
    [case] = report.cases
    assert case.verdict == "fail"


def test_the_fallback_refuses_fifos_nodes_xattrs_and_sqlite_writes_outside(
    planted: Planted,
) -> None:
    """No audit event shows ``mkfifo``/``mknod`` (the fallback's filter refuses them), the
    files SQLite's ``ATTACH`` and ``VACUUM INTO`` create from C, or a ``/dev/shm`` segment that
    outlives the run (``sqlite3`` and ``_posixshmem`` are refused)."""
    code = """
import os
def f(paths, parent, what):
    target = paths['outside'] + '/' + what
    if what == 'fifo':
        os.mkfifo(target)
    if what == 'node':
        os.mknod(target)
    if what == 'xattr':
        os.setxattr(paths['key'], 'user.owned', b'1')
    if what == 'shm':
        from multiprocessing import shared_memory
        shared_memory.SharedMemory(name=paths['outside'].replace('/', '-'), create=True, size=64)
    if what in ('attach', 'vacuum'):
        import sqlite3
        db = sqlite3.connect(':memory:')
        sql = f"ATTACH DATABASE '{target}' AS x" if what == 'attach' else f"VACUUM INTO '{target}'"
        db.execute(sql)
    return 'done'
"""
    before = planted.snapshot()
    whats = ("fifo", "node", "xattr", "attach", "vacuum", "shm")
    report = attack(code, [[planted.args(), os.getpid(), w] for w in whats], FALLBACK)
    assert_contained(report, planted, before)
    assert os.listdir(planted.outside) == []
    assert not Path("/dev/shm", str(planted.outside).replace("/", "-")).exists()
    for case in report.cases:
        assert case.verdict == "error" and case.exception is not None, case
        assert case.exception.type in ("PermissionError", "ImportError"), case


def test_the_fallbacks_run_folder_is_removed_even_with_its_permissions_taken_away() -> None:
    """Folders the code made unreadable (``chmod 000``) would keep a non-root app from removing
    the run folder; they are made searchable again (never through a symlink) first."""
    code = """
import os
def f():
    os.makedirs('a/b/c')
    open('a/b/c/file', 'w').write('x')
    for folder in ('a/b/c', 'a/b', 'a'):
        os.chmod(folder, 0)
    return os.getcwd()
"""
    report = attack(code, [[]], FALLBACK)
    [case] = report.cases
    assert case.actual is not None and case.actual.startswith("'"), case
    assert not Path(case.actual.strip("'")).exists()


def test_the_fallbacks_read_guard_lets_the_closer_folder_decide(tmp_path: Path) -> None:
    """interview-sim installed into the Python installation's own site-packages: the
    installation is readable (Python imports from it), the package and its banks inside it
    are not; a Python installed in the home folder stays readable though the home is not."""
    prefix = tmp_path / "python"
    package = prefix / "lib" / "site-packages" / "interview_sim"
    (package / "data").mkdir(parents=True)
    (package / "data" / "bank.yaml").write_text(HIDDEN)
    (prefix / "stdlib.py").write_text("x = 1\n")
    home = tmp_path / "home"
    (home / ".pyenv").mkdir(parents=True)
    (home / ".pyenv" / "os.py").write_text("x = 1\n")
    (home / "secret.txt").write_text(HIDDEN)
    work = tmp_path / "work"
    work.mkdir()
    script = f"""
import sys
sys.path.insert(0, {str(bwrap.HARNESS_DIR.parent)!r})
from harness.guards import install_audit_hook
install_audit_hook({str(work)!r}, 32, [{str(package)!r}, {str(home)!r}],
                   [{str(prefix)!r}, {str(home / ".pyenv")!r}])
for path in ({str(package / "data" / "bank.yaml")!r}, {str(prefix / "stdlib.py")!r},
             {str(home / ".pyenv" / "os.py")!r}, {str(home / "secret.txt")!r}):
    try:
        open(path).read()
        print("read")
    except PermissionError:
        print("refused")
"""
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["refused", "read", "read", "refused"]


@pytest.mark.parametrize("level", LEVELS)
def test_a_forged_message_cannot_put_escapes_in_the_protocol_error(level: IsolationLevel) -> None:
    """The validation error names the offending key, which the child chose: it is made inert
    like every other text from the child."""
    code = """
import gc, json, os
def f():
    wire = [o for o in gc.get_objects() if type(o).__name__ == 'Wire'][0]
    reply = {'id': 1, 'ok': True, 'value': 1, 'seconds': 0, 'cpu_seconds': 0,
             '\\x1b[2J\\x1b]52;c;cHduZWQ=\\x07\\rPASS': 1}
    wire.send_bytes((json.dumps(reply) + '\\n').encode())
    os._exit(0)
"""
    report = attack(code, [[]], level)
    assert report.status == "protocol_error", report.message
    texts = [report.message, *(c.message for c in report.cases)]
    assert all("\x1b" not in t and "\r" not in t and "\x07" not in t for t in texts), texts
    assert "\\x1b[2J" in report.message
