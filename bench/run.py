"""The trustmart benchmark: one command, figures and ratios of one run.

    .venv/bin/python bench/run.py [--sizes 1M,10M] [--with-100m] [--out DIR]
        [--skip-report] [--reuse-data] [--baseline-runs N] [--docs FILE]

For each size (reports a year, 365 days of events; scale 1.0 is about 1,000
reports a day) it generates a seeded export of 366 days, holds its last day
back as a daily drop (trustmart.generator.drops), and times, each in its own
wrapper process (bench/measure.py: wall time, CPU time and peak RSS from
the OS): generation, a baseline run of bench/baseline.sql (the same weekly
KPIs in one plain DuckDB script), the full `trustmart build`, the baseline
again (the two baseline runs bracket the build, so load from other work on
the machine hits both sides), `trustmart check`, `trustmart report`, and
then, with the held-back day delivered as new files, the incremental
`trustmart build`.
Ratios are taken within the run. It then reads dbt's run_results.json of
the build for the slowest models, checks that the baseline and the
warehouse agree on the overall weekly KPIs, prints a table and writes it,
with the machine, into docs/performance.md (between the bench markers; text
outside them is kept).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

import duckdb

from trustmart.generator.drops import deliver, hold_back_last_day

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DAYS = 365
SEED = 42
GIB = 1024**3
BEGIN_MARK = "<!-- bench:begin (written by bench/run.py; edit outside the markers) -->"
END_MARK = "<!-- bench:end -->"
NOT_IMPLEMENTED = "n/a (not implemented yet)"
HELD_DAY = "day"  # folder beside raw/ holding the last day until it is delivered

#: Targets of the issue.
TARGET_RATIO = 1.5
TARGET_INCREMENTAL_SHARE = 0.10
TARGET_PEAK_BYTES = 3 * GIB


# --------------------------------------------------------------------------
# sizes


def parse_size(text: str) -> int:
    """Reports a year from '1M', '10M', '250k' or a plain number."""
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([kKmM]?)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"cannot read size {text!r} (e.g. 1M, 10M, 250k)")
    factor = {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]
    return int(float(match.group(1)) * factor)


def size_label(reports: int) -> str:
    if reports >= 1_000_000 and reports % 100_000 == 0:
        return f"{reports / 1_000_000:g}M"
    if reports >= 1_000 and reports % 100 == 0:
        return f"{reports / 1_000:g}k"
    return str(reports)


def scale_for(reports_per_year: int, days: int = DAYS) -> float:
    """Generator scale giving about `reports_per_year` reports in a year."""
    return round(reports_per_year / days / 1_000, 2)


# --------------------------------------------------------------------------
# steps


@dataclass
class Step:
    """One measured step: wall and CPU seconds, peak RSS of its largest process."""

    name: str
    wall_seconds: float | None = None
    cpu_seconds: float | None = None
    max_rss_bytes: int | None = None
    returncode: int | None = None
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.returncode == 0


@dataclass
class SizeRun:
    """Everything measured for one size."""

    label: str
    reports_per_year: int
    scale: float
    work: str
    raw_rows: dict[str, int] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    baseline_statements: list[list] = field(default_factory=list)
    dbt: dict = field(default_factory=dict)
    dbt_incremental: dict = field(default_factory=dict)
    agreement: list[dict] = field(default_factory=list)
    load_before: tuple[float, float, float] | None = None
    load_after: tuple[float, float, float] | None = None
    warehouse_bytes: int | None = None
    raw_bytes: int | None = None

    @classmethod
    def from_dict(cls, data: dict) -> SizeRun:
        """A SizeRun from its results.json form."""
        fields = dict(data)
        fields["steps"] = [Step(**step) for step in fields.get("steps", [])]
        for key in ("load_before", "load_after"):
            if fields.get(key) is not None:
                fields[key] = tuple(fields[key])
        return cls(**fields)

    def step(self, name: str) -> Step | None:
        return next((s for s in self.steps if s.name == name), None)

    def baseline(self) -> tuple[float, float] | None:
        """Mean wall and CPU seconds of the successful baseline runs."""
        runs = [s for s in self.steps if s.name.startswith("baseline") and s.ok]
        if not runs:
            return None
        return (
            statistics.fmean(s.wall_seconds or 0 for s in runs),
            statistics.fmean(s.cpu_seconds or 0 for s in runs),
        )

    def ratios(self) -> tuple[float, float] | None:
        """Full build / baseline, wall and CPU."""
        build, base = self.step("build"), self.baseline()
        if build is None or not build.ok or base is None:
            return None
        return (build.wall_seconds or 0) / base[0], (build.cpu_seconds or 0) / base[1]

    def incremental_share(self) -> float | None:
        """Incremental daily build / full build, wall."""
        build, incremental = self.step("build"), self.step("incremental")
        if build is None or incremental is None or not (build.ok and incremental.ok):
            return None
        if incremental.note:  # ran, but not as an incremental build
            return None
        return (incremental.wall_seconds or 0) / (build.wall_seconds or 1)


def cli() -> str:
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


def snapshot(revision: str, out: Path) -> tuple[Path, str]:
    """Export `revision` of the repository (git archive) into `out`, with the
    report's npm packages linked; returns (project folder, commit). Builds of
    a snapshot are immune to edits others make in the working tree."""
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{revision}^{{commit}}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    dest = out / f"project-{commit[:12]}"
    if not dest.is_dir():
        partial = dest.with_name(dest.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "archive", "--format=tar", commit], cwd=ROOT, check=True, capture_output=True
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(partial, filter="data")
        modules = ROOT / "reports" / "node_modules"
        if modules.is_dir():
            (partial / "reports" / "node_modules").symlink_to(modules, target_is_directory=True)
        partial.rename(dest)
    return dest, commit


def working_tree_state() -> str:
    """The commit of the working tree, and whether it has local changes."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "working tree (not a git checkout)"
    return f"working tree at {commit[:12]}" + (" with uncommitted changes" if dirty else "")


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
    tm = cli()

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


