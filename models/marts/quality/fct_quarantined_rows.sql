with

{% for table_name in raw_table_names() %}
quarantined_{{ table_name }} as (
    select
        '{{ table_name }}' as source_table,
        _source_file as source_file,
        quarantine_reason as reason,
        quarantine_column as column_name,
        quarantine_detail as reason_detail,
        raw_row,
        _source_row as source_row
    from {{ ref('base_raw__' ~ table_name) }}
    where row_status = 'quarantined'
),

{% endfor %}
load_errors as (
    select * from {{ ref('stg_landing__load_errors') }}
),

unread_lines_and_files as (
    select
        source_table,
        source_file,
        error_kind as reason,
        cast(null as string) as column_name,
        case
            when error_kind = 'malformed_line'
                then 'line ' || line_number || ': ' || lower(error_type) || ' (' || error_message || ')'
            else 'unreadable file (' || size_bytes || ' bytes): ' || error_message
        end as reason_detail,
        case
            when error_kind = 'malformed_line'
                then {{ json_text(struct_of([('line_number', 'line_number'), ('line', 'raw_text')])) }}
            else {{ json_text(struct_of([('size_bytes', 'size_bytes'), ('error', 'error_message')])) }}
        end as raw_row,
        line_number as source_row
    from load_errors
),

all_quarantined as (
    {% for table_name in raw_table_names() -%}
    select
        source_table,
        source_file,
        reason,
        column_name,
        reason_detail,
        raw_row,
        source_row
    from quarantined_{{ table_name }}
    union all
    {% endfor -%}
    select
        source_table,
        source_file,
        reason,
        column_name,
        reason_detail,
        raw_row,
        source_row
    from unread_lines_and_files
),

final as (
    select
        md5(source_table || '|' || source_file || '|' || coalesce(cast(source_row as string), 'file'))
            as quarantined_row_id,
        source_table,
        source_file,
        reason,
        column_name,
        reason_detail,
        raw_row,
        source_row,
        {{ utc_timestamp("'" ~ run_started_at ~ "'") }} as loaded_at
    from all_quarantined
)

select * from final
