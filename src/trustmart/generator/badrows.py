"""Extra bad rows: each breaks exactly one contract rule.

Every bad row starts as a copy of a good row of the same table. It gets a
fresh id (except `duplicate_key`, an exact copy of a final delivery), then
one rule is broken; all its other fields stay valid.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from .clock import uniform_seconds
from .formatting import format_rows
from .ids import Counters
from .rows import NULL_ID, NULL_TS, Rows
from .schema import KINDS, arrow_schema

_EVENT = (
    "null_key",
    "duplicate_key",
    "unknown_code",
    "unparsable_timestamp",
    "event_after_ingestion",
)

#: The bad-row reasons produced per table.
REASONS: dict[str, tuple[str, ...]] = {
    "reports": _EVENT,
    "detections": _EVENT,
    "enforcements": _EVENT,
    "appeals": (*_EVENT, "resolved_before_appealed", "unknown_enforcement"),
    "views_daily": ("duplicate_key", "unknown_code", "unparsable_timestamp"),
    "active_users_daily": ("duplicate_key", "unparsable_timestamp"),
    "prevalence_samples": (
        "null_key",
        "duplicate_key",
        "unknown_code",
        "unparsable_timestamp",
        "probability_out_of_range",
    ),
    "qa_reviews": ("null_key", "duplicate_key", "unparsable_timestamp", "unknown_enforcement"),
    "account_signals": ("duplicate_key", "unknown_code", "unparsable_timestamp"),
}

_SURFACES = ("metaverse", "stories_v2")
#: Unknown codes per table: column -> (values, column that must be non-null
#: in the template, e.g. severity only on violation rows).
UNKNOWN_CODES: dict[str, dict[str, tuple[tuple[str, ...], str | None]]] = {
    "reports": {
        "surface": (_SURFACES, None),
        "reporter_type": (("robot", "bot_net"), None),
        "object_type": (("hashtag",), None),
        "reported_category": (("jaywalking",), None),
    },
    "detections": {
        "surface": (_SURFACES, None),
        "object_type": (("hashtag",), None),
        "category": (("jaywalking", "clickbait"), None),
    },
    "enforcements": {
        "surface": (_SURFACES, None),
        "action": (("shadowban",), None),
        "decision_method": (("crowdsourced",), None),
        "severity": (("extreme",), "policy_category"),
        "policy_category": (("jaywalking",), "policy_category"),
    },
    "appeals": {
        "status": (("escalated", "in_review"), None),
        "resolution_method": (("oracle",), "resolution_method"),
    },
    "views_daily": {"surface": (_SURFACES, None)},
    "prevalence_samples": {
        "surface": (_SURFACES, None),
        "violation_category": (("jaywalking",), "violation_category"),
    },
    "account_signals": {"signal_type": (("cookie", "fingerprint"), None)},
}

#: The timestamp (or date) column made unparsable, per table.
TIME_COLUMN: dict[str, str] = {
    "reports": "reported_at",
    "detections": "detected_at",
    "enforcements": "decided_at",
    "appeals": "appealed_at",
    "views_daily": "date",
    "active_users_daily": "date",
    "prevalence_samples": "viewed_at",
    "qa_reviews": "reviewed_at",
    "account_signals": "observed_at",
}
BAD_TIMESTAMPS = (
    "not-a-date",
    "2026-13-45T99:00:00",
    "2026-02-30T10:00:00Z",
    "2026-01-05T25:61:00Z",
)
BAD_DATES = ("not-a-date", "2026-02-30", "2026-13-01")
BAD_PROBABILITIES = (0.0, -0.25, 1.5, 2.0)

Patch = tuple[int, str, object]


def _key_id(table: str) -> tuple[str, str] | None:
    """(key column, id prefix) for tables keyed by one id column."""
    col, kind = next(iter(KINDS[table].items()))
    return (col, kind[3:]) if kind.startswith("id:") else None


def _nonblank(rows: Rows, col: str) -> np.ndarray:
    v = rows[col]
    return v != NULL_TS if v.dtype == np.int64 else v != ""


class BadRowMaker:
    """Builds the bad rows of one table chunk."""

    def __init__(self, rng: np.random.Generator, table: str, good: Rows, counters: Counters):
        self.rng = rng
        self.table = table
        self.good = good
        self.counters = counters

    def _templates(self, n: int, pool: np.ndarray | None = None) -> Rows:
        pool = np.arange(len(self.good)) if pool is None else pool
        rows = self.good.take(self.rng.choice(pool, size=n)).copy()
        key = _key_id(self.table)
        if key:
            rows[key[0]] = self.counters.take(key[1], n)
        return rows

    def _pick(self, values: tuple, n: int) -> list:
        return [values[i] for i in self.rng.integers(0, len(values), size=n)]

    def make(self, reason: str, n: int) -> tuple[Rows, list[Patch]]:
        rng, table = self.rng, self.table
        if reason == "duplicate_key":
            return self.good.take(self.rng.choice(np.flatnonzero(self.good["_final"]), size=n)), []
        if reason == "null_key":
            rows = self._templates(n)
            col = _key_id(table)[0]
            rows[col] = np.full(n, NULL_ID)
            # half null, half an empty or blank string
            return rows, [(i, col, "" if i % 4 == 1 else " ") for i in range(n) if i % 2]
        if reason == "unknown_code":
            options = UNKNOWN_CODES[table]
            cols = list(options)
            chosen = [cols[i] for i in rng.integers(0, len(cols), size=n)]
            parts, patches = [], []
            for col in cols:
                m = chosen.count(col)
                if m == 0:
                    continue
                values, needs = options[col]
                pool = np.flatnonzero(_nonblank(self.good, needs)) if needs else None
                if pool is not None and len(pool) == 0:
                    col, (values, _) = cols[0], options[cols[0]]
                    pool = None
                start = sum(len(r) for r in parts)
                parts.append(self._templates(m, pool))
                patches += [(start + i, col, v) for i, v in enumerate(self._pick(values, m))]
            return Rows.concat(parts), patches
        if reason == "unparsable_timestamp":
            col = TIME_COLUMN[table]
            values = BAD_DATES if col == "date" else BAD_TIMESTAMPS
            return self._templates(n), [(i, col, v) for i, v in enumerate(self._pick(values, n))]
        if reason == "event_after_ingestion":
            rows = self._templates(n)
            col = TIME_COLUMN[table]
            rows[col] = rows["ingested_at"] + uniform_seconds(rng, 2.0, 120.0, n)
            if table == "appeals":  # a pending appeal filed "after" its delivery
                rows["status"] = np.full(n, "pending")
                rows["resolved_at"] = np.full(n, NULL_TS)
                rows["resolution_method"] = np.full(n, "")
            return rows, []
        if reason == "resolved_before_appealed":
            rows = self._templates(n)
            pending = rows["status"] == "pending"
            rows["status"] = np.where(pending, "upheld", rows["status"])
            rows["resolution_method"] = np.where(
                rows["status"] == "withdrawn",
                "",
                np.where(pending, "human", rows["resolution_method"]),
            )
            rows["resolved_at"] = rows["appealed_at"] - uniform_seconds(rng, 1.0, 48.0, n)
            return rows, []
        if reason == "unknown_enforcement":
            rows = self._templates(n)
            rows["enforcement_id"] = self.counters.take("e", n)  # never used by a decision
            return rows, []
        if reason == "probability_out_of_range":
            rows = self._templates(n)
            rows["inclusion_probability"] = np.array(self._pick(BAD_PROBABILITIES, n))
            return rows, []
        raise ValueError(reason)


def bad_rows(
    rng: np.random.Generator, table: str, good: Rows, share: float, counters: Counters
) -> tuple[pa.Table | None, dict[str, int]]:
    """About `share` x len(good) bad rows, spread over the table's reasons;
    returns them in written form and their counts by reason."""
    reasons = REASONS[table]
    n_bad = int(rng.binomial(len(good), share)) if len(good) and share > 0 else 0
    counts = dict.fromkeys(reasons, 0)
    if n_bad == 0:
        return None, counts
    which = rng.integers(0, len(reasons), size=n_bad)
    maker = BadRowMaker(rng, table, good, counters)
    parts: list[Rows] = []
    patches: list[Patch] = []
    for k, reason in enumerate(reasons):
        m = int((which == k).sum())
        if m == 0:
            continue
        rows, row_patches = maker.make(reason, m)
        start = sum(len(r) for r in parts)
        parts.append(rows)
        patches += [(start + i, col, v) for i, col, v in row_patches]
        counts[reason] = m
    written = format_rows(table, Rows.concat(parts)).to_pydict()
    for i, col, value in patches:
        written[col][i] = value
    return pa.Table.from_pydict(written, schema=arrow_schema(table)), counts
