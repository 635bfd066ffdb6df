"""The cluster trial's machines: the broker and cache, the environment, web nodes and workers.

Each node and worker is a process (group) of its own with its own log, killable with SIGKILL
and restartable, as a machine of its own would be.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

from .common import PYTHON, ROOT, free_port

REDIS_URL = os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/13")
RABBIT = os.environ.get("CLUSTER_RABBIT", "amqp://guest:guest@127.0.0.1:5672")


class Proc:
    """A node or a worker: its own process group, its log, killable and restartable."""

    def __init__(self, name: str, argv: list[str], env: dict, base: Path, port: int | None = None):
        self.name, self.argv, self.env, self.port = name, argv, env, port
        self.log_path = base / f"{name}.log"
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        self.log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = open(self.log_path, "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.starts += 1

    def wait_ready(self, timeout=90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} ended:\n{self.log_path.read_text()[-3000:]}")
            if self.port:
                with (
                    contextlib.suppress(OSError),
                    socket.create_connection(("127.0.0.1", self.port), timeout=1),
                ):
                    return
            elif b" ready." in self.log_path.read_bytes()[self.log_offset :]:
                return
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not get ready:\n{self.log_path.read_text()[-3000:]}")

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


SETUP = r"""
import json, django
django.setup()
from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.appeals.models import ResponsibleKind
from opencity.appeals.tests.factories import CategoryFactory, DeadlinePolicyFactory
from opencity.buildings.tests.factories import ManagedBuildingFactory
from opencity.core.tests.factories import DistrictFactory, MunicipalityFactory
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory
from opencity.organisations.services import api_key_create
city = MunicipalityFactory(slug="trial", code="TRL")
DistrictFactory(municipality=city)
company = OrganisationFactory(municipality=city)
manager = MembershipFactory(organisation=company, user__email="manager@trial.example")
buildings = [ManagedBuildingFactory(municipality=city, manager=company).pk for _ in range(20)]
leaf = CategoryFactory(municipality=city, code="light", responsible_kind=ResponsibleKind.BUILDING_MANAGER)
DeadlinePolicyFactory(category=leaf)
_key, secret = api_key_create(actor=manager.user, organisation=company, name="Trial", role="manager")
print("SETUP " + json.dumps({"slug": city.slug, "key": secret, "code": leaf.code, "buildings": buildings}))
"""


def broker_prepare(vhost: str) -> str:
    """A RabbitMQ virtual host of the trial's own and an empty Redis db; return the broker URL."""
    import redis

    subprocess.run(["rabbitmqctl", "add_vhost", vhost], check=True, capture_output=True)
    subprocess.run(
        ["rabbitmqctl", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"],
        check=True,
        capture_output=True,
    )
    redis.Redis.from_url(REDIS_URL).flushdb()
    return f"{RABBIT}/{vhost}"


def broker_remove(vhost: str) -> None:
    subprocess.run(["rabbitmqctl", "delete_vhost", vhost], capture_output=True)


def cluster_env(*, base: Path, primary: str, replica: str, broker: str, mail_file: Path) -> dict:
    """The environment every node and worker shares (each adds its bind address and var dir)."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "OPENCITY"))},
        "DATABASE_URL": primary,
        "DATABASE_REPLICA_URLS": replica,
        "REDIS_URL": REDIS_URL,
        "CELERY_BROKER_URL": broker,
        "SECRET_KEY": uuid.uuid4().hex * 2,
        "STATIC_ROOT": str(base / "static"),
        "EMAIL_BACKEND": "bench.cluster_mail.AppendBackend",
        "CLUSTER_MAIL_FILE": str(mail_file),
        "CELERY_BEAT_LOCK_TTL": "6",
        "WEB_CONCURRENCY": "1",
        "WORKER_CONCURRENCY": "2",
        "LOG_LEVEL": "INFO",
        "API_RATE_LIMIT_PER_IP": "0",
        "API_RATE_LIMIT_PER_KEY": "0",
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def migrate_and_seed(env: dict) -> dict:
    """Migrate the primary, collect the static files, seed the city; return what the load needs."""
    manage = [PYTHON, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [*manage, "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    out = subprocess.run(
        [PYTHON, "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(next(ln for ln in out.splitlines() if ln.startswith("SETUP "))[6:])


def nodes_and_workers(env: dict, base: Path) -> tuple[list[Proc], list[Proc]]:
    """Two web nodes (`opencity serve` on free ports) and two workers, not started yet."""
    nodes = []
    for name in ("web-a", "web-b"):
        port = free_port()
        node_env = {
            **env,
            "OPENCITY_BIND": f"127.0.0.1:{port}",
            "OPENCITY_VAR_DIR": str(base / name),
        }
        nodes.append(Proc(name, [PYTHON, "-m", "opencity.cli", "serve"], node_env, base, port))
    workers = []
    for name in ("worker-1", "worker-2"):
        worker_env = {**env, "OPENCITY_VAR_DIR": str(base / name)}
        argv = [PYTHON, "-m", "opencity.cli", "worker", "-n", f"{name}@trial"]
        workers.append(Proc(name, argv, worker_env, base))
    return nodes, workers
