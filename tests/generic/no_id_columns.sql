{#- Fails for every column of the model whose name looks like a record id
    or key of a person or an object (`*_id`, `*_ids`, `account_*`,
    `reviewer_*`, ...), except the `allowed` ones: report models must not
    publish record ids. Reads the catalog (the adapter's columns of the
    relation), so it holds whatever the rows. -#}
{% test no_id_columns(model, allowed=['metric_id', 'alert_id']) %}
{%- set id_pattern = '(^|_)ids?$'
    ~ '|(^|_)(account|reviewer|object|reporter|user|appeal|report|enforcement|detection|sample|qa)_(id|key|ids)$'
    ~ '|(^|_)(account|reviewer|object)(_|$)' %}
{#- the model's columns as the catalog has them (every engine) -#}
{%- set names = [] -%}
{%- if execute -%}
    {%- for col in adapter.get_columns_in_relation(model) -%}{%- do names.append(col.name) -%}{%- endfor -%}
{%- endif %}
select columns.column_name
from (
    {%- if names | length > 0 %}
    {%- set rows = [] -%}
    {%- for name in names -%}{%- do rows.append('(' ~ sql_string(name) ~ ')') -%}{%- endfor %}
    select column_name from (values {{ rows | join(', ') }}) as named (column_name)
    {%- else %}
    select cast(null as string) as column_name where false
    {%- endif %}
) as columns
where
    {{ regexp_test('columns.column_name', id_pattern) }}
    {%- if allowed %}
    and columns.column_name not in ('{{ allowed | join("', '") }}')
    {%- endif %}
{% endtest %}
