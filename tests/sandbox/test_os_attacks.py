"""Hostile programs that go after the machine: secrets, files, the app's process, the network.

Under bubblewrap each must find nothing: the app's environment, memory, HOME and database are
not in the candidate's world, and its view of the filesystem is read-only except for its own
tmpfs. Every test asserts the secret is absent from everything the run produced, nothing
outside changed, the app survived (the test is still running, with its PID) and no test passed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from interview_sim.sandbox.models import IsolationLevel
from tests.sandbox.conftest import GUARDS_OFF, Planted, assert_contained, attack, needs_bubblewrap

pytestmark = needs_bubblewrap
LEVEL: IsolationLevel = "bubblewrap"


def _run(code: str, planted: Planted, *extra: object) -> None:
    before = planted.snapshot()
    pid = os.getpid()
    report = attack(code, [[planted.args(), os.getpid(), *extra]], LEVEL)
    assert os.getpid() == pid
    assert report.status != "harness_error", report.message
    assert report.isolation.level == "bubblewrap"
    assert_contained(report, planted, before)


def test_switching_the_guards_off_with_gc_gains_nothing(planted: Planted) -> None:
    """The fallback's audit hook can be found through ``gc``; here there is none to find, and
    with every in-process guard gone the writes, native code and ptrace still fail."""
    code = (
        GUARDS_OFF
        + """
import gc, os, ctypes
def f(paths, parent):
    guards_off()
    done = []
    for path in (paths['outside'] + '/escaped.txt', paths['key'], paths['config']):
        try:
            with open(path, 'w') as out:
                out.write('owned')
            done.append(path)
        except OSError as exc:
            done.append(type(exc).__name__)
    libc = ctypes.CDLL(None)
    done.append(libc.ptrace(0x4206, parent, 0, 0))  # PTRACE_SEIZE the app
    return done
"""
    )
    _run(code, planted)


def test_proc_of_the_parent_through_a_directory_descriptor(planted: Planted) -> None:
    code = """
import os
def f(paths, parent):
    seen = []
    proc = os.open('/proc', os.O_RDONLY)
    for pid in [str(parent), str(os.getppid()), *os.listdir('/proc')]:
        for name in ('environ', 'cmdline'):
            try:
                fd = os.open(f'{pid}/{name}', os.O_RDONLY, dir_fd=proc)
                seen.append(os.read(fd, 1 << 16).decode(errors='replace'))
            except OSError as exc:
                seen.append(type(exc).__name__)
    print(seen)
    return ' '.join(seen)
"""
    _run(code, planted)


def test_parent_memory_through_proc_mem(planted: Planted) -> None:
    code = """
import os, re
def f(paths, parent):
    found = []
    for pid in [parent, *[int(p) for p in os.listdir('/proc') if p.isdigit()]]:
        try:
            maps = open(f'/proc/{pid}/maps').read().splitlines()
            mem = open(f'/proc/{pid}/mem', 'rb')
        except OSError as exc:
            found.append(type(exc).__name__)
            continue
        for line in maps:
            if 'rw' not in line.split()[1]:
                continue
            start, end = (int(x, 16) for x in line.split()[0].split('-'))
            try:
                mem.seek(start)
                chunk = mem.read(min(end - start, 1 << 24))
            except (OSError, OverflowError, ValueError):
                continue
            found += [m.decode() for m in re.findall(rb'sk-proj-[A-Za-z0-9-]{10,}', chunk)]
    print(found)
    return found
"""
    _run(code, planted)


def test_home_files_ssh_key_config_and_database(planted: Planted) -> None:
    code = """
import os, glob
def f(paths, parent):
    found = []
    for path in [paths['key'], paths['config'], paths['db'],
                 *glob.glob(os.path.expanduser('~/.ssh/*')), '/root/.ssh/id_rsa', '/etc/shadow']:
        try:
            found.append(open(path, 'rb').read().decode(errors='replace'))
        except OSError as exc:
            found.append(f'{path}: {type(exc).__name__}')
    print(found)
    return found
"""
    _run(code, planted)


def test_sqlite_uri_attach_and_vacuum_into_outside(planted: Planted) -> None:
    code = """
import sqlite3
def f(paths, parent):
    done = []
    attempts = [
        lambda: sqlite3.connect(f"file:{paths['db']}?mode=rw", uri=True).execute(
            'DELETE FROM sessions').connection.commit(),
        lambda: sqlite3.connect(':memory:').execute(
            f"ATTACH DATABASE '{paths['outside']}/attached.db' AS x").connection.execute(
            'CREATE TABLE x.t (a)'),
        lambda: sqlite3.connect(':memory:').execute(
            f"VACUUM INTO '{paths['outside']}/copy.db'"),
        lambda: sqlite3.connect(paths['db']).execute('DROP TABLE sessions'),
    ]
    for attempt in attempts:
        try:
            attempt()
            done.append('ok')
        except Exception as exc:
            done.append(type(exc).__name__)
    return done
"""
    _run(code, planted)
    assert not (planted.outside / "attached.db").exists()
    assert not (planted.outside / "copy.db").exists()


def test_fifo_device_node_and_xattr_outside(planted: Planted) -> None:
    code = """
