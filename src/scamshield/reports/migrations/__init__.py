"""Alembic migrations for the reports database, run programmatically by ``ReportStore.open``."""
