{#-
    Typing of raw text: what each contract column becomes in staging.
    Every expression reads the raw row as `source_rows`.
-#}

{#- True when the raw text of a column is null or blank. -#}
{% macro raw_is_blank(column_name) %}
    {{- return("nullif(trim(source_rows.\"" ~ column_name ~ "\"), '') is null") -}}
{% endmacro %}


{#- The name of a column's typed value (raw_typed), computed once per row
    by check_raw_rows before the row rules read it. -#}
{% macro raw_typed_name(column_name) %}
    {{- return('"' ~ column_name ~ '__typed"') -}}
{% endmacro %}


{#- A column's typed value as the row rules read it (alias `source_rows`). -#}
{% macro raw_typed_value(col) %}
    {{- return('source_rows.' ~ raw_typed_name(col.name)) -}}
{% endmacro %}


{#- The raw text of a column as delivered. -#}
{% macro raw_text(column_name) %}
    {{- return('source_rows."' ~ column_name ~ '"') -}}
{% endmacro %}


{#-
    The typed, normalised value of a raw column (null when unparsable):
    timestamps in UTC, dates, booleans and numbers cast, text trimmed.
    A code (meta.code_set) is trimmed and lower-cased, then mapped onto its
    contract value when the platform config maps it (raw_code_value).
-#}
{% macro raw_typed(col) %}
    {%- set raw = raw_text(col.name) -%}
    {%- set t = col.data_type -%}
    {%- if t == 'timestamp' -%}
        {{- return(utc_timestamp(raw)) -}}
    {%- elif t == 'date' -%}
        {{- return('try_cast(trim(' ~ raw ~ ') as date)') -}}
    {%- elif t == 'boolean' -%}
        {{- return('try_cast(lower(trim(' ~ raw ~ ')) as boolean)') -}}
    {%- elif t in ('double', 'bigint') -%}
        {{- return('try_cast(trim(' ~ raw ~ ') as ' ~ t ~ ')') -}}
    {%- elif col.meta.get('code_set') -%}
        {{- return(raw_code_value(raw, col.meta['code_set'])) -}}
    {%- else -%}
        {{- return("nullif(trim(" ~ raw ~ "), '')") -}}
    {%- endif -%}
{% endmacro %}


{#-
    A code as staging publishes it: trimmed, lower-cased and, when the
    platform config maps the value (`codes` in trustmart.yml, var
    platform_code_maps), replaced by its contract value. The map is
    written into the SQL as a `case`, so a code set without a map costs
    nothing.
-#}
{% macro raw_code_value(raw, code_set) %}
    {%- set normalised = "nullif(lower(trim(" ~ raw ~ ")), '')" -%}
    {%- set mapping = platform_code_map(code_set) -%}
    {%- if not mapping -%}{{ return(normalised) }}{%- endif -%}
    {%- set whens = [] -%}
    {%- for platform_value, contract_value in mapping.items() | sort -%}
        {%- do whens.append('when ' ~ sql_string(platform_value) ~ ' then ' ~ sql_string(contract_value)) -%}
    {%- endfor -%}
    {{- return('case ' ~ normalised ~ ' ' ~ whens | join(' ') ~ ' else ' ~ normalised ~ ' end') -}}
{% endmacro %}


{#- The code columns of a raw table: their originals are kept as
    `<column>_raw` beside the mapped value. -#}
{% macro raw_code_columns(node) %}
    {%- set names = [] -%}
    {%- for col in node.columns.values() if col.meta.get('code_set') -%}
        {%- do names.append(col.name) -%}
    {%- endfor -%}
    {{- return(names) -}}
{% endmacro %}
