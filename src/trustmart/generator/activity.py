"""From objects to rows: decisions, enforcements (with re-deliveries),
appeals (pending then resolved), QA reviews, reports, detections, account
signals, and the follow-up objects of re-offending accounts.

Rows are typed (see rows.py) with internal columns `_final` (the row is the
final delivery of its id) and `_file` (0 = first delivery file, 1 = the
re-delivery file). Everything at or after the export cut-off is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import params as p
from .clock import Window, lognormal_seconds, uniform_seconds
from .config import GeneratorConfig
from .delivery import ingest_times, redeliver
from .ids import Counters
from .objects import CATEGORIES
from .rows import NULL_TS, Rows

REPORTER_TYPES = np.array(list(p.REPORTER_SHARE))
_REPORTER_PROB = np.array(list(p.REPORTER_SHARE.values()))
SIGNAL_TYPES = np.array(["device", "ip", "payment", "email"])


@dataclass
class BatchResult:
    tables: dict[str, Rows]
    spawn_t: np.ndarray
    spawn_account: np.ndarray
    #: violation decisions on account objects of non-attack accounts (account
    #: actions that may bring an evader, see linking.py)
    action_t: np.ndarray
    action_account: np.ndarray


def _prefixed(prefix: str, numbers: np.ndarray) -> np.ndarray:
    return np.char.add(prefix, numbers.astype(np.int64).astype(str))


def _reporter_type(source: np.ndarray) -> np.ndarray:
    """ "report:user" -> "user"."""
    if len(source) == 0:
        return np.array([], dtype="<U16")
    uniq, inv = np.unique(source, return_inverse=True)
    return np.array([u.removeprefix("report:") for u in uniq])[inv]


def _internal(rows: Rows, file: int = 0) -> Rows:
    rows["_final"] = np.ones(len(rows), bool)
    rows["_file"] = np.full(len(rows), file, np.int8)
    return rows


class Simulator:
    """Turns batches of objects into table rows; holds the run-wide state."""

    def __init__(self, config: GeneratorConfig, counters: Counters, wave: Window) -> None:
        self.config = config
        self.counters = counters
        self.wave = wave
        self.end = config.end_epoch
        self.device_pool = np.array(
            [
                f"{(config.seed * 1_000_003 + i + 1) * 0x9E3779B97F4A7C15 % 2**64:016x}"
                for i in range(p.ATTACK_DEVICE_POOL)
            ]
        )

    # -- decisions -------------------------------------------------------
    def _decide(self, rng: np.random.Generator, objs: Rows) -> tuple[np.ndarray, np.ndarray]:
        n = len(objs)
        auto = objs["automated"]
        delay = np.empty(n, np.int64)
        delay[auto] = lognormal_seconds(
            rng, p.AUTOMATED_DELAY, int(auto.sum()), p.MIN_DELAY_SECONDS
        )
        for sev, dist in p.HUMAN_DELAY.items():
            m = ~auto & (objs["severity"] == sev)
            d = lognormal_seconds(rng, dist, int(m.sum()), p.MIN_DELAY_SECONDS)
            slow = self.wave.contains(objs["t_signal"][m])
            d = np.where(slow, np.rint(d * p.ATTACK_HUMAN_DELAY_MULTIPLIER).astype(np.int64), d)
            delay[m] = d
        truth = objs["truth"]
        pv = np.where(
            truth,
            np.where(auto, p.SENSITIVITY["automated"], p.SENSITIVITY["human"]),
            np.where(auto, p.FALSE_POSITIVE_RATE["automated"], p.FALSE_POSITIVE_RATE["human"]),
        )
        return objs["t_signal"] + delay, rng.random(n) < pv

    @staticmethod
    def _actions(
        rng: np.random.Generator,
        object_type: np.ndarray,
        severity: np.ndarray,
        violation: np.ndarray,
    ) -> np.ndarray:
        out = np.full(len(severity), "none", dtype="<U8")
        for otype, by_sev in p.ACTIONS.items():
            for sev, choices in by_sev.items():
                m = violation & (object_type == otype) & (severity == sev)
                out[m] = rng.choice(list(choices), size=int(m.sum()), p=list(choices.values()))
        return out

    # -- tables ----------------------------------------------------------
    def _enforcements(
        self, rng: np.random.Generator, objs: Rows, t_d: np.ndarray, violation: np.ndarray
    ) -> tuple[Rows, Rows, np.ndarray]:
        """(first deliveries kept, re-deliveries kept, object index of first deliveries)."""
        idx = np.flatnonzero(t_d < self.end)
        o = objs.take(idx)
        v = violation[idx]
        auto = o["automated"]
        n = len(idx)
        rows = _internal(
            Rows(
                {
                    "enforcement_id": self.counters.take("e", n),
                    "decided_at": t_d[idx],
                    "object_type": o["object_type"],
                    "object_id": o["object"],
                    "account_id": o["account"],
                    "surface": o["surface"],
                    "is_violation": v,
                    "policy_category": np.where(v, o["category"], ""),
                    "severity": np.where(v, o["severity"], ""),
                    "action": self._actions(rng, o["object_type"], o["severity"], v),
                    "decision_method": np.where(auto, "automated", "human"),
                    "queue": np.where(auto, "", np.char.add("q_", o["category"])),
                    "reviewer_id": np.where(
                        auto, "", _prefixed("rv", rng.integers(1, p.HUMAN_REVIEWERS + 1, size=n))
                    ),
                    "ingested_at": ingest_times(rng, t_d[idx]),
                }
            )
        )
        again = redeliver(rng, rows, p.REDELIVERY_SHARE)
        first_kept = rows["ingested_at"] < self.end
        again_kept = (again["ingested_at"] < self.end) & first_kept[again["_source_row"]]
        rows["_final"][again["_source_row"][again_kept]] = False
        again = again.take(np.flatnonzero(again_kept))
        del again.cols["_source_row"]
        keep = np.flatnonzero(first_kept)
        return rows.take(keep), again, idx[keep]

    def _appeals(self, rng: np.random.Generator, enf: Rows, correct: np.ndarray) -> Rows:
        pick = np.flatnonzero(enf["is_violation"] & (rng.random(len(enf)) < p.APPEAL_PROBABILITY))
        n = len(pick)
        appealed = enf["decided_at"][pick] + lognormal_seconds(rng, p.APPEAL_DELAY, n)
        withdrawn = rng.random(n) < p.WITHDRAW_PROBABILITY
        u = rng.random(n)
        rev_p = np.where(correct[pick], p.REVERSAL_PROBABILITY[True], p.REVERSAL_PROBABILITY[False])
        reversed_ = ~withdrawn & (u < rev_p)
        partial = ~withdrawn & ~reversed_ & (u < rev_p + p.PARTIAL_PROBABILITY)
        status = np.where(
            withdrawn,
            "withdrawn",
            np.where(reversed_, "reversed", np.where(partial, "partially_reversed", "upheld")),
        )
        automated = ~withdrawn & (rng.random(n) < p.RESOLUTION_AUTOMATED_SHARE)
        method = np.where(withdrawn, "", np.where(automated, "automated", "human"))
        res_delay = np.where(
            withdrawn,
            lognormal_seconds(rng, p.RESOLUTION_DELAY["withdrawn"], n),
            np.where(
                automated,
                lognormal_seconds(rng, p.RESOLUTION_DELAY["automated"], n),
                lognormal_seconds(rng, p.RESOLUTION_DELAY["human"], n),
            ),
        )
        resolved = appealed + res_delay
        ing_pending = appealed + lognormal_seconds(rng, p.INGEST_LAG, n)
        ing_resolved = np.maximum(
            resolved + lognormal_seconds(rng, p.INGEST_LAG, n), ing_pending + 1
        )
        ids = self.counters.take("ap", n)
        enf_ids = enf["enforcement_id"][pick]
        keep_p = (appealed < self.end) & (ing_pending < self.end)
        keep_r = keep_p & (ing_resolved < self.end)
        pending = _internal(
            Rows(
                {
                    "appeal_id": ids,
                    "enforcement_id": enf_ids,
                    "appealed_at": appealed,
                    "status": np.full(n, "pending"),
                    "resolved_at": np.full(n, NULL_TS),
                    "resolution_method": np.full(n, ""),
                    "ingested_at": ing_pending,
                }
            )
        )
        pending["_final"] = ~keep_r
        final = _internal(
            Rows(
                {
                    "appeal_id": ids,
                    "enforcement_id": enf_ids,
                    "appealed_at": appealed,
                    "status": status,
                    "resolved_at": resolved,
                    "resolution_method": method,
                    "ingested_at": ing_resolved,
                }
            ),
            file=1,
        )
        return Rows.concat(
            [pending.take(np.flatnonzero(keep_p)), final.take(np.flatnonzero(keep_r))]
        )

    def _qa(self, rng: np.random.Generator, enf: Rows, correct: np.ndarray) -> Rows:
        pick = np.flatnonzero(rng.random(len(enf)) < p.QA_SHARE)
        reviewed = enf["decided_at"][pick] + uniform_seconds(
            rng, p.QA_DELAY_DAYS[0] * 24, p.QA_DELAY_DAYS[1] * 24, len(pick)
        )
        agree_p = np.where(correct[pick], p.QA_AGREE_IF_CORRECT, p.QA_AGREE_IF_WRONG)
        agrees = rng.random(len(pick)) < agree_p
        reviewer = _prefixed("qr", rng.integers(1, p.QA_REVIEWERS + 1, size=len(pick)))
        keep = np.flatnonzero(reviewed < self.end)
        return _internal(
            Rows(
                {
                    "qa_id": self.counters.take("qa", len(pick)),
                    "enforcement_id": enf["enforcement_id"][pick],
                    "reviewed_at": reviewed,
                    "agrees": agrees,
                    "reviewer_id": reviewer,
                }
            ).take(keep)
        )

    def _reporters(self, rng: np.random.Generator, rtype: np.ndarray) -> np.ndarray:
        n = len(rtype)
        users = _prefixed("u", rng.integers(1, 10_000_000, size=n))
        anon = rng.random(n) < p.ANONYMOUS_SHARE
        flaggers = _prefixed("tf", rng.integers(1, p.TRUSTED_FLAGGERS + 1, size=n))
        authorities = _prefixed("au", rng.integers(1, p.AUTHORITIES + 1, size=n))
        return np.where(
            rtype == "trusted_flagger",
            flaggers,
            np.where(rtype == "authority", authorities, np.where(anon, "", users)),
        )

    def _reports(self, rng: np.random.Generator, objs: Rows, t_d: np.ndarray, sweep: bool) -> Rows:
        n = len(objs)
        source = objs["source"]
        is_report = np.char.startswith(source, "report:")
        if sweep:
            later = (rng.random(n) < p.SWEEP_LATE_REPORT_SHARE).astype(np.int64)
            base = t_d
        else:
            lam = np.where(objs["truth"], p.EXTRA_REPORTS_MEAN[True], p.EXTRA_REPORTS_MEAN[False])
            extra = rng.poisson(lam)
            also = rng.random(n) < p.DETECTED_ALSO_REPORTED
            later = np.where(is_report, extra, np.where(also, 1 + extra, 0))
            base = objs["t_signal"]
        first = np.flatnonzero(is_report) if not sweep else np.array([], np.int64)
        rep = np.repeat(np.arange(n), later)
        obj_idx = np.concatenate([first, rep])
        t = np.concatenate(
            [
                objs["t_signal"][first],
                base[rep] + lognormal_seconds(rng, p.LATER_REPORT_DELAY, len(rep)),
            ]
        )
        rtype = np.concatenate(
            [
                _reporter_type(source[first]),
                rng.choice(REPORTER_TYPES, size=len(rep), p=_REPORTER_PROB),
            ]
        )
        o = objs.take(obj_idx)
        m = len(obj_idx)
        miscat = rng.random(m) < p.MISCATEGORISED_REPORT_SHARE
        category = np.where(miscat, rng.choice(np.array(CATEGORIES), size=m), o["category"])
        rows = Rows(
            {
                "report_id": self.counters.take("r", m),
                "reported_at": t,
                "reporter_id": self._reporters(rng, rtype),
                "reporter_type": rtype,
                "object_type": o["object_type"],
                "object_id": o["object"],
                "account_id": o["account"],
                "surface": o["surface"],
                "reported_category": category,
                "ingested_at": ingest_times(rng, t),
            }
        )
        keep = (rows["reported_at"] < self.end) & (rows["ingested_at"] < self.end)
        return _internal(rows.take(np.flatnonzero(keep)))

    def _detections(self, rng: np.random.Generator, objs: Rows) -> Rows:
        is_det = np.flatnonzero(np.isin(objs["source"], list(p.DETECTORS)))
        o = objs.take(is_det)
        n = len(is_det)
        scores_given = np.array([p.DETECTORS[s].scores for s in o["source"]], dtype=bool)
        score = np.where(o["truth"], rng.beta(6.0, 2.0, size=n), rng.beta(3.0, 3.0, size=n))
        score = np.where(scores_given, np.round(score, 4), np.nan)
        rows = Rows(
            {
                "detection_id": self.counters.take("d", n),
                "detected_at": o["t_signal"],
                "object_type": o["object_type"],
                "object_id": o["object"],
                "account_id": o["account"],
                "surface": o["surface"],
                "detector": o["source"],
                "category": o["category"],
                "score": score,
                "ingested_at": ingest_times(rng, o["t_signal"]),
            }
        )
        keep = (rows["detected_at"] < self.end) & (rows["ingested_at"] < self.end)
        return _internal(rows.take(np.flatnonzero(keep)))

    def _signals(
        self, rng: np.random.Generator, objs: Rows, enf_obj: np.ndarray, violation: np.ndarray
    ) -> Rows:
        """Identity signals of accounts with a violation decision; the attack
        accounts share devices and IPs."""
        idx = enf_obj[violation]
        _, first = np.unique(objs["account"][idx], return_index=True)
        idx = idx[np.sort(first)]
        idx = idx[rng.random(len(idx)) < p.SIGNAL_ACCOUNT_SHARE]
        k = rng.integers(p.SIGNALS_PER_ACCOUNT[0], p.SIGNALS_PER_ACCOUNT[1] + 1, size=len(idx))
        order = np.argsort(rng.random((len(idx), len(SIGNAL_TYPES))), axis=1)
        take = order < k[:, None]  # a random subset of k types per account
        acc_i, type_i = np.nonzero(take)
        o = objs.take(idx[acc_i])
        n = len(acc_i)
        stype = SIGNAL_TYPES[type_i]
        values = np.array([f"{v:016x}" for v in rng.integers(0, 2**63 - 1, size=n)])
        shared = ~o["spawn"] & np.isin(stype, ["device", "ip"])
        values = np.where(shared, rng.choice(self.device_pool, size=n), values)
        lookback = uniform_seconds(rng, 0.0, p.SIGNAL_LOOKBACK_DAYS * 24, n)
        observed = np.maximum(o["t_signal"] - lookback, self.config.start_epoch)
        return _internal(
            Rows(
                {
                    "account_id": o["account"],
                    "signal_type": stype,
                    "signal_value": values,
                    "observed_at": observed,
                }
            )
        )

    # -- one batch -------------------------------------------------------
    def run(self, rng: np.random.Generator, objs: Rows, sweep: bool = False) -> BatchResult:
        if sweep:
            t_d = objs["t_decided"]
            violation = np.ones(len(objs), bool)
        else:
            t_d, violation = self._decide(rng, objs)
        enf, again, enf_obj = self._enforcements(rng, objs, t_d, violation)
        correct = objs["truth"][enf_obj] == enf["is_violation"]
        tables = {
            "enforcements": Rows.concat([enf, again]),
            "appeals": self._appeals(rng, enf, correct),
            "qa_reviews": self._qa(rng, enf, correct),
            "reports": self._reports(rng, objs, t_d, sweep),
            "detections": self._detections(rng, objs) if not sweep else None,
            "account_signals": self._signals(rng, objs, enf_obj, enf["is_violation"]),
        }
        spawners = np.flatnonzero(
            violation
            & (t_d < self.end)
            & objs["spawn"]
            & (rng.random(len(objs)) < p.REOFFEND_PROBABILITY)
        )
        gap = np.maximum(
            np.rint(rng.exponential(p.REOFFEND_MEAN_DAYS * 86400.0, size=len(spawners))), 1
        ).astype(np.int64)
        spawn_t = t_d[spawners] + gap
        keep = spawn_t < self.end
        acted = enf["is_violation"] & (enf["object_type"] == "account") & objs["spawn"][enf_obj]
        return BatchResult(
            {k: v for k, v in tables.items() if v is not None},
            spawn_t[keep],
            objs["account"][spawners][keep],
            enf["decided_at"][acted],
            enf["account_id"][acted],
        )
