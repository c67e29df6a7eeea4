-- One row per raw table: the proof that no raw row disappeared (raw rows =
-- staged + quarantined + superseded), as the data-quality page shows it.
-- The counts are exact: they count rows of the pipeline, not people, so the
-- small-count suppression of the KPI counts does not apply (it would hide a
-- handful of unaccounted or quarantined rows, the counts that matter most).
with

fct_raw_reconciliation as (
    select * from {{ ref('fct_raw_reconciliation') }}
),

final as (
    select
        source_table,
        case when is_reconciled then 'reconciled' else 'NOT reconciled' end
            as reconciliation_status,
        cast(raw_rows as bigint) as raw_rows,
        cast(staged_rows as bigint) as staged_rows,
        cast(quarantined_rows as bigint) as quarantined_rows,
        cast(superseded_rows as bigint) as superseded_rows,
        cast(unaccounted_rows as bigint) as unaccounted_rows,
        cast(quarantined_rows as double) / nullif(raw_rows, 0) as quarantined_share,
        is_reconciled
    from fct_raw_reconciliation
)

select * from final
