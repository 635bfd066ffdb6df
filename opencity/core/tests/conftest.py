"""Fixtures for the tests that run real `opencity` processes."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
OPENCITY = Path(sys.executable).with_name("opencity")


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """Return a migrated SQLite file, made once per process, copied by each test using it."""
    folder = tmp_path_factory.mktemp("migrated")
    path = folder / "db.sqlite3"
    env = {
        **os.environ,
        "OPENCITY_VAR_DIR": str(folder / "var"),
        "DATABASE_URL": f"sqlite:///{path}",
    }
    subprocess.run([str(OPENCITY), "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    return path


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory, migrated_sqlite) -> Path:
    """Static files collected once per test process (collecting takes seconds)."""
    root = tmp_path_factory.mktemp("static")
    env = {
        **os.environ,
        "OPENCITY_VAR_DIR": str(migrated_sqlite.parent / "var"),
        "DATABASE_URL": f"sqlite:///{migrated_sqlite}",
        "STATIC_ROOT": str(root),
    }
    subprocess.run(
        [str(OPENCITY), "manage", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return root


@pytest.fixture
def process_env(tmp_path, migrated_sqlite, collected_static) -> dict[str, str]:
    """Return the environment of an `opencity` process of its own: var/, db, broker, no Redis."""
    database = tmp_path / "db.sqlite3"
    shutil.copy(migrated_sqlite, database)
    env = {
        **os.environ,
        "OPENCITY_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{database}",
        "STATIC_ROOT": str(collected_static),
        "WEB_CONCURRENCY": "1",
        "WORKER_CONCURRENCY": "1",
        "LOG_LEVEL": "WARNING",
    }
    for name in ("CELERY_BROKER_URL", "REDIS_URL", "CACHE_URL", "OPENCITY_BIND", "DEBUG"):
        env.pop(name, None)
    return env
