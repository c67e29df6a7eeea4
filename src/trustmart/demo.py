"""The demo's export: about twelve weeks of seeded data that end yesterday,
so that a demo run today shows current weeks, fresh sources and recent
alerts, not a stale warehouse.

The export starts on the Monday twelve weeks before yesterday's week (weeks
stay whole, and the generator's weekly cycles keep their weekday) and runs
through yesterday (85 to 91 days). It depends only on the seed and the
date: two runs on the same day write the same export, and truth.json means
the same whatever the date (only the calendar moves).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from trustmart.generator import GENERATOR_VERSION, GeneratorConfig

#: Weeks of data before yesterday's week; scale, file format, bad-row share.
DEMO_WEEKS = 12
DEMO_SCALE = 0.5
DEMO_FORMAT = "parquet"
DEMO_BAD_ROW_SHARE = 0.01


def today_utc() -> date:
    return datetime.now(UTC).date()


def demo_config(out: Path, seed: int, today: date | None = None) -> GeneratorConfig:
    """The demo export of `seed` as of `today` (default: today, UTC)."""
    last_day = (today or today_utc()) - timedelta(days=1)
    start = last_day - timedelta(days=last_day.weekday(), weeks=DEMO_WEEKS)
    return GeneratorConfig(
        out=out,
        seed=seed,
        days=(last_day - start).days + 1,
        scale=DEMO_SCALE,
        fmt=DEMO_FORMAT,
        bad_row_share=DEMO_BAD_ROW_SHARE,
        start_date=start,
    )


def demo_export_matches(config: GeneratorConfig) -> bool:
    """True when `config.out` already holds exactly this export (same
    seed, dates and generator version): the demo reuses it."""
    try:
        written = json.loads((Path(config.out) / "truth.json").read_text())["config"]
    except (OSError, ValueError, KeyError):
        return False
    wanted = config.as_dict() | {"generator_version": GENERATOR_VERSION}
    wanted.pop("out", None)
    return all(written.get(key) == value for key, value in wanted.items())
