"""Derived quantities of the generating process, shared by the simulation
and the truth: the mix of signalled objects ("cells"), decision outcome
probabilities and the daily rates that give ~1,000 reports a day at scale 1.

A signalled object belongs to one cell: (category, first-signal source).
The source is a detector, or a report by a reporter type. A cell fixes the
probability that the object truly violates and that it is decided by
automation; the decision outcome then depends only on (method, truth).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np

from trustmart.contract import POLICY_CATEGORIES

from . import params as p

METHODS: tuple[str, ...] = ("automated", "human")


@dataclass(frozen=True)
class Cell:
    """One kind of decided object; weight is per base signalled object."""

    category: str
    source: str  # detector name, "report:<reporter_type>" or "sweep"
    weight: float
    p_true: float
    p_automated: float

    @property
    def severity(self) -> str:
        return POLICY_CATEGORIES[self.category][1]

    @property
    def detector(self) -> str | None:
        return self.source if self.source in p.DETECTORS else None

    def p_method(self, method: str) -> float:
        return self.p_automated if method == "automated" else 1.0 - self.p_automated

    def p_violation(self, method: str, truth: bool) -> float:
        """P(decision is a violation | method, truth)."""
        if self.source == "sweep":
            return 1.0
        return p.SENSITIVITY[method] if truth else p.FALSE_POSITIVE_RATE[method]

    def p_truth(self, truth: bool) -> float:
        return self.p_true if truth else 1.0 - self.p_true

    def joint(self, method: str, truth: bool, violation: bool) -> float:
        """P(method, truth, outcome) for one object of this cell."""
        pv = self.p_violation(method, truth)
        return self.p_method(method) * self.p_truth(truth) * (pv if violation else 1.0 - pv)

    def expected_reports(self) -> float:
        """Expected reports of one object of this cell."""
        extra = (
            self.p_true * p.EXTRA_REPORTS_MEAN[True]
            + (1 - self.p_true) * p.EXTRA_REPORTS_MEAN[False]
        )
        if self.source == "sweep":
            return p.SWEEP_LATE_REPORT_SHARE
        if self.detector:
            return p.DETECTED_ALSO_REPORTED * (1.0 + extra)
        return 1.0 + extra


def detector_for(category: str) -> str | None:
    for name, det in p.DETECTORS.items():
        if det.category == category:
            return name
    return None


@cache
def signal_cells() -> tuple[Cell, ...]:
    """Cells of signalled objects; weights sum to 1."""
    cells: list[Cell] = []
    for cat, share in p.CATEGORY_SHARE.items():
        det = detector_for(cat)
        detected = p.DETECTORS[det].path_share if det else 0.0
        if det:
            d = p.DETECTORS[det]
            cells.append(Cell(cat, det, share * detected, d.precision, d.automated_share))
        for rtype, rshare in p.REPORTER_SHARE.items():
            cells.append(
                Cell(
                    cat,
                    f"report:{rtype}",
                    share * (1 - detected) * rshare,
                    p.REPORTER_PRECISION[rtype],
                    p.REPORTED_AUTOMATED_SHARE,
                )
            )
    return tuple(cells)


@cache
def sweep_cells() -> tuple[Cell, ...]:
    """Cells of proactive sweep decisions; weights per base signalled object."""
    return tuple(
        Cell(cat, "sweep", p.SWEEP_RATE * share, p.SWEEP_PRECISION, p.SWEEP_AUTOMATED_SHARE)
        for cat, share in p.CATEGORY_SHARE.items()
    )


def p_violation(cells: tuple[Cell, ...] | list[Cell]) -> float:
    """Weighted P(decision is a violation) summed over cells."""
    return sum(
        c.weight * c.joint(m, t, True) for c in cells for m in METHODS for t in (True, False)
    )


@dataclass(frozen=True)
class Rates:
    """Steady-state daily rates at scale 1 (outside the attack wave)."""

    base_objects: float  # new signalled objects of fresh accounts
    followups: float  # signalled objects of re-offending accounts
    sweeps: float  # proactive sweep decisions
    reports: float
    violation_share: float  # P(violation decision | signalled object)

    @property
    def signalled(self) -> float:
        return self.base_objects + self.followups


@cache
def rates() -> Rates:
    """Solve for the base rate giving REPORTS_PER_DAY reports a day.

    Follow-ups: each violation decision (signalled or sweep) brings one more
    signalled object with probability q, so in steady state
    F = q (v (B + F) + S B), S = sweep rate per base object.
    """
    q = p.REOFFEND_PROBABILITY
    v = p_violation(signal_cells())
    follow_per_base = q * (v + p.SWEEP_RATE) / (1 - q * v)
    reports_per_signalled = sum(c.weight * c.expected_reports() for c in signal_cells())
    reports_per_base = (
        1 + follow_per_base
    ) * reports_per_signalled + p.SWEEP_RATE * p.SWEEP_LATE_REPORT_SHARE
    base = p.REPORTS_PER_DAY / reports_per_base
    return Rates(base, base * follow_per_base, base * p.SWEEP_RATE, p.REPORTS_PER_DAY, v)


def cell_arrays(cells: tuple[Cell, ...]) -> dict[str, np.ndarray]:
    """Cells as arrays, for vectorised sampling."""
    w = np.array([c.weight for c in cells])
    return {
        "prob": w / w.sum(),
        "category": np.array([c.category for c in cells]),
        "severity": np.array([c.severity for c in cells]),
        "source": np.array([c.source for c in cells]),
        "p_true": np.array([c.p_true for c in cells]),
        "p_automated": np.array([c.p_automated for c in cells]),
    }


def normal_cdf(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def lognormal_cdf(hours: float, median_hours: float, sigma: float) -> float:
    if hours <= 0:
        return 0.0
    return normal_cdf((math.log(hours) - math.log(median_hours)) / sigma)


def mixture_quantile(parts: list[tuple[float, float, float]], prob: float) -> float:
    """Quantile (hours) of a mixture of log-normals [(weight, median_h, sigma)]."""

    def cdf(x: float) -> float:
        return sum(w * lognormal_cdf(x, m, s) for w, m, s in parts)

    lo, hi = 1e-9, 1e7
    for _ in range(200):
        mid = math.sqrt(lo * hi)
        if cdf(mid) < prob:
            lo = mid
        else:
            hi = mid
    return math.sqrt(lo * hi)
