"""The Alembic revisions of the reports database schema, oldest first."""
