"""Calendar helpers: daily/weekly cycles, the attack wave, random delays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import params as p
from .config import GeneratorConfig

_DIURNAL = np.array(p.DIURNAL) / np.sum(p.DIURNAL)


@dataclass(frozen=True)
class Window:
    """A half-open interval of epoch seconds."""

    start: int
    end: int

    def contains(self, t: np.ndarray) -> np.ndarray:
        return (t >= self.start) & (t < self.end)


def weekday(config: GeneratorConfig, day: int) -> int:
    """Weekday (Monday = 0) of day index `day`."""
    return (config.start_date.weekday() + day) % 7


def activity(config: GeneratorConfig, day: int) -> float:
    """Relative volume of signalled objects (and views) on day index `day`."""
    return p.WEEKLY_ACTIVITY[weekday(config, day)]


def attack_days(config: GeneratorConfig) -> tuple[int, int]:
    """First day index and number of days of the attack wave: the Tuesday of
    the middle week (relative to the start), clipped to the period."""
    n = min(p.ATTACK_DAYS, config.days)
    first = min(7 * (config.days // 14) + 1, config.days - n)
    return max(first, 0), n


def attack_window(config: GeneratorConfig) -> Window:
    first, n = attack_days(config)
    start = config.start_epoch + first * 86400
    return Window(start, start + n * 86400)


def times_in_day(rng: np.random.Generator, day_start: int, n: int) -> np.ndarray:
    """n epoch-second times within one day, following the diurnal cycle."""
    hours = rng.choice(24, size=n, p=_DIURNAL)
    return day_start + hours * 3600 + rng.integers(0, 3600, size=n)


def lognormal_seconds(
    rng: np.random.Generator, dist: p.LogNormal, n: int, minimum: int = 1
) -> np.ndarray:
    """n log-normal delays in whole seconds (at least `minimum`)."""
    x = rng.lognormal(np.log(dist.median_hours * 3600.0), dist.sigma, size=n)
    return np.maximum(np.rint(x), minimum).astype(np.int64)


def uniform_seconds(
    rng: np.random.Generator, lo_hours: float, hi_hours: float, n: int
) -> np.ndarray:
    return np.rint(rng.uniform(lo_hours * 3600, hi_hours * 3600, size=n)).astype(np.int64)
