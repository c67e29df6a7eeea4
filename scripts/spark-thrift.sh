#!/usr/bin/env bash
# A local Spark Thrift server for the `spark` dbt target, started from the
# pyspark wheel in .venv (no Spark download, no internet).
#   bash scripts/spark-thrift.sh start    # start (waits until it answers)
#   bash scripts/spark-thrift.sh stop
#   bash scripts/spark-thrift.sh status
# Settings (environment):
#   TRUSTMART_SPARK_PORT   port of the Thrift endpoint (10000)
#   TRUSTMART_SPARK_HOME   where the server keeps its warehouse, metastore and
#                          log (data/spark)
#   TRUSTMART_SPARK_CORES  local[N] cores (2)
#   TRUSTMART_SPARK_MEMORY driver memory (2g)
# A real cluster runs its own Thrift server: point the `spark` target at it
# with TRUSTMART_SPARK_HOST / TRUSTMART_SPARK_PORT instead.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${TRUSTMART_SPARK_PORT:-10000}"
home="$(mkdir -p "${TRUSTMART_SPARK_HOME:-data/spark}" && cd "${TRUSTMART_SPARK_HOME:-data/spark}" && pwd)"
pidfile="$home/thrift.pid"
log="$home/thrift.log"

answers() { .venv/bin/python - "$port" <<'PY'
import socket, sys
s = socket.socket()
s.settimeout(1)
try:
    s.connect(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
PY
}

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

case "${1:-}" in
start)
    if running && answers; then echo "Spark Thrift server already running on port $port (pid $(cat "$pidfile"))."; exit 0; fi
    pyspark_home="$(.venv/bin/python -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))' 2>/dev/null)" || {
        echo "pyspark is not installed in .venv: run \`bash scripts/bootstrap.sh spark\` to set up the Spark lane." >&2; exit 1; }
    command -v java >/dev/null || { echo "java is not installed: run \`bash scripts/bootstrap.sh spark\` (it installs openjdk-17-jre-headless)." >&2; exit 1; }
    export SPARK_HOME="$pyspark_home" PYSPARK_PYTHON="$PWD/.venv/bin/python"
    # the Derby metastore and the table files stay under $home; session time
    # zone UTC like the DuckDB target; double-quoted names are identifiers
    # (without this, "col" is silently a string literal). `exec`: the
    # background process becomes the server itself (spark-submit execs java),
    # so the pid file names the server (stop kills it) and no shell is left
    # holding this script's stdout open (a caller reading it would hang).
    (cd "$home" && exec nohup "$pyspark_home/bin/spark-submit" \
        --class org.apache.spark.sql.hive.thriftserver.HiveThriftServer2 \
        --name trustmart-thrift \
        --master "local[${TRUSTMART_SPARK_CORES:-2}]" \
        --driver-memory "${TRUSTMART_SPARK_MEMORY:-2g}" \
        --conf spark.sql.ansi.doubleQuotedIdentifiers=true \
        --conf spark.sql.session.timeZone=UTC \
        --conf spark.sql.warehouse.dir="$home/warehouse" \
        --conf spark.driver.extraJavaOptions="-Dderby.system.home=$home -Duser.timezone=UTC" \
        --conf spark.sql.shuffle.partitions="${TRUSTMART_SPARK_SHUFFLE_PARTITIONS:-4}" \
        --conf spark.ui.enabled=false \
        --conf spark.hadoop.javax.jdo.option.ConnectionURL="jdbc:derby:;databaseName=$home/metastore_db;create=true" \
        --hiveconf hive.server2.thrift.port="$port" \
        --hiveconf hive.server2.thrift.bind.host=127.0.0.1 \
        spark-internal > "$log" 2>&1 & echo $! > "$pidfile")
    for _ in $(seq 1 120); do
        if answers; then echo "Spark Thrift server up on 127.0.0.1:$port (pid $(cat "$pidfile"), log $log)."; exit 0; fi
        if ! running; then echo "The Spark Thrift server exited while starting; its log: $log" >&2; tail -20 "$log" >&2; exit 1; fi
        sleep 1
    done
    echo "The Spark Thrift server did not answer on port $port within 120 s; its log: $log" >&2; exit 1 ;;
stop)
    if running; then
        pid="$(cat "$pidfile")"; kill "$pid"
        for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        kill -9 "$pid" 2>/dev/null || true
        echo "Spark Thrift server stopped."
    else echo "No Spark Thrift server running."; fi
    rm -f "$pidfile" ;;
status)
    if running && answers; then echo "running on port $port (pid $(cat "$pidfile"))"; else echo "not running"; exit 1; fi ;;
*) echo "usage: bash scripts/spark-thrift.sh start|stop|status" >&2; exit 2 ;;
esac
