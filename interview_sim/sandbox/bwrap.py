"""The bubblewrap command line: the candidate's whole world, built from read-only pieces.

Inside: the interpreter's own installation and ``/usr`` (read-only), the harness package
(read-only), a size-capped tmpfs at ``/work`` that is the working folder and ``/tmp``, a private
``/dev`` with its own size-capped ``/dev/shm``, and a ``/proc`` of its own PID namespace. The
root is a read-only tmpfs, so nothing else exists: no HOME, no config, no database, no other
process. New user, PID, network, IPC, UTS and mount namespaces; the sandbox user is ``nobody``
with no capabilities and may not create further user namespaces.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

HARNESS_DIR = Path(__file__).with_name("harness")
INSIDE_HARNESS = "/sandbox"
"""Where the harness package's parent folder appears inside the sandbox."""
WORK = "/work"
SANDBOX_UID = 65534
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
PROBE_SECONDS = 10.0


def bwrap_path() -> str | None:
    return shutil.which("bwrap") if sys.platform.startswith("linux") else None


def interpreter(python: str) -> tuple[str, list[str]]:
    """The real interpreter behind ``python`` (a venv's link, say) and the folders it needs.

    A venv is not bound: the sandbox runs ``python -I -S``, which never reads site-packages,
    so only the installation the binary belongs to is visible.
    """
    real = os.path.realpath(python)
    prefixes = {str(Path(real).parent.parent)}
    if os.path.realpath(sys.executable) == real:
        prefixes |= {sys.base_prefix, sys.base_exec_prefix}
    needed = [p for p in sorted(prefixes) if not _under_system(p)]
    return real, needed


def _under_system(path: str) -> bool:
    return any(path == d or path.startswith(d + "/") for d in SYSTEM_DIRS)


def _system_binds() -> list[str]:
    args: list[str] = []
    for folder in SYSTEM_DIRS:
        if os.path.islink(folder):
            args += ["--symlink", os.readlink(folder), folder]
        elif os.path.isdir(folder):
            args += ["--ro-bind", folder, folder]
    return args


def command(
    python: str,
    *,
    work_bytes: int,
    shm_bytes: int,
    seccomp_fd: int | None,
    info_fd: int | None,
    env: dict[str, str],
) -> list[str]:
    """``bwrap ... -- python``; the caller adds the interpreter's own arguments."""
    tool = bwrap_path()
    if tool is None:
        raise FileNotFoundError("bwrap is not installed")
    real, prefixes = interpreter(python)
    args = [
        tool,
        "--unshare-all",
        "--unshare-user",
        "--uid",
        str(SANDBOX_UID),
        "--gid",
        str(SANDBOX_UID),
        "--disable-userns",
        "--die-with-parent",
        "--new-session",
        "--as-pid-1",
        "--cap-drop",
        "ALL",
        *_system_binds(),
    ]
    for prefix in prefixes:
        args += ["--ro-bind", prefix, prefix]
    args += ["--ro-bind", str(HARNESS_DIR), f"{INSIDE_HARNESS}/harness"]
    args += ["--proc", "/proc", "--dev", "/dev"]
    args += ["--size", str(shm_bytes), "--tmpfs", "/dev/shm"]
    args += ["--size", str(work_bytes), "--tmpfs", WORK, "--symlink", WORK, "/tmp"]
    args += ["--remount-ro", "/dev", "--remount-ro", "/", "--chdir", WORK, "--clearenv"]
    for name, value in env.items():
        args += ["--setenv", name, value]
    if seccomp_fd is not None:
        args += ["--seccomp", str(seccomp_fd)]
    if info_fd is not None:
        args += ["--info-fd", str(info_fd)]
    return [*args, "--", real]


@functools.cache
def probe(python: str) -> str | None:
    """None if bubblewrap can start this interpreter here, else why not (for ``doctor``).

    Run once per process: a kernel without unprivileged user namespaces, a container that
    forbids them, or a missing binary all show up here rather than in a candidate's run.
    """
    if bwrap_path() is None:
        return "bwrap is not installed" if sys.platform.startswith("linux") else "not Linux"
    home = os.path.realpath(os.path.expanduser("~"))
    for prefix in interpreter(python)[1]:
        if home == prefix or home.startswith(prefix.rstrip("/") + "/"):
            return f"the Python installation at {prefix} contains your home folder"
    try:
        argv = command(
            python, work_bytes=1 << 20, shm_bytes=1 << 20, seccomp_fd=None, info_fd=None, env={}
        )
        done = subprocess.run(
            [*argv, "-I", "-S", "-c", "pass"],
            capture_output=True,
            timeout=PROBE_SECONDS,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"bwrap could not run: {exc}"
    if done.returncode != 0:
        why = done.stderr.decode(errors="replace").strip().splitlines()
        return f"bwrap failed: {why[-1] if why else f'exit code {done.returncode}'}"
    return None
