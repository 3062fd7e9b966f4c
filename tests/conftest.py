
# ------------------------------------------------------------------------------------------------
# Service fixtures (API, reports store, campaigns, browser): defined in tests/conftest_service.py.
# db_url runs a test on SQLite and on a real PostgreSQL; pg_url is a fresh PostgreSQL database.
from conftest_service import db_url, pg_server_url, pg_url  # noqa: F401
# ------------------------------------------------------------------------------------------------
