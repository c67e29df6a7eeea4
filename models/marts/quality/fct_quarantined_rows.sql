with

{% for table_name in raw_table_names() %}
quarantined_{{ table_name }} as (
    select
        '{{ table_name }}' as source_table,
        _source_file as source_file,
        _source_row as source_row,
        quarantine_reason as reason,
        quarantine_detail as reason_detail,
        raw_row
    from {{ ref('base_raw__' ~ table_name) }}
    where row_status = 'quarantined'
),

{% endfor %}
all_quarantined as (
    {% for table_name in raw_table_names() -%}
    select
        source_table,
        source_file,
        source_row,
        reason,
        reason_detail,
        raw_row
    from quarantined_{{ table_name }}
    {% if not loop.last %}union all
    {% endif %}
    {%- endfor %}
),

final as (
    select
        md5(source_table || '|' || source_file || '|' || source_row)
            as quarantined_row_id,
        source_table,
        source_file,
        reason,
        reason_detail,
        raw_row,
        source_row,
        {{ utc_timestamp("'" ~ run_started_at ~ "'") }} as loaded_at
    from all_quarantined
)

select * from final
