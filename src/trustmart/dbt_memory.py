"""When DuckDB runs out of its memory limit during a build.

DuckDB's `memory_limit` (TRUSTMART_MEMORY_LIMIT) caps one buffer pool that
every query of the build shares. With dbt running two models at a time
(TRUSTMART_THREADS, 2 by default), two heavy models can meet and together
ask for more than the limit, although each fits on its own; which ones meet
depends on scheduling. So when models failed only for memory and the build
ran several at a time, `retry_one_at_a_time` runs `dbt retry --threads 1`:
the failed and skipped nodes again, one at a time, in the same building
file (the nodes that passed are kept). When memory still runs out,
`out_of_memory_fix` says what to change.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from trustmart.dbt_runner import DbtResult, run_dbt

#: How DuckDB words the error (`Out of Memory Error: could not allocate ...`).
OUT_OF_MEMORY = "Out of Memory Error"
#: The first run's run_results.json, kept beside the retry's.
FIRST_RUN_RESULTS = "run_results.before-retry.json"
_CONCURRENCY = re.compile(r"Concurrency: (\d+) threads?")


def out_of_memory_nodes(target_dir: Path) -> tuple[str, ...]:
    """The nodes of dbt's last run (run_results.json in `target_dir`) that
    failed because DuckDB ran out of memory, by name; empty when there are
    none or the file cannot be read."""
    try:
        results = json.loads((target_dir / "run_results.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ()
    return tuple(
        result["unique_id"].split(".", 2)[-1]
        for result in results.get("results", [])
        if result.get("status") == "error" and OUT_OF_MEMORY in (result.get("message") or "")
    )


def dbt_threads(log_path: Path) -> int | None:
    """The thread count a dbt run used, from its log ("Concurrency: 2
    threads"); None when the log does not say."""
    try:
        text = log_path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    match = _CONCURRENCY.search(text)
    return int(match.group(1)) if match else None


def retry_one_at_a_time(
    failed: DbtResult,
    target_dir: Path,
    log_dir: Path,
    env: dict[str, str],
    on_progress: Callable[[int, int, str], None] | None = None,
) -> tuple[DbtResult, tuple[str, ...]]:
    """After a failed `dbt build`: when nodes failed for memory and the run
    had more than one thread, run them and everything they skipped again
    with one thread. Returns the result that now stands and the nodes that
    ran out of memory (empty when nothing was retried)."""
    nodes = out_of_memory_nodes(target_dir)
    threads = dbt_threads(failed.log_path)
    if not nodes or threads is None or threads < 2:
        return failed, ()
    # dbt retry reads the first run's results and then overwrites them:
    # keep a copy for whoever reads where the build's time went
    shutil.copy2(target_dir / "run_results.json", target_dir / FIRST_RUN_RESULTS)
    retried = run_dbt(
        ["retry", "--threads", "1", "--target-path", str(target_dir), "--log-path", str(log_dir)],
        env=env,
        log_path=log_dir / "dbt-retry.log",
        on_progress=on_progress,
    )
    return retried, nodes


def out_of_memory_fix(target_dir: Path) -> str | None:
    """What to do when the last dbt run failed for memory; None otherwise."""
    nodes = out_of_memory_nodes(target_dir)
    if not nodes:
        return None
    limit = os.environ.get("TRUSTMART_MEMORY_LIMIT") or "2GB, the profile's default"
    return (
        f"DuckDB ran out of its memory limit ({limit}) in {', '.join(nodes)}, even with one "
        "model at a time. Give it more: set TRUSTMART_MEMORY_LIMIT (e.g. 4GB) to what the "
        "machine can spare and run `trustmart build` again; DuckDB spills what does not fit "
        "to <database file>.tmp, so also check that the disk there has room."
    )
