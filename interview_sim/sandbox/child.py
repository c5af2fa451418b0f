"""The harness that runs inside the sandbox process, around the candidate's code.

It is imported by a one-line bootstrap under ``python -I -S``, so it sees only the standard
library: it must not import ``interview_sim``. It reads one JSON job on stdin, locks itself
down (resource limits, a seccomp filter where Linux offers one, audit hooks), then runs the
cases and writes one JSON line per event to the results file the parent named. Writing each
event as it happens means a crash or a kill in the middle still leaves every earlier verdict
for the parent to report.

Candidate code runs in this same interpreter, so a determined candidate could forge verdicts;
the sandbox protects the machine, not the grade from its own author.
"""

from __future__ import annotations

import builtins
import io
import json
import linecache
import math
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # kept out of the start-up path: every import costs each run
    from types import FrameType
    from typing import Any, TypeAlias

    Json: TypeAlias = dict[str, Any]

SOLUTION = "solution.py"
CHECK = "check.py"
VALUE_CHARS = 300
MESSAGE_CHARS = 500


class CaseTimeout(BaseException):
    """Raised by a timer signal; a BaseException so ``except Exception`` does not swallow it."""

    def __init__(self, clock: str) -> None:
        super().__init__(clock)
        self.clock = clock


class CappedOutput(io.TextIOBase):
    """Stands in for stdout/stderr during a test: keeps the first ``cap`` characters only."""

    def __init__(self, cap: int) -> None:
        self._cap = cap
        self._parts: list[str] = []
        self._kept = 0
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        room = self._cap - self._kept
        if room > 0:
            piece = text[:room]
            self._parts.append(piece)
            self._kept += len(piece)
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def value(self) -> str:
        return "".join(self._parts)


class Emitter:
    """Appends JSON lines to the results file, which was opened before the lockdown."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._write = os.write
        self._dumps = json.dumps

    def __call__(self, event: str, **fields: Any) -> None:
        data = (self._dumps({"event": event, **fields}, default=repr) + "\n").encode()
        while data:
            data = data[self._write(self._fd, data) :]


def clip(text: str, limit: int = VALUE_CHARS) -> str:
    return text if len(text) <= limit else text[:limit] + f"… ({len(text) - limit} more chars)"


def shown(value: Any) -> str:
    """A bounded repr: a huge or deeply nested result costs no more than a small one."""
    import reprlib

    limited = reprlib.Repr()
    limited.maxlevel, limited.maxlist, limited.maxdict, limited.maxtuple = 6, 40, 20, 40
    limited.maxset, limited.maxstring, limited.maxother = 20, VALUE_CHARS, VALUE_CHARS
    try:
        return clip(limited.repr(value))
    except BaseException as exc:  # a candidate's __repr__ may raise anything
        return f"<unprintable {type(value).__name__}: {type(exc).__name__}>"


def call_text(function: str, args: list[Any]) -> str:
    return clip(f"{function}({', '.join(repr(a) for a in args)})")


# ---- comparing results -------------------------------------------------------------------


def normalise(value: Any) -> Any:
    """JSON has no tuples: a tuple answer counts as the list the bank file wrote."""
    if isinstance(value, tuple | list):
        return [normalise(v) for v in value]
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    return value


def _exact(actual: Any, expected: Any) -> bool:
    if isinstance(actual, bool) != isinstance(expected, bool):
        return False
    if isinstance(actual, list) and isinstance(expected, list):
        return len(actual) == len(expected) and all(map(_exact, actual, expected))
    if isinstance(actual, dict) and isinstance(expected, dict):
        return actual.keys() == expected.keys() and all(
            _exact(actual[k], expected[k]) for k in actual
        )
    return bool(actual == expected)


def _close(actual: Any, expected: Any, tolerance: float) -> bool:
    if isinstance(actual, list) and isinstance(expected, list):
        return len(actual) == len(expected) and all(
            _close(a, e, tolerance) for a, e in zip(actual, expected, strict=True)
        )
    numbers = (int, float)
    if (
        isinstance(actual, numbers)
        and isinstance(expected, numbers)
        and not isinstance(actual, bool)
        and not isinstance(expected, bool)
    ):
        return math.isclose(actual, expected, rel_tol=tolerance, abs_tol=tolerance)
    return _exact(actual, expected)


def same(actual: Any, expected: Any, compare: str, tolerance: float) -> bool:
    """The bank's comparator: ``exact``, ``unordered`` (top-level order ignored) or ``float``."""
    actual, expected = normalise(actual), normalise(expected)
    if compare == "unordered" and isinstance(actual, list) and isinstance(expected, list):
        key = json.dumps
        try:
            return _exact(
                sorted(actual, key=lambda v: key(v, sort_keys=True, default=repr)),
                sorted(expected, key=lambda v: key(v, sort_keys=True, default=repr)),
            )
        except (TypeError, ValueError):
            return False
    if compare == "float":
        return _close(actual, expected, tolerance)
    return _exact(actual, expected)


