{#-
    DDL of the marts tables the Python side of trustmart writes after dbt
    has run, for the pre-hooks of the report views that read them: each
    view creates its table, empty, when no build or check has written it
    yet. The columns are those Python creates, in the same order:
    dq_results (src/trustmart/quality/results.py, `trustmart check`),
    build_info and metric_parameter_changes
    (src/trustmart/quality/history.py, `trustmart build`). Change both
    sides together.
-#}
{% macro python_table_ddl(table_name, schema) %}
    {%- set tables = {
        'dq_results': [
            'run_at timestamp', 'suite string', 'check_name string', 'severity string',
            'status string', 'observed_value string', 'threshold string', 'details string',
        ],
        'build_info': [
            'raw_dir string', 'built_at timestamp', 'data_end_at timestamp', 'build_mode string',
            'code_fingerprint string', 'config_fingerprint string', 'config_path string',
        ],
        'metric_parameter_changes': [
            'changed_at timestamp', 'metric_id string', 'metric_version integer',
            'parameter string', 'parameter_key string', 'old_value string',
            'new_value string', 'defined_by string',
        ],
    } -%}
    {%- if table_name not in tables -%}
        {{ exceptions.raise_compiler_error("python_table_ddl: no DDL for table '" ~ table_name
            ~ "'; known: " ~ tables.keys() | join(', ')) }}
    {%- endif -%}
    create table if not exists {{ schema }}.{{ table_name }} ({{ tables[table_name] | join(', ') }})
    {%- if target.type == 'spark' %} using parquet{% endif %}
{%- endmacro %}
