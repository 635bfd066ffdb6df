"""The cluster trial's database: a PostgreSQL primary and its streaming replica (pg_basebackup -R).

Temporary clusters on free ports in the trial's folder, run as the `postgres` user when the
trial runs as root.
"""

from __future__ import annotations

import glob
import os
import pwd
import subprocess
from pathlib import Path

from .common import free_port


class Postgres:
    def __init__(self, base: Path):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
        if not bins:
            raise SystemExit("PostgreSQL's server binaries are not under /usr/lib/postgresql")
        self.bin = Path(bins[-1])
        self.base = base
        self.primary_port, self.replica_port = free_port(), free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            uid = pwd.getpwnam("postgres").pw_uid
            os.chown(base, uid, -1)

    def run(self, tool: str, *args: str, check=True):
        command = [str(self.bin / tool), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True)

    def url(self, port: int) -> str:
        return f"postgres://postgres@127.0.0.1:{port}/opencity"

    def start(self) -> None:
        primary, replica = self.base / "primary", self.base / "replica"
        self.run("initdb", "-D", str(primary), "-U", "postgres", "--auth=trust", "--no-sync")
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nport = {self.primary_port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.base}'\nwal_level = replica\n"
                "max_wal_senders = 4\nmax_connections = 100\nfsync = off\n"
                "shared_buffers = 64MB\n"
            )
        self.run("pg_ctl", "-D", str(primary), "-l", str(self.base / "primary.log"), "-w", "start")
        to_primary = ("-h", "127.0.0.1", "-p", str(self.primary_port), "-U", "postgres")
        self.run("createdb", *to_primary, "opencity")
        self.run(
            "pg_basebackup", *to_primary, "-D", str(replica), "-R", "-X", "stream", "-c", "fast"
        )
        self.run(
            "pg_ctl",
            "-D",
            str(replica),
            "-l",
            str(self.base / "replica.log"),
            "-o",
            f"-p {self.replica_port}",
            "-w",
            "start",
        )

    def stop(self) -> None:
        for name in ("replica", "primary"):
            if (self.base / name).exists():
                self.run(
                    "pg_ctl", "-D", str(self.base / name), "-m", "immediate", "stop", check=False
                )


def sql(url: str, query: str, params=()):
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(query, params).fetchall()
