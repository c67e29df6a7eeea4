"""The demo's export is anchored to the current date: about twelve whole
weeks ending yesterday, the same for a given seed and date."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from trustmart.demo import demo_config, demo_export_matches
from trustmart.generator import generate


@pytest.mark.parametrize("today", [date(2026, 12, 7), date(2026, 12, 9), date(2027, 3, 1)])
def test_the_export_ends_yesterday_and_starts_on_a_monday(today: date) -> None:
    config = demo_config(Path("raw"), seed=42, today=today)
    assert config.end_date == today - timedelta(days=1)
    assert config.start_date.weekday() == 0
    assert 12 * 7 < config.days <= 13 * 7
    assert config == demo_config(Path("raw"), seed=42, today=today)  # deterministic


def test_the_demo_reuses_its_export_only_for_the_same_seed_and_dates(tmp_path: Path) -> None:
    today = date(2026, 12, 9)
    config = demo_config(tmp_path / "raw", seed=3, today=today)
    generate(config)
    assert demo_export_matches(demo_config(tmp_path / "raw", seed=3, today=today))
    assert not demo_export_matches(demo_config(tmp_path / "raw", seed=4, today=today))
    tomorrow = today + timedelta(days=1)
    assert not demo_export_matches(demo_config(tmp_path / "raw", seed=3, today=tomorrow))
