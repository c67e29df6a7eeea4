-- One row per raw table and quarantine reason, plus one `all reasons` row
-- per raw table (every table of fct_raw_reconciliation, so the model always
-- has rows): how many raw rows broke the raw contract.
-- The counts are exact. They count rows of the pipeline, not people, so the
-- small-count suppression of the KPI counts (which protects people) does not
-- apply: it would hide the small quarantine counts that matter most (a
-- handful of rows with an unknown code is the first sign of a new code).
with

fct_quarantined_rows as (
    select * from {{ ref('fct_quarantined_rows') }}
),

fct_raw_reconciliation as (
    select * from {{ ref('fct_raw_reconciliation') }}
),

by_reason as (
    select
        source_table,
        reason,
        count(*) as quarantined_rows
    from fct_quarantined_rows
    group by source_table, reason
),

by_table as (
    select
        source_table,
        'all reasons' as reason,
        quarantined_rows
    from fct_raw_reconciliation
),

counts as (
    select
        source_table,
        reason,
        quarantined_rows,
        false as is_total
    from by_reason
    union all
    select
        source_table,
        reason,
        quarantined_rows,
        true as is_total
    from by_table
),

final as (
    select
        source_table,
        reason,
        cast(quarantined_rows as bigint) as quarantined_rows,
        {{ number_text('quarantined_rows') }} as quarantined_label,
        is_total
    from counts
)

select * from final
