{#-
    The platform config (trustmart.yml) as the CLI passes it to dbt, in
    dbt vars (dbt_project.yml has the defaults: none set, the seeds
    apply). Each macro returns plain data for the reference models and for
    staging's code mapping.
-#}

{#- The platform's taxonomy: a list of {code, name, default_severity,
    maps_to}, or an empty list when the built-in categories apply. -#}
{% macro platform_taxonomy() %}
    {{- return(var('platform_taxonomy', []) or []) -}}
{% endmacro %}


{#- {code set: {platform value: contract value}} (values trimmed and
    lower-cased); empty when the config maps nothing. -#}
{% macro platform_code_maps() %}
    {{- return(var('platform_code_maps', {}) or {}) -}}
{% endmacro %}


{#- {platform value: contract value} of one code set. -#}
{% macro platform_code_map(code_set) %}
    {{- return(platform_code_maps().get(code_set, {})) -}}
{% endmacro %}


{#- {severity: {p50, p90}} overriding the severity_targets seed. -#}
{% macro platform_severity_targets() %}
    {{- return(var('platform_severity_targets', {}) or {}) -}}
{% endmacro %}


{#-
    A `values` list of rows for a select: each row a list of SQL literals
    already quoted. Empty rows give a select with no row.
-#}
{% macro literal_rows(rows, columns) %}
    {%- if rows | length == 0 -%}
        {%- set nulls = [] -%}
        {%- for c in columns -%}{%- do nulls.append('cast(null as string) as ' ~ c) -%}{%- endfor -%}
        {{- return('select ' ~ nulls | join(', ') ~ ' where false') -}}
    {%- endif -%}
    {%- set lines = [] -%}
    {%- for row in rows -%}{%- do lines.append('(' ~ row | join(', ') ~ ')') -%}{%- endfor -%}
    {{- return('select * from (values ' ~ lines | join(', ') ~ ') as literal_rows ('
        ~ columns | join(', ') ~ ')') -}}
{% endmacro %}
