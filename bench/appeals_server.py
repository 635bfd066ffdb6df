"""bench_appeals' HTTP side: the app served as `opencity serve` serves it, signed-in clients.

Also what the benches read of the processes' CPU (Linux /proc). Imported by bench_appeals.py,
which sets Django up first; bench_open311.py and bench_floor.py reuse it through bench_appeals.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def cpu_seconds(pids) -> float:
    """CPU time (user + system) the processes used so far; Linux /proc, else 0."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def process_tree(root: int) -> list[int]:
    """The process and its descendants (the server's master and workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir() if Path("/proc").exists() else []:
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def postgres_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir() if Path("/proc").exists() else []:
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def residents(municipality, count: int) -> list[str]:
    """Create signed-in residents; return their session keys."""
    from opencity.accounts.models import User

    keys = []
    for n in range(count):
        # get_or_create: a kept database (--keepdb) has them from an earlier run.
        user, _created = User.objects.get_or_create(
            username=f"{municipality.slug}:bench{n}@bench.opencity",
            defaults={
                "municipality": municipality,
                "email": f"bench{n}@bench.opencity",
                "email_confirmed": True,
                "full_name": f"Житель {n}",
                "role": "resident",
                "password": "!",
            },
        )
        keys.append(session_key(user))
    return keys


def session_key(user) -> str:
    """Sign the user in: create a session as the login does and return its key."""
    from importlib import import_module

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


class Client:
    def __init__(self, port: int, session_key: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies = {settings.SESSION_COOKIE_NAME: session_key}

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        """Send one request; return (status, body); the response's headers stay in `headers`."""
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        if body is not None:
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
            headers["Referer"] = f"http://127.0.0.1:{self.conn.port}{path}"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (ConnectionError, http.client.HTTPException):
            # The server closed an idle keep-alive connection: open a new one, once.
            self.conn.close()
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        self.headers = response.headers
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data


class Server:
    """The app served as `opencity serve` serves it (granian), on a free port of 127.0.0.1.

    As in production: Redis for the cache (sessions) and the broker when REDIS_URL is given;
    otherwise the embedded defaults (a file cache) and an in-memory broker. Its access log
    goes to a file under the bench's media directory. `extra_env` adds settings.
    """

    def __init__(self, workers: str | None = None, extra_env: dict | None = None, log="web"):
        self.port = free_port()
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "OPENCITY_BIND": f"127.0.0.1:{self.port}",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            # As `opencity up` does: the manifest static storage needs the collected files.
            "STATIC_ROOT": str(Path(settings.MEDIA_ROOT) / "static"),
            "CELERY_BROKER_URL": os.environ.get("REDIS_URL") or "memory://",
            **(extra_env or {}),
        }
        if workers:
            self.env["WEB_CONCURRENCY"] = workers
        self.log_path = Path(settings.MEDIA_ROOT) / f"{log}.log"
        self.describe = (
            f"granian, {workers or 'default'} workers; cache and broker: "
            f"{'Redis' if os.environ.get('REDIS_URL') else 'file cache, in-memory broker'}"
        )

    def __enter__(self):
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=self.env,
            check=True,
        )
        self.log = open(self.log_path, "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "opencity.cli", "serve"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"the server did not start:\n{self.log_tail()}") from None
                time.sleep(0.2)

    def log_tail(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")[-3000:]

    def pids(self) -> list[int]:
        return process_tree(self.process.pid)

    def __exit__(self, *exc):
        self.log.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