# --------------------------------------------------------------------------
# dbt's timings and the baseline cross-check

#: Models after the KPI family marts: published tables and quality marts.
_PUBLISHED = {
    "kpi_weekly",
    "kpi_daily",
    "metric_definitions",
    "fct_quarantined_rows",
    "fct_raw_reconciliation",
    "kpi_alerts",
}


def node_group(unique_id: str) -> str:
    """The layer a dbt node belongs to, for the time split."""
    kind, _, rest = unique_id.partition(".")
    name = rest.split(".")[1] if "." in rest else rest
    name = re.sub(r"_v\d+$", "", name)
    if kind != "model":
        return {
            "test": "data tests",
            "unit_test": "unit tests",
            "seed": "seeds",
            "operation": "on-run-start (landing raw views)",
        }.get(kind, kind)
    if name.startswith("base_raw__"):
        return "base models (type, check, fate of every raw row)"
    if name.startswith("stg_raw__"):
        return "staging views"
    if name.startswith("int_"):
        return "intermediate"
    if name in _PUBLISHED:
        return "published and quality marts"
    return "KPI family marts"


def model_name(unique_id: str) -> str:
    """`model.trustmart.kpi_weekly.v1` -> `kpi_weekly.v1`."""
    return ".".join(unique_id.split(".")[2:])


