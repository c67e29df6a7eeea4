"""Interval coverage of the prevalence KPI over many seeded replications
(each ISO week of a long export is an independent replication).

- Unequal inclusion probabilities unrelated to the label (what Kish's
  effective sample size assumes): the 95% Wilson interval must cover the
  true prevalence 93-97% of the time.
- The generator's risk-stratified design (high-risk views over-sampled):
  Kish's n_eff then overstates the variance, so the interval is
  conservative; it must cover at least 95% of the time.

Measured figures are recorded in docs/kpis.md."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from conftest import query
from trustmart.build import build
from trustmart.contract import TABLES
from trustmart.generator import GeneratorConfig, generate

pytestmark = pytest.mark.slow

SELECT = ("--select", "+fct_prevalence_weekly", "--indirect-selection", "cautious")


def coverage(db: Path, truth_by_value: dict[str, float], dimension: str) -> tuple[int, int]:
    rows = query(
        db,
        f"""
        select dimension_value, ci_low, ci_high from marts.fct_prevalence_weekly
        where dimension = '{dimension}' and not is_upper_bound
        """,
    )
    covered = sum(low <= truth_by_value[value] <= high for value, low, high in rows)
    return covered, len(rows)


def write_uniform_label_export(raw: Path, weeks: int, seed: int, rate: float) -> None:
    """Header-only files for every table, plus prevalence samples from three
    strata with different inclusion probabilities and the same violation
    rate, and daily views."""
    rng = np.random.default_rng(seed)
    for table in TABLES.values():
        (raw / table.name).mkdir(parents=True, exist_ok=True)
        with (raw / table.name / "part-0.csv").open("w", newline="") as f:
            csv.writer(f).writerow(table.columns)
    strata = {"a": (240, 0.001), "b": (120, 0.004), "c": (40, 0.02)}  # samples/week, p
    start = datetime(2022, 1, 3)
    with (raw / "prevalence_samples" / "part-0.csv").open("a", newline="") as f:
        writer = csv.writer(f)
        sample = 0
        for week in range(weeks):
            for stratum, (n, probability) in strata.items():
                violating = rng.random(n) < rate
                for i in range(n):
                    sample += 1
                    viewed = start + timedelta(weeks=week, seconds=int(rng.integers(0, 604800)))
                    writer.writerow(
                        [
                            f"s{sample}",
                            viewed.isoformat() + "Z",
                            "feed",
                            stratum,
                            probability,
                            f"o{sample}",
                            str(bool(violating[i])).lower(),
                            "spam" if violating[i] else "",
                            (viewed + timedelta(days=1)).isoformat(),
                        ]
                    )
    with (raw / "views_daily" / "part-0.csv").open("a", newline="") as f:
        writer = csv.writer(f)
        for day in range(weeks * 7):
            writer.writerow([(start + timedelta(days=day)).date().isoformat(), "feed", 1000000])


def test_wilson_kish_interval_covers_95_percent(tmp_path: Path) -> None:
    rate = 0.05
    write_uniform_label_export(tmp_path / "raw", weeks=240, seed=2026, rate=rate)
    db = build(tmp_path / "raw", tmp_path / "w.duckdb", extra_args=SELECT).db
    covered, total = coverage(db, {"all": rate}, "overall")
    assert total >= 200
    share = covered / total
    print(f"uniform-label design: {covered}/{total} = {share:.3f}")
    assert 0.93 <= share <= 0.97


def test_interval_is_conservative_under_risk_stratified_sampling(tmp_path: Path) -> None:
    covered = total = 0
    for seed in (100, 101, 102, 103):
        root = tmp_path / str(seed)
        truth = generate(
            GeneratorConfig(out=root / "raw", seed=seed, days=392, scale=1.0, bad_row_share=0.0)
        )
        db = build(root / "raw", root / "w.duckdb", extra_args=SELECT).db
        c, t = coverage(db, {"all": truth["parameters"]["prevalence_overall"]["value"]}, "overall")
        covered += c
        total += t
    share = covered / total
    print(f"risk-stratified design: {covered}/{total} = {share:.3f}")
    assert total >= 200
    assert share >= 0.95
