import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from opencity.core.models import WorkerHeartbeat
from opencity.core.tasks import worker_heartbeat

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_health_reports_database_and_a_silent_worker(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "worker": {"alive": False, "last_seen": None},
    }


@pytest.mark.django_db
def test_a_heartbeat_makes_the_worker_alive(client):
    worker_heartbeat.delay()  # eager in tests
    body = client.get("/health/").json()
    assert body["worker"]["alive"] is True
    assert WorkerHeartbeat.objects.count() == 1


def _database_url_for_subprocess() -> str | None:
    s = connection.settings_dict
    if s["ENGINE"] != "django.db.backends.postgresql":
        return None  # the SQLite test database lives in this process's memory
    user = s.get("USER") or "postgres"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_task_runs_in_a_real_worker_through_redis(tmp_path):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL is not set: the real-worker test needs a Redis server")
    queue = f"test-{uuid.uuid4().hex[:8]}"  # keep clear of any other worker on this Redis
    env = {
        **os.environ,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_RESULT_BACKEND": redis_url,
        "OPENCITY_VAR_DIR": str(tmp_path),
    }
    database_url = _database_url_for_subprocess()
    sqlite_file = None
    if database_url is None:
        # The worker cannot reach this process's in-memory database: give it a file of its own.
        sqlite_file = tmp_path / "worker.sqlite3"
        database_url = f"sqlite:///{sqlite_file}"
        env["DATABASE_URL"] = database_url
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
        )
    env["DATABASE_URL"] = database_url
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue, "--pool", "solo",
         "--without-mingle", "--without-gossip", "--loglevel", "warning", "-n", f"{queue}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        client_app = Celery("test-client", broker=redis_url, backend=redis_url)
        started = time.monotonic()
        result = client_app.send_task("opencity.core.tasks.worker_heartbeat", queue=queue)
        hostname = result.get(timeout=60)
        assert hostname.startswith(queue + "@")
        # the worker wrote its heartbeat to the database the web reads
        if sqlite_file is None:
            assert WorkerHeartbeat.objects.filter(hostname=hostname).exists()
        else:
            with sqlite3.connect(sqlite_file) as db:
                rows = db.execute("SELECT hostname FROM core_workerheartbeat").fetchall()
            assert rows == [(hostname,)]
        assert time.monotonic() - started < 60
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
