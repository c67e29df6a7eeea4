"""Account linking in the generated export: banned offenders returning
under new accounts (evaders) and ordinary newcomers, as account_signals rows.

Evasion only adds identity rows: the evader is the next fresh account whose
first object the simulation signals after the evasion delay, so the volume
of every other table is unchanged. The links draw from their own random
stream, so the rest of the export is the same as without them.
"""

from __future__ import annotations

import numpy as np

from . import params as p
from .clock import uniform_seconds
from .config import GeneratorConfig
from .rows import Rows

_STREAM = 5
_LINK_TYPES = np.array(list(p.EVADE_LINK_SHARE))
_LINK_PROB = np.array(list(p.EVADE_LINK_SHARE.values()))
_NEWCOMER_TYPES = np.array(["device", "ip", "payment", "email"])


def _hex(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.array([f"{v:016x}" for v in rng.integers(0, 2**63 - 1, size=n)], dtype="<U16")


def _signal_rows(account: np.ndarray, stype: np.ndarray, value: np.ndarray, t: np.ndarray) -> Rows:
    n = len(account)
    return Rows(
        {
            "account_id": account.astype(np.int64),
            "signal_type": stype.astype("<U8"),
            "signal_value": value.astype("<U16"),
            "observed_at": t.astype(np.int64),
            "_final": np.ones(n, bool),
            "_file": np.zeros(n, np.int8),
        }
    )


class Linker:
    """Pending evasions across chunks, the evaders' first observations,
    and the newcomers."""

    def __init__(self, config: GeneratorConfig) -> None:
        self.config = config
        self.rng = np.random.default_rng(np.random.SeedSequence([config.seed, _STREAM]))
        self.crowded_pool = np.array(
            [
                f"{(config.seed * 7_000_003 + i + 1) * 0xC2B2AE3D27D4EB4F % 2**64:016x}"
                for i in range(p.CROWDED_DEVICE_POOL)
            ]
        )
        self.due = np.array([], np.int64)
        self.decided = np.array([], np.int64)
        self.banned = np.array([], np.int64)
        self.first_seen: dict[int, int] = {}
        # the link rows and the rows raised to an evader's first sighting so
        # far (account, type, value, time): two observations of one value,
        # even in different chunks, can fall on the same instant, and the
        # warehouse would count the copy as a duplicate_key the truth does
        # not plant
        self.clipped: set[tuple[int, str, str, int]] = set()
        self.next_newcomer = p.NEWCOMER_ID_START

    def record_actions(self, decided: np.ndarray, accounts: np.ndarray) -> None:
        """Account actions of non-attack accounts: each brings an evader
        with probability EVADE_PROBABILITY."""
        evade = self.rng.random(len(decided)) < p.EVADE_PROBABILITY
        delay = np.maximum(
            np.rint(self.rng.exponential(p.EVADE_MEAN_DAYS * 86400.0, int(evade.sum()))), 1
        ).astype(np.int64)
        due = decided[evade] + delay
        keep = due < self.config.end_epoch
        self.due = np.concatenate([self.due, due[keep]])
        self.decided = np.concatenate([self.decided, decided[evade][keep]])
        self.banned = np.concatenate([self.banned, accounts[evade][keep]])

    def match(self, fresh_t: np.ndarray, fresh_account: np.ndarray, chunk_end: int) -> Rows:
        """Evasions due before `chunk_end` take the next fresh accounts
        (first object at or after the due time), each account once; the
        link rows of both accounts. Evasions with no fresh account left in
        the chunk wait for the next one."""
        order = np.argsort(self.due, kind="stable")
        self.due, self.decided, self.banned = (
            self.due[order],
            self.decided[order],
            self.banned[order],
        )
        by_time = np.argsort(fresh_t, kind="stable")
        fresh_t, fresh_account = fresh_t[by_time], fresh_account[by_time]
        taken = np.zeros(len(fresh_t), bool)
        matched_e, matched_at, matched_i = [], [], []
        pos = 0
        for i in range(len(self.due)):
            if self.due[i] >= chunk_end:
                break
            pos = max(pos, int(np.searchsorted(fresh_t, self.due[i], side="left")))
            while pos < len(fresh_t) and taken[pos]:
                pos += 1
            if pos >= len(fresh_t):
                break
            taken[pos] = True
            matched_i.append(i)
            matched_e.append(fresh_account[pos])
            matched_at.append(fresh_t[pos])
        idx = np.array(matched_i, np.int64)
        keep = np.ones(len(self.due), bool)
        keep[idx] = False
        banned, decided = self.banned[idx], self.decided[idx]
        self.due, self.decided, self.banned = self.due[keep], self.decided[keep], self.banned[keep]
        return self._links(
            banned, decided, np.array(matched_e, np.int64), np.array(matched_at, np.int64)
        )

    def _links(
        self, banned: np.ndarray, decided: np.ndarray, evader: np.ndarray, evader_at: np.ndarray
    ) -> Rows:
        n = len(banned)
        rng = self.rng
        kind = rng.choice(_LINK_TYPES, size=n, p=_LINK_PROB)
        crowded = kind == "crowded"
        stype = np.where(crowded, "device", kind)
        value = np.where(crowded, rng.choice(self.crowded_pool, size=n), _hex(rng, n))
        # the evader is first seen shortly before its first object, after the ban
        lead = np.minimum(uniform_seconds(rng, 0.0, 24.0, n), (evader_at - decided) // 2)
        evader_seen = evader_at - lead
        banned_seen = np.maximum(
            decided - uniform_seconds(rng, 0.0, p.SIGNAL_LOOKBACK_DAYS * 24, n),
            self.config.start_epoch,
        )
        for account, seen in zip(evader.tolist(), evader_seen.tolist(), strict=True):
            self.first_seen[account] = seen
        rows = _signal_rows(
            np.concatenate([banned, evader]),
            np.concatenate([stype, stype]),
            np.concatenate([value, value]),
            np.concatenate([banned_seen, evader_seen]),
        )
        # one account can take part in two links through the same crowded
        # value at the same instant (in this chunk or an earlier one): the
        # copy would be a duplicate_key no truth counts, so it is left out
        keep = np.ones(len(rows), bool)
        keys = zip(
            rows["account_id"].tolist(),
            rows["signal_type"].tolist(),
            rows["signal_value"].tolist(),
            rows["observed_at"].tolist(),
            strict=True,
        )
        for i, key in enumerate(keys):
            keep[i] = key not in self.clipped
            self.clipped.add(key)
        return rows if keep.all() else rows.take(np.flatnonzero(keep))

    def clip(self, signals: Rows) -> Rows:
        """An evader is new when the link is first seen: none of its other
        signals is observed earlier. A raised row that repeats one raised
        before (same account, type, value and time) is left out."""
        if len(signals) == 0 or not self.first_seen:
            return signals
        first = np.array(
            [self.first_seen.get(a, -(2**62)) for a in signals["account_id"].tolist()], np.int64
        )
        raised = np.flatnonzero(signals["observed_at"] < first)
        signals["observed_at"] = np.maximum(signals["observed_at"], first)
        keep = np.ones(len(signals), bool)
        for i in raised.tolist():
            key = (
                int(signals["account_id"][i]),
                str(signals["signal_type"][i]),
                str(signals["signal_value"][i]),
                int(first[i]),
            )
            keep[i] = key not in self.clipped
            self.clipped.add(key)
        return signals if keep.all() else signals.take(np.flatnonzero(keep))

    def newcomers(self, days: range) -> Rows:
        """Ordinary new accounts of `days`: 1-3 signals each, observed when
        they join; a share of their devices are public (crowded)."""
        config, rng = self.config, self.rng
        n = int(rng.poisson(p.NEWCOMERS_PER_DAY * config.scale * len(days)))
        accounts = np.arange(self.next_newcomer, self.next_newcomer + n, dtype=np.int64)
        self.next_newcomer += n
        joined = config.start_epoch + days.start * 86400 + rng.integers(0, len(days) * 86400, n)
        k = rng.integers(1, 4, size=n)
        order = np.argsort(rng.random((n, len(_NEWCOMER_TYPES))), axis=1)
        acc_i, type_i = np.nonzero(order < k[:, None])
        m = len(acc_i)
        stype = _NEWCOMER_TYPES[type_i]
        public = (stype == "device") & (rng.random(m) < p.NEWCOMER_CROWDED_DEVICE_SHARE)
        value = np.where(public, rng.choice(self.crowded_pool, size=m), _hex(rng, m))
        return _signal_rows(accounts[acc_i], stype, value, joined[acc_i])
