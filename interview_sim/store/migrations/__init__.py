"""Schema migrations: Alembic revisions shipped inside the package, run by ``store.schema``.

``versions/`` holds one revision per schema change from the v4 baseline on; ``legacy`` holds
the frozen steps that bring a database written before Alembic (v1 to v3) to v4 first. No
``alembic.ini`` is needed at run time: the app passes its own connection to ``env.py``.
"""

from interview_sim.store.migrations.legacy import LEGACY_VERSION, upgrade

SCHEMA_VERSION = 11
"""``PRAGMA user_version`` of an up-to-date SQLite database: the number of the head revision,
so a build from before Alembic refuses it as too new instead of writing to it."""

__all__ = ["LEGACY_VERSION", "SCHEMA_VERSION", "upgrade"]
