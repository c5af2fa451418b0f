"""SQLite persistence behind a repository that hands out plain pydantic models."""

from interview_sim.store.db import open_database
from interview_sim.store.repository import Repository

__all__ = ["Repository", "open_database"]
