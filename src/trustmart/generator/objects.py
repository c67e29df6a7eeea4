"""Sample the objects that enter review: signalled objects (first reported
or first detected) and proactive sweep decisions (no prior signal)."""

from __future__ import annotations

import numpy as np

from . import params as p
from .ids import Counters
from .model import cell_arrays, signal_cells, sweep_cells
from .rows import Rows

CATEGORIES: tuple[str, ...] = tuple(p.CATEGORY_SHARE)
SURFACE_CODES: tuple[str, ...] = tuple(p.SURFACE_SHARE)

# cumulative surface distribution per category (rows follow CATEGORIES)
_SURFACE_CUM = np.cumsum(
    [
        [p.SURFACE_SHARE_BY_CATEGORY.get(c, p.SURFACE_SHARE)[s] for s in SURFACE_CODES]
        for c in CATEGORIES
    ],
    axis=1,
)
_SIGNAL = cell_arrays(signal_cells())
_SWEEP = cell_arrays(sweep_cells())


def _attack_probs(category: str) -> np.ndarray:
    prob = np.where(_SIGNAL["category"] == category, _SIGNAL["prob"], 0.0)
    return prob / prob.sum()


def category_index(categories: np.ndarray) -> np.ndarray:
    """Index into CATEGORIES of each category code."""
    uniq, inv = np.unique(categories, return_inverse=True)
    return np.array([CATEGORIES.index(u) for u in uniq], dtype=np.int64)[inv]


def _surfaces(rng: np.random.Generator, categories: np.ndarray) -> np.ndarray:
    u = rng.random(len(categories))[:, None]
    idx = (u >= _SURFACE_CUM[category_index(categories)]).sum(axis=1)
    return np.array(SURFACE_CODES)[np.minimum(idx, len(SURFACE_CODES) - 1)]


def _objects(
    rng: np.random.Generator,
    cells: dict[str, np.ndarray],
    prob: np.ndarray,
    t: np.ndarray,
    accounts: np.ndarray,
    counters: Counters,
    *,
    may_be_account: bool,
    spawn: bool,
) -> Rows:
    n = len(t)
    cell = rng.choice(len(prob), size=n, p=prob)
    source = cells["source"][cell]
    category = cells["category"][cell]
    is_report = np.char.startswith(source, "report:")
    is_account = (
        is_report & (rng.random(n) < p.ACCOUNT_OBJECT_SHARE)
        if may_be_account
        else np.zeros(n, bool)
    )
    content_ids = counters.take("c", n)
    surface = np.where(is_account, "profile", _surfaces(rng, category))
    return Rows(
        {
            "t_signal": t.astype(np.int64),
            "account": accounts.astype(np.int64),
            "object": np.where(is_account, -accounts, content_ids),
            "object_type": np.where(is_account, "account", "content"),
            "surface": surface,
            "category": category,
            "severity": cells["severity"][cell],
            "source": source,
            "truth": rng.random(n) < cells["p_true"][cell],
            "automated": rng.random(n) < cells["p_automated"][cell],
            "spawn": np.full(n, spawn),
        }
    )


def signalled_objects(
    rng: np.random.Generator,
    t: np.ndarray,
    counters: Counters,
    *,
    accounts: np.ndarray | None = None,
    attack: bool = False,
) -> Rows:
    """Objects whose first signal is at `t`. New objects get fresh accounts
    (and may be accounts themselves); follow-ups pass the re-offending
    `accounts`; attack objects are of the attack category and never re-offend."""
    followup = accounts is not None
    if accounts is None:
        accounts = counters.take("a", len(t))
    prob = _attack_probs(p.ATTACK_CATEGORY) if attack else _SIGNAL["prob"]
    return _objects(
        rng, _SIGNAL, prob, t, accounts, counters, may_be_account=not followup, spawn=not attack
    )


def sweep_objects(rng: np.random.Generator, t_decided: np.ndarray, counters: Counters) -> Rows:
    """Proactive sweep decisions at `t_decided` (all violations)."""
    rows = _objects(
        rng,
        _SWEEP,
        _SWEEP["prob"],
        t_decided,
        counters.take("a", len(t_decided)),
        counters,
        may_be_account=False,
        spawn=True,
    )
    rows["t_decided"] = t_decided.astype(np.int64)
    return rows
