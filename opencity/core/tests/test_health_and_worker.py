import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from config.celery import app
from opencity.core.models import WorkerHeartbeat
from opencity.core.tasks import worker_heartbeat

ROOT = Path(__file__).resolve().parents[3]
TASK = "opencity.core.tasks.worker_heartbeat"


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


def _postgres_url() -> str | None:
    s = connection.settings_dict
    if s["ENGINE"] != "django.db.backends.postgresql":
        return None
    user = s.get("USER") or "postgres"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


def _heartbeats(sqlite_file: Path | None) -> list[str]:
    if sqlite_file is None:
        return list(WorkerHeartbeat.objects.values_list("hostname", flat=True))
    with sqlite3.connect(sqlite_file) as db:
        return [row[0] for row in db.execute("SELECT hostname FROM core_workerheartbeat")]


def _run_worker_and_send(tmp_path: Path, broker_url: str, send) -> None:
    """Start a real worker process on the broker, send the heartbeat task, see its row appear."""
    queue = f"test-{uuid.uuid4().hex[:8]}"  # keep clear of any other worker on the broker
    env = {**os.environ, "CELERY_BROKER_URL": broker_url, "OPENCITY_VAR_DIR": str(tmp_path / "var")}
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    database_url = _postgres_url()
    sqlite_file = None
    if database_url is None:
        # The worker cannot reach this process's in-memory database: give it a file of its own.
        sqlite_file = tmp_path / "worker.sqlite3"
        database_url = f"sqlite:///{sqlite_file}"
    env["DATABASE_URL"] = database_url
    if sqlite_file:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
        )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queue,
            "--pool",
            "solo",
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "warning",
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        send(env, queue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _heartbeats(sqlite_file):
            assert worker.poll() is None, worker.stdout.read().decode()
            time.sleep(0.3)
        # the worker ran the task and wrote to the database the web reads
        assert _heartbeats(sqlite_file) == [f"{queue}@{os.uname().nodename}"]
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


@pytest.mark.django_db(transaction=True)
def test_the_embedded_broker_needs_no_server(tmp_path):
    def send(env, queue):
        # the producer is a separate process too, as the web server would be
        code = f"import django; django.setup(); from config.celery import app; app.send_task({TASK!r}, queue={queue!r})"
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
            check=True,
        )

    _run_worker_and_send(tmp_path, "filesystem://", send)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_task_runs_in_a_real_worker_through_redis(tmp_path):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL is not set: the real-worker test needs a Redis server")

    def send(env, queue):
        Celery("test-client", broker=redis_url).send_task(TASK, queue=queue)

    _run_worker_and_send(tmp_path, redis_url, send)


def test_every_task_on_the_beat_schedule_is_registered_with_the_worker(settings):
    app.loader.import_default_modules()  # what the worker does at start-up
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled, "beat has nothing to do"
    assert scheduled <= set(app.tasks), scheduled - set(app.tasks)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens on it once the socket is closed


@pytest.mark.parametrize("path", ["/health/", "/m/kazan/health/"])
def test_health_answers_json_503_when_the_database_is_down(tmp_path, path):
    # given a process whose database (PostgreSQL on a closed port) cannot be reached
    secret = "oc-secret-db-name"
    env = {
        **os.environ,
        "OPENCITY_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://oc_user:oc_pw@127.0.0.1:{_closed_port()}/{secret}",
    }
    code = (
        "import json, django; django.setup()\n"
        "from django.test import Client\n"
        f"r = Client(raise_request_exception=False).get({path!r}, HTTP_HOST='127.0.0.1')\n"
        "print(json.dumps({'status': r.status_code, 'type': r['Content-Type'],"
        " 'body': r.content.decode()}))\n"
    )
    # when a probe asks /health/
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    answer = json.loads(run.stdout.strip().splitlines()[-1])
    # then the answer is the check's own JSON 503, and it does not show the database's error
    assert answer["status"] == 503
    assert answer["type"] == "application/json"
    assert json.loads(answer["body"]) == {"status": "error", "database": "unavailable"}
    for leaked in (secret, "oc_user", "oc_pw", "connection", "refused"):
        assert leaked not in answer["body"]
