import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from opencity import cli
from opencity.cli import main

ROOT = Path(__file__).resolve().parents[3]
OPENCITY = Path(sys.executable).with_name("opencity")


def test_help_lists_every_operator_command(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("up", "serve", "worker", "migrate", "demo", "import-buildings", "createadmin"):
        assert f"opencity {command}" in out


def test_unknown_command_is_an_error(capsys):
    assert main(["fly"]) == 2
    assert "unknown command" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_runs_the_production_server_that_answers(process_env):
    port = _free_port()
    env = {**process_env, "OPENCITY_BIND": f"127.0.0.1:{port}"}
    server = subprocess.Popen([str(OPENCITY), "serve"], cwd=ROOT, env=env, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/health/", timeout=2
                ) as response:
                    body = json.load(response)
                    server_header = response.headers.get("Server", "")
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not answer in 30 s"
                assert server.poll() is None, server.stderr.read().decode()
                time.sleep(0.3)
        assert body["status"] == "ok"
        assert "granian" in server_header.lower()  # not Django's development server
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture
def signals_restored():
    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


def test_up_goes_on_serving_when_the_background_loader_ends(capsys, signals_restored, tmp_path):
    # given a server that runs for a while and a background loader that is done at once
    niceness = tmp_path / "niceness"
    server = [sys.executable, "-c", "import time; time.sleep(2)"]
    loader = [
        sys.executable,
        "-c",
        f"import os; open({str(niceness)!r}, 'w').write(str(os.nice(0)))",
    ]
    started = time.monotonic()
    # when up supervises them
    code = cli._supervise([server], [loader])
    # then the server was left to serve its whole time, and the loader ran at a lower priority
    assert time.monotonic() - started >= 1.9
    assert code == 0
    assert "the demo city's history has loaded" in capsys.readouterr().out
    assert int(niceness.read_text()) >= min(os.nice(0) + 10, 19)


def test_up_stops_the_background_loader_with_the_server(signals_restored, tmp_path):
    # given a loader that would run for a minute
    marker = tmp_path / "loader-ran-on"
    server = [sys.executable, "-c", "import time; time.sleep(1)"]
    loader = [
        sys.executable,
        "-c",
        f"import time; time.sleep(60); open({str(marker)!r}, 'w').close()",
    ]
    started = time.monotonic()
    # when the server ends
    cli._supervise([server], [loader])
    # then the loader is stopped with it
    assert time.monotonic() - started < 30
    assert not marker.exists()
