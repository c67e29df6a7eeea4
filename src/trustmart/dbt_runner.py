"""Run dbt as a subprocess (the programmatic runner keeps DuckDB locks open),
showing progress from its log lines and keeping the whole log on disk."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from trustmart.settings import project_dir, tool_env

_PROGRESS = re.compile(r"\b(\d+) of (\d+) (START|OK|PASS|ERROR|FAIL|WARN|SKIP|NO-OP)\b")
_SUMMARY_START = ("Completed with", "Encountered an error", "Database Error", "Runtime Error")


@dataclass(frozen=True)
class DbtResult:
    """What one dbt call did: its exit code, its log and an error digest."""

    returncode: int
    log_path: Path
    error_digest: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def dbt_executable() -> str:
    """The dbt next to this Python, so the project's pinned dbt is used."""
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def run_dbt(
    args: Sequence[str],
    *,
    env: dict[str, str],
    log_path: Path,
    on_progress: Callable[[int, int, str], None] | None = None,
    project: Path | None = None,
) -> DbtResult:
    """Run `dbt <args>` in the project (default: this repository) with `env`
    added to a quiet environment.

    on_progress(done, total, line) is called for every finished node.
    """
    root = project or project_dir()
    command = [
        dbt_executable(),
        "--no-use-colors",
        *args,
        "--project-dir",
        str(root),
        "--profiles-dir",
        str(root / "profiles"),
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []
    with (
        log_path.open("w", encoding="utf-8") as log,
        subprocess.Popen(
            command,
            cwd=root,
            env=tool_env(**env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        ) as process,
    ):
        assert process.stdout is not None
        for line in process.stdout:
            log.write(line)
            lines.append(line.rstrip("\n"))
            match = _PROGRESS.search(line)
            if match and match.group(3) != "START" and on_progress:
                on_progress(int(match.group(1)), int(match.group(2)), line.strip())
        returncode = process.wait()
    digest = "" if returncode == 0 else error_digest(lines)
    return DbtResult(returncode, log_path, digest)


def error_digest(lines: list[str], limit: int = 40) -> str:
    """The part of a dbt log that says what failed, without timestamps."""
    start = next(
        (i for i, line in enumerate(lines) if any(key in line for key in _SUMMARY_START)),
        max(len(lines) - limit, 0),
    )
    kept: list[str] = []
    for line in lines[start:]:
        text = re.sub(r"^\S*\d\d:\d\d:\d\d\s+", "", line).rstrip()
        if text and not text.startswith("Done. PASS="):
            kept.append(text)
    return "\n".join(kept[:limit])
