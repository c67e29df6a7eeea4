with

{% for table_name in raw_table_names() %}
raw_{{ table_name }} as (
    select count(*) as row_count from {{ source('raw', table_name) }}
),

staged_{{ table_name }} as (
    select count(*) as row_count from {{ ref('stg_raw__' ~ table_name) }}
),

superseded_{{ table_name }} as (
    select count(*) as row_count
    from {{ ref('base_raw__' ~ table_name) }}
    where row_status = 'superseded'
),

{% endfor %}
quarantined as (
    select
        source_table,
        count(*) as row_count
    from {{ ref('fct_quarantined_rows') }}
    group by source_table
),

counts as (
    {% for table_name in raw_table_names() -%}
    select
        '{{ table_name }}' as source_table,
        raw_{{ table_name }}.row_count as raw_rows,
        staged_{{ table_name }}.row_count as staged_rows,
        coalesce(quarantined.row_count, 0) as quarantined_rows,
        superseded_{{ table_name }}.row_count as superseded_rows
    from raw_{{ table_name }}
    cross join staged_{{ table_name }}
    cross join superseded_{{ table_name }}
    left join quarantined
        on quarantined.source_table = '{{ table_name }}'
    {% if not loop.last %}union all
    {% endif %}
    {%- endfor %}
),

final as (
    select
        source_table,
        raw_rows,
        staged_rows,
        quarantined_rows,
        superseded_rows,
        raw_rows - staged_rows - quarantined_rows - superseded_rows
            as unaccounted_rows,
        raw_rows = staged_rows + quarantined_rows + superseded_rows
            as is_reconciled
    from counts
)

select * from final
