"""One sandbox process: start it at a given isolation level, talk to it, measure it, end it.

The parent keeps what it needs to judge the child from outside: the child's host PID (so its
CPU time is read from ``/proc``, not taken from the child's word), its exit status, and a
console file it cannot make larger than the file-size limit.

Ending the child does not rest on anything the child could undo. ``bwrap --die-with-parent``
is a parent-death signal, which code could clear with ``prctl`` where no seccomp filter refuses
that (other CPU architectures), and ``--new-session`` puts the interpreter outside bwrap's
process group, so killing bwrap alone once left a candidate running after the run. The parent
therefore holds a pidfd on the interpreter itself (PID 1 of its namespace: killing it ends
every process in the sandbox), kills that too, and waits until it is gone.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from typing import IO, Any

from interview_sim.sandbox import bwrap, isolation
from interview_sim.sandbox.channel import Channel, ChannelClosed
from interview_sim.sandbox.control import inert
from interview_sim.sandbox.harness import seccomp
from interview_sim.sandbox.isolation import BUBBLEWRAP
from interview_sim.sandbox.models import IsolationLevel, RunLimits

MESSAGE_CAP = 32 * 1024 * 1024
"""The largest message the parent reads; the performance case's answer can be a few MB."""
CONSOLE_CAP = 16 * 1024


class StartFailed(Exception):
    """The sandbox process could not be started at all."""


