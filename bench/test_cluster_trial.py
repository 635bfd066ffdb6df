"""The cluster trial as a test: minutes long, so it lives in bench/ and CI never collects it.

Run it on purpose (as root, with PostgreSQL's binaries, RabbitMQ and Redis on this machine):
    .venv/bin/pytest -p no:cacheprovider -n 0 -m slow bench/test_cluster_trial.py -s
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TRIAL = Path(__file__).with_name("cluster_trial.py")


@pytest.mark.slow
def test_the_cluster_survives_a_killed_node_and_worker():
    if not shutil.which("rabbitmqctl"):
        pytest.skip("the trial needs a RabbitMQ server on this machine")
    run = subprocess.run(
        [sys.executable, str(TRIAL), "--seconds", "40"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    print(run.stdout[-4000:], run.stderr[-4000:])
    assert run.returncode == 0
    for check in (
        "every acknowledged appeal stored once",
        "every notification sent once",
        "replica at most a second behind",
        "both nodes served load",
    ):
        assert f"PASS  {check}" in run.stdout
