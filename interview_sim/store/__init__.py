"""SQLite persistence behind a repository that hands out plain pydantic models.

``Repository`` and ``open_database`` load on first use: the package's light modules
(``records``, ``reader``) are imported without SQLAlchemy, which ``progress`` does not need.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from interview_sim.store.db import open_database
    from interview_sim.store.repository import Repository

__all__ = ["Repository", "open_database"]


def __getattr__(name: str) -> object:
    if name == "Repository":
        from interview_sim.store.repository import Repository

        return Repository
    if name == "open_database":
        from interview_sim.store.db import open_database

        return open_database
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