def dbt_timings(run_results: Path) -> dict:
    """Total, per-layer and slowest-node times from dbt's run_results.json."""
    try:
        data = json.loads(run_results.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    nodes = [
        (r["unique_id"], float(r.get("execution_time") or 0.0)) for r in data.get("results", [])
    ]
    groups: dict[str, list[float]] = {}
    for unique_id, seconds in nodes:
        groups.setdefault(node_group(unique_id), []).append(seconds)
    models = sorted(
        ((model_name(uid), s) for uid, s in nodes if uid.startswith("model.")),
        key=lambda item: -item[1],
    )
    return {
        "elapsed_seconds": float(data.get("elapsed_time") or 0.0),
        "node_seconds": sum(s for _, s in nodes),
        "nodes": len(nodes),
        "groups": sorted(
            ([name, sum(v), len(v)] for name, v in groups.items()), key=lambda g: -g[1]
        ),
        "slowest_models": [[name, s] for name, s in models[:12]],
    }


def agreement(baseline_db: Path, warehouse: Path) -> list[dict]:
    """Per metric: published rows (every week, dimension and value) of the
    warehouse and of the baseline, and how many are equal (relative
    difference under 1e-9, or both null). The daily backlog counts too."""
    sql = """
        with
        wh_rows as (
            select metric_id, week_start as period, dimension, dimension_value, value
            from wh.marts.kpi_weekly where metric_version = 1
            union all
            select metric_id, day, dimension, dimension_value, numerator
            from wh.marts.kpi_daily where metric_version = 1
        ),
        bl_rows as (
            select metric_id, week_start as period, dimension, dimension_value, value
            from bl.kpi_weekly
            union all
            select 'backlog_open_items', day, dimension, dimension_value, open_items
            from bl.backlog_daily
            union all
            select 'backlog_over_target', day, dimension, dimension_value, over_target_items
            from bl.backlog_daily
        )
        select
            metric_id,
            count(w.period) as warehouse_rows,
            count(b.period) as baseline_rows,
            count(*) filter (
                where w.period is not null and b.period is not null
                and (
                    (b.value is null and w.value is null)
                    or abs(b.value - w.value) <= 1e-9 * greatest(abs(w.value), 1)
                )
            ) as equal_rows,
            max(abs(b.value - w.value) / nullif(abs(w.value), 0)) as max_relative_difference,
            max(abs(b.value - w.value) / nullif(abs(w.value), 0))
                filter (where dimension = 'overall') as max_relative_difference_overall
        from wh_rows as w
        full join bl_rows as b using (metric_id, period, dimension, dimension_value)
        group by metric_id
        order by metric_id
    """
    try:
        with duckdb.connect() as con:
            con.execute(f"attach '{baseline_db}' as bl (read_only)")
            con.execute(f"attach '{warehouse}' as wh (read_only)")
            rows = con.execute(sql).fetchall()
    except duckdb.Error as error:
        print(f"  (could not compare baseline and warehouse: {error})")
        return []
    keys = (
        "metric_id",
        "warehouse_rows",
        "baseline_rows",
        "equal_rows",
        "max_relative_difference",
        "max_relative_difference_overall",
    )
    return [dict(zip(keys, row, strict=True)) for row in rows]


# --------------------------------------------------------------------------
# machine and formatting


def machine() -> dict[str, str]:
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kib = 0
    with open("/proc/meminfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    versions = []
    for package in ("duckdb", "dbt-core", "dbt-duckdb"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions.append(f"{package} {metadata.version(package)}")
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(os.cpu_count()),
        "memory": f"{mem_kib * 1024 / GIB:.1f} GiB",
        "cpu": cpu,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "versions": ", ".join(versions),
    }


def fmt_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)} min {rest:04.1f} s"


def fmt_bytes(n: int | None) -> str:
    if n is None:
        return "-"
    if n >= GIB:
        return f"{n / GIB:.2f} GiB"
    return f"{n / 1024**2:.0f} MiB"


def fmt_load(load: tuple[float, float, float] | None) -> str:
    return "-" if load is None else " / ".join(f"{x:.1f}" for x in load)


def steps_table(runs: list[SizeRun]) -> list[str]:
    lines = [
        "| size | step | wall | CPU (user+sys) | peak RSS | status |",
        "|---|---|---:|---:|---:|---|",
    ]
    for run in runs:
        for step in run.steps:
            wall = (
                NOT_IMPLEMENTED if step.note == NOT_IMPLEMENTED else fmt_seconds(step.wall_seconds)
            )
            status = (
                step.note
                if step.note and step.note != NOT_IMPLEMENTED
                else ("ok" if step.ok else ("-" if step.returncode is None else "failed"))
            )
            lines.append(
                f"| {run.label} | {step.name} | {wall} | {fmt_seconds(step.cpu_seconds)} "
                f"| {fmt_bytes(step.max_rss_bytes)} | {status} |"
            )
    return lines


