-- Thin select over the report model marts.rpt_raw_reconciliation (models/marts/report):
-- aggregates only, small counts already suppressed. Never empty.
select
    source_table,
    reconciliation_status,
    raw_rows,
    staged_rows,
    quarantined_rows,
    superseded_rows,
    unaccounted_rows,
    quarantined_share,
    is_reconciled,
    is_suppressed
from marts.rpt_raw_reconciliation
