-- One row per raw table and quarantine reason, plus one `all reasons` row
-- per raw table (every table of fct_raw_reconciliation, so the model always
-- has rows): how many raw rows broke the raw contract. Counts below
-- var('report_min_count') are suppressed (nulled, is_suppressed), like every
-- count the report publishes; the table totals are counted before
-- suppression.
{%- set min_count = var('report_min_count', 10) %}

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
        case
            when quarantined_rows >= {{ min_count }} then cast(quarantined_rows as bigint)
        end as quarantined_rows,
        case
            when quarantined_rows >= {{ min_count }} then format('{:,}', quarantined_rows)
            else 'fewer than {{ min_count }}'
        end as quarantined_label,
        is_total,
        quarantined_rows < {{ min_count }} as is_suppressed
    from counts
)

select * from final
