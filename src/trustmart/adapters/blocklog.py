"""Read MediaWiki block-log CSV files as collected from the API.

The files are API batches appended one after another: each batch repeats
its header line and batches differ in width (11 to 14 columns, e.g. with
or without `actionhidden`, `suppressed`). A record whose first field is
`logid` starts a new header; every other record is read against the
latest header. Records whose width does not match their header are kept
aside as malformed (counted, never guessed at).
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from trustmart.adapters.archives import InputFile
from trustmart.errors import TrustmartError

HEADER_START = "logid"
REQUIRED_FIELDS = ("logid", "title", "params", "type", "action", "user", "timestamp")


@dataclass(frozen=True)
class LogEvent:
    """One block-log record: its fields by header name, and where it was read."""

    fields: dict[str, str]
    file: str
    line: int

    def get(self, name: str) -> str:
        """The field's text ('' when the batch has no such column)."""
        return self.fields.get(name, "")


@dataclass
class BlockLogFile:
    """The events of one file and what reading it found."""

    label: str
    events: list[LogEvent] = field(default_factory=list)
    headers: int = 0
    widths: set[int] = field(default_factory=set)
    malformed_lines: list[int] = field(default_factory=list)


def _open_text(path: Path) -> io.TextIOBase:
    if path.name.lower().endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return path.open(encoding="utf-8", newline="")


def _records(handle: io.TextIOBase) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(handle)
    for record in reader:
        yield reader.line_num, record


def read_block_log(file: InputFile) -> BlockLogFile:
    """Every event of one block-log file, read against its batch's header."""
    result = BlockLogFile(label=file.label)
    header: list[str] | None = None
    with _open_text(file.path) as handle:
        for line, record in _records(handle):
            if not record:
                continue
            if record[0].strip().lstrip("\ufeff") == HEADER_START:
                header = [name.strip().lstrip("\ufeff") for name in record]
                missing = [name for name in REQUIRED_FIELDS if name not in header]
                if missing:
                    raise TrustmartError(
                        f"{file.label}, line {line}: the header lacks {', '.join(missing)}.",
                        "Pass block-log CSVs from the API (list=logevents, letype=block).",
                    )
                result.headers += 1
                result.widths.add(len(header))
                continue
            if header is None:
                raise TrustmartError(
                    f"{file.label} does not start with a header line (logid,...).",
                    "Pass block-log CSVs from the API (list=logevents, letype=block).",
                )
            if len(record) != len(header):
                result.malformed_lines.append(line)
                continue
            result.events.append(LogEvent(dict(zip(header, record, strict=True)), file.label, line))
    return result