class SandboxProcess:
    def __init__(
        self,
        level: IsolationLevel,
        python: str,
        limits: RunLimits,
        cpu_seconds: float,
        cancel: threading.Event | None,
    ) -> None:
        self.level = level
        self.python = python
        self.limits = limits
        self.cpu_limit = max(1, math.ceil(cpu_seconds))
        self.cancel = cancel
        self.process: subprocess.Popen[bytes] | None = None
        self.channel: Channel | None = None
        try:
            self.console: IO[bytes] = tempfile.TemporaryFile(  # noqa: SIM115 - closed by finish()
                prefix="interview-sim-console-"
            )
        except OSError as exc:
            raise StartFailed(f"cannot create the sandbox's console file: {exc}") from exc
        self.seccomp_outside = False
        self._work: str | None = None
        self._info_fd: int | None = None
        self._pid: int | None = None
        self._pidfd: int | None = None
        self._clock_ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def start(self, job: dict[str, Any], deadline: float) -> None:
        """Start the child and hand it ``job`` (its role and what it needs for it)."""
        isolation.precompile_harness()
        out_r, out_w = os.pipe()
        keep = [out_w]
        seccomp_r: int | None = None
        info_w: int | None = None
        try:
            if self.level == BUBBLEWRAP:
                argv, cwd, env, seccomp_r, info_w = self._bubblewrap_command()
                keep += [fd for fd in (seccomp_r, info_w) if fd is not None]
            else:
                argv, cwd, env = self._fallback_command()
            argv = [*argv, *isolation.PYTHON_FLAGS, "-c", isolation.BOOTSTRAP, self._harness()]
            self.process = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=self.console,
                stderr=self.console,
                cwd=cwd,
                env=env,
                pass_fds=keep,
                **isolation.popen_options(),
            )
        except OSError as exc:  # its run folder or pipes too: a disk the code filled, say
            os.close(out_r)
            raise StartFailed(f"cannot start the sandbox interpreter: {exc}") from exc
        finally:
            for fd in keep:
                os.close(fd)
        assert self.process.stdin is not None
        self.channel = Channel(out_r, self.process.stdin.fileno(), MESSAGE_CAP, self.cancel)
        limits = self.limits
        full_job = {
            **job,
            "out_fd": out_w,
            "max_message": MESSAGE_CAP,
            "parent_pid": os.getpid(),
            "seccomp_outside": self.seccomp_outside,
            "self_lockdown": self.level != BUBBLEWRAP,
            "private": isolation.private_folders() if self.level != BUBBLEWRAP else [],
            "limits": {
                "memory_mb": limits.memory_mb,
                "cpu_seconds": self.cpu_limit,
                "file_mb": limits.file_mb,
                "max_files": limits.max_files,
                "open_files": limits.open_files,
                "case_seconds": limits.case_seconds,
                "output_bytes": limits.output_bytes,
                "audit_hooks": limits.audit_hooks and self.level != BUBBLEWRAP,
            },
        }
        with contextlib.suppress(ChannelClosed):  # its fate is read from what it left
            self.channel.send(full_job, deadline)

    def _harness(self) -> str:
        return bwrap.INSIDE_HARNESS if self.level == BUBBLEWRAP else isolation.harness_parent()

    def _bubblewrap_command(
        self,
    ) -> tuple[list[str], str, dict[str, str], int | None, int]:
        program = seccomp.program(os.uname().machine, allow_exec=True)
        seccomp_r: int | None = None
        if program is not None:
            seccomp_r, seccomp_w = os.pipe()
            os.write(seccomp_w, seccomp.compiled(program))  # < 1 KB: fits the pipe buffer
            os.close(seccomp_w)
            self.seccomp_outside = True
        info_r, info_w = os.pipe()
        self._info_fd = info_r
        mb = 1024 * 1024
        argv = bwrap.command(
            self.python,
            work_bytes=4 * self.limits.file_mb * mb,
            shm_bytes=self.limits.file_mb * mb,
            seccomp_fd=seccomp_r,
            info_fd=info_w,
            env=isolation.scrubbed_env(bwrap.WORK),
        )
        return argv, tempfile.gettempdir(), {}, seccomp_r, info_w

    def _fallback_command(self) -> tuple[list[str], str, dict[str, str]]:
        self._work = tempfile.mkdtemp(prefix="interview-sim-run-")
        argv = [*isolation.unshare_prefix(), self.python]
        return argv, self._work, isolation.scrubbed_env(self._work)

    def host_pid(self, wait: float = 2.0) -> int | None:
        """The interpreter's PID as this process sees it (bwrap reports it on its info fd).

        The first time it is known, a pidfd is opened on it (see :meth:`kill`); bwrap writes the
        PID once the interpreter exists, so after its ``ready`` message this does not wait.
        """
        if self._pid is not None or self.process is None:
            return self._pid
        if self.level != BUBBLEWRAP:
            self._pid = self.process.pid  # unshare execs: the same process
            self._pin(self._pid)
            return self._pid
        if self._info_fd is None:
            return None
        data = b""
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self._info_fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self._info_fd, 4096)
                except OSError:
                    break
                data += chunk
                with contextlib.suppress(ValueError, KeyError, TypeError):
                    pid = int(json.loads(data)["child-pid"])
                    if pid > 1:
                        self._pid = pid
                        self._pin(pid)
                    break
                if not chunk:
                    break
        return self._pid

    def _pin(self, pid: int) -> None:
        """Hold a pidfd on ``pid`` while it is still the child we started (not a reused PID)."""
        opener = getattr(os, "pidfd_open", None)
        if opener is None or self._pidfd is not None or self.process is None:
            return
        try:
            fd = opener(pid)
        except OSError:
            return
        if pid != self.process.pid and _parent_of(pid) != self.process.pid:
            os.close(fd)  # already gone and the PID reused: nothing of ours to hold
            return
        self._pidfd = fd

    def cpu_seconds(self) -> float | None:
        """CPU time the interpreter has used, read from ``/proc``; None where that is missing."""
        pid = self.host_pid()
        if pid is None:
            return None
        try:
            with open(f"/proc/{pid}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            return None
        return (int(fields[11]) + int(fields[12])) / self._clock_ticks

    def kill(self) -> None:
        """SIGKILL the interpreter (through its pidfd) and bwrap's or its own process group."""
        if self.process is None:
            return
        if self._pid is None and self.level == BUBBLEWRAP:
            self.host_pid(wait=0.2)  # not asked for yet: the run ended before its first test
        if self._pidfd is not None:
            with contextlib.suppress(OSError):
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
        isolation.kill_group(self.process)

    def _wait_gone(self, seconds: float = 2.0) -> None:
        """Until the interpreter has exited: nothing of the run outlives ``finish``."""
        if self._pidfd is None:
            return
        with contextlib.suppress(OSError, ValueError):
            select.select([self._pidfd], [], [], seconds)  # readable once the process exited
        with contextlib.suppress(OSError):
            os.close(self._pidfd)
        self._pidfd = None

    def finish(self, wait_exit: bool = True) -> int | None:
        """End the child, reap it and clean up; its exit status, negative for a signal.

        With ``wait_exit`` an idle child is first let exit by itself (it ends when its stdin
        closes), so a crash keeps its own status; without it the child is killed at once, which
        spares the interpreter's and the namespaces' teardown when nobody needs the status.
        """
        returncode: int | None = None
        if self.process is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()  # type: ignore[union-attr]
            # Its message pipe closes when it exits: waiting on that blocks instead of polling.
            if wait_exit and self.channel is not None and self.channel.wait_closed(1.0):
                with contextlib.suppress(subprocess.TimeoutExpired):
                    returncode = self.process.wait(timeout=1.0)
            self.kill()
            final = self.process.wait()
            self._wait_gone()
            returncode = final if returncode is None else returncode
            if self.level == BUBBLEWRAP and returncode > 128:
                returncode = -(returncode - 128)  # bwrap reports a signal as 128 + its number
        if self.channel is not None:
            self.channel.close()
        if self._info_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._info_fd)
        if self._work is not None:
            _remove_tree(self._work)
        return returncode

    def console_text(self) -> str:
        self.console.seek(0)
        data = self.console.read(CONSOLE_CAP + 1)
        self.console.close()
        text = inert(data[:CONSOLE_CAP].decode("utf-8", errors="replace"))
        return text + "\n[console output truncated]" if len(data) > CONSOLE_CAP else text


def _remove_tree(path: str) -> None:
    """Remove the fallback's run folder even where the code took its own permissions away.

    Folders are made searchable again first (never through a symlink, which could point
    outside); as a user other than root, a ``chmod 000`` folder would otherwise stay behind.
    """
    with contextlib.suppress(OSError):
        os.chmod(path, 0o700)
    for root, folders, _files in os.walk(path):  # the code has been killed: nothing moves
        for name in folders:
            folder = os.path.join(root, name)
            if not os.path.islink(folder):
                with contextlib.suppress(OSError):
                    os.chmod(folder, 0o700)
    shutil.rmtree(path, ignore_errors=True)


def _parent_of(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return int(handle.read().rsplit(b")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None
