#!/usr/bin/env bash
# The whole test suite: lint (ruff, sqlfluff), dbt parse with deprecations
# as errors, dbt-bouncer (dbt-bouncer.yml) on the manifest the parse wrote,
# then pytest (which builds generated and hand-made data sets).
# Run it through `bash scripts/bootstrap.sh test`, which sets up first.
set -euo pipefail
cd "$(dirname "$0")/.."
export DO_NOT_TRACK=1 DBT_SEND_ANONYMOUS_USAGE_STATS=false GX_ANALYTICS_ENABLED=False
export PATH="$PWD/.venv/bin:$PATH"

echo "== ruff"
ruff check src tests bench dbt_bouncer_checks
ruff format --check src tests bench dbt_bouncer_checks

echo "== dbt parse (deprecations are errors)"
TRUSTMART_DB=":memory:" dbt parse --profiles-dir profiles --target lint \
    --warn-error-options '{"error": ["Deprecations"]}' --no-partial-parse >/dev/null

echo "== dbt-bouncer (the conventions of dbt-bouncer.yml, on the manifest dbt parse wrote)"
dbt-bouncer --config-file dbt-bouncer.yml

echo "== sqlfluff"
sqlfluff lint models tests --processes 2

echo "== pytest"
# Two worker processes (pytest-xdist), each taking whole test modules so
# a module's fixtures are built once; the session fixtures are built once
# and shared (tests/python/conftest.py). TRUSTMART_TEST_WORKERS=0 runs
# everything in this process.
set +e
python -m pytest -n "${TRUSTMART_TEST_WORKERS:-2}" --dist loadfile "$@"
status=$?
set -e
# pytest exits 5 when it collected no test: that is a failure here too.
exit "$status"
