"""The child's end of the conversation with the parent: JSON lines in, JSON lines out.

Requests arrive on a private copy of stdin (stdin itself then reads from ``/dev/null``, so the
candidate's ``input()`` ends at once instead of eating the next request). Replies go to the
descriptor the parent named. Nothing the child writes is trusted by the parent: this module
only makes an honest child easy to understand.
"""

from __future__ import annotations

import os

from .codec import dumps, loads

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Wire:
    def __init__(self, out_fd: int, max_message: int) -> None:
        self._in = os.fdopen(os.dup(0), "rb", buffering=1 << 16)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        self._out = out_fd
        self._write = os.write
        self.max_message = max_message
        self.value_limit = max_message
        """The largest value the current call may send back (the parent names it per call)."""

    def read(self) -> Any:
        """The next request, or None once the parent has closed the pipe."""
        line = self._in.readline()
        return loads(line.decode("utf-8")) if line else None

    def encode(self, message: dict[str, Any]) -> bytes | None:
        """The message as one line, or None when it is not JSON-safe or too large."""
        try:
            data = (dumps(message) + "\n").encode()
        except Exception:  # a value's own methods may raise anything, MemoryError included
            return None
        return data if len(data) <= self.max_message else None

    def send_bytes(self, data: bytes) -> None:
        while data:
            data = data[self._write(self._out, data) :]

    def send(self, **fields: Any) -> None:
        """For the harness's own messages, which are always small and JSON-safe."""
        data = self.encode(fields)
        if data is None:
            data = (dumps({k: repr(v)[:500] for k, v in fields.items()}) + "\n").encode()
        self.send_bytes(data)
