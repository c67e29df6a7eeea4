{#- Extra columns the export carried beyond the contract, passed through
    staging untouched (raw-contract.md): everything in the base model that
    is neither a contract column nor bookkeeping. -#}
{% macro raw_extra_columns(table_name) %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set names = raw_source_node(table_name).columns.values() | map(attribute='name') | list -%}
    {%- set excluded = names + ['_source_file', '_source_row', '_raw_row_id', 'row_status', 'quarantine_reason', 'quarantine_detail', 'raw_row'] -%}
    {{- return(', * exclude ("' ~ excluded | join('", "') ~ '")') -}}
{% endmacro %}
