{#- Fails for every column of the model whose name looks like a record id
    or key of a person or an object (`*_id`, `*_ids`, `account_*`,
    `reviewer_*`, ...), except the `allowed` ones: report models must not
    publish record ids. Reads the catalog, so it holds whatever the rows. -#}
{% test no_id_columns(model, allowed=['metric_id', 'alert_id']) %}
{%- set id_pattern = '(^|_)ids?$'
    ~ '|(^|_)(account|reviewer|object|reporter|user|appeal|report|enforcement|detection|sample|qa)_(id|key|ids)$'
    ~ '|(^|_)(account|reviewer|object)(_|$)' %}
select columns.column_name
from information_schema.columns as columns
where
    columns.table_schema = '{{ model.schema }}'
    and columns.table_name = '{{ model.identifier }}'
    and regexp_matches(columns.column_name, '{{ id_pattern }}')
    {%- if allowed %}
    and columns.column_name not in ('{{ allowed | join("', '") }}')
    {%- endif %}
{% endtest %}
