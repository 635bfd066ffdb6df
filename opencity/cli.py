"""The `opencity` command: everything an operator does, in one place.

opencity up            migrate, collect static files, serve with granian and run the worker
                       (and the Telegram poller when a bot in polling mode is configured)
opencity serve         the web server only (granian, WSGI); collects static files first if needed
opencity worker        the Celery worker with the beat scheduler
opencity migrate       apply database migrations
opencity municipality create|list   set up a new city (see `opencity municipality create --help`)
opencity demo          generate the demo city (see `opencity demo --help`)
opencity import-buildings FILE   import a building registry (CSV/XLSX, own or Реформа ЖКХ format)
opencity createadmin   create a superuser
opencity manage ...    any Django management command
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import signal
import socket
import subprocess
import sys
import time

from django.core.management import execute_from_command_line

USAGE = __doc__


# How long `up` lets the server and the worker finish what they are doing before killing them.
STOP_GRACE_SECONDS = 15
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _django(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    execute_from_command_line(["opencity", *argv])


def _bind() -> str:
    return os.environ.get("OPENCITY_BIND", "127.0.0.1:8000")


def _host_port() -> tuple[str, str]:
    host, _, port = _bind().rpartition(":")
    return (host.strip("[]") or "127.0.0.1"), port


def _address_problem() -> str | None:
    """Say why the server cannot listen on OPENCITY_BIND, or None when the address is free."""
    # Granian listens with SO_REUSEPORT, so a second server on a taken port starts without an
    # error and the kernel shares the requests between the two. A plain bind (SO_REUSEADDR only,
    # so a closed server's TIME_WAIT does not count) fails while any server listens there.
    host, port = _host_port()
    if not port.isdigit() or not 0 < int(port) < 65536:
        return f"opencity: OPENCITY_BIND={_bind()!r} is not HOST:PORT (e.g. 127.0.0.1:8000)."
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, int(port)))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            return (
                f"opencity: {host}:{port} is already in use, perhaps by another `opencity serve` "
                f"or `opencity up`. Stop it first, or choose another address: "
                f"OPENCITY_BIND={host}:{int(port) + 1}"
            )
        return f"opencity: cannot listen on {host}:{port}: {exc.strerror or exc}"
    return None


def _static_ensure() -> int:
    """Collect the static files when they are missing or out of date; 0 when they are ready."""
    # Collecting at start (rather than refusing) makes `serve` work on its own, as `up` does;
    # the check is a glance at the manifest, so a current collection costs nothing.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from opencity.core.static import static_collect_reason

    reason = static_collect_reason()
    if reason is None:
        return 0
    print(f"opencity: collecting static files into {settings.STATIC_ROOT} ({reason})", flush=True)
    try:
        call_command("collectstatic", interactive=False, verbosity=0)
    except OSError as exc:
        print(
            f"opencity: the static files cannot be collected into {settings.STATIC_ROOT}: {exc}. "
            "Run `opencity manage collectstatic --no-input` as a user who may write there, "
            "or set STATIC_ROOT to a writable folder; every page would answer 500 without them.",
            file=sys.stderr,
        )
        return 1
    return 0


def _server_argv(extra: list[str]) -> list[str]:
    """Granian serving the WSGI app: HTTP in Rust, Django in each worker's threads."""
    # One worker process per core by default: on a small machine more processes only compete
    # for the same cores (intake measured ~25% slower with twice as many).
    host, port = _host_port()
    workers = os.environ.get("WEB_CONCURRENCY", str(os.cpu_count() or 1))
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        port,
        "--workers",
        workers,
        "--blocking-threads",
        os.environ.get("WEB_THREADS", "2"),
        "--no-ws",
        "--respawn-failed-workers",
        "--access-log",
        *extra,
        "config.wsgi:application",
    ]


