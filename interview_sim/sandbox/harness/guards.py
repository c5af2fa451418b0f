"""The fallback level's in-interpreter guards: an audit hook that refuses what no OS layer covers.

Only used when bubblewrap is not available. It lives in the candidate's own interpreter, so it
is a speed bump, not a wall: code that finds the hook's state (with ``gc``, say) can switch it
off. The README says so, and the run report names this level.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_BLOCKED_EVENTS = {
    "os.system": "starting programs",
    "os.exec": "starting programs",
    "os.posix_spawn": "starting programs",
    "os.spawn": "starting programs",
    "os.startfile": "starting programs",
    "os.fork": "creating processes",
    "os.forkpty": "creating processes",
    "subprocess.Popen": "starting programs",
    "os.kill": "sending signals",
    "os.killpg": "sending signals",
    "signal.pthread_kill": "sending signals",
    "socket.__new__": "network access",
    "socket.connect": "network access",
    "socket.bind": "network access",
    "socket.getaddrinfo": "network access",
    "socket.gethostbyname": "network access",
    "socket.gethostbyaddr": "network access",
    "resource.setrlimit": "changing resource limits",
    "resource.prlimit": "changing resource limits",
    "os.link": "creating links",
    "os.symlink": "creating links",
    "ctypes.dlopen": "loading native code",
    "ctypes.dlsym": "loading native code",
    "ctypes.call_function": "calling native code",
}
_BLOCKED_MODULES = frozenset(
    # _dbm, _gdbm, _sqlite3 and _posixshmem create files from C, where no "open" audit event
    # is raised (SQLite's ATTACH and VACUUM INTO wrote anywhere from a database in memory, and
    # a shared-memory segment outlived the run).
    {
        *("ctypes", "_ctypes", "_dbm", "_gdbm", "_sqlite3", "_posixshmem"),
        *("_xxsubinterpreters", "_testcapi", "_testinternalcapi"),
    }
)
_PATH_EVENTS: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {
    # event: (positions of paths, positions of dir_fd arguments)
    "os.remove": ((0,), (1,)),
    "os.rmdir": ((0,), (1,)),
    "os.mkdir": ((0,), (2,)),
    "os.rename": ((0, 1), (2, 3)),
    "os.truncate": ((0,), ()),
    "os.utime": ((0,), (3,)),
    "shutil.rmtree": ((0,), ()),
    "os.chmod": ((0,), (2,)),
    "os.chown": ((0,), (3,)),
    "os.setxattr": ((0,), ()),
    "os.removexattr": ((0,), ()),
}
_DEVICES = frozenset(f"/dev/{name}" for name in ("null", "zero", "full", "random", "urandom"))
"""The devices candidate code may open (``/dev/fd/N`` resolves to what the descriptor holds)."""
_APP_SUFFIXES = (".yaml", ".yml", ".db", ".sqlite", ".sqlite3")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


def _owner_commands() -> frozenset[int]:
    """``fcntl`` commands that name a process to signal (the seccomp filter refuses them too,
    where it is loaded)."""
    try:
        import fcntl
    except ImportError:  # Windows: no such commands
        return frozenset()
    names = ("F_SETOWN", "F_SETSIG", "F_SETOWN_EX")
    return frozenset(getattr(fcntl, n) for n in names if hasattr(fcntl, n))


def install_audit_hook(
    root: str,
    max_files: int,
    private: list[str] | tuple[str, ...] = (),
    readable: list[str] | tuple[str, ...] = (),
) -> None:
    """Refuse, from inside the interpreter, what the OS layers may not cover on this platform.

    Audit hooks cannot be removed once added; ``ctypes`` (which could bypass them) is refused.
    New files and folders in the run folder are counted: with the per-file size limit, that
    caps the disk space a run can take. Files under ``private`` (the user's home, the app's
    folders) may not be opened at all, except under ``readable`` (the Python installation and
    the harness, which may live in the home folder), whichever of the two is closer.
    ``os.open`` needs an absolute path: the audit event does not show a ``dir_fd``, and one on
    ``/proc`` or ``/`` would reach anything.
    """
    realpath, fspath, join, isabs = os.path.realpath, os.fspath, os.path.join, os.path.isabs
    getcwd, getpid, exists, readlink = os.getcwd, os.getpid, os.path.lexists, os.readlink
    allowed_root = realpath(root)
    sep = os.sep
    hidden = tuple(realpath(p).rstrip(sep) for p in private)
    shown = (allowed_root, *(realpath(p).rstrip(sep) for p in readable))
    busy = [False]
    created = [0]
    owner_commands = _owner_commands()

    def deepest(full: str, folders: tuple[str, ...]) -> int:
        return max((len(f) for f in folders if full == f or full.startswith(f + sep)), default=-1)

    def private_file(path: Any) -> bool:
        """The closest folder decides: the package in /usr/local's site-packages is private
        though the Python installation (/usr/local) is readable, and the reverse for a Python
        installed in the home folder."""
        if isinstance(path, int):
            return False
        full = full_path(path)
        return deepest(full, hidden) > deepest(full, shown)

    def full_path(path: Any) -> str:
        text = fspath(path)
        if isinstance(text, bytes):
            text = text.decode(errors="replace")
        return str(realpath(join(getcwd(), text)))

    def app_file(path: Any) -> bool:
        """A file in one of the app's formats, wherever it lies: YAML (question banks and the
        config: a ``--bank-dir`` or ``--config`` may name ``/srv/banks``, with hidden tests,
        expected values and an API key) and SQLite (a ``--db`` elsewhere holds every session).
        Nothing the standard library or an answer needs outside the run folder is either."""
        if isinstance(path, int):
            return False
        name = full_path(path).lower()
        for suffix in ("-journal", "-wal", "-shm"):
            name = name.removesuffix(suffix)
        return name.endswith(_APP_SUFFIXES)

    def device(path: Any) -> bool:
        """Anything in ``/dev`` but the harmless few. As root (``unshare -n`` keeps every
        capability) a disk (``/dev/vda``) was readable raw, home folder and database included;
        the user's terminal (``/dev/pts/N``) gave the keys typed into the app, and ``termios``
        (no audit event) could stop its output. ``/dev/shm`` holds other programs' memory."""
        if isinstance(path, int):
            return False
        full = full_path(path)
        return full.startswith("/dev/") and full not in _DEVICES

    def count_new(path: Any) -> None:
        if isinstance(path, int) or exists(full_path(path)):
            return
        created[0] += 1
        if created[0] > max_files:
            refuse(f"creating more than {max_files} files or folders")

    def inside(path: Any) -> bool:
        if isinstance(path, int):
            return True  # an already open descriptor
        full = full_path(path)
        return full in (allowed_root, "/dev/null") or full.startswith(allowed_root + os.sep)

    def changed_inside(path: Any) -> bool:
        """For the events that change a file: a descriptor counts where it points. ``fchmod``,
        ``fchown``, ``futimes`` and ``fsetxattr`` on a file opened for reading outside the run
        folder changed it (as root, any file of the system)."""
        if not isinstance(path, int):
            return inside(path)
        try:
            target = readlink(f"/proc/self/fd/{path}")
        except (OSError, ValueError):
            return False  # nowhere to tell where it points (no /proc): refused
        return target.startswith(sep) and inside(target)

    def proc_of_other(path: Any) -> bool:
        if isinstance(path, int):
            return False
        full = full_path(path)
        if not full.startswith("/proc/"):
            return False
        own = (f"/proc/{getpid()}", "/proc/self", "/proc/thread-self")
        return not any(full == p or full.startswith(p + "/") for p in own)

    def refuse(what: str) -> None:
        raise PermissionError(f"blocked by the sandbox: {what}")

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if busy[0]:
            return
        busy[0] = True
        try:
            if event in _BLOCKED_EVENTS:
                refuse(_BLOCKED_EVENTS[event])
            elif event == "import" and str(args[0]).split(".")[0] in _BLOCKED_MODULES:
                # An ImportError, so standard modules with fallbacks (dbm) still work.
                raise ImportError(f"blocked by the sandbox: importing {args[0]}")
            elif event == "open":
                path, mode, flags = args
                writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                    isinstance(flags, int) and flags & _WRITE_FLAGS
                )
                if writes and not inside(path):
                    refuse(f"writing outside the run folder ({path})")
                if writes:
                    count_new(path)
                if mode is None and not isinstance(path, int) and not isabs(path):
                    # os.open may carry a dir_fd the event does not show: insist on a full path.
                    refuse(f"os.open needs an absolute path ({path})")
                if proc_of_other(path):
                    refuse(f"reading another process's information ({path})")
                if private_file(path):
                    refuse(f"opening files in your home or the app's folders ({path})")
                if app_file(path) and not inside(path):
                    refuse(f"opening question banks, configs or databases ({path})")
                if device(path):
                    refuse(f"opening a device or terminal ({path})")
            elif event == "fcntl.fcntl" and args[1] in owner_commands:
                # The kernel would signal the owner named (the app) when the descriptor is
                # ready: with F_SETSIG, SIGKILL for a byte written to a pipe.
                refuse("making another process the owner of a descriptor (its signals)")
            elif event == "fcntl.ioctl" and not changed_inside(args[0]):
                # As root, FS_IOC_SETFLAGS on a file opened for reading made a system file
                # append-only or immutable, and TIOCSTI on a terminal types into the user's shell.
                refuse("device and file controls (ioctl) outside the run folder")
            elif event == "sqlite3.connect":
                database = args[0]
                memory = database in (":memory:", "", b":memory:", b"")
                if not memory and not inside(database):
                    refuse(f"opening a database outside the run folder ({database})")
            elif event in _PATH_EVENTS:
                paths, dir_fds = _PATH_EVENTS[event]
                if any(args[i] not in (None, -1) for i in dir_fds if i < len(args)):
                    refuse("changing files relative to a directory descriptor")
                for i in paths:
                    if not changed_inside(args[i]):
                        refuse(f"changing files outside the run folder ({args[i]})")
                if event == "os.mkdir":
                    count_new(args[0])
        finally:
            busy[0] = False

    sys.addaudithook(hook)
