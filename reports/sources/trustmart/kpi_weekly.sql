-- Thin select over the published mart; the marts do the work.
-- A source that returns zero rows breaks every page using it.
-- Every source is shipped to the browser as Parquet with the site, so this
-- one publishes no counts, and no row whose numerator or denominator is
-- below 10 (the report's small-count threshold, dbt var report_min_count).
-- The report pages read the suppressed report models (rpt_*.sql) instead;
-- this source is kept for the pipeline test (tests/python/test_report_infra.py).
select
    week_start,
    metric_id,
    metric_version,
    dimension,
    dimension_value,
    value,
    ci_low,
    ci_high,
    is_upper_bound,
    is_final
from marts.kpi_weekly
where
    coalesce(numerator, 10) >= 10
    and coalesce(denominator, 10) >= 10
