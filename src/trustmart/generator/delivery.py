"""How rows reach the export: ingestion lag, clock skew, re-delivery,
the export cut-off, UTC offsets and harmless code variants."""

from __future__ import annotations

import numpy as np

from . import params as p
from .clock import lognormal_seconds, uniform_seconds
from .rows import Rows


def ingest_times(rng: np.random.Generator, event: np.ndarray) -> np.ndarray:
    """ingested_at for events: a positive lag of minutes to hours; a few rows
    are stamped up to 10 minutes before their event (allowed clock skew)."""
    n = len(event)
    ingested = event + lognormal_seconds(rng, p.INGEST_LAG, n)
    skew = rng.random(n) < p.SKEW_SHARE
    ingested[skew] = event[skew] - rng.integers(1, p.SKEW_MAX_SECONDS + 1, size=int(skew.sum()))
    return ingested


def redeliver(rng: np.random.Generator, rows: Rows, share: float) -> Rows:
    """A later delivery (same row, later ingested_at, file "b") of a share of
    `rows`. The caller marks the earlier deliveries as not final."""
    pick = np.flatnonzero(rng.random(len(rows)) < share)
    again = rows.take(pick)
    again["ingested_at"] = again["ingested_at"] + uniform_seconds(
        rng, *p.REDELIVERY_DELAY_HOURS, len(pick)
    )
    again["_file"] = np.ones(len(pick), np.int8)
    again["_source_row"] = pick
    return again


def assign_offsets(rng: np.random.Generator, n: int) -> np.ndarray:
    """UTC offset (minutes) each row is written with; 0 = `Z`."""
    use = rng.random(n) < p.OFFSET_SHARE
    off = rng.choice(np.array(p.OFFSETS_MINUTES, dtype=np.int16), size=n)
    return np.where(use, off, 0).astype(np.int16)


_VARIANTS = (str.upper, str.title, lambda s: f" {s}", lambda s: f"{s.title()} ")


def code_variants(rng: np.random.Generator, values: np.ndarray) -> np.ndarray:
    """A few codes written in another case or padded; valid after lower(trim())."""
    pick = np.flatnonzero(rng.random(len(values)) < p.VARIANT_SHARE)
    if len(pick) == 0:
        return values
    width = max(values.dtype.itemsize // 4, 1) + 2
    out = values.astype(f"<U{width}")
    kinds = rng.integers(0, len(_VARIANTS), size=len(pick))
    for i, k in zip(pick, kinds, strict=True):
        out[i] = _VARIANTS[k](str(values[i]))
    return out
