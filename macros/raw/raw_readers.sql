{#-
    The probe records of `files` (all of raw table `table_name`), from
    raw.load_probes: a list of {path, format, columns, rows_read,
    malformed_lines, readable}, sorted by path.
-#}
{% macro raw_file_probes(table_name, files) %}
    {%- if files | length == 0 -%}{{ return([]) }}{%- endif -%}
    {%- set rows = run_query(
        "select file_path, file_format, to_json(column_names), rows_read, malformed_lines,"
        ~ " unreadable_error is null, scan_rows from raw.load_probes"
        ~ " where table_name = " ~ sql_string(table_name)
        ~ " and file_path in (" ~ sql_string_sequence(files) ~ ") order by file_path"
    ).rows -%}
    {%- set probes = [] -%}
    {%- for r in rows -%}
        {%- do probes.append({'path': r[0], 'format': r[1], 'columns': fromjson(r[2]),
            'rows_read': r[3], 'malformed_lines': r[4], 'readable': r[5], 'scan_rows': r[6]}) -%}
    {%- endfor -%}
    {{- return(probes) -}}
{% endmacro %}


{#-
    The rows of `files` (all of one raw table) as the landing views show
    them: every contract column as text (null when a file lacks a nullable
    one), the file's extra columns untouched, `_source_file` and
    `_source_row`. Unreadable and empty files are left out; in a file with
    tolerated malformed lines those lines are skipped (they are in
    raw.load_errors). An empty result with the contract columns when no
    file has rows.

    The files of one format are read in one scan (CSV files: one per
    header), so memory stays bounded however many files there are. Rows are
    numbered within their file in file order: Parquet by the reader
    (`file_row_number`), CSV and JSONL by the scan's ordinal (`with
    ordinality`, which runs through the files in list order) minus the
    records of the files before it (from the probes).
-#}
{% macro raw_select_sql(node, files) %}
    {{- return(adapter.dispatch('raw_select_sql', 'trustmart')(node, files)) -}}
{% endmacro %}

{% macro default__raw_select_sql(node, files) %}
    {%- set columns = node.columns.values() | list -%}
    {%- set probes = [] -%}
    {%- for p in raw_file_probes(node.name, files) if p.readable and p.rows_read > 0 -%}
        {%- do probes.append(p) -%}
    {%- endfor -%}
    {%- set selects = [] -%}
    {%- set parquet = probes | selectattr('format', 'equalto', 'parquet') | list -%}
    {%- if parquet | length > 0 -%}
        {%- do selects.append(raw_parquet_select(parquet, columns)) -%}
    {%- endif -%}
    {%- set by_header = {} -%}
    {%- for p in probes if p.format == 'csv' -%}
        {%- do by_header.setdefault(tojson(p.columns), []).append(p) -%}
    {%- endfor -%}
    {%- for header, group in by_header.items() | sort -%}
        {%- do selects.append(raw_csv_select(group, columns)) -%}
    {%- endfor -%}
    {%- set json = probes | selectattr('format', 'equalto', 'json') | list -%}
    {%- if json | length > 0 -%}
        {%- do selects.append(raw_json_select(json, columns)) -%}
    {%- endif -%}
    {%- if selects | length == 0 -%}
        {%- do selects.append(raw_empty_select(columns)) -%}
    {%- endif -%}
    {{- return(selects | join('\nunion all by name\n')) -}}
{% endmacro %}


{#- No rows, with the landing view's columns: every contract column as
    text, `_source_file` and `_source_row` (a table without readable rows). -#}
{% macro raw_empty_select(columns) %}
    {%- set empty_cols = [] -%}
    {%- for col in columns -%}{%- do empty_cols.append('cast(null as string) as "' ~ col.name ~ '"') -%}{%- endfor -%}
    {{- return('select ' ~ empty_cols | join(', ')
        ~ ', cast(null as string) as _source_file, cast(null as bigint) as _source_row where false') -}}
{% endmacro %}


{#- Contract columns as text (null when absent), then the extra columns:
    the select list of one reader. `value_of(name)` gives the expression
    reading a column present in the file. -#}
{% macro raw_column_list(columns, present, value_of) %}
    {%- set present_lower = present | map('lower') | list -%}
    {%- set contract_names = columns | map(attribute='name') | list -%}
    {%- set select_cols = [] -%}
    {%- for col in columns -%}
        {%- if col.name in present_lower -%}
            {%- set original = present[present_lower.index(col.name)] -%}
            {%- do select_cols.append('cast(' ~ value_of(original) ~ ' as string) as "' ~ col.name ~ '"') -%}
        {%- else -%}
            {%- do select_cols.append('cast(null as string) as "' ~ col.name ~ '"') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for name in present if name | lower not in contract_names -%}
        {%- do select_cols.append(value_of(name) ~ ' as "' ~ name ~ '"') -%}
    {%- endfor -%}
    {{- return(select_cols) -}}
{% endmacro %}


{% macro raw_quoted_column(name) %}
    {{- return('"' ~ name | replace('"', '""') ~ '"') -}}
{% endmacro %}


{% macro raw_parquet_select(probes, columns) %}
    {%- set present = [] -%}
    {%- for p in probes -%}
        {%- for name in p.columns if name not in present -%}{%- do present.append(name) -%}{%- endfor -%}
    {%- endfor -%}
    {%- set file_list = sql_string_list(probes | map(attribute='path') | list) -%}
    {{- return('select ' ~ raw_column_list(columns, present, raw_quoted_column) | join(', ')
        ~ ', _source_file, file_row_number + 1 as _source_row from read_parquet(' ~ file_list
        ~ ", union_by_name = true, filename = '_source_file', file_row_number = true)") -}}
{% endmacro %}


{#- `_source_row`: the scan's ordinal minus the records of the files read
    before this one (the probes' scan_rows), joined by file. -#}
{% macro raw_row_offsets(probes) %}
    {%- set rows = [] -%}
    {%- set ns = namespace(offset=0) -%}
    {%- for p in probes -%}
        {%- do rows.append('(' ~ sql_string(p.path) ~ ', ' ~ ns.offset ~ ')') -%}
        {%- set ns.offset = ns.offset + p.scan_rows -%}
    {%- endfor -%}
    {{- return('(values ' ~ rows | join(', ') ~ ') as row_offsets (_offset_file, _row_offset)') -}}
{% endmacro %}


{#- CSV files that share a header, in one scan. With tolerated malformed
    lines (found by the probe), the reader skips them. -#}
{% macro raw_csv_select(probes, columns) %}
    {%- set lenient = probes | map(attribute='malformed_lines') | sum > 0 -%}
    {%- set file_list = sql_string_list(probes | map(attribute='path') | list) -%}
    {{- return('select ' ~ raw_column_list(columns, probes[0].columns, raw_quoted_column) | join(', ')
        ~ ', _source_file, ordinality - _row_offset as _source_row from read_csv(' ~ file_list ~ ', '
        ~ csv_dialect(probes[0].columns) ~ ", filename = '_source_file'"
        ~ (', ignore_errors = true' if lenient else '') ~ ') with ordinality join '
        ~ raw_row_offsets(probes) ~ ' on _source_file = _offset_file') -}}
{% endmacro %}


{#- JSONL files, in one scan: each line parsed once into a struct of the
    keys the files carry, as text. With tolerated malformed lines, lines
    that are not JSON objects are skipped; without, such a line fails the
    read loudly. -#}
{% macro raw_json_select(probes, columns) %}
    {%- set present = [] -%}
    {%- for p in probes -%}
        {%- for name in p.columns if name not in present -%}{%- do present.append(name) -%}{%- endfor -%}
    {%- endfor -%}
    {%- set keys = [] -%}
    {%- for name in present -%}{%- do keys.append(tojson(name) ~ ': "VARCHAR"') -%}{%- endfor -%}
    {%- set struct_type = sql_string('{' ~ keys | join(', ') ~ '}') -%}
    {%- set lenient = probes | map(attribute='malformed_lines') | sum > 0 -%}
    {%- set file_list = sql_string_list(probes | map(attribute='path') | list) -%}
    {{- return('select ' ~ raw_column_list(columns, present, raw_json_field) | join(', ')
        ~ ', _source_file, _source_row from (select from_json(line, ' ~ struct_type ~ ') as json_row, '
        ~ '_source_file, ordinality - _row_offset as _source_row from read_csv(' ~ file_list ~ ', '
        ~ line_reader_options() ~ ", filename = '_source_file'"
        ~ (', ignore_errors = true' if lenient else '') ~ ') with ordinality join '
        ~ raw_row_offsets(probes) ~ ' on _source_file = _offset_file'
        ~ " where nullif(trim(line), '') is not null"
        ~ (" and case when json_valid(line) then json_type(line) = 'OBJECT' else false end" if lenient else '') ~ ')') -}}
{% endmacro %}


{% macro raw_json_field(name) %}
    {{- return('json_row[' ~ sql_string(name) ~ ']') -}}
{% endmacro %}
