"""Which isolation level this machine offers, and the small process helpers both levels share.

Two levels, and a run report always names the one it used:

``bubblewrap``
    The operating system isolates the child (see ``bwrap.py``): it cannot see the app's files,
    processes, environment or network, whatever Python code it runs.
``fallback-in-process``
    No usable bubblewrap (not Linux, bwrap missing, or user namespaces refused). The child runs
    as the user with resource limits, a seccomp filter it loads itself, a network namespace
    where ``unshare`` allows one, and an audit hook. Those guards live in the candidate's own
    interpreter, so determined code can get past them; verdicts are still decided outside.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import subprocess
import sys
from typing import Any

from interview_sim.sandbox import bwrap
from interview_sim.sandbox.models import IsolationLevel

BUBBLEWRAP: IsolationLevel = "bubblewrap"
FALLBACK: IsolationLevel = "fallback-in-process"
PYTHON_FLAGS = ("-I", "-S", "-X", "utf8")
"""Isolated mode: no PYTHON* variables, no user or site packages, no script folder on sys.path."""
BOOTSTRAP = (
    "import sys; sys.path.insert(0, sys.argv[1]); from harness.main import main;"
    " del sys.path[0]; sys.exit(main())"
)
"""Imports the harness (so its bytecode cache is used); its folder leaves ``sys.path`` again."""


FORCE_ENV = "INTERVIEW_SIM_ISOLATION"
"""Set to ``fallback-in-process`` to use the weaker level even where bubblewrap works (to see
what a macOS user gets, say). Nothing can force the stronger level onto a machine without it."""


def _why_not_bubblewrap(python: str) -> str | None:
    if os.environ.get(FORCE_ENV, "").strip() == FALLBACK:
        return f"forced by {FORCE_ENV}={FALLBACK}"
    return bwrap.probe(python)


def level_for(python: str = sys.executable) -> IsolationLevel:
    return BUBBLEWRAP if _why_not_bubblewrap(python) is None else FALLBACK


def describe(python: str = sys.executable) -> str:
    """One line for ``doctor``: the level, and why it is not the stronger one."""
    why = _why_not_bubblewrap(python)
    if why is None:
        return f"{BUBBLEWRAP}: candidate code runs in its own namespaces with a read-only view"
    return (
        f"{FALLBACK} ({why}): candidate code runs as you, held only by limits, seccomp and"
        " in-process guards; install bubblewrap (Debian/Ubuntu: apt install bubblewrap)"
    )


@functools.cache
def unshare_prefix() -> tuple[str, ...]:
    """Fallback level: the prefix that gives the child no network, or () where that fails.

    Root can create a network namespace directly; other users need a user namespace too.
    """
    if not sys.platform.startswith("linux"):
        return ()
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    prefix = (unshare, "-n") if os.geteuid() == 0 else (unshare, "-rn")
    try:
        probe = subprocess.run(
            [*prefix, "--", "true"], capture_output=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ()
    return (*prefix, "--") if probe.returncode == 0 else ()


_SYSTEM_ROOTS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc", "/proc", "/dev")


def private_folders() -> list[str]:
    """Fallback level: folders whose files the candidate's code may not open (its guard).

    The package with its banks (wherever it is installed, ``/usr/local`` included), the home
    folder (from ``HOME`` and the password database), the config and data folders, and the
    app's working folder (where ``sessions.db`` is kept by default). Never ``/``; the home and
    working folders not when they are a system folder, whose files Python itself reads.
    """
    general = [os.getcwd(), os.path.expanduser("~")]
    with contextlib.suppress(ImportError, KeyError):
        import pwd

        general.append(pwd.getpwuid(os.getuid()).pw_dir)
    found = {os.path.realpath(p) for p in bwrap.private_dirs()}
    for path in {os.path.realpath(p) for p in general}:
        if not any(path == r or path.startswith(r + "/") for r in _SYSTEM_ROOTS):
            found.add(path)
    return sorted(p for p in found if p != os.path.realpath("/"))


def harness_parent() -> str:
    return str(bwrap.HARNESS_DIR.parent)


@functools.cache
def precompile_harness() -> None:
    """Write the harness's bytecode once, so a read-only bind still starts from the cache."""
    import compileall

    with contextlib.suppress(OSError):
        compileall.compile_dir(str(bwrap.HARNESS_DIR), quiet=2)


def scrubbed_env(home: str) -> dict[str, str]:
    """Only what an interpreter needs: no API keys, tokens or proxies from the app's env."""
    env = {
        "PATH": os.defpath,
        "HOME": home,
        "TMPDIR": home,
        "TMP": home,
        "TEMP": home,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }
    if sys.platform == "win32":
        env["SYSTEMROOT"] = os.environ.get("SYSTEMROOT", r"C:\Windows")
    return env


def popen_options() -> dict[str, Any]:
    """A new session (POSIX) or process group (Windows), so one kill reaches every descendant."""
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill the child and anything it started; safe to call when it has already exited."""
    if sys.platform == "win32":
        process.kill()
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def exit_description(returncode: int) -> str:
    if returncode >= 0:
        return f"exited with code {returncode}"
    try:
        name = signal.Signals(-returncode).name
    except ValueError:
        name = f"signal {-returncode}"
    return f"killed by {name}"


def crash_hint(returncode: int) -> str:
    """Why a child usually dies that way, in words a candidate can act on."""
    hints = {
        -getattr(signal, "SIGSEGV", 11): "a crash, usually unbounded recursion after raising"
        " the recursion limit",
        -getattr(signal, "SIGXCPU", 24): "the CPU time limit for the whole run was exceeded",
        -getattr(signal, "SIGKILL", 9): "killed, usually by the memory or CPU limit",
        -getattr(signal, "SIGABRT", 6): "the interpreter aborted",
    }
    return hints.get(returncode, "the process ended before finishing")
