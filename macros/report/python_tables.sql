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
            'run_at timestamp', 'suite varchar', 'check_name varchar', 'severity varchar',
            'status varchar', 'observed_value varchar', 'threshold varchar', 'details varchar',
        ],
        'build_info': [
            'raw_dir varchar', 'built_at timestamp', 'data_end_at timestamp', 'build_mode varchar',
            'code_fingerprint varchar', 'config_fingerprint varchar', 'config_path varchar',
        ],
        'metric_parameter_changes': [
            'changed_at timestamp', 'metric_id varchar', 'metric_version integer',
            'parameter varchar', 'parameter_key varchar', 'old_value varchar',
            'new_value varchar', 'defined_by varchar',
        ],
    } -%}
    {%- if table_name not in tables -%}
        {{ exceptions.raise_compiler_error("python_table_ddl: no DDL for table '" ~ table_name
            ~ "'; known: " ~ tables.keys() | join(', ')) }}
    {%- endif -%}
    create table if not exists {{ schema }}.{{ table_name }} ({{ tables[table_name] | join(', ') }})
{%- endmacro %}
