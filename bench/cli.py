"""The benchmark's command line (bench/run.py): run the sizes and write
their figures, or (--render-only) rewrite the figures of an earlier run."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from agreement import agreement
from layout import ROOT
from provenance import machine, snapshot, working_tree_state
from report import report, write_docs
from results import Results, SizeRun
from sizes import parse_size
from steps import run_size


def parser() -> argparse.ArgumentParser:
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
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = parser()
    args = arguments.parse_args(argv)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    if args.render_only:
        return render(out, args.docs, args.with_100m)
    if args.snapshot and args.project:
        arguments.error("--snapshot and --project exclude each other")
    return run(args, out)


def render(out: Path, docs: Path, with_100m: bool) -> int:
    """Rewrite `docs` from out/results.json of an earlier run."""
    saved = Results.load(out / "results.json")
    for run in saved.runs:
        base, wh = Path(run.work) / "baseline.duckdb", Path(run.work) / "warehouse.duckdb"
        build = run.step("build")
        if base.exists() and wh.exists() and build and build.ok:
            run.agreement = agreement(base, wh)
    block = report(saved.runs, saved.machine, with_100m, saved.bad_row_share)
    print("\n".join(block))
    write_docs(docs, block)
    print(f"\nWritten to {docs}")
    return 0


def run(args: argparse.Namespace, out: Path) -> int:
    """Run every size, saving out/results.json after each, then write the figures."""
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    if args.with_100m and 100_000_000 not in sizes:
        sizes.append(100_000_000)
    memory_limit = os.environ.get("TRUSTMART_MEMORY_LIMIT", "2GB")
    env = dict(os.environ, DO_NOT_TRACK="1", TRUSTMART_MEMORY_LIMIT=memory_limit)
    info = machine()
    project: Path | None = None
    if args.project:
        project = args.project.resolve()
        info["project"] = f"checkout in {project}"
    elif args.snapshot:
        project, commit = snapshot(args.snapshot, out)
        info["project"] = f"snapshot of commit {commit[:12]} ({args.snapshot})"
    else:
        info["project"] = working_tree_state()
    if project is not None:
        env["TRUSTMART_PROJECT_DIR"] = str(project)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(project / "src"), env.get("PYTHONPATH", "")) if p
        )
    print(f"Machine: {info}", flush=True)

    results = Results(machine=info, bad_row_share=args.bad_row_share, runs=[])
    for reports in sizes:
        size: SizeRun = run_size(
            reports,
            out,
            env,
            memory_limit=memory_limit,
            skip_report=args.skip_report,
            reuse_data=args.reuse_data,
            baseline_runs=max(1, args.baseline_runs),
            bad_row_share=args.bad_row_share,
        )
        results.runs.append(size)
        results.save(out / "results.json")

    block = report(results.runs, info, args.with_100m, args.bad_row_share)
    print("\n" + "\n".join(block))
    write_docs(args.docs, block)
    print(f"\nWritten to {args.docs}; raw figures in {out / 'results.json'}")
    failed = [
        f"{r.label} {s.name}"
        for r in results.runs
        for s in r.steps
        if s.returncode not in (0, None)
    ]
    if failed:
        print("Failed steps: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0
