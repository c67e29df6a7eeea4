"""The generator's configuration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

#: Bumped whenever the generating process or the output layout changes.
GENERATOR_VERSION = "1.1.0"

FORMATS: tuple[str, ...] = ("parquet", "csv", "jsonl")

#: Days per streamed chunk (one file per table per chunk).
CHUNK_DAYS = 7


@dataclass(frozen=True)
class GeneratorConfig:
    """What to generate and where. scale 1.0 is about 1,000 reports a day."""

    out: Path
    seed: int = 42
    days: int = 84
    scale: float = 1.0
    fmt: str = "parquet"  # parquet | csv | jsonl
    bad_row_share: float = 0.01
    start_date: date = date(2026, 1, 5)  # a Monday
    #: `contract` (the contract's codes) or `platform` (a platform's own
    #: words for some of them, plus the config mapping them: vocabulary.py)
    vocabulary: str = "contract"

    def __post_init__(self) -> None:
        from .vocabulary import check_vocabulary

        check_vocabulary(self.vocabulary)
        if self.fmt not in FORMATS:
            raise ValueError(f"fmt must be one of {FORMATS}, not {self.fmt!r}")
        if self.days < 1:
            raise ValueError("days must be at least 1")
        if self.scale <= 0:
            raise ValueError("scale must be positive")
        if not 0 <= self.bad_row_share < 1:
            raise ValueError("bad_row_share must be in [0, 1)")

    @property
    def end_date(self) -> date:
        """The last day with events (inclusive)."""
        return self.start_date + timedelta(days=self.days - 1)

    @property
    def start_epoch(self) -> int:
        """Start of the first day, in UTC epoch seconds."""
        start = datetime.combine(self.start_date, datetime.min.time(), tzinfo=UTC)
        return int(start.timestamp())

    @property
    def end_epoch(self) -> int:
        """The export cut-off: end of the last day, in UTC epoch seconds."""
        return self.start_epoch + self.days * 86400

    @property
    def n_chunks(self) -> int:
        return -(-self.days // CHUNK_DAYS)

    def as_dict(self) -> dict:
        """The config as truth.json records it (the vocabulary is recorded
        apart, only when it is not the contract's: truth.json of a contract
        export stays what it was)."""
        return {
            "out": str(self.out),
            "seed": self.seed,
            "days": self.days,
            "scale": self.scale,
            "fmt": self.fmt,
            "bad_row_share": self.bad_row_share,
            "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat(),
            "generator_version": GENERATOR_VERSION,
        }
