"""`opencity serve` and `opencity up` as an operator runs them: real processes on free ports."""

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from opencity.core.tests.conftest import OPENCITY, ROOT

pytestmark = [
    pytest.mark.serving,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _wait_for(url: str, proc: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            _get(url)
            return
        except OSError:
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, (
                f"nothing answered in {seconds} s\n{log.read_text()}"
            )
            time.sleep(0.3)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
    except OSError:
        return ""


def _start(env: dict, *args: str, log: Path, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [str(OPENCITY), *args],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        **kwargs,
    )


def _stop(proc: subprocess.Popen, *pids: int) -> None:
    """Leave nothing behind, whatever the test found."""
    for pid in (*pids, *_descendants(proc.pid), proc.pid):
        if _alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    proc.wait(timeout=10)


def test_serve_collects_the_static_files_of_a_fresh_checkout(process_env, tmp_path):
    # given a fresh checkout: migrated, but nothing collected into STATIC_ROOT
    static_root = tmp_path / "static"
    port = _free_port()
    env = {**process_env, "STATIC_ROOT": str(static_root), "OPENCITY_BIND": f"127.0.0.1:{port}"}
    log = tmp_path / "serve.log"
    # when `opencity serve` starts on its own
    server = _start(env, "serve", log=log)
    try:
        _wait_for(f"http://127.0.0.1:{port}/health/", server, log)
        status, page = _get(f"http://127.0.0.1:{port}/")
        # then the pages answer, naming collected (hashed) files that are served too
        assert status == 200, log.read_text()
        stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page)
        assert stylesheet, page[:2000]
        assert _get(f"http://127.0.0.1:{port}{stylesheet[1]}")[0] == 200
        assert (static_root / "staticfiles.json").exists()
        assert "collecting static files" in log.read_text()
    finally:
        _stop(server)


def test_a_second_serve_on_a_taken_address_refuses_to_start(process_env, tmp_path):
    port = _free_port()
    env = {**process_env, "OPENCITY_BIND": f"127.0.0.1:{port}"}
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    first = _start(env, "serve", log=first_log)
    second = None
    try:
        _wait_for(f"http://127.0.0.1:{port}/health/", first, first_log)
        # when a second server is started on the same address
        second = _start(env, "serve", log=second_log)
        try:
            code = second.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the second server started on a taken port:\n{second_log.read_text()}")
        # then it stops at once and says why, and the first one goes on serving alone
        assert code != 0
        message = second_log.read_text()
        assert f"127.0.0.1:{port} is already in use" in message
        assert f"OPENCITY_BIND=127.0.0.1:{port + 1}" in message
        assert _get(f"http://127.0.0.1:{port}/health/")[0] == 200
        assert first.poll() is None
    finally:
        if second is not None and second.poll() is None:
            _stop(second)
        _stop(first)


def test_serve_refuses_an_address_that_is_not_host_and_port(process_env, tmp_path):
    env = {**process_env, "OPENCITY_BIND": "127.0.0.1"}
    run = subprocess.run(
        [str(OPENCITY), "serve"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30
    )
    assert run.returncode != 0
    assert "is not HOST:PORT" in run.stderr


def _up_running(env: dict, tmp_path: Path) -> tuple[subprocess.Popen, list[int], Path]:
    """Start `opencity up` and wait until its server answers and its worker is ready."""
    port = _free_port()
    env = {**env, "OPENCITY_BIND": f"127.0.0.1:{port}", "LOG_LEVEL": "INFO"}
    log = tmp_path / "up.log"
    # a session of its own, as in a terminal: Ctrl-C reaches the whole foreground group
    up = _start(env, "up", log=log, start_new_session=True)
    _wait_for(f"http://127.0.0.1:{port}/health/", up, log)
    deadline = time.monotonic() + 60
    while " ready." not in log.read_text():
        assert up.poll() is None, log.read_text()
        assert time.monotonic() < deadline, f"the worker did not start\n{log.read_text()}"
        time.sleep(0.3)
    return up, _descendants(up.pid), log


@pytest.mark.parametrize(
    "how",
    ["SIGTERM to the parent", "Ctrl-C to the terminal's group", "SIGKILL to the parent"],
)
def test_stopping_up_stops_the_server_and_the_worker(process_env, tmp_path, how):
    up, processes, log = _up_running(process_env, tmp_path)
    try:
        commands = [_cmdline(pid) for pid in processes]
        assert any("granian" in c for c in commands), commands
        assert any("celery" in c for c in commands), commands
        # when the operator stops it
        if how.startswith("SIGTERM"):
            os.kill(up.pid, signal.SIGTERM)
        elif how.startswith("Ctrl-C"):
            os.killpg(up.pid, signal.SIGINT)
        else:
            os.kill(up.pid, signal.SIGKILL)
        code = up.wait(timeout=30)
        # then every process it started ends too: no orphan keeps the port or the broker
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in processes) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = [(pid, _cmdline(pid)) for pid in processes if _alive(pid)]
        assert not left, f"{left}\n{log.read_text()}"
        if not how.startswith("SIGKILL"):
            assert code == 0, log.read_text()
    finally:
        _stop(up, *processes)
