"""What a read needs to know about the schema without SQLAlchemy or Alembic: where the revision
scripts are, which one is the newest, the table that records it, and the default candidate.

``store.schema`` (which upgrades databases) and ``store.reader`` (the light read path of
``interview-sim progress``) share these, so both agree on when a database is current.
"""

from __future__ import annotations

import getpass
from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
REVISION_FILE = "r[0-9][0-9][0-9][0-9]_*.py"
"""How a revision script is named: ``versions/r0007_session_origin.py`` holds revision ``0007``
(``tests/store/test_migrations.py`` checks every script keeps to it)."""
VERSION_TABLE = "interview_sim_schema"


def default_candidate() -> str:
    """The OS user: whose sessions a database written before candidates existed holds.

    ``getpass`` reads ``$USER`` and ``$LOGNAME`` first, which may hold anything: a name that
    ``--candidate`` would refuse (blank, control characters) falls back to "me" as well."""
    try:
        name = getpass.getuser().strip()
    except (KeyError, OSError):  # no name for the uid, e.g. in a bare container
        return "me"
    return name if name and name.isprintable() and len(name) <= 128 else "me"


def shipped_head(script_location: Path = MIGRATIONS) -> str | None:
    """The newest revision, from the script names alone. A database stamped with it is current,
    which every open checks this way, without importing Alembic or reading the revision scripts
    (together about a quarter of a second of ``interview-sim progress``)."""
    names = (p.name[1:5] for p in (script_location / "versions").glob(REVISION_FILE))
    return max(names, default=None)


DERIVED_TABLES = frozenset(
    {"criterion_totals", "turn_totals", "stage_sessions", "criterion_sessions"}
)
"""Aggregates SQLite triggers keep (revisions 0009 and 0011), derived from the ORM tables like
an index: not ORM tables themselves, so the schema comparison and autogenerate leave them out."""
