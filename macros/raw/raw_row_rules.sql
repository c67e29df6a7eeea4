{#-
    The row rules of one raw table, in the order they are checked (a row is
    quarantined for the first rule it breaks): a list of {reason, column,
    condition, detail}, built from the contract's column metadata in
    _raw__sources.yml plus the model's own `extra_checks`.

      null_key                a key column is blank
      missing_value           a required column is blank (plus extra
                              missing_value checks)
      unparsable_timestamp    a timestamp or date does not parse
      invalid_value           a number or boolean does not parse
      unknown_code            a code is neither the contract's nor mapped
                              by the platform config
      probability_out_of_range, invalid_value (ranges)
      event_after_ingestion   an event later than its ingested_at + skew
      then the model's other extra checks (resolved_before_appealed,
      unknown_enforcement).

    `condition` reads the raw row as `source_rows`; `detail` is a SQL text
    expression naming the column and value.
-#}
{% macro raw_row_rules(node, extra_checks=[]) %}
    {%- set columns = node.columns.values() | list -%}
    {%- set key = node.meta['key'] -%}
    {%- set checks = [] -%}
    {%- for k in key -%}
        {%- do checks.append({'reason': 'null_key', 'column': k, 'condition': raw_is_blank(k),
            'detail': sql_string(k ~ ' is empty')}) -%}
    {%- endfor -%}
    {%- for col in columns if col.name not in key and not col.meta.get('nullable', false) -%}
        {%- do checks.append({'reason': 'missing_value', 'column': col.name,
            'condition': raw_is_blank(col.name), 'detail': sql_string(col.name ~ ' is empty')}) -%}
    {%- endfor -%}
    {%- for c in extra_checks if c.reason == 'missing_value' -%}{%- do checks.append(c) -%}{%- endfor -%}
    {%- for wanted in ['timestamp', 'other'] -%}
        {%- for col in columns if col.data_type != 'varchar' -%}
            {%- set is_time = col.data_type in ('timestamp', 'date') -%}
            {%- if (wanted == 'timestamp') == is_time -%}
                {%- do checks.append({
                    'reason': 'unparsable_timestamp' if is_time else 'invalid_value',
                    'column': col.name,
                    'condition': 'not ' ~ raw_is_blank(col.name) ~ ' and ' ~ raw_typed_value(col) ~ ' is null',
                    'detail': raw_value_detail(col.name)}) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for col in columns if col.meta.get('code_set') -%}
        {%- do checks.append({'reason': 'unknown_code', 'column': col.name,
            'condition': raw_typed_value(col) ~ ' not in (' ~ code_set_values(col.meta['code_set']) ~ ')',
            'detail': raw_value_detail(col.name)}) -%}
    {%- endfor -%}
    {%- for col in columns if col.meta.get('range') -%}
        {%- set r = col.meta['range'] -%}
        {%- set v = raw_typed_value(col) -%}
        {%- if r == 'probability' -%}
            {%- do checks.append({'reason': 'probability_out_of_range', 'column': col.name,
                'condition': v ~ ' <= 0 or ' ~ v ~ ' > 1', 'detail': raw_value_detail(col.name)}) -%}
        {%- else -%}
            {%- do checks.append({'reason': 'invalid_value', 'column': col.name,
                'condition': (v ~ ' < 0 or ' ~ v ~ ' > 1') if r == 'unit_interval' else (v ~ ' < 0'),
                'detail': sql_string(col.name ~ ' out of range: ') ~ ' || ' ~ raw_text(col.name)}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if 'ingested_at' in node.columns -%}
        {%- set ingested = raw_typed_value(node.columns['ingested_at']) -%}
        {%- for col in columns if col.meta.get('event_time') -%}
            {%- do checks.append({'reason': 'event_after_ingestion', 'column': col.name,
                'condition': raw_typed_value(col) ~ ' > ' ~ ingested ~ ' + interval ' ~ var('clock_skew_minutes') ~ ' minute',
                'detail': sql_string(col.name ~ ' ') ~ ' || ' ~ raw_text(col.name)
                    ~ " || ' after ingested_at ' || " ~ raw_text('ingested_at')}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- for c in extra_checks if c.reason != 'missing_value' -%}{%- do checks.append(c) -%}{%- endfor -%}
    {{- return(checks) -}}
{% endmacro %}


{#- `<column>: <raw value>` as a SQL text expression. -#}
{% macro raw_value_detail(column_name) %}
    {{- return(sql_string(column_name ~ ': ') ~ ' || ' ~ raw_text(column_name)) -}}
{% endmacro %}


{#- The codes of one code set in force, as a subquery. -#}
{% macro code_set_values(code_set) %}
    {{- return('select code_sets.code from ' ~ ref('stg_reference__code_sets')
        ~ ' as code_sets where code_sets.code_set = ' ~ sql_string(code_set)) -}}
{% endmacro %}
