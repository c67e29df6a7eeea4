"""Write one Arrow table as Parquet, CSV (header) or JSON lines."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

EXTENSIONS = {"parquet": "parquet", "csv": "csv", "jsonl": "jsonl"}


def _json_values(col: pa.Array) -> pa.Array:
    """Each value as JSON text."""
    if pa.types.is_string(col.type):
        needs_escape = pc.any(pc.match_substring_regex(col, r'["\\\x00-\x1f]')).as_py()
        if needs_escape:
            text = pa.array(
                [None if v is None else json.dumps(v) for v in col.to_pylist()], pa.string()
            )
        else:
            text = pc.binary_join_element_wise('"', col, '"', "")
    elif pa.types.is_boolean(col.type):
        text = pc.if_else(col, "true", "false")
    else:
        text = pc.cast(col, pa.string())
    return pc.fill_null(text, "null")


def write_jsonl(table: pa.Table, path: Path) -> None:
    pieces: list[pa.Array | str] = []
    for i, name in enumerate(table.column_names):
        pieces.append(("{" if i == 0 else ",") + json.dumps(name) + ":")
        pieces.append(_json_values(table.column(name).combine_chunks()))
    pieces.append("}\n")
    lines = pc.binary_join_element_wise(*pieces, "")
    if isinstance(lines, pa.ChunkedArray):
        lines = lines.combine_chunks()
    with path.open("wb") as fh:
        if len(lines):
            # the lines are contiguous in the string array's data buffer
            offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)
            first, last = offsets[lines.offset], offsets[lines.offset + len(lines)]
            fh.write(memoryview(lines.buffers()[2])[first:last])


def write_table(table: pa.Table, path: Path, fmt: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        pq.write_table(table, path, compression="zstd")
    elif fmt == "csv":
        pacsv.write_csv(table, path, pacsv.WriteOptions(include_header=True))
    elif fmt == "jsonl":
        write_jsonl(table, path)
    else:
        raise ValueError(f"unknown format {fmt!r}")
