"""A test database that concurrent threads can write to, as the production one."""

import sqlite3

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections


@pytest.fixture
def database_file(tmp_path):
    """On SQLite, let new threads open a file copy of the test database, as in production."""
    # The test database lives in a shared-cache memory database, where concurrent writers fail
    # with "table is locked" instead of waiting; a file database with WAL and BEGIN IMMEDIATE
    # (the project's SQLite settings) makes writers queue, which is what the races check.
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "concurrent.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    settings_dict = connections.settings[DEFAULT_DB_ALIAS]
    original = settings_dict["NAME"]
    settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        settings_dict["NAME"] = original
