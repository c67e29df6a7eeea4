{#- Fails with one row per listed column that holds a null: the column's
    name and how many rows have it null. The not_null tests of one model in
    one dbt node and one scan: a node per column cost a build more than the
    scans (docs/performance.md, "One not_null node per model"). -#}
{% test not_null_columns(model, columns) %}
with null_counts as (
    select
    {%- for column in columns %}
        {{ count_where(column ~ ' is null') }} as nulls_{{ loop.index }}{{ ',' if not loop.last }}
    {%- endfor %}
    from {{ model }}
)
{% for column in columns %}
select
    '{{ column }}' as column_name,
    nulls_{{ loop.index }} as null_rows
from null_counts
where nulls_{{ loop.index }} > 0
{% if not loop.last %}union all{% endif %}
{% endfor %}
{% endtest %}
