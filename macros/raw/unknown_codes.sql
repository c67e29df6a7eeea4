{#- One select per code column of every raw table: the rows its base model
    quarantined as unknown_code for that column, with the platform value
    as a config key would name it (fct_unknown_codes). -#}
{% macro unknown_code_selects() %}
    {%- set selects = [] -%}
    {%- for table_name in raw_table_names() -%}
        {%- set node = raw_source_node(table_name) -%}
        {%- for name in raw_code_columns(node) -%}
            {%- do selects.append(
                "select '" ~ table_name ~ "' as source_table, '" ~ name ~ "' as column_name, '"
                ~ node.columns[name].meta['code_set'] ~ "' as code_set, lower(trim(" ~ name
                ~ "_raw)) as platform_value from " ~ ref('base_raw__' ~ table_name)
                ~ " where quarantine_reason = 'unknown_code' and quarantine_column = '" ~ name ~ "'") -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- return(selects | join('\nunion all\n')) -}}
{% endmacro %}
