"""Whether a build may be incremental, and the state it records for the next.

An incremental build starts from a copy of the published warehouse and
loads only the raw files it has not loaded yet (the base models are dbt
incremental models). That is only equal to a full build when nothing the
published warehouse was built from has changed since: the same raw export
folder, every file it loaded still there with the same size and
modification time, and the same project code (models, macros, seeds,
dbt_project.yml) and the same platform config. `plan_build` checks exactly
that and says why when a full build is needed; `record_raw_files` (with
`marts.build_info`, written by trustmart.quality.history) keeps what the
next build compares against. On Spark the same two tables live in Spark's
`marts` database and `plan_from_record` reads them there (there is no
file copy: the base models' tables are updated in place).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from trustmart.warehouse import Warehouse, WarehouseError, open_duckdb

#: Project folders and files whose content decides what a build computes.
_CODE_PATHS = ("dbt_project.yml", "models", "macros", "seeds")
_RAW_FILES = "marts.build_raw_files"
#: Rows per insert statement when recording the raw files.
_INSERT_BATCH = 500


@dataclass(frozen=True)
class RawFile:
    """One data file of a raw export."""

    path: str
    size_bytes: int
    modified_ns: int


@dataclass(frozen=True)
class BuildPlan:
    """Full or incremental, and why."""

    incremental: bool
    reason: str


def data_files(raw: Path) -> list[Path]:
    """The data files of an export, `<raw>/<table>/<file>` (skipping names
    starting with `.` or `_`), sorted, as the landing macro
    `raw_file_listing` lists them."""
    return [
        path
        for path in sorted(raw.resolve().glob("*/*"))
        if path.is_file() and not path.name.startswith((".", "_"))
    ]


def raw_files(raw: Path) -> list[RawFile]:
    """The non-empty data files of an export, with size and mtime: what a
    build loaded, for the next build to compare against."""
    files = []
    for path in data_files(raw):
        stat = path.stat()
        if stat.st_size > 0:
            files.append(RawFile(str(path), stat.st_size, stat.st_mtime_ns))
    return files


def code_fingerprint(project: Path) -> str:
    """sha256 over the project files that decide what a build computes."""
    digest = hashlib.sha256()
    for name in _CODE_PATHS:
        root = project / name
        paths = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in paths:
            if path.is_file():
                digest.update(str(path.relative_to(project)).encode())
                digest.update(b"\0")
                digest.update(path.read_bytes())
                digest.update(b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class BuildInputs:
    """What decides a build's result besides the raw rows: the project
    code's fingerprint, the platform config's, and the export's files."""

    code_fingerprint: str
    config_fingerprint: str
    files: list[RawFile]


#: The plan when `--full-refresh` is asked for, on either engine.
FULL_REFRESH = BuildPlan(False, "full refresh asked for (--full-refresh)")


def plan_build(published: Path, raw: Path, inputs: BuildInputs, *, full_refresh: bool) -> BuildPlan:
    """Decide between a full and an incremental build of `raw` over the
    warehouse published at `published`."""
    if full_refresh:
        return FULL_REFRESH
    if not published.is_file():
        return BuildPlan(False, "no published warehouse yet")
    try:
        with open_duckdb(published) as con:
            return plan_from_record(con, raw, inputs)
    except WarehouseError as error:
        return BuildPlan(False, f"the published warehouse cannot be read ({error})")


def plan_from_record(con: Warehouse, raw: Path, inputs: BuildInputs) -> BuildPlan:
    """Full or incremental, from what the last build recorded in `con`
    (marts.build_info and marts.build_raw_files, on either engine)."""
    recorded = _recorded_state(con)
    if recorded is None:
        return BuildPlan(False, "the warehouse has no record of the raw files it was built from")
    raw_dir, fingerprint, config_fingerprint, loaded = recorded
    if raw_dir != str(raw.resolve()):
        return BuildPlan(False, f"the raw export folder changed (was {raw_dir})")
    if fingerprint != inputs.code_fingerprint:
        return BuildPlan(False, "the project's models, macros or seeds changed")
    if config_fingerprint != inputs.config_fingerprint:
        return BuildPlan(False, "the platform config (vocabulary, targets or thresholds) changed")
    current = {f.path: f for f in inputs.files}
    changed = [f.path for f in loaded if current.get(f.path) != f]
    if changed:
        return BuildPlan(
            False,
            f"{len(changed)} raw file(s) loaded before changed or disappeared "
            f"(e.g. {Path(changed[0]).parent.name}/{Path(changed[0]).name})",
        )
    new = len(current) - len(loaded)
    return BuildPlan(True, f"{new} new raw file(s) since the last build")


def _recorded_state(
    con: Warehouse,
) -> tuple[str, str, str | None, list[RawFile]] | None:
    if not {"build_info", "build_raw_files"} <= con.tables():
        return None
    columns = con.columns("build_info")
    if not {"code_fingerprint", "config_fingerprint"} <= columns:
        return None
    info = con.one(
        "select raw_dir, code_fingerprint, config_fingerprint from marts.build_info "
        "order by built_at desc limit 1"
    )
    if info is None or info[1] is None:
        return None
    loaded = [
        RawFile(path, size, modified)
        for path, size, modified in con.query(
            f"select file_path, size_bytes, modified_ns from {_RAW_FILES} order by file_path"
        )
    ]
    return info[0], info[1], info[2], loaded


def record_raw_files(con: Warehouse, files: list[RawFile]) -> None:
    """Replace marts.build_raw_files with the files this build loaded (plain
    DDL and multi-row inserts, which DuckDB and Spark both take)."""
    forget_raw_files(con)
    con.execute(
        f"create table {_RAW_FILES} (file_path string, size_bytes bigint, modified_ns bigint)"
    )
    for start in range(0, len(files), _INSERT_BATCH):
        batch = files[start : start + _INSERT_BATCH]
        con.execute(
            f"insert into {_RAW_FILES} values " + ", ".join(["(?, ?, ?)"] * len(batch)),
            [value for f in batch for value in (f.path, f.size_bytes, f.modified_ns)],
        )


def forget_raw_files(con: Warehouse) -> None:
    """Drop marts.build_raw_files, so that the next build is full (a Spark
    build does this before it starts: one that fails part-way leaves no
    record to continue from)."""
    con.execute(f"drop table if exists {_RAW_FILES}")
