"""Find the raw files that cannot be read at all, before dbt starts: a
Parquet file whose magic bytes or footer are missing or broken (truncated,
or another format under a .parquet name), a text file (CSV, JSONL) that is
binary or whose first line is not UTF-8 text, a .gz file that is not gzip.

The landing (macros/raw/probe_raw_files.sql) receives them in dbt var
`unreadable_files`: it stops the build naming each one, or, with
`--skip-unreadable-files`, quarantines them and builds the rest. A zero-byte
file is the landing's to judge (an empty Parquet file is unreadable, an
empty CSV or JSONL file is an empty drop).
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from trustmart.incremental import data_files

_MAGIC = b"PAR1"
_HEAD_BYTES = 65536


@dataclass(frozen=True)
class UnreadableFile:
    """A raw file that cannot be read, its size and why."""

    path: Path
    size_bytes: int
    error: str

    def as_var(self) -> dict[str, object]:
        return {"path": str(self.path), "size_bytes": self.size_bytes, "error": self.error}


def find_unreadable_files(raw: Path) -> list[UnreadableFile]:
    """Every data file of the export that cannot be read, with why."""
    found = []
    for path in data_files(raw):
        size = path.stat().st_size
        if size == 0:
            continue
        error = _why_unreadable(path, size)
        if error:
            found.append(UnreadableFile(path, size, error))
    return found


def _why_unreadable(path: Path, size: int) -> str | None:
    name = path.name.lower()
    if name.endswith(".parquet"):
        return _parquet_problem(path, size)
    if name.endswith((".csv", ".jsonl", ".ndjson")):
        with path.open("rb") as handle:
            return _text_problem(handle.read(_HEAD_BYTES))
    if name.endswith(".gz"):
        try:
            with gzip.open(path, "rb") as handle:
                head = handle.read(_HEAD_BYTES)
        except (OSError, EOFError, zlib.error) as error:
            return f"not a readable gzip file ({error})"
        return _text_problem(head)
    return None


def _parquet_problem(path: Path, size: int) -> str | None:
    if size < 12:
        return f"too small to be a Parquet file ({size} bytes)"
    with path.open("rb") as handle:
        head = handle.read(4)
        handle.seek(-4, 2)
        tail = handle.read(4)
    if head != _MAGIC:
        return "not a Parquet file (it does not start with the PAR1 magic bytes)"
    if tail != _MAGIC:
        return "truncated Parquet file (no PAR1 magic bytes at its end: the footer is missing)"
    try:
        pq.read_metadata(path)
    except Exception as error:  # pyarrow raises several types for a broken footer
        return f"broken Parquet footer ({error})"
    return None


def _text_problem(head: bytes) -> str | None:
    if b"\x00" in head:
        return "binary content (NUL bytes): not a CSV or JSON lines text file"
    first_line = head.split(b"\n", 1)[0]
    try:
        first_line.decode("utf-8")
    except UnicodeDecodeError:
        if len(first_line) < len(head) or len(head) < _HEAD_BYTES:
            return "the first line is not UTF-8 text: not a CSV or JSON lines text file"
    return None