# ---- lockdown ----------------------------------------------------------------------------


def apply_limits(limits: Json) -> list[str]:
    """Hard resource limits (soft == hard, so the candidate cannot raise them again)."""
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


_SECCOMP_ARCH = {
    # machine: (AUDIT_ARCH, clone, clone3, blocked process syscalls, socket)
    "x86_64": (0xC000003E, 56, 435, (57, 58, 59, 322), 41),
    "aarch64": (0xC00000B7, 220, 435, (221, 281), 198),
}


def _seccomp_program(machine: str) -> list[tuple[int, int, int, int]] | None:
    """A classic BPF filter: no new processes, no exec, no sockets other than AF_UNIX.

    Threads stay allowed (``clone`` with CLONE_THREAD); ``clone3`` answers ENOSYS so the C
    library falls back to ``clone``, whose flags the filter can inspect. An unknown ABI is let
    through: the filter degrades, it never breaks the interpreter.
    """
    if machine not in _SECCOMP_ARCH:
        return None
    arch, clone, clone3, denied, socket_nr = _SECCOMP_ARCH[machine]
    load, jeq, jset, jge, ret = 0x20, 0x15, 0x45, 0x35, 0x06
    allow, errno = 0x7FFF0000, 0x00050000
    eperm, eacces, enosys = 1, 13, 38
    m = len(denied)
    allow_at, deny_at, nosys_at, clone_at, socket_at = 7 + m, 8 + m, 9 + m, 10 + m, 14 + m

    def jump(pos: int, target: int) -> int:
        return target - pos - 1  # classic BPF jumps only forward, counted from the next one

    program = [
        (load, 0, 0, 4),  # 0: seccomp_data.arch
        (jeq, 0, jump(1, allow_at), arch),
        (load, 0, 0, 0),  # 2: seccomp_data.nr
        (jge, jump(3, deny_at), 0, 0x40000000),  # x32 ABI numbers
        (jeq, jump(4, nosys_at), 0, clone3),
        (jeq, jump(5, clone_at), 0, clone),
        (jeq, jump(6, socket_at), 0, socket_nr),
    ]
    program += [(jeq, jump(7 + i, deny_at), 0, nr) for i, nr in enumerate(denied)]
    program += [
        (ret, 0, 0, allow),
        (ret, 0, 0, errno | eperm),
        (ret, 0, 0, errno | enosys),
        (load, 0, 0, 16),  # clone: low word of args[0], the flags
        (jset, 1, 0, 0x00010000),  # CLONE_THREAD
        (ret, 0, 0, errno | eperm),
        (ret, 0, 0, allow),
        (load, 0, 0, 16),  # socket: the address family
        (jeq, 1, 0, 1),  # AF_UNIX
        (ret, 0, 0, errno | eacces),
        (ret, 0, 0, allow),
    ]
    return program


