"""What a benchmark run measured (steps of each size) and its results.json."""

from __future__ import annotations

import json
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path


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


@dataclass
class Results:
    """One benchmark run: the machine and code it ran on, and every size."""

    machine: dict[str, str]
    bad_row_share: float
    runs: list[SizeRun]

    def save(self, path: Path) -> None:
        data = {"machine": self.machine, "bad_row_share": self.bad_row_share}
        data["runs"] = [asdict(r) for r in self.runs]
        path.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Results:
        saved = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            machine=saved["machine"],
            bad_row_share=saved.get("bad_row_share", 0.01),
            runs=[SizeRun.from_dict(r) for r in saved["runs"]],
        )