def ratios_table(runs: list[SizeRun]) -> list[str]:
    lines = [
        "| size | raw rows | reports | full build | baseline (mean) | build / baseline, wall "
        "| build / baseline, CPU | incremental / full | load avg before / after |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for run in runs:
        build, base, ratios = run.step("build"), run.baseline(), run.ratios()
        share = run.incremental_share()
        lines.append(
            f"| {run.label} | {sum(run.raw_rows.values()):,} | {run.raw_rows.get('reports', 0):,} "
            f"| {fmt_seconds(build.wall_seconds if build else None)} "
            f"| {fmt_seconds(base[0] if base else None)} "
            f"| {f'{ratios[0]:.2f}x' if ratios else '-'} "
            f"| {f'{ratios[1]:.2f}x' if ratios else '-'} "
            f"| {'-' if share is None else f'{share:.1%}'} "
            f"| {fmt_load(run.load_before)} -> {fmt_load(run.load_after)} |"
        )
    return lines


def targets(runs: list[SizeRun], with_100m: bool) -> list[str]:
    """The issue's targets: what was measured and whether each is met."""
    rows: list[tuple[str, str, str]] = []
    at_10m = next((r for r in runs if r.reports_per_year == 10_000_000), None)
    ratio = at_10m.ratios() if at_10m else None
    rows.append(
        (
            f"full build <= {TARGET_RATIO}x baseline at 10M",
            "not measured (10M not run or failed)"
            if ratio is None
            else f"{ratio[0]:.2f}x wall ({ratio[1]:.2f}x CPU)",
            "-" if ratio is None else ("**met**" if ratio[0] <= TARGET_RATIO else "**not met**"),
        )
    )
    share = at_10m.incremental_share() if at_10m else None
    rows.append(
        (
            f"incremental daily build <= {TARGET_INCREMENTAL_SHARE:.0%} of full at 10M",
            "not measured (10M not run or failed)" if share is None else f"{share:.1%}",
            "-"
            if share is None
            else ("**met**" if share <= TARGET_INCREMENTAL_SHARE else "**not met**"),
        )
    )
    peaks = [
        (run.label, step.name, step.max_rss_bytes or 0)
        for run in runs
        for step in run.steps
        if step.max_rss_bytes is not None and not step.name.startswith("baseline")
    ]
    build_peaks = [p for p in peaks if p[1] == "build"]
    if build_peaks:
        worst = max(build_peaks, key=lambda p: p[2])
        over = [
            f"{label} {name} {fmt_bytes(b)}" for label, name, b in peaks if b >= TARGET_PEAK_BYTES
        ]
        rows.append(
            (
                f"peak memory < {fmt_bytes(TARGET_PEAK_BYTES)} (each step but the baseline)",
                f"largest build peak {fmt_bytes(worst[2])} ({worst[0]}); largest of any step "
                f"{fmt_bytes(max(p[2] for p in peaks))}",
                "**met**" if not over else "**not met**: " + ", ".join(over),
            )
        )
    else:
        rows.append(("peak memory < 3 GiB", "not measured", "-"))
    big = next((r for r in runs if r.reports_per_year >= 100_000_000), None)
    if big is None:
        hundred = ("not run (`--with-100m`)", "not tested")
    else:
        build = big.step("build")
        ok = build is not None and build.ok
        hundred = (
            f"build {fmt_seconds(build.wall_seconds if build else None)}",
            "**met**" if ok else "**not met** (build failed)",
        )
    rows.append(("100M completes", *hundred))
    lines = ["| target (issue) | measured | verdict |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return lines


def dbt_section(runs: list[SizeRun]) -> list[str]:
    lines: list[str] = []
    for run in runs:
        for kind, step_name, dbt in (
            ("full build", "build", run.dbt),
            ("incremental build", "incremental", run.dbt_incremental),
        ):
            if dbt:
                lines += _dbt_layers(run.label, kind, run.step(step_name), dbt)
        if run.baseline_statements:
            slow = sorted(
                (
                    (label, statistics.fmean(t[i][1] for t in run.baseline_statements))
                    for i, (label, _) in enumerate(run.baseline_statements[0])
                ),
                key=lambda item: -item[1],
            )[:8]
            lines += ["", "| slowest baseline statements (mean) | time |", "|---|---:|"]
            lines += [f"| `{label}` | {fmt_seconds(seconds)} |" for label, seconds in slow]
    return lines


def _dbt_layers(label: str, kind: str, step: Step | None, dbt: dict) -> list[str]:
    """Where one build's time went: layers and slowest models."""
    elapsed = dbt["elapsed_seconds"]
    total = dbt["node_seconds"] or 1.0
    lines = [
        "",
        f"**{label}, {kind}**: dbt's run took {fmt_seconds(elapsed)} of the build's "
        f"{fmt_seconds(step.wall_seconds if step else None)} wall (the rest: dbt start-up "
        "and parsing, copying the published file for an incremental build, build history, "
        f"checkpoint, summary); {dbt['nodes']} nodes, {fmt_seconds(dbt['node_seconds'])} "
        "of node time over dbt's 2 threads.",
        "",
        "| layer | node time | share | nodes |",
        "|---|---:|---:|---:|",
    ]
    for name, seconds, count in dbt["groups"]:
        lines.append(f"| {name} | {fmt_seconds(seconds)} | {seconds / total:.0%} | {count} |")
    lines += ["", "| slowest models | time |", "|---|---:|"]
    for name, seconds in dbt["slowest_models"]:
        lines.append(f"| `{name}` | {fmt_seconds(seconds)} |")
    return lines


def agreement_section(runs: list[SizeRun]) -> list[str]:
    lines: list[str] = []
    for run in runs:
        if not run.agreement:
            continue
        published = sum(a["warehouse_rows"] for a in run.agreement)
        equal = sum(a["equal_rows"] for a in run.agreement)
        lines += [
            "",
            f"**{run.label}**: {equal:,} of {published:,} published rows equal "
            f"({equal / max(published, 1):.1%}).",
            "",
            "| metric | rows equal | largest relative difference, overall rows | all rows |",
            "|---|---:|---:|---:|",
        ]
        for a in run.agreement:
            overall = a.get("max_relative_difference_overall")
            every = a.get("max_relative_difference")
            lines.append(
                f"| {a['metric_id']} | {a['equal_rows']:,} / {a['warehouse_rows']:,} "
                f"| {'-' if overall is None else f'{overall:.2%}'} "
                f"| {'-' if every is None else f'{every:.2%}'} |"
            )
    return lines


def report(
    runs: list[SizeRun], info: dict[str, str], with_100m: bool, bad_row_share: float
) -> list[str]:
    lines = [
        f"Run of {info['date']} on {info['nproc']} cores ({info['cpu']}), {info['memory']} RAM, "
        f"{info['os']}, Python {info['python']}, {info['versions']}; "
        f"memory_limit {os.environ.get('TRUSTMART_MEMORY_LIMIT', '2GB')}; "
        f"code: {info['project']}. "
        f"{DAYS} days of events for the full build, then day {DAYS + 1} delivered as new "
        f"files for the incremental build; seed {SEED}, Parquet, {bad_row_share:.0%} bad rows.",
        "",
        "### Steps",
        "",
        *steps_table(runs),
        "",
        "### Ratios",
        "",
        *ratios_table(runs),
        "",
        "### Targets",
        "",
        *targets(runs, with_100m),
        "",
        "### Where the build's time goes (dbt run_results.json)",
        *dbt_section(runs),
        "",
        "### Baseline cross-check",
        "",
        "Every row of `marts.kpi_weekly` and `marts.kpi_daily` (v1) against the baseline's, "
        "by metric, week or day, dimension and value (rows that differ come from the bad rows "
        "the baseline does not quarantine, and from the weeks and days it has no row for):",
        *agreement_section(runs),
    ]
    return lines


def write_docs(path: Path, block: list[str]) -> None:
    """Replace the bench block of `path` (create the file when missing)."""
    body = "\n".join([BEGIN_MARK, "", *block, "", END_MARK])
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN_MARK in text and END_MARK in text:
        head, rest = text.split(BEGIN_MARK, 1)
        tail = rest.split(END_MARK, 1)[1]
        text = head + body + tail
    else:
        text = (text or "# Performance\n") + "\n" + body + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark generate, build, check and report against a plain-SQL baseline."
    )
    parser.add_argument(
        "--sizes",
        default="1M,10M",
        help="Comma-separated reports a year, e.g. 1M,10M or 250k (default 1M,10M).",
    )
    parser.add_argument("--with-100m", action="store_true", help="Also run 100M (~30 GB disk).")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "data" / "bench", help="Work folder (data/bench)."
    )
    parser.add_argument("--skip-report", action="store_true", help="Do not time the report.")
    parser.add_argument(
        "--reuse-data", action="store_true", help="Reuse an export already in --out (untimed)."
    )
    parser.add_argument(
        "--baseline-runs", type=int, default=2, help="Baseline runs bracketing the build (2)."
    )
    parser.add_argument(
        "--bad-row-share",
        type=float,
        default=0.01,
        help="Share of bad rows the generator adds per table (0.01, its default).",
    )
    parser.add_argument(
        "--snapshot",
        metavar="REV",
        help="Benchmark git revision REV (e.g. HEAD), exported to --out, instead of the "
        "working tree: others' uncommitted edits then cannot change or break the run.",
    )
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="Do not run anything: rewrite --docs from --out/results.json of an earlier run "
        "(re-comparing baseline and warehouse when both databases are still there).",
    )
    parser.add_argument(
        "--project",
        type=Path,
        metavar="DIR",
        help="Benchmark the trustmart checkout in DIR (its dbt project and src/) instead of "
        "the working tree.",
    )
    parser.add_argument(
        "--docs",
        type=Path,
        default=ROOT / "docs" / "performance.md",
        help="Markdown file to write the figures into (docs/performance.md).",
    )
    args = parser.parse_args(argv)

    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    if args.with_100m and 100_000_000 not in sizes:
        sizes.append(100_000_000)
    memory_limit = os.environ.get("TRUSTMART_MEMORY_LIMIT", "2GB")
    env = dict(os.environ, DO_NOT_TRACK="1", TRUSTMART_MEMORY_LIMIT=memory_limit)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    if args.render_only:
        saved = json.loads((out / "results.json").read_text(encoding="utf-8"))
        runs = [SizeRun.from_dict(r) for r in saved["runs"]]
        for run in runs:
            base, wh = Path(run.work) / "baseline.duckdb", Path(run.work) / "warehouse.duckdb"
            if base.exists() and wh.exists() and run.step("build") and run.step("build").ok:
                run.agreement = agreement(base, wh)
        block = report(runs, saved["machine"], args.with_100m, saved.get("bad_row_share", 0.01))
        print("\n".join(block))
        write_docs(args.docs, block)
        print(f"\nWritten to {args.docs}")
        return 0

    info = machine()
    if args.snapshot and args.project:
        parser.error("--snapshot and --project exclude each other")
    if args.project:
        project = args.project.resolve()
        env["TRUSTMART_PROJECT_DIR"] = str(project)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(project / "src"), env.get("PYTHONPATH", "")) if p
        )
        info["project"] = f"checkout in {project}"
    elif args.snapshot:
        project, commit = snapshot(args.snapshot, out)
        env["TRUSTMART_PROJECT_DIR"] = str(project)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(project / "src"), env.get("PYTHONPATH", "")) if p
        )
        info["project"] = f"snapshot of commit {commit[:12]} ({args.snapshot})"
    else:
        info["project"] = working_tree_state()
    print(f"Machine: {info}", flush=True)

    runs: list[SizeRun] = []
    for reports in sizes:
        runs.append(
            run_size(
                reports,
                out,
                env,
                memory_limit=memory_limit,
                skip_report=args.skip_report,
                reuse_data=args.reuse_data,
                baseline_runs=max(1, args.baseline_runs),
                bad_row_share=args.bad_row_share,
            )
        )
        (out / "results.json").write_text(
            json.dumps(
                {
                    "machine": info,
                    "bad_row_share": args.bad_row_share,
                    "runs": [asdict(r) for r in runs],
                },
                indent=2,
                default=str,
            ),
            encoding="utf-8",
        )

    block = report(runs, info, args.with_100m, args.bad_row_share)
    print("\n" + "\n".join(block))
    write_docs(args.docs, block)
    print(f"\nWritten to {args.docs}; raw figures in {out / 'results.json'}")
    failed = [f"{r.label} {s.name}" for r in runs for s in r.steps if s.returncode not in (0, None)]
    if failed:
        print("Failed steps: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
