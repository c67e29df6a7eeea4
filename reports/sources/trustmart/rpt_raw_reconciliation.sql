-- Thin select over the report model marts.rpt_raw_reconciliation (models/marts/report):
-- exact pipeline row counts (not people: not suppressed). Never empty.
select
    source_table,
    reconciliation_status,
    raw_rows,
    staged_rows,
    quarantined_rows,
    superseded_rows,
    unaccounted_rows,
    quarantined_share,
    is_reconciled
from marts.rpt_raw_reconciliation
