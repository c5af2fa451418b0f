"""Files that only save time: read if present and whole, replaced atomically, never required.

The catalog and the off-topic profiles are each kept as one file per kind, named by a key of
everything they were built from; writing a new one removes the kind's stale files. Any error
reading or writing is ignored: a missing cache costs time, never a result.
"""

from __future__ import annotations

import os
import tempfile

from interview_sim.paths import cache_dir


def read_cache(kind: str, key: str) -> bytes | None:
    """The bytes stored for ``kind`` under ``key``, or None when absent or unreadable."""
    try:
        return (cache_dir() / f"{kind}-{key}.json").read_bytes()
    except OSError:
        return None


def write_cache(kind: str, key: str, data: bytes) -> None:
    """Store ``data`` for ``kind`` under ``key`` in place of the kind's older files."""
    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(f"{kind}-*.json"):
            stale.unlink(missing_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=folder, delete=False) as handle:
            handle.write(data)
        os.replace(handle.name, folder / f"{kind}-{key}.json")
    except OSError:
        return