def linux_lockdown(parent_pid: int) -> bool:
    """Die with the app, and ask the kernel to refuse new processes and sockets.

    The parent-death signal means a killed app never leaves an orphaned run behind (the run
    lives in its own session, out of reach of the app's process group). Returns whether the
    seccomp filter is in force; False off Linux or on an unknown architecture.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        return _prctl_lockdown(parent_pid)
    except ImportError:
        return False
    finally:
        # The candidate must import ctypes afresh, which the audit hook refuses.
        for name in [m for m in sys.modules if m == "_ctypes" or m.split(".")[0] == "ctypes"]:
            del sys.modules[name]


def _prctl_lockdown(parent_pid: int) -> bool:
    import ctypes

    set_pdeathsig, no_new_privs, set_seccomp, mode_filter = 1, 38, 22, 2
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent_pid:
        os._exit(1)  # the app died before the signal was armed
    program = _seccomp_program(os.uname().machine)
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
    "os.chmod": "changing file permissions",
    "os.chown": "changing file ownership",
    "os.link": "creating links",
    "os.symlink": "creating links",
    "ctypes.dlopen": "loading native code",
    "ctypes.dlsym": "loading native code",
    "ctypes.call_function": "calling native code",
}
_BLOCKED_MODULES = frozenset(
    # _dbm and _gdbm create files from C, where no "open" audit event is raised.
    {"ctypes", "_ctypes", "_dbm", "_gdbm", "_xxsubinterpreters", "_testcapi", "_testinternalcapi"}
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
}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


def install_audit_hook(root: str, max_files: int) -> None:
    """Refuse, from inside the interpreter, what the OS layers may not cover on this platform.

    Audit hooks cannot be removed once added; ``ctypes`` (which could bypass them) is refused.
    New files and folders in the run folder are counted: with the per-file size limit, that
    caps the disk space a run can take.
    """
    realpath, fspath, join, isabs = os.path.realpath, os.fspath, os.path.join, os.path.isabs
    getcwd, getpid, exists = os.getcwd, os.getpid, os.path.lexists
    allowed_root = realpath(root)
    busy = [False]
    created = [0]

    def full_path(path: Any) -> str:
        text = fspath(path)
        if isinstance(text, bytes):
            text = text.decode(errors="replace")
        return str(realpath(join(getcwd(), text)))

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
                if writes and mode is None and not isinstance(path, int) and not isabs(path):
                    # os.open may carry a dir_fd the event does not show: insist on a full path.
                    refuse(f"os.open for writing needs an absolute path ({path})")
                if proc_of_other(path):
                    refuse(f"reading another process's information ({path})")
            elif event == "sqlite3.connect":
                database = args[0]
                memory = database in (":memory:", "", b":memory:", b"")
                if not memory and not inside(database):
                    refuse(f"opening a database outside the run folder ({database})")
            elif event in _PATH_EVENTS:
                paths, dir_fds = _PATH_EVENTS[event]
                if any(args[i] is not None for i in dir_fds if i < len(args)):
                    refuse("changing files relative to a directory descriptor")
                for i in paths:
                    if not inside(args[i]):
                        refuse(f"changing files outside the run folder ({args[i]})")
                if event == "os.mkdir":
                    count_new(args[0])
        finally:
            busy[0] = False

    sys.addaudithook(hook)


# ---- running -----------------------------------------------------------------------------


@contextmanager
def deadline(wall: float, cpu: float | None = None) -> Iterator[None]:
    """Interrupt the candidate after ``wall`` seconds, or ``cpu`` seconds of CPU time."""
    if not hasattr(signal, "setitimer"):
        yield  # no timers: the parent's wall-clock kill is the only limit
        return

    def on_wall(_sig: int, _frame: FrameType | None) -> None:
        raise CaseTimeout("wall")

    def on_cpu(_sig: int, _frame: FrameType | None) -> None:
        raise CaseTimeout("cpu")

    signal.signal(signal.SIGALRM, on_wall)
    signal.signal(signal.SIGPROF, on_cpu)
    signal.setitimer(signal.ITIMER_REAL, wall)
    if cpu is not None:
        signal.setitimer(signal.ITIMER_PROF, cpu)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.setitimer(signal.ITIMER_PROF, 0)


def exception_info(exc: BaseException) -> Json:
    """Type, message and the line of the candidate's (or check block's) code that raised."""
    import traceback

    where: str | None = None
    line: int | None = None
    source: str | None = None
    if isinstance(exc, SyntaxError) and exc.filename in (SOLUTION, CHECK):
        where, line, source = exc.filename, exc.lineno, (exc.text or "").strip() or None
    else:
        try:
            frames = traceback.extract_tb(exc.__traceback__)
        except RecursionError:
            frames = traceback.StackSummary()
        ours = [f for f in frames if f.filename in (SOLUTION, CHECK)]
        if ours:
            frame = ours[-1]
            where, line, source = frame.filename, frame.lineno, (frame.line or None)
    try:
        message = clip(str(exc), MESSAGE_CHARS)
    except BaseException:
        message = "<unprintable message>"
    return {
        "type": type(exc).__name__,
        "message": message,
        "line": line,
        "source": source,
        "where": {SOLUTION: "solution", CHECK: "check"}.get(where or ""),
    }


def load_source(code: str, filename: str, name: str) -> dict[str, Any]:
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    namespace: dict[str, Any] = {"__name__": name, "__builtins__": builtins}
    exec(compile(code, filename, "exec"), namespace)
    return namespace


class Runner:
    def __init__(self, job: Json, emit: Emitter) -> None:
        self.job = job
        self.emit = emit
        self.limits: Json = job["limits"]
        self.output_cap: int = self.limits["output_bytes"]

    @contextmanager
    def captured(self) -> Iterator[CappedOutput]:
        out = CappedOutput(self.output_cap)
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = out
        try:
            yield out
        finally:
            sys.stdout, sys.stderr = saved

    def matches(self, actual: Any, expected: Any, result: Json) -> bool:
        """Compare with the bank's comparator; a result that cannot be compared is an error."""
        try:
            return same(actual, expected, self.job["compare"], self.job["tolerance"])
        except BaseException as exc:  # e.g. a candidate's __eq__ raising, or absurd nesting
            result["verdict"] = "error"
            result["exception"] = exception_info(exc)
            result["message"] = "the returned value could not be compared with the expected one"
            return False

    def _output_fields(self, out: CappedOutput) -> Json:
        text = out.value()
        if out.dropped:
            text += f"\n[output truncated: {out.dropped} more characters not shown]"
        return {"stdout": text, "stdout_truncated": bool(out.dropped)}

    def run_case(self, fn: Callable[..., Any], case: Json, index: int) -> None:
        self.emit("start", index=index)
        args = case["args"]
        result: Json = {
            "index": index,
            "input": call_text(self.job["function"], args),
            "expected": shown(case["expected"]),
            "actual": None,
            "exception": None,
            "message": "",
        }
        started = time.perf_counter()
        with self.captured() as out:
            try:
                with deadline(self.limits["case_seconds"]):
                    actual = fn(*args)
            except CaseTimeout:
                result["verdict"] = "timeout"
                result["message"] = f"no result within {self.limits['case_seconds']:g}s"
            except BaseException as exc:
                result["verdict"] = "error"
                result["exception"] = exception_info(exc)
            else:
                result["actual"] = shown(actual)
                ok = self.matches(actual, case["expected"], result)
                result["verdict"] = "pass" if ok else result.get("verdict", "fail")
        result["seconds"] = round(time.perf_counter() - started, 4)
        self.emit("case", **result, **self._output_fields(out))

    def run_check(self, fn: Callable[..., Any], check: Callable[..., Any], index: int) -> None:
        self.emit("start", index=index)
        result: Json = {"index": index, "input": "check(candidate)", "expected": None}
        result.update(actual=None, exception=None, message="")
        started = time.perf_counter()
        with self.captured() as out:
            try:
                with deadline(self.limits["case_seconds"]):
                    check(fn)
            except CaseTimeout:
                result["verdict"] = "timeout"
                result["message"] = (
                    f"check block did not finish within {self.limits['case_seconds']:g}s"
                )
            except AssertionError as exc:
                info = exception_info(exc)
                result["exception"] = info
                result["verdict"] = "fail" if info["where"] == "check" else "error"
                if info["where"] == "check" and info["source"]:
                    result["input"] = info["source"]
            except BaseException as exc:
                result["verdict"] = "error"
                result["exception"] = exception_info(exc)
            else:
                result["verdict"] = "pass"
        result["seconds"] = round(time.perf_counter() - started, 4)
        self.emit("case", **result, **self._output_fields(out))

    def prepare_performance(self) -> Json | None:
        """Time the trusted reference before any candidate code exists in this process."""
        spec = self.job.get("performance")
        if not spec:
            return None
        generate = load_source(spec["generator"], "generator.py", "generator")["generate"]
        reference = load_source(spec["reference"], "reference.py", "reference")[
            self.job["function"]
        ]
        timings = []
        expected: Any = None
        for _ in range(2):
            args = generate(spec["n"])
            start = time.process_time()
            expected = reference(*args)
            timings.append(time.process_time() - start)
        best = min(timings)
        limit = spec["ratio"] * best + spec["floor_seconds"]
        self.emit("reference", seconds=round(best, 4), limit=round(limit, 4))
        return {"generate": generate, "expected": expected, "limit": limit, "reference": best}

    def run_performance(self, fn: Callable[..., Any], prepared: Json, index: int) -> None:
        spec = self.job["performance"]
        self.emit("start", index=index)
        args = prepared["generate"](spec["n"])
        result: Json = {"seconds": None, "actual": None, "exception": None}
        with self.captured() as out:
            start = time.process_time()
            try:
                with deadline(spec["wall_seconds"], cpu=prepared["limit"]):
                    actual = fn(*args)
            except CaseTimeout as timeout:
                result["verdict"] = "too_slow"
                result["clock"] = timeout.clock
            except BaseException as exc:
                result["verdict"] = "error"
                result["exception"] = exception_info(exc)
            else:
                result["seconds"] = round(time.process_time() - start, 4)
                ok = self.matches(actual, prepared["expected"], result)
                failed = "error" if result["exception"] else "failed"
                result["verdict"] = "passed" if ok else failed
                if not ok:
                    result["actual"] = shown(actual)
                    result["expected"] = shown(prepared["expected"])
        self.emit("performance", **result, **self._output_fields(out))

    def run(self) -> None:
        prepared = self.prepare_performance()
        check: Callable[..., Any] | None = None
        if self.job.get("check"):
            check = load_source(self.job["check"], CHECK, "check").get("check")
        if self.limits["audit_hooks"]:
            install_audit_hook(self.job["root"], self.limits["max_files"])
        seconds = self.limits["case_seconds"]
        with self.captured() as out:
            try:
                with deadline(seconds):
                    namespace = load_source(self.job["code"], SOLUTION, "solution")
            except CaseTimeout:
                stuck = {"type": "Timeout", "message": f"top-level code ran over {seconds:g}s"}
                self.emit("load_error", exception=stuck, **self._output_fields(out))
                return
            except BaseException as exc:
                self.emit("load_error", exception=exception_info(exc), **self._output_fields(out))
                return
        fn = namespace.get(self.job["function"])
        if not callable(fn):
            self.emit("missing_function", **self._output_fields(out))
            return
        self.emit("loaded", **self._output_fields(out))
        cases = self.job["cases"]
        for index, case in enumerate(cases):
            self.run_case(fn, case, index)
        if check is not None:
            self.run_check(fn, check, len(cases))
        if prepared is not None:
            self.run_performance(fn, prepared, len(cases) + (check is not None))
        self.emit("done")


def main() -> int:
    job: Json = json.loads(sys.stdin.buffer.read())
    fd = os.open(job["results"], os.O_WRONLY | os.O_APPEND)
    emit = Emitter(fd)
    applied = apply_limits(job["limits"])
    seccomp = linux_lockdown(job["parent_pid"])
    emit("ready", limits=applied, seccomp=seccomp, audit_hooks=job["limits"]["audit_hooks"])
    try:
        Runner(job, emit).run()
    except BaseException:  # a fault of the harness or the bank's own code, not the candidate's
        import traceback

        emit("harness_error", message=traceback.format_exc(limit=5)[-2000:])
        return 1
    return 0
