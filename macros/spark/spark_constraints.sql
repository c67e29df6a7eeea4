{#-
    Spark: the `not_null` constraints of enforced contracts. A Parquet
    table cannot hold one (`alter table ... set not null` is for Delta
    tables), so instead of failing, the constraint is checked once the
    table is built: one query counts the nulls of every constrained column,
    and any null fails the model, naming the columns. The guarantee stays
    what the contract says on DuckDB. Found before dbt-spark's own macro
    through the project's dispatch order (dbt_project.yml).
-#}
{% macro spark__alter_column_set_constraints(relation, column_dict) %}
    {%- set checked = [] -%}
    {%- for column_name in column_dict -%}
        {%- for constraint in column_dict[column_name]['constraints'] -%}
            {%- if constraint.type == 'not_null' -%}
                {%- do checked.append(column_name) -%}
            {%- else -%}
                {{ exceptions.warn('Invalid constraint for column ' ~ column_name ~ '. Only `not_null` is supported.') }}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if checked | length == 0 -%}{{ return(none) }}{%- endif -%}
    {%- set counts = [] -%}
    {%- for name in checked -%}
        {%- do counts.append('count_if(' ~ adapter.quote(name) ~ ' is null)') -%}
    {%- endfor -%}
    {%- set row = run_query('select ' ~ counts | join(', ') ~ ' from ' ~ relation).rows[0] -%}
    {%- set breaches = [] -%}
    {%- for name in checked -%}
        {%- if row[loop.index0] > 0 -%}
            {%- do breaches.append(name ~ ' (' ~ row[loop.index0] ~ ' null rows)') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if breaches | length > 0 -%}
        {{ exceptions.raise_compiler_error(
            "Contract of " ~ relation ~ ": not_null column(s) hold nulls: " ~ breaches | join(', ')
            ~ ". Fix the model (or the data it reads) so these columns are always set."
        ) }}
    {%- endif -%}
{% endmacro %}
