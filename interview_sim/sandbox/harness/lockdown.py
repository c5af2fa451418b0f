"""Limits the child puts on itself before any untrusted code runs.

Resource limits are hard (soft == hard), so code that runs later cannot raise them. In the
fallback level the child also arms the parent-death signal and loads the seccomp filter itself;
under bubblewrap both come from outside (``--die-with-parent``, ``--seccomp``).
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    import signal
    from typing import Any
else:
    import _signal as signal  # what ``signal`` wraps, without its enum import


def apply_limits(limits: dict[str, Any]) -> list[str]:
    try:
        import resource
    except ImportError:  # not a POSIX platform
        return []
    wanted = {
        "RLIMIT_AS": limits["memory_mb"] * 1024 * 1024,
        "RLIMIT_CPU": limits["cpu_seconds"],
        "RLIMIT_FSIZE": limits["file_mb"] * 1024 * 1024,
        "RLIMIT_NOFILE": limits["open_files"],
        "RLIMIT_CORE": 0,
        "RLIMIT_NPROC": 0,
    }
    applied = []
    for name, value in wanted.items():
        which = getattr(resource, name, None)
        if which is None:
            continue
        try:
            _soft, hard = resource.getrlimit(which)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(which, (value, value))
            applied.append(name)
        except (ValueError, OSError):
            continue
    if hasattr(signal, "SIGXFSZ"):
        # Past the file size limit a write then fails with an error instead of killing us.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    return applied


def self_lockdown(parent_pid: int, trusted: bool = False) -> bool:
    """Fallback level only: die with the app, and load the seccomp filter from inside.

    Returns whether the filter is in force; False off Linux or on an unknown architecture.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        return _prctl_lockdown(parent_pid, trusted)
    except ImportError:
        return False
    finally:
        # The candidate must import ctypes afresh, which the audit hook refuses.
        for name in [m for m in sys.modules if m == "_ctypes" or m.split(".")[0] == "ctypes"]:
            del sys.modules[name]


def _prctl_lockdown(parent_pid: int, trusted: bool) -> bool:
    import ctypes

    from . import seccomp

    set_pdeathsig, no_new_privs, set_seccomp, mode_filter = 1, 38, 22, 2
    set_dumpable = 4
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    if trusted:
        # The judge and the reference hold what the candidate must not change: not dumpable,
        # their /proc memory is out of reach of a candidate running as the same (non-root) user.
        libc.prctl(set_dumpable, 0, 0, 0, 0)
    if os.getppid() != parent_pid:
        os._exit(1)  # the app died before the signal was armed
    program = seccomp.program(os.uname().machine, allow_exec=False, own_pid=os.getpid())
    if program is None:
        return False

    class SockFilter(ctypes.Structure):
        _fields_ = (
            ("code", ctypes.c_ushort),
            ("jt", ctypes.c_ubyte),
            ("jf", ctypes.c_ubyte),
            ("k", ctypes.c_uint32),
        )

    class SockFprog(ctypes.Structure):
        _fields_ = (("len", ctypes.c_ushort), ("filter", ctypes.POINTER(SockFilter)))

    filters = (SockFilter * len(program))(*[SockFilter(*ins) for ins in program])
    fprog = SockFprog(len(program), filters)
    if libc.prctl(no_new_privs, 1, 0, 0, 0) != 0:
        return False
    return bool(libc.prctl(set_seccomp, mode_filter, ctypes.byref(fprog), 0, 0) == 0)
