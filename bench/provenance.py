"""What a benchmark ran on: the code (the working tree, a checkout, or a
snapshot of a commit) and the machine."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import platform
import shutil
import subprocess
import tarfile
from importlib import metadata
from pathlib import Path

from layout import ROOT
from units import GIB


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
