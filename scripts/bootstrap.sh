#!/usr/bin/env bash
# Set everything up (idempotent, fast when already done), then run one job.
#   bash scripts/bootstrap.sh demo   # set up, then `trustmart demo`
#   bash scripts/bootstrap.sh test   # set up, then the whole test suite
#   bash scripts/bootstrap.sh setup  # set up only
#   bash scripts/bootstrap.sh spark  # set up the Spark lane (a JRE, dbt-spark,
#                                    # pyspark), then its parity test (-m spark)
# Needs only Python 3.11, node/npm and apt on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export DO_NOT_TRACK=1 DBT_SEND_ANONYMOUS_USAGE_STATS=false GX_ANALYTICS_ENABLED=False

job="${1:-setup}"
case "$job" in demo|test|setup|spark) ;; *)
    echo "usage: bash scripts/bootstrap.sh demo|test|setup|spark" >&2; exit 2 ;;
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

# The Spark lane, only when asked for: a Java runtime (Debian's
# openjdk-17-jre-headless) and the Spark extras of requirements-spark.lock
# in the same .venv; then the parity test against a local Thrift server.
if [ "$job" = spark ]; then
    if ! command -v java >/dev/null 2>&1; then
        echo "Installing a Java runtime for Spark (apt-get install openjdk-17-jre-headless) ..."
        if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless; } >/dev/null; then
            echo "Could not install openjdk-17-jre-headless: run as root, or install Java 17 yourself and run this again." >&2
            exit 1
        fi
    fi
    spark_stamp=.venv/.trustmart-spark-installed
    spark_want="$(cat requirements-spark.lock "$stamp" | sha256sum | cut -d' ' -f1)"
    if [ "$(cat "$spark_stamp" 2>/dev/null)" != "$spark_want" ]; then
        echo "Installing the Spark extras (requirements-spark.lock: dbt-spark, pyspark) ..."
        .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-spark.lock
        echo "$spark_want" > "$spark_stamp"
    fi
    export DO_NOT_TRACK=1 DBT_SEND_ANONYMOUS_USAGE_STATS=false
    # the parity test starts and stops its own Thrift server
    exec .venv/bin/python -m pytest -m spark -n 0 tests/python
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
