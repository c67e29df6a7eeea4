"""KPI alerts on the seeded 140-day export (issue 4): the generator's attack
wave must be caught, and quiet weeks must raise few false alarms.

Which weeks are quiet: the attack wave (truth.json parameters.attack_wave)
inflates one category's volume for 4 days and slows every human review by
x2.5, so its week and the next one (decisions and resolutions of the wave's
objects land there) are not quiet. A week whose trailing history merely
contains the wave week is quiet: the band is a median +- scaled MAD, which
one outlier in 8 weeks barely moves. Non-final weeks (windows still open at
data_end, e.g. 30/90-day recurrence) are not counted either: their values
are censored, not noisy (see test_non_final_weeks_raise_no_drift_alerts).

Why the false-alarm bound is 6% and not ~0.05% (what 3.5 sigma would give):
the band comes from only 4-8 trailing weeks. With 8 Gaussian weeks, a new
Gaussian week leaves median +- 3.5 x 1.4826 x MAD 4.7% of the time (2.3%
with 13 weeks, 14% with 4; simulated, 400k draws), because the MAD of so few
points is itself very noisy. The measured rate on this seed is ~4.1%, in
line with that; the bound catches a regression (e.g. a narrower band or a
broken history window) without pretending the rule is quieter than it is.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import yaml

from conftest import query

PROJECT = Path(__file__).resolve().parents[2]
VARS = yaml.safe_load((PROJECT / "dbt_project.yml").read_text())["vars"]

#: Drift alerts per eligible quiet series-week, at most; see the module doc.
MAX_FALSE_ALARM_RATE = 0.06
#: Critical drift alerts (beyond alert_critical_mads) per eligible quiet series-week.
MAX_CRITICAL_FALSE_ALARM_RATE = 0.02


def wave_week(truth: dict) -> date:
    first_day = date.fromisoformat(truth["parameters"]["attack_wave"]["first_day"])
    return first_day - timedelta(days=first_day.weekday())


def eligible_sql() -> str:
    """Series-weeks kpi_alerts can raise a drift alert on: a value, a big
    enough denominator (or none) and at least alert_min_history_weeks such
    weeks among the previous alert_history_weeks weeks; with is_final and
    whether a drift alert was raised."""
    return f"""
        with series as (
            select * from marts.kpi_weekly
            where value is not null
              and (denominator is null or denominator >= {VARS["alert_min_denominator"]})
        ),
        eligible as (
            select
                current_week.metric_id, current_week.metric_version,
                current_week.dimension, current_week.dimension_value,
                current_week.week_start, any_value(current_week.is_final) as is_final
            from series as current_week
            inner join series as prior_week
                on current_week.metric_id = prior_week.metric_id
                and current_week.metric_version = prior_week.metric_version
                and current_week.dimension = prior_week.dimension
                and current_week.dimension_value = prior_week.dimension_value
                and prior_week.week_start < current_week.week_start
                and prior_week.week_start
                    >= current_week.week_start - interval {7 * VARS["alert_history_weeks"]} day
            group by all
            having count(*) >= {VARS["alert_min_history_weeks"]}
        ),
        drift as (select * from marts.kpi_alerts where alert_type = 'drift')
        select eligible.*, drift.alert_id is not null as alerted, drift.severity
        from eligible
        left join drift
            using (metric_id, metric_version, dimension, dimension_value, week_start)
    """


def test_every_drift_alert_is_on_an_eligible_series_week(generated) -> None:
    _, db, _ = generated
    (outside,) = query(
        db,
        f"""
        select count(*) from marts.kpi_alerts as a
        where alert_type = 'drift' and not exists (
            select 1 from ({eligible_sql()}) as e
            where e.metric_id = a.metric_id and e.metric_version = a.metric_version
              and e.dimension = a.dimension and e.dimension_value = a.dimension_value
              and e.week_start = a.week_start)
        """,
    )[0]
    assert outside == 0


def test_attack_wave_spike_is_caught(generated) -> None:
    _, db, truth = generated
    wave = truth["parameters"]["attack_wave"]
    week = wave_week(truth)
    alerts = query(
        db,
        f"""
        select metric_id, week_start, direction, severity, value, expected_high
        from marts.kpi_alerts
        where alert_type = 'drift' and dimension = 'category'
          and dimension_value = '{wave["category"]}'
          and metric_id in ('actioned_objects', 'ttr_p50_hours')
        order by metric_id, week_start
        """,
    )
    by_metric = {}
    for metric, week_start, direction, severity, value, high in alerts:
        by_metric.setdefault(metric, []).append((week_start, direction, severity))
        assert value > high
    # the volume spike (x multiplier for 4 of 7 days) is a critical drift up,
    # and the category's actioned volume raises no drift alert in any other week
    assert by_metric["actioned_objects"] == [(week, "up", "critical")]
    # the wave's slower human reviews: reports in the category wait longer
    assert (week, "up", "critical") in by_metric["ttr_p50_hours"]


def test_quiet_weeks_raise_few_false_alarms(generated) -> None:
    _, db, truth = generated
    week = wave_week(truth)
    quiet = f"""
        from ({eligible_sql()})
        where is_final and week_start not in (date '{week}', date '{week + timedelta(days=7)}')
    """
    eligible, alerts, critical, weeks = query(
        db,
        f"select count(*), count_if(alerted), count_if(severity = 'critical'), "
        f"count(distinct week_start) {quiet}",
    )[0]
    rate, critical_rate = alerts / eligible, critical / eligible
    print(
        f"\nquiet false-alarm rate: {alerts}/{eligible} = {rate:.2%} drift alerts per "
        f"eligible series-week over {weeks} weeks ({alerts / weeks:.1f} a week); "
        f"critical {critical}/{eligible} = {critical_rate:.2%}"
    )
    assert eligible > 1500
    assert weeks >= 12
    assert rate < MAX_FALSE_ALARM_RATE
    assert critical_rate < MAX_CRITICAL_FALSE_ALARM_RATE


def test_non_final_weeks_raise_no_drift_alerts(generated) -> None:
    _, db, _ = generated
    eligible, alerts, recurrence = query(
        db,
        f"select count(*), count_if(alerted), count_if(alerted and metric_id like 'recurrence%') "
        f"from ({eligible_sql()}) where not is_final",
    )[0]
    print(f"\nnon-final weeks: {alerts}/{eligible} drift alerts ({recurrence} on recurrence rates)")
    assert alerts == 0


def test_non_final_weeks_raise_no_alerts_at_all(generated) -> None:
    """Drift and target-miss alerts alike: every alert's week is final in
    kpi_weekly (the README's promise; before the fix 2 target misses of this
    seed were raised on provisional weeks)."""
    _, db, _ = generated
    by_type = query(
        db,
        """
        select alerts.alert_type, count(*) as alerts, count_if(not weekly.is_final) as non_final
        from marts.kpi_alerts as alerts
        inner join marts.kpi_weekly as weekly
            using (metric_id, metric_version, dimension, dimension_value, week_start)
        group by alerts.alert_type
        """,
    )
    (total,) = query(db, "select count(*) from marts.kpi_alerts")[0]
    assert sum(alerts for _, alerts, _ in by_type) == total, "an alert without its KPI row"
    assert {alert_type for alert_type, *_ in by_type} == {"drift", "target_miss"}
    assert [(t, n) for t, _, n in by_type if n] == []