import os
def f(paths, parent):
    done = []
    attempts = [
        lambda: os.mkfifo(paths['outside'] + '/fifo'),
        lambda: os.mknod(paths['outside'] + '/node'),
        lambda: os.setxattr(paths['key'], 'user.owned', b'1'),
        lambda: os.setxattr(paths['outside'], 'user.owned', b'1'),
        lambda: os.symlink('/etc/passwd', paths['outside'] + '/link'),
        lambda: os.chmod(paths['key'], 0o777),
    ]
    for attempt in attempts:
        try:
            attempt()
            done.append('ok')
        except Exception as exc:
            done.append(type(exc).__name__)
    return done
"""
    _run(code, planted)
    assert os.listxattr(planted.ssh_key) == []


def test_dev_shm_segments_do_not_outlive_the_run(planted: Planted) -> None:
    name = f"interview-sim-leak-{os.getpid()}"
    code = """
import os
from multiprocessing import shared_memory
def f(paths, parent, name):
    with open('/dev/shm/' + name, 'w') as out:
        out.write('left behind')
    try:
        shared_memory.SharedMemory(name=name + '-seg', create=True, size=4096)
    except Exception as exc:
        return type(exc).__name__
    return os.listdir('/dev/shm')
"""
    _run(code, planted, name)
    assert not any(p.name.startswith(name) for p in Path("/dev/shm").iterdir())


def test_signals_to_the_app_through_pidfd_kill_and_killpg(planted: Planted) -> None:
    code = """
import os, signal
def f(paths, parent):
    done = []
    attempts = [
        lambda: signal.pidfd_send_signal(os.pidfd_open(parent), signal.SIGTERM),
        lambda: signal.pidfd_send_signal(os.pidfd_open(os.getppid() or 1), signal.SIGTERM),
        lambda: os.kill(parent, signal.SIGTERM),
        lambda: os.killpg(os.getpgid(parent), signal.SIGTERM),
        lambda: os.kill(-1, signal.SIGKILL),
    ]
    for attempt in attempts:
        try:
            attempt()
            done.append('sent')
        except Exception as exc:
            done.append(type(exc).__name__)
    return done
"""
    _run(code, planted)


def test_network_and_unix_sockets_reach_nothing(planted: Planted) -> None:
    code = """
import socket
def f(paths, parent):
    done = []
    for family, address in [(socket.AF_INET, ('1.1.1.1', 53)), (socket.AF_INET, ('127.0.0.1', 22)),
                            (socket.AF_UNIX, '/run/docker.sock'), (socket.AF_UNIX, '\\0abstract')]:
        try:
            s = socket.socket(family, socket.SOCK_STREAM)
            s.settimeout(1)
            s.connect(address)
            done.append('connected')
        except OSError as exc:
            done.append(type(exc).__name__)
    return done
"""
    _run(code, planted)


def test_new_processes_and_namespaces_are_refused(planted: Planted) -> None:
    code = """
import os, subprocess
def f(paths, parent):
    done = []
    for attempt in (os.fork, lambda: subprocess.run(['/bin/sh', '-c', 'true']),
                    lambda: os.unshare(os.CLONE_NEWUSER)):
        try:
            attempt()
            done.append('ok')
        except Exception as exc:
            done.append(type(exc).__name__)
    return done
"""
    _run(code, planted)


def test_honest_code_may_create_delete_rename_and_use_tempfile() -> None:
    code = """
import os, shutil, tempfile
def f():
    os.mkdir('d')
    with open('d/a.txt', 'w') as out:
        out.write('x')
    os.rename('d/a.txt', 'd/b.txt')
    os.remove('d/b.txt')
    os.rmdir('d')
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, 'n.txt')
        open(path, 'w').write('y')
        shutil.copy(path, path + '.bak')
    with tempfile.NamedTemporaryFile() as handle:
        handle.write(b'z')
    return sorted(os.listdir('.'))
"""
    report = attack(code, [[]], LEVEL, expected=[])
    assert [c.verdict for c in report.cases] == ["pass"], report.cases


@pytest.mark.parametrize("where", ["work", "shm"])
def test_the_working_folder_and_dev_shm_are_size_capped(where: str) -> None:
    code = """
def f(where):
    path = 'big.bin' if where == 'work' else '/dev/shm/big.bin'
    written = 0
    with open(path, 'wb') as out:
        for _ in range(1024):
            out.write(bytes(1 << 20))
            written += 1
    return written
"""
    report = attack(code, [[where]], LEVEL, expected=1024)
    [case] = report.cases
    assert case.verdict == "error", case
    assert case.exception is not None and case.exception.type == "OSError"


def test_bank_files_and_the_project_are_not_in_the_sandbox(planted: Planted) -> None:
    """The hidden tests and reference solutions live in the bank files; none is visible."""
    root = Path(__file__).resolve().parents[2]
    bank = root / "question_banks" / "coding" / "pair_sum_indices.yaml"
    code = """
import os
def f(paths, parent, bank, root):
    found = []
    for path in (bank, root + '/interview_sim/sandbox/runner.py', root + '/.git/config'):
        try:
            found.append(open(path).read())
        except OSError as exc:
            found.append(type(exc).__name__)
    try:
        found.append(sorted(os.listdir(root)))
    except OSError as exc:
        found.append(type(exc).__name__)
    found.append(sorted(os.listdir('/sandbox/harness')))
    return found
"""
    before = planted.snapshot()
    report = attack(code, [[planted.args(), os.getpid(), str(bank), str(root)]], LEVEL)
    assert_contained(report, planted, before)
    [case] = report.cases
    assert case.actual is not None and "reference_solution" not in case.actual
    assert case.actual.count("FileNotFoundError") == 4
