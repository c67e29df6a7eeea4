"""The benchmark's figures as Markdown: steps, ratios, the issue's targets,
where the build's time went and the baseline cross-check, written between
the bench markers of docs/performance.md."""

from __future__ import annotations

import os
import statistics
from pathlib import Path

from results import SizeRun, Step
from sizes import DAYS, SEED
from units import GIB, fmt_bytes, fmt_load, fmt_seconds

BEGIN_MARK = "<!-- bench:begin (written by bench/run.py; edit outside the markers) -->"
END_MARK = "<!-- bench:end -->"

#: Targets of the issue.
TARGET_RATIO = 1.5
TARGET_INCREMENTAL_SHARE = 0.10
TARGET_PEAK_BYTES = 3 * GIB
#: Account linking's share of the full build (issue 14).
TARGET_LINKING_SHARE = 0.20


def steps_table(runs: list[SizeRun]) -> list[str]:
    lines = [
        "| size | step | wall | CPU (user+sys) | peak RSS | status |",
        "|---|---|---:|---:|---:|---|",
    ]
    for run in runs:
        for step in run.steps:
            status = step.note or (
                "ok" if step.ok else ("-" if step.returncode is None else "failed")
            )
            lines.append(
                f"| {run.label} | {step.name} | {fmt_seconds(step.wall_seconds)} "
                f"| {fmt_seconds(step.cpu_seconds)} "
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
    linking = linking_share(at_10m.dbt) if at_10m else None
    rows.append(
        (
            f"account linking <= {TARGET_LINKING_SHARE:.0%} of the full build at 10M "
            "(issue 14; share of dbt node time)",
            "not measured (10M not run, or no manifest)"
            if linking is None
            else f"{linking:.1%} ({fmt_seconds(at_10m.dbt['linking_seconds'])} of "
            f"{fmt_seconds(at_10m.dbt['node_seconds'])})",
            "-"
            if linking is None
            else ("**met**" if linking <= TARGET_LINKING_SHARE else "**not met**"),
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


def linking_share(dbt: dict) -> float | None:
    """Account linking's share of a build's dbt node time, None when the
    build's timings or its manifest were not read."""
    if not dbt or not dbt.get("linking_nodes") or not dbt.get("node_seconds"):
        return None
    return dbt["linking_seconds"] / dbt["node_seconds"]


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
        "of node time over dbt's 2 threads."
        + (
            f" DuckDB ran out of memory with two nodes at a time, so {dbt['retried_nodes']} "
            "nodes (the failed ones and those after them) ran again on one thread; both runs "
            "are counted."
            if dbt.get("retried_nodes")
            else ""
        ),
        "",
        "| layer | node time | share | nodes |",
        "|---|---:|---:|---:|",
    ]
    for name, seconds, count in dbt["groups"]:
        lines.append(f"| {name} | {fmt_seconds(seconds)} | {seconds / total:.0%} | {count} |")
    share = linking_share(dbt)
    if share is not None:
        lines += [
            "",
            f"Account linking (the models in a `linking` folder, `dim_account_entities` and "
            f"their data tests; {dbt['linking_nodes']} nodes): "
            f"{fmt_seconds(dbt['linking_seconds'])}, {share:.0%} of node time.",
        ]
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
