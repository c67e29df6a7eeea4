-- One row per raw table: the proof that no raw row disappeared (raw rows =
-- staged + quarantined + superseded), as the data-quality page shows it.
-- Like every count the report publishes, a count below
-- var('report_min_count') is nulled (is_suppressed says some count of the
-- row was); reconciliation_status still says whether the table reconciles.
{%- set min_count = var('report_min_count', 10) %}
{%- set count_columns = [
    'raw_rows', 'staged_rows', 'quarantined_rows', 'superseded_rows', 'unaccounted_rows'
] %}

with

fct_raw_reconciliation as (
    select * from {{ ref('fct_raw_reconciliation') }}
),

final as (
    select
        source_table,
        case when is_reconciled then 'reconciled' else 'NOT reconciled' end
            as reconciliation_status,
        {%- for column in count_columns %}
        case
            when {{ column }} >= {{ min_count }} then cast({{ column }} as bigint)
        end as {{ column }},
        {%- endfor %}
        case
            when quarantined_rows >= {{ min_count }}
                then cast(quarantined_rows as double) / nullif(raw_rows, 0)
        end as quarantined_share,
        is_reconciled,
        (
            {%- for column in count_columns %}
            {{ column }} < {{ min_count }}{% if not loop.last %} or{% endif %}
            {%- endfor %}
        ) as is_suppressed
    from fct_raw_reconciliation
)

select * from final
