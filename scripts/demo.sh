#!/usr/bin/env bash
# Install opencity into ./.venv, create the SQLite database, load the demo city and serve it
# at http://127.0.0.1:8000 with granian and the Celery worker (Ctrl-C stops both), with the
# simulated city on (OPENCITY_DEMO_SIMULATION=1; set it to 0 to keep the appeals where they are).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
echo "==> Installing into ./.venv"
venv_install "."
# The static files need no database: collect them on the other core meanwhile (`up` would
# otherwise collect them before it serves; it skips them when they are current).
.venv/bin/opencity manage collectstatic --no-input -v 0 &
static=$!
echo "==> Creating the database (./var/opencity.sqlite3 unless DATABASE_URL is set)"
.venv/bin/opencity migrate --no-input -v 0
echo "==> Loading the demo city (skipped when it is already there; its year of appeals loads"
echo "    in the background once the site serves, and the home page shows how far it got)"
.venv/bin/opencity demo --if-empty --defer-history
wait "$static" || echo "==> Collecting the static files failed: \`opencity up\` tries again"
# The simulated city: the demo organisations work on the appeals filed while someone tries it.
export OPENCITY_DEMO_SIMULATION="${OPENCITY_DEMO_SIMULATION:-1}"
exec .venv/bin/opencity up
