"""How the sandbox process is started and stopped on this platform.

Linux gives the most: a private network namespace via ``unshare`` (probed once, skipped when
the kernel or container refuses it), a new session so the whole process group can be killed,
and resource limits plus seccomp applied by the child itself. Elsewhere the same code runs with
fewer layers, and the report says which ones were in force.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

CHILD_SCRIPT = Path(__file__).with_name("child.py")
PYTHON_FLAGS = ("-I", "-S", "-X", "utf8")
"""Isolated mode: no PYTHON* variables, no user or site packages, no script folder on sys.path."""


@functools.cache
def unshare_prefix() -> tuple[str, ...]:
    """The command prefix that gives the child no network, or () where that is not possible.

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


def child_command(python: str = sys.executable) -> list[str]:
    """Import the harness rather than run it as a script, so its bytecode cache is used.

    Its folder leaves ``sys.path`` again before any candidate code runs.
    """
    bootstrap = (
        "import sys; sys.path.insert(0, sys.argv[1]); import child; del sys.path[0];"
        " sys.exit(child.main())"
    )
    return [*unshare_prefix(), python, *PYTHON_FLAGS, "-c", bootstrap, str(CHILD_SCRIPT.parent)]


def scrubbed_env(work_dir: Path) -> dict[str, str]:
    """Only what an interpreter needs: no API keys, tokens or proxies from the app's env."""
    env = {
        "PATH": os.defpath,
        "HOME": str(work_dir),
        "TMPDIR": str(work_dir),
        "TMP": str(work_dir),
        "TEMP": str(work_dir),
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


def wait_unreaped(process: subprocess.Popen[bytes]) -> None:
    """Block until the child exits but leave it unreaped, so its group id stays reserved."""
    if hasattr(os, "waitid"):
        os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)
    else:
        process.wait()


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
        -getattr(signal, "SIGKILL", 9): "killed, usually by the memory limit",
        -getattr(signal, "SIGABRT", 6): "the interpreter aborted",
    }
    return hints.get(returncode, "the process ended before finishing")
