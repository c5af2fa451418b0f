"""Alembic environment: migrate on the connection (and transaction) ``store.schema`` passes in.

The app never lets Alembic open or commit a connection: ``store.schema`` holds the lock and
the transaction, so an upgrade either completes or leaves the database as it was. For a
developer's ``alembic revision --autogenerate``, ``sqlalchemy.url`` in an ini file is used.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from interview_sim.store.orm import Base
from interview_sim.store.revisions import DERIVED_TABLES

VERSION_TABLE = "interview_sim_schema"


def _ours(name: str | None, type_: str, _parents: object) -> bool:
    """Autogenerate compares the ORM tables only: the trigger-kept totals are not among them."""
    return not (type_ == "table" and name in DERIVED_TABLES)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        render_as_batch=True,
        include_name=_ours,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_engine(str(context.config.get_main_option("sqlalchemy.url")))
    with engine.begin() as conn:
        _run(conn)
