"""The parent's end of a sandbox process's pipes, where every byte from the child is untrusted.

Messages are JSON lines. A line that is not JSON, not an object, larger than the cap, or that
arrives when none was asked for raises :class:`ProtocolViolation`; silence past a deadline
raises :class:`ChannelTimeout`; a closed pipe raises :class:`ChannelClosed`. Writes never block
past their deadline either, so a child that stops reading cannot hang the app.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import threading
import time
from typing import Any

POLL_SECONDS = 0.1
"""How often a wait looks at the cancel event (a reply ends the wait at once)."""


class ChannelError(Exception):
    """Base for what can go wrong talking to a sandbox process."""


class ChannelTimeout(ChannelError):
    pass


class ChannelClosed(ChannelError):
    pass


class ChannelCancelled(ChannelError):
    pass


class ProtocolViolation(ChannelError):
    """The child sent something the protocol does not allow; the text says what."""


class Channel:
    def __init__(
        self, read_fd: int, write_fd: int, cap: int, cancel: threading.Event | None
    ) -> None:
        self._read_fd = read_fd
        self._write_fd = write_fd
        self._cap = cap
        self._cancel = cancel
        self._buffer = bytearray()
        self._eof = False
        os.set_blocking(write_fd, False)

    def _wait(self, fd: int, writing: bool, deadline: float) -> None:
        while True:
            if self._cancel is not None and self._cancel.is_set():
                raise ChannelCancelled("the run was cancelled")
            left = deadline - time.monotonic()
            if left <= 0:
                raise ChannelTimeout("no answer in time")
            step = min(left, POLL_SECONDS) if self._cancel is not None else left
            ready = (
                select.select([], [fd], [], step) if writing else select.select([fd], [], [], step)
            )
            if ready[1] if writing else ready[0]:
                return

    def send(self, message: dict[str, Any], deadline: float) -> None:
        data = memoryview((json.dumps(message) + "\n").encode())
        while data:
            self._wait(self._write_fd, True, deadline)
            try:
                written = os.write(self._write_fd, data)
            except BlockingIOError:
                continue
            except (BrokenPipeError, OSError) as exc:
                raise ChannelClosed(f"the process stopped reading ({exc})") from exc
            data = data[written:]

    def pending(self) -> bool:
        """Whether the child has sent bytes nobody asked for yet."""
        if self._buffer:
            return True
        readable, _, _ = select.select([self._read_fd], [], [], 0)
        return bool(readable) and self._fill() > 0

    def _fill(self) -> int:
        try:
            chunk = os.read(self._read_fd, 1 << 16)
        except OSError:
            chunk = b""
        if not chunk:
            self._eof = True
        self._buffer += chunk
        return len(chunk)

    def receive(self, deadline: float, cap: int | None = None) -> dict[str, Any]:
        """The next message, parsed; nothing about its content is checked here.

        ``cap`` lowers the channel's size cap for this message (a test's answer).
        """
        cap = self._cap if cap is None else min(cap, self._cap)
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                break
            if len(self._buffer) > cap:
                raise ProtocolViolation(f"the process sent a message over {cap} bytes")
            if self._eof:
                raise ChannelClosed("the process closed its end")
            self._wait(self._read_fd, False, deadline)
            self._fill()
        if end > cap:
            raise ProtocolViolation(f"the process sent a message over {cap} bytes")
        line = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
        try:
            message = json.loads(line)
        except (ValueError, RecursionError) as exc:
            raise ProtocolViolation(
                f"the process sent something that is not JSON ({exc})"
            ) from None
        if not isinstance(message, dict):
            raise ProtocolViolation("the process sent a JSON value that is not an object")
        return message

    def wait_closed(self, seconds: float) -> bool:
        """Drain and wait until the child closes its end (it exits); False if it did not."""
        deadline = time.monotonic() + seconds
        while not self._eof:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            readable, _, _ = select.select([self._read_fd], [], [], left)
            if readable:
                self._buffer.clear()
                self._fill()
        return True

    def close(self) -> None:
        """Close the read end; the write end belongs to the ``Popen`` object, which closes it."""
        with contextlib.suppress(OSError):
            os.close(self._read_fd)
