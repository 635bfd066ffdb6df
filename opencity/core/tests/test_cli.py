import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

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
