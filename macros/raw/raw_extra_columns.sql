{#- Extra columns the export carried beyond the contract, passed through
    staging untouched (raw contract): everything in the base model that is
    neither a contract column, the original of a code (`<code>_raw`), nor
    bookkeeping. -#}
{% macro raw_extra_columns(table_name) %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set node = raw_source_node(table_name) -%}
    {%- set excluded = node.columns.values() | map(attribute='name') | list -%}
    {%- for name in raw_code_columns(node) -%}{%- do excluded.append(name ~ '_raw') -%}{%- endfor -%}
    {%- do excluded.extend(['_source_file', '_source_row', '_raw_row_id', 'row_status',
        'quarantine_reason', 'quarantine_column', 'quarantine_detail', 'raw_row']) -%}
    {%- set quoted = [] -%}
    {%- for name in excluded -%}{%- do quoted.append('"' ~ name ~ '"') -%}{%- endfor -%}
    {{- return(', ' ~ star_except(quoted)) -}}
{% endmacro %}

