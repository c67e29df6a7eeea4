"""Write an importer's output in the raw contract layout.

`<out>/<table>/<source>.parquet` for each table the source fills (contract
columns first, then the source's extra columns, all text), and a
header-only `<out>/<table>/<source>.csv` for every other required table, so
that the build finds every required table (a header-only CSV loads as 0 rows).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from trustmart.contract import TABLES
from trustmart.errors import TrustmartError

#: The tables the raw landing requires (raw-contract.md).
REQUIRED_TABLES: tuple[str, ...] = tuple(name for name, t in TABLES.items() if not t.optional)

#: Bookkeeping columns of the landing and staging: no extra column may use them.
RESERVED_COLUMNS = frozenset(
    {"_source_file", "_source_row", "row_status", "quarantine_reason", "quarantine_detail"}
    | {"raw_row", "_raw_row_id"}
)


def data_file(out: Path, table: str, source: str) -> Path:
    """Where `source` writes the rows of `table`."""
    return out / table / f"{source}.parquet"


def prepare_out_dir(out: Path, source: str) -> None:
    """Make `out` ready for `source`: refuse a folder that holds another
    export's table files (they would be loaded together), and remove this
    source's files of an earlier run (so a rerun never leaves stale rows)."""
    ours = {f"{source}.parquet", f"{source}.csv"}
    foreign: list[Path] = []
    for name in TABLES:
        folder = out / name
        if not folder.is_dir():
            continue
        for file in sorted(folder.iterdir()):
            if file.name in ours:
                continue
            if file.is_file() and not file.name.startswith((".", "_")):
                foreign.append(file)
    if foreign:
        listed = ", ".join(str(f) for f in foreign[:5])
        raise TrustmartError(
            f"{out} already holds files of another export ({listed}"
            + (", ..." if len(foreign) > 5 else "")
            + "); an import there would be loaded together with them.",
            "Import into an empty folder (--out), or move those files away.",
        )
    for name in TABLES:
        for file_name in ours:
            (out / name / file_name).unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)


def check_extra_columns(table: str, extras: Sequence[str]) -> None:
    """Extra columns must not shadow contract or bookkeeping columns."""
    clash = sorted(
        set(extras) & (set(TABLES[table].columns) | RESERVED_COLUMNS)
        | {c for c in extras if c.lower() != c}
    )
    if clash:
        raise TrustmartError(
            f"Extra column(s) {', '.join(clash)} of raw table '{table}' clash with contract "
            "or bookkeeping columns, or are not lower case.",
            "Rename them in the importer before writing.",
        )


def write_rows(
    out: Path,
    table: str,
    source: str,
    rows: Iterable[Mapping[str, str | None]],
    extras: Sequence[str] = (),
) -> int:
    """Write `rows` (dicts of text) to `<out>/<table>/<source>.parquet`;
    returns the number of rows written."""
    check_extra_columns(table, extras)
    columns = [*TABLES[table].columns, *extras]
    data: dict[str, list[str | None]] = {c: [] for c in columns}
    count = 0
    for row in rows:
        for column in columns:
            data[column].append(row.get(column))
        count += 1
    arrays = {c: pa.array(values, type=pa.string()) for c, values in data.items()}
    path = data_file(out, table, source)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(arrays), path)
    return count


def write_empty_tables(out: Path, source: str, filled: Iterable[str]) -> list[str]:
    """A header-only CSV for every required table not in `filled`; returns
    the tables written empty."""
    done = set(filled)
    empty = [name for name in REQUIRED_TABLES if name not in done]
    for name in empty:
        path = out / name / f"{source}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(",".join(TABLES[name].columns) + "\n")
    return empty
