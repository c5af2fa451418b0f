"""Why a database cannot be used: each message names the database and what to do."""

from __future__ import annotations

from interview_sim.errors import InterviewSimError


class StoreError(InterviewSimError):
    """The database cannot be used; the message says why and what to do."""


class ForeignDatabaseError(StoreError):
    """The file or database holds tables that are not ours; it is never written to."""


class SchemaTooNewError(StoreError):
    """The database was written by a newer interview-sim; opening it could lose data."""


class DatabaseURLError(StoreError):
    """The URL names a database kind we do not support, or one whose driver is missing."""
