#!/usr/bin/env bash
# Install opencity with its dev dependencies into ./.venv and run the whole test suite.
# Extra arguments go to pytest. DATABASE_URL=postgres://... runs it on PostgreSQL;
# REDIS_URL=redis://... adds the test that runs a task in a real Celery worker.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
echo "==> Installing into ./.venv with the dev dependencies"
venv_install ".[dev]"
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  # Browser tests drive Debian's Chromium, never a downloaded browser.
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> Installing Chromium from Debian's packages for the browser tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
  else
    echo "Chromium is missing: install it with 'sudo apt-get install chromium' (browser tests need it)" >&2
    exit 1
  fi
fi
echo "==> Running the tests on ${DATABASE_URL:-SQLite}"
exec .venv/bin/pytest -n "${PYTEST_WORKERS:-2}" -p no:cacheprovider "$@"
