"""The configuration contract: production refuses to start half-configured; --deploy is clean."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def manage(args, env_overrides, tmp_path):
    # A clean environment: nothing the test run itself set (browser tests set async-unsafe).
    dropped = {"SECRET_KEY", "DATABASE_URL", "OPENCITY_MODE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update({"OPENCITY_VAR_DIR": str(tmp_path / "var"), **env_overrides})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "OPENCITY_MODE": "production",
    "SECRET_KEY": "x7Vq2-the-production-secret-is-long-and-random-9f3kLmN0pQrS4tUvWxYz",
    "ALLOWED_HOSTS": "kazan.example.org",
    "DATABASE_URL": "postgres://opencity@db.internal:5432/opencity",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "REDIS_URL": "redis://redis.internal:6379/1",
}


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**PRODUCTION}
    env.pop("SECRET_KEY")
    result = manage(["check"], env, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = manage(["check"], {**PRODUCTION, "ALLOWED_HOSTS": ""}, tmp_path)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_check_deploy_reports_nothing_with_the_documented_production_environment(tmp_path):
    result = manage(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_embedded_mode_generates_a_secret_key_once_and_keeps_it(tmp_path):
    first = manage(
        ["shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"],
        {},
        tmp_path,
    )
    second = manage(
        ["shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"],
        {},
        tmp_path,
    )
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "var" / "secret_key").read_text().strip()
    assert len(key) >= 50
    assert first.stdout.split()[-1] == second.stdout.split()[-1] == key


def test_collectstatic_builds_the_manifest_the_production_server_serves(tmp_path):
    # WhiteNoise's manifest storage fails on any asset that references a missing file.
    result = manage(
        ["collectstatic", "--no-input", "-v", "0"],
        {"STATIC_ROOT": str(tmp_path / "static")},
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    for asset in ("vendor/htmx/htmx.min.js", "vendor/leaflet/leaflet.js", "css/site.css"):
        assert f'"{asset}"' in manifest