def _worker_argv(extra: list[str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--beat",
        "--loglevel",
        os.environ.get("LOG_LEVEL", "INFO").lower(),
        "--concurrency",
        os.environ.get("WORKER_CONCURRENCY", "2"),
        *extra,
    ]


def _history_argv() -> list[str] | None:
    """The demo history loader (its year of appeals), if a demo city's history is unfinished."""
    # Called after django.setup(): one small query, then the connection is closed before the fork.
    from django.apps import apps
    from django.db import connection

    # By the registry: the command line sits below every app in the import graph's tests.
    DemoHistory = apps.get_model("demo", "DemoHistory")  # noqa: N806
    try:
        pending = DemoHistory.objects.filter(finished_at__isnull=True).exists()
    finally:
        connection.close()
    if not pending:
        return None
    return [sys.executable, "-m", "opencity.cli", "demo", "--load-history"]


def _telegram_poll_argv() -> list[str] | None:
    """The Telegram poller, if an active bot is set to long polling (the embedded default)."""
    from django.apps import apps
    from django.db import connection

    TelegramBot = apps.get_model("chatbot", "TelegramBot")  # noqa: N806
    try:
        polling = TelegramBot.objects.filter(active=True, mode="polling").exists()
    finally:
        connection.close()
    if not polling:
        return None
    return [sys.executable, "-m", "opencity.cli", "manage", "telegram_poll"]


def _lower_priority(preexec):
    """Run preexec, then make the child yield the CPU to the web server (nice 10)."""

    def lowered() -> None:
        if preexec is not None:
            preexec()
        with contextlib.suppress(OSError):
            os.nice(10)

    return lowered


def _die_with_parent():
    """Make a child get SIGTERM when `up` dies, even by SIGKILL (Linux); None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)  # loaded before the fork, not in the child
    except OSError:
        return None
    parent = os.getpid()

    def preexec() -> None:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return preexec


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)


def _supervise(commands: list[list[str]], background: list[list[str]] | None = None) -> int:
    """Run the processes side by side; when one ends, Ctrl-C or SIGTERM comes, stop them all."""
    # The background commands (the demo history loader) run at a lower priority and may end on
    # their own: the others go on serving; a stop stops them too.
    #
    # Each child leads a process group of its own (the server's and the worker's processes
    # with it): a stop is one SIGTERM to each leader, which shuts its own processes down in
    # order, and whatever is left of a group after that, or after the grace time, is killed,
    # so nothing outlives `up`. If `up` itself is killed, the kernel sends the leaders SIGTERM.
    preexec = _die_with_parent()
    procs = [subprocess.Popen(cmd, process_group=0, preexec_fn=preexec) for cmd in commands]
    extra = [
        subprocess.Popen(cmd, process_group=0, preexec_fn=_lower_priority(preexec))
        for cmd in background or []
    ]
    asked: list[int] = []

    def stop(signum, _frame) -> None:
        asked.append(signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, stop)
    while not asked and all(p.poll() is None for p in procs):
        for p in list(extra):
            if p.poll() is not None:
                extra.remove(p)
                _background_ended(p)
        time.sleep(0.2)
    for p in extra:
        if p.poll() is None:
            p.terminate()
    for p in extra:
        try:
            p.wait(timeout=STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            _signal_group(p, signal.SIGKILL)
            p.wait()
    for p in procs:
        if p.poll() is None:
            p.terminate()
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for p in procs:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(p, signal.SIGKILL)
            p.wait()
    for p in procs:
        _signal_group(p, signal.SIGKILL)  # a worker process its leader left behind
    codes = [p.returncode for p in procs]
    if asked and all(code in (0, -signal.SIGTERM, -signal.SIGKILL) for code in codes):
        return 0
    return max((128 - code if code < 0 else code) for code in codes)


def _background_ended(proc: subprocess.Popen) -> None:
    if proc.returncode == 0:
        print("opencity: the demo city's history has loaded", flush=True)
    else:
        print(
            f"opencity: the demo city's history stopped loading (exit code {proc.returncode}); "
            "the next `opencity up` goes on from where it stopped",
            file=sys.stderr,
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "serve":
        problem = _address_problem()
        if problem:
            print(problem, file=sys.stderr)
            return 1
        if _static_ensure():
            return 1
        os.execv(sys.executable, _server_argv(rest))
    if command == "worker":
        os.execv(sys.executable, _worker_argv(rest))
    if command == "up":
        problem = _address_problem()
        if problem:
            print(problem, file=sys.stderr)
            return 1
        _django(["migrate", "--no-input", "-v", "0"])
        if _static_ensure():
            return 1
        history = _history_argv()
        poller = _telegram_poll_argv()
        print(f"opencity is serving at http://{_bind()}/  (Ctrl-C stops it)", flush=True)
        if history:
            print(
                "opencity: loading the demo city's history in the background "
                "(the home page shows how far it got)",
                flush=True,
            )
        if poller:
            print("opencity: receiving the Telegram bot's messages by long polling", flush=True)
        return _supervise(
            [_server_argv([]), _worker_argv([]), *([poller] if poller else [])],
            [history] if history else [],
        )
    if command == "municipality":
        _django(["municipality", *rest])
        return 0
    if command == "migrate":
        _django(["migrate", *rest])
        return 0
    if command == "demo":
        _django(["demo_city", *rest])
        return 0
    if command == "import-buildings":
        _django(["import_buildings", *rest])
        return 0
    if command == "export-buildings":
        _django(["export_buildings", *rest])
        return 0
    if command == "createadmin":
        _django(["createsuperuser", *rest])
        return 0
    if command == "manage":
        _django(rest)
        return 0
    print(f"opencity: unknown command {command!r}\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
