# Shared by the scripts: find Python 3.11+ and make ./.venv with the project installed.
# Usage: source scripts/_venv.sh; venv_install "."   (or ".[dev]")
set -euo pipefail

find_python() {
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "opencity needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)" >&2
  return 1
}

venv_install() {
  local target="$1"
  if [ ! -x .venv/bin/python ]; then
    "$(find_python)" -m venv .venv
  fi
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$target"
}
