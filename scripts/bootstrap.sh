#!/usr/bin/env bash
# Set everything up (idempotent, fast when already done), then run one job.
#   bash scripts/bootstrap.sh demo   # set up, then `trustmart demo`
#   bash scripts/bootstrap.sh test   # set up, then the whole test suite
#   bash scripts/bootstrap.sh setup  # set up only
# Needs only Python 3.11, node/npm and apt on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export DO_NOT_TRACK=1 DBT_SEND_ANONYMOUS_USAGE_STATS=false GX_ANALYTICS_ENABLED=False

job="${1:-setup}"
case "$job" in demo|test|setup) ;; *)
    echo "usage: bash scripts/bootstrap.sh demo|test|setup" >&2; exit 2 ;;
esac

python_bin="${PYTHON:-python3.11}"
if ! command -v "$python_bin" >/dev/null 2>&1; then
    echo "Python 3.11 is required: install it (e.g. apt-get install python3.11 python3.11-venv) or set PYTHON=/path/to/python3.11" >&2
    exit 1
fi

# Python environment: rebuilt only when requirements.lock or pyproject.toml change.
stamp=.venv/.trustmart-installed
want="$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "Setting up the Python environment in .venv ..."
    "$python_bin" -m venv .venv
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
    echo "$want" > "$stamp"
fi

# The report site (Evidence, npm) and the headless browser for its tests.
if [ -f scripts/setup-report.sh ]; then
    bash scripts/setup-report.sh
fi

case "$job" in
    demo) exec .venv/bin/trustmart demo ;;
    test) exec bash scripts/test.sh ;;
    setup) echo "Set up. Run: .venv/bin/trustmart --help" ;;
esac
