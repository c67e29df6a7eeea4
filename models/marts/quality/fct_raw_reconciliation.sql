with

load_probes as (
    select * from {{ ref('stg_landing__load_probes') }}
),

load_errors as (
    select * from {{ ref('stg_landing__load_errors') }}
),

quarantined_rows as (
    select * from {{ ref('fct_quarantined_rows') }}
),

{% for table_name in raw_table_names() %}
staged_{{ table_name }} as (
    select count(*) as row_count from {{ ref('stg_raw__' ~ table_name) }}
),

superseded_{{ table_name }} as (
    select count(*) as row_count
    from {{ ref('base_raw__' ~ table_name) }}
    where row_status = 'superseded'
),

{% endfor %}
rows_read as (
    select
        source_table,
        sum(rows_read) as row_count,
        count(*) filter (where not is_readable) as unreadable_files
    from load_probes
    group by source_table
),

malformed as (
    select
        source_table,
        count(*) as line_count
    from load_errors
    where error_kind = 'malformed_line'
    group by source_table
),

quarantined as (
    select
        source_table,
        count(*) as row_count
    from quarantined_rows
    where reason != 'unreadable_file'
    group by source_table
),

counts as (
    {% for table_name in raw_table_names() -%}
    select
        '{{ table_name }}' as source_table,
        coalesce(rows_read.row_count, 0) + coalesce(malformed.line_count, 0) as raw_rows,
        staged_{{ table_name }}.row_count as staged_rows,
        coalesce(quarantined.row_count, 0) as quarantined_rows,
        superseded_{{ table_name }}.row_count as superseded_rows,
        coalesce(malformed.line_count, 0) as malformed_lines,
        coalesce(rows_read.unreadable_files, 0) as unreadable_files
    from staged_{{ table_name }}
    cross join superseded_{{ table_name }}
    left join rows_read
        on rows_read.source_table = '{{ table_name }}'
    left join malformed
        on malformed.source_table = '{{ table_name }}'
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
        malformed_lines,
        unreadable_files,
        raw_rows - staged_rows - quarantined_rows - superseded_rows
            as unaccounted_rows,
        raw_rows = staged_rows + quarantined_rows + superseded_rows
            as is_reconciled
    from counts
)

select * from final
