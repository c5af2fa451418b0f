"""The bubblewrap command line: the candidate's whole world, built from read-only pieces.

Inside: the interpreter's own installation and ``/usr`` (read-only), the harness package
(read-only), a size-capped tmpfs at ``/work`` that is the working folder and ``/tmp``, a private
``/dev`` with its own size-capped ``/dev/shm``, and a ``/proc`` of its own PID namespace. The
root is a read-only tmpfs, so nothing else exists: no HOME, no config, no database, no other
process. New user, PID, network, IPC, UTS and mount namespaces; the sandbox user is ``nobody``
with no capabilities and may not create further user namespaces.

The folders bound read-only can still hold what the candidate must not read: an interview-sim
installed into the system's or the interpreter's own ``site-packages`` (a Docker image's
``pip install``) carries the banks, reference solutions and hidden tests with it. So every
``site-packages`` and ``dist-packages`` folder under a bound folder, the app's own package and
bank folders, and the user's home, config and data folders, wherever they lie under a bound
folder, are covered by an empty read-only tmpfs. ``python -I -S`` never reads site-packages, so
nothing the sandbox runs needs them.
"""

from __future__ import annotations

import functools
import glob
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


PACKAGE_DIR = Path(__file__).resolve().parent.parent
"""The ``interview_sim`` package: with a wheel install it also holds the banks (``data/``)."""
_SITE_PATTERNS = (
    "lib*/python3*/site-packages",
    "lib*/python3*/dist-packages",
    "lib*/python3/dist-packages",
    "local/lib*/python3*/site-packages",
    "local/lib*/python3*/dist-packages",
    "local/lib*/python3/dist-packages",
)


def private_dirs() -> list[str]:
    """Folders of the app and the user that candidate code must not see, wherever they are.

    The package (and the banks beside a source checkout), the home folder, the XDG folders,
    and the folders of a config file or database named in the environment.
    """
    found = [str(PACKAGE_DIR), str(PACKAGE_DIR.parent / "question_banks")]
    found.append(os.path.expanduser("~"))
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        if os.environ.get(variable):
            found.append(os.environ[variable])
    for variable in ("INTERVIEW_SIM_CONFIG", "INTERVIEW_SIM_DB"):
        value = os.environ.get(variable, "").removeprefix("sqlite:///")
        if value and "://" not in value:
            found.append(os.path.dirname(os.path.abspath(value)))
    return found


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


@functools.cache
def _site_dirs(bound: tuple[str, ...]) -> frozenset[str]:
    found: set[str] = set()
    for root in bound:
        for pattern in _SITE_PATTERNS:
            found.update(glob.glob(os.path.join(root, pattern)))
    return frozenset(found)


def masked(bound: tuple[str, ...], keep: tuple[str, ...] = ()) -> list[str]:
    """The folders under ``bound`` to cover with an empty tmpfs (see the module docstring).

    Only real folders strictly under a bound folder are listed, the outermost of nested ones,
    in a stable order; never one that holds a path of ``keep`` (the interpreter and its
    standard library: a database kept in ``/usr/local`` must not hide ``/usr/local/bin``).
    """
    real = {os.path.realpath(c) for c in (*_site_dirs(bound), *private_dirs())}
    inside = sorted(
        r
        for r in real
        if any(_inside(r, b) and r != b for b in bound)
        and not any(_inside(k, r) for k in keep)
        and os.path.isdir(r)
    )
    return [r for r in inside if not any(_inside(r, o) and r != o for o in inside)]


@functools.cache
def _standard_library(real: str) -> tuple[str, ...]:
    """Where the interpreter's own modules live (for the interpreter running this, its own)."""
    if os.path.realpath(sys.executable) != real:
        return (str(Path(real).parent.parent),)
    import sysconfig

    names = ("stdlib", "platstdlib")
    return tuple(os.path.realpath(sysconfig.get_paths()[n]) for n in names)


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
    bound = [os.path.realpath(d) for d in SYSTEM_DIRS if os.path.isdir(d)] + prefixes
    keep = (real, *_standard_library(real))
    for folder in masked(tuple(bound), keep):
        args += ["--perms", "0555", "--size", "4096", "--tmpfs", folder, "--remount-ro", folder]
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
