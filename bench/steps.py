"""Running one benchmark size: generate (or reuse) the export, hold its last
day back, then time each step in its own bench/measure.py wrapper process:
baseline, full build, baseline again, check, report, and the incremental
build of the held-back day."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from agreement import agreement
from dbt_timings import dbt_timings
from layout import BENCH, HELD_DAY, ROOT
from results import SizeRun, Step
from sizes import DAYS, SEED, scale_for, size_label
from trustmart.generator.drops import deliver, hold_back_last_day
from units import fmt_bytes, fmt_seconds


def trustmart_command() -> str:
    """The `trustmart` next to this Python (the project's venv), else on PATH."""
    candidate = Path(sys.executable).parent / "trustmart"
    return str(candidate) if candidate.exists() else "trustmart"


def measured(name: str, command: Sequence[str], logs: Path, env: dict[str, str]) -> Step:
    """Run `command` in a bench/measure.py wrapper process and read its figures."""
    result = logs / f"{name}.json"
    log = logs / f"{name}.log"
    print(f"  {name}: {' '.join(command)}", flush=True)
    subprocess.run(
        [sys.executable, str(BENCH / "measure.py"), str(result), str(log), "--", *command],
        check=True,
        env=env,
        cwd=ROOT,
    )
    figures = json.loads(result.read_text(encoding="utf-8"))
    step = Step(
        name=name,
        wall_seconds=figures["wall_seconds"],
        cpu_seconds=figures["cpu_seconds"],
        max_rss_bytes=figures["max_rss_kib"] * 1024,
        returncode=figures["returncode"],
    )
    status = "ok" if step.ok else f"FAILED (exit {step.returncode}, log {log})"
    print(
        f"    {fmt_seconds(step.wall_seconds)} wall, {fmt_seconds(step.cpu_seconds)} CPU, "
        f"peak {fmt_bytes(step.max_rss_bytes)}: {status}",
        flush=True,
    )
    if not step.ok:
        step.note = "failed: " + failure_note(log)
    return step


def failure_note(log: Path) -> str:
    """The first error line of a failed step's log (else its last line), table-safe."""
    try:
        lines = [line.strip() for line in log.read_text(errors="replace").splitlines()]
    except OSError:
        return ""
    lines = [line for line in lines if line]
    found = next((line for line in lines if re.search(r"\berror\b", line, re.I)), None)
    text = found or (lines[-1] if lines else "")
    return text[:200].replace("|", "/")


def export_matches(raw: Path, scale: float, bad_row_share: float) -> bool:
    """True when `raw` already holds the export this size would generate."""
    try:
        config = json.loads((raw / "truth.json").read_text())["config"]
    except (OSError, ValueError, KeyError):
        return False
    wanted = {
        "seed": SEED,
        "days": DAYS + 1,
        "scale": scale,
        "fmt": "parquet",
        "bad_row_share": bad_row_share,
    }
    return all(config.get(k) == v for k, v in wanted.items())


def dir_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def run_size(
    reports: int,
    out: Path,
    env: dict[str, str],
    *,
    memory_limit: str,
    skip_report: bool,
    reuse_data: bool,
    baseline_runs: int,
    bad_row_share: float,
) -> SizeRun:
    """Generate, baseline, build, baseline, check and report one size."""
    label = size_label(reports)
    scale = scale_for(reports)
    work = out / label
    raw, db, logs = work / "raw", work / "warehouse.duckdb", work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    run = SizeRun(label, reports, scale, str(work), load_before=os.getloadavg())
    print(f"\n== {label} reports a year ({DAYS} days, scale {scale}) in {work}", flush=True)
    tm = trustmart_command()

    if reuse_data and export_matches(raw, scale, bad_row_share):
        print("  generate: reusing the export already there (not timed)", flush=True)
        run.steps.append(Step("generate", note="reused, not timed", returncode=0))
    else:
        shutil.rmtree(raw, ignore_errors=True)
        gen = measured(
            "generate",
            [
                tm,
                "generate",
                "--out",
                str(raw),
                "--seed",
                str(SEED),
                "--days",
                str(DAYS + 1),
                "--scale",
                str(scale),
                "--bad-row-share",
                str(bad_row_share),
            ],
            logs,
            env,
        )
        run.steps.append(gen)
        if not gen.ok:
            return run
    held = work / HELD_DAY
    if not any(held.glob("*/*.parquet")):
        day = hold_back_last_day(raw, held)
        print(f"  held back the last day ({day}) as a daily drop in {held}", flush=True)
    run.raw_rows = _row_counts(raw)
    run.raw_bytes = dir_bytes(raw)

    baseline_db = work / "baseline.duckdb"
    baseline_cmd = [
        sys.executable,
        str(BENCH / "baseline.py"),
        "--raw",
        str(raw),
        "--db",
        str(baseline_db),
        "--memory-limit",
        memory_limit,
    ]

    def baseline(n: int) -> None:
        timings = logs / f"baseline-{n}.timings.json"
        step = measured(f"baseline-{n}", [*baseline_cmd, "--timings", str(timings)], logs, env)
        run.steps.append(step)
        if step.ok:
            run.baseline_statements.append(json.loads(timings.read_text()))

    before = max(1, baseline_runs - baseline_runs // 2)
    for n in range(1, before + 1):
        baseline(n)

    for stale in (db, Path(f"{db}.wal")):
        stale.unlink(missing_ok=True)
    build = measured("build", [tm, "build", "--raw", str(raw), "--db", str(db)], logs, env)
    run.steps.append(build)

    for n in range(before + 1, baseline_runs + 1):
        baseline(n)

    if build.ok:
        run.warehouse_bytes = db.stat().st_size
        run.dbt = dbt_timings(db.parent / ".dbt-target" / "run_results.json")
        if baseline_db.exists():
            run.agreement = agreement(baseline_db, db)
        run.steps.append(measured("check", [tm, "check", "--db", str(db)], logs, env))
        if skip_report:
            run.steps.append(Step("report", note="skipped (--skip-report)"))
        else:
            site = work / "site"
            run.steps.append(
                measured("report", [tm, "report", "--db", str(db), "--out", str(site)], logs, env)
            )
    if build.ok:
        delivered = deliver(held, raw)
        print(f"  delivered the held-back day: {len(delivered)} new files", flush=True)
        incremental = measured(
            "incremental", [tm, "build", "--raw", str(raw), "--db", str(db)], logs, env
        )
        log = (logs / "incremental.log").read_text(errors="replace")
        if incremental.ok and "Incremental build" not in log:
            incremental.note = "ran as a full build: " + failure_note(logs / "incremental.log")
        run.steps.append(incremental)
        if incremental.ok:
            run.dbt_incremental = dbt_timings(db.parent / ".dbt-target" / "run_results.json")
    run.load_after = os.getloadavg()
    return run


def _row_counts(raw: Path) -> dict[str, int]:
    """Rows of each table of a Parquet export (from the files' metadata)."""
    with duckdb.connect() as con:
        return {
            table.name: con.execute(
                f"select count(*) from read_parquet('{table}/*.parquet')"
            ).fetchone()[0]
            for table in sorted(raw.iterdir())
            if table.is_dir() and any(table.glob("*.parquet"))
        }
