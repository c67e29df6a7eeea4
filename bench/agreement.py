"""The baseline cross-check: the warehouse's published KPI rows against the
plain-SQL baseline's (bench/baseline.sql), metric by metric."""

from __future__ import annotations

from pathlib import Path

import duckdb


def agreement(baseline_db: Path, warehouse: Path) -> list[dict]:
    """Per metric: published rows (every week, dimension and value) of the
    warehouse and of the baseline, and how many are equal (relative
    difference under 1e-9, or both null). The daily backlog counts too."""
    sql = """
        with
        wh_rows as (
            select metric_id, week_start as period, dimension, dimension_value, value
            from wh.marts.kpi_weekly where metric_version = 1
            union all
            select metric_id, day, dimension, dimension_value, numerator
            from wh.marts.kpi_daily where metric_version = 1
        ),
        bl_rows as (
            select metric_id, week_start as period, dimension, dimension_value, value
            from bl.kpi_weekly
            union all
            select 'backlog_open_items', day, dimension, dimension_value, open_items
            from bl.backlog_daily
            union all
            select 'backlog_over_target', day, dimension, dimension_value, over_target_items
            from bl.backlog_daily
        )
        select
            metric_id,
            count(w.period) as warehouse_rows,
            count(b.period) as baseline_rows,
            count(*) filter (
                where w.period is not null and b.period is not null
                and (
                    (b.value is null and w.value is null)
                    or abs(b.value - w.value) <= 1e-9 * greatest(abs(w.value), 1)
                )
            ) as equal_rows,
            max(abs(b.value - w.value) / nullif(abs(w.value), 0)) as max_relative_difference,
            max(abs(b.value - w.value) / nullif(abs(w.value), 0))
                filter (where dimension = 'overall') as max_relative_difference_overall
        from wh_rows as w
        full join bl_rows as b using (metric_id, period, dimension, dimension_value)
        group by metric_id
        order by metric_id
    """
    try:
        with duckdb.connect() as con:
            con.execute(f"attach '{baseline_db}' as bl (read_only)")
            con.execute(f"attach '{warehouse}' as wh (read_only)")
            rows = con.execute(sql).fetchall()
    except duckdb.Error as error:
        print(f"  (could not compare baseline and warehouse: {error})")
        return []
    keys = (
        "metric_id",
        "warehouse_rows",
        "baseline_rows",
        "equal_rows",
        "max_relative_difference",
        "max_relative_difference_overall",
    )
    return [dict(zip(keys, row, strict=True)) for row in rows]
