"""Alembic revisions, oldest first by number; Alembic reads them as files, not as imports."""
