"""Exposure tables: views per surface and day, daily active users, and the
stratified prevalence sample of content views."""

from __future__ import annotations

import numpy as np

from . import params as p
from .clock import activity, times_in_day, uniform_seconds, weekday
from .config import GeneratorConfig
from .ids import Counters
from .objects import CATEGORIES
from .rows import Rows

SURFACE_CODES = tuple(p.VIEWS_PER_DAY)
_CAT_PROB = np.array(list(p.CATEGORY_SHARE.values()))


def _noise(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.clip(1.0 + p.DAILY_NOISE * rng.standard_normal(n), 0.5, 1.5)


def exposure_rows(
    rng: np.random.Generator, config: GeneratorConfig, days: range, counters: Counters
) -> dict[str, Rows]:
    """views_daily, active_users_daily and prevalence_samples for `days`."""
    epoch_day0 = config.start_epoch // 86400
    views_rows: list[Rows] = []
    dau_rows: list[Rows] = []
    samples: list[Rows] = []
    for day in days:
        views = np.rint(
            np.array([p.VIEWS_PER_DAY[s] for s in SURFACE_CODES])
            * config.scale
            * activity(config, day)
            * _noise(rng, len(SURFACE_CODES))
        ).astype(np.int64)
        views_rows.append(
            Rows(
                {
                    "date": np.full(len(SURFACE_CODES), epoch_day0 + day),
                    "surface": np.array(SURFACE_CODES),
                    "views": views,
                }
            )
        )
        users = p.ACTIVE_USERS * config.scale * p.WEEKLY_USERS[weekday(config, day)]
        dau_rows.append(
            Rows(
                {
                    "date": np.array([epoch_day0 + day]),
                    "active_users": np.rint(users * _noise(rng, 1)).astype(np.int64),
                }
            )
        )
        day_start = config.start_epoch + day * 86400
        for s, surface in enumerate(SURFACE_CODES):
            high = p.HIGH_RISK_VIEW_SHARE[surface]
            for stratum in p.STRATA:
                share = high if stratum == "high_risk" else 1.0 - high
                n = max(1, round(p.SAMPLES_PER_DAY[stratum] * config.scale))
                stratum_views = max(views[s] * share, n)
                viewed = times_in_day(rng, day_start, n)
                violating = rng.random(n) < p.VIOLATION_RATE[surface][stratum]
                category = np.where(
                    violating, rng.choice(np.array(CATEGORIES), size=n, p=_CAT_PROB), ""
                )
                samples.append(
                    Rows(
                        {
                            "sample_id": counters.take("s", n),
                            "viewed_at": viewed,
                            "surface": np.full(n, surface),
                            "stratum": np.full(n, stratum),
                            "inclusion_probability": np.full(n, n / stratum_views),
                            "object_id": counters.take("c", n),
                            "is_violating": violating,
                            "violation_category": category,
                            "labeled_at": viewed + uniform_seconds(rng, *p.LABEL_DELAY_HOURS, n),
                        }
                    )
                )
    sample = Rows.concat(samples)
    # labels not yet back at the export cut-off are not exported
    sample = sample.take(np.flatnonzero(sample["labeled_at"] < config.end_epoch))
    out = {
        "views_daily": Rows.concat(views_rows),
        "active_users_daily": Rows.concat(dau_rows),
        "prevalence_samples": sample,
    }
    for rows in out.values():
        rows["_final"] = np.ones(len(rows), bool)
        rows["_file"] = np.zeros(len(rows), np.int8)
    return out
