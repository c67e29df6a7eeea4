{#-
    Expose every table folder of the raw export as a view `raw.<table>`,
    run as an on-run-start hook so that `dbt build` works on its own.

    Each view holds every contract column as text (missing nullable columns
    as null), any extra columns of the files untouched, `_source_file` and
    `_source_row` (the row's ordinal within its file). Parquet, CSV
    (header row, optionally gzipped) and JSONL files may be mixed; files whose
    name starts with `.` or `_` (e.g. `_SUCCESS`) and empty files are skipped.

    Fails with a message naming the table, file and column when a file lacks
    a required column, and tells the user what to do when the export is
    missing.
-#}
{% macro land_raw_sources() %}
    {%- if execute and flags.WHICH in ('build', 'run', 'test', 'seed', 'source', 'freshness', 'source-freshness') -%}
        {%- set raw_dir = raw_dir_path() -%}
        {%- set files_by_table = raw_files_by_table() -%}
        {%- if files_by_table | length == 0 -%}
            {{ exceptions.raise_compiler_error(
                "No raw export found in '" ~ raw_dir ~ "' (no table folders with files). "
                ~ "Run `trustmart generate` to write a sample export there, or point "
                ~ "`trustmart build --raw DIR` (or TRUSTMART_RAW_DIR) at your export."
            ) }}
        {%- endif -%}
        {%- do run_query("create schema if not exists raw") -%}
        {%- for node in raw_source_nodes() -%}
            {%- set files = files_by_table.get(node.name, []) | sort -%}
            {%- if files | length == 0 and not node.meta.get('optional', false) -%}
                {{ exceptions.raise_compiler_error(
                    "Raw table '" ~ node.name ~ "' has no files in '" ~ raw_dir ~ "/" ~ node.name
                    ~ "/'. It is required by the raw contract (shared/spec/raw-contract.md): "
                    ~ "add its export there, or run `trustmart generate` for a sample."
                ) }}
            {%- endif -%}
            {%- do run_query(raw_view_sql(node, files)) -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
{% endmacro %}


{#-
    The data files of the raw export: {table folder: [file path, ...]},
    skipping names starting with `.` or `_` and empty files.
-#}
{% macro raw_files_by_table() %}
    {%- set listing = run_query(
        "select filename, size from read_blob('" ~ sql_quote(raw_dir_path()) ~ "/*/*')"
    ) -%}
    {%- set files_by_table = {} -%}
    {%- for row in listing.rows -%}
        {%- set parts = row[0].replace('\\', '/').split('/') -%}
        {%- set table_name = parts[-2] -%}
        {%- set file_name = parts[-1] -%}
        {%- if not file_name.startswith('.') and not file_name.startswith('_') and row[1] > 0 -%}
            {%- do files_by_table.setdefault(table_name, []).append(row[0]) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(files_by_table) -}}
{% endmacro %}


{#- The raw export folder, absolute or relative to the project directory. -#}
{% macro raw_dir_path() %}
    {{- return((var('raw_dir') | trim).rstrip('/')) -}}
{% endmacro %}


{#- The source nodes of the `raw` source, in a stable order. -#}
{% macro raw_source_nodes() %}
    {%- set nodes = [] -%}
    {%- for node in graph.sources.values() | sort(attribute='name') -%}
        {%- if node.source_name == 'raw' -%}{%- do nodes.append(node) -%}{%- endif -%}
    {%- endfor -%}
    {{- return(nodes) -}}
{% endmacro %}


{#- Single-quote a value for a SQL string literal. -#}
{% macro sql_quote(value) %}
    {{- return(value | string | replace("'", "''")) -}}
{% endmacro %}


{#- `create or replace view raw.<table>` over the table's files. -#}
{% macro raw_view_sql(node, files) %}
    {{- return('create or replace view raw."' ~ node.name ~ '" as\n' ~ raw_select_sql(node, files)) -}}
{% endmacro %}


{#-
    The rows of `files` (all of one raw table) as the landing views show
    them; an empty result with the contract columns when there are none.
-#}
{% macro raw_select_sql(node, files) %}
    {%- set columns = node.columns.values() | list -%}
    {%- set required = [] -%}
    {%- for col in columns if not col.meta.get('nullable', false) -%}
        {%- do required.append(col.name) -%}
    {%- endfor -%}
    {%- set groups = {'parquet': [], 'csv': [], 'json': []} -%}
    {%- for f in files -%}
        {%- set lower_name = f.lower() -%}
        {%- if lower_name.endswith('.parquet') -%}{%- do groups.parquet.append(f) -%}
        {%- elif lower_name.endswith('.csv') or lower_name.endswith('.csv.gz') -%}{%- do groups.csv.append(f) -%}
        {%- elif lower_name.endswith('.jsonl') or lower_name.endswith('.ndjson') or lower_name.endswith('.jsonl.gz') -%}{%- do groups.json.append(f) -%}
        {%- else -%}
            {{ exceptions.raise_compiler_error(
                "Raw table '" ~ node.name ~ "': file '" ~ f ~ "' is not .parquet, .csv or .jsonl. "
                ~ "Convert it to one of those formats, or move it out of the table folder."
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set selects = [] -%}
    {%- for fmt, fmt_files in groups.items() if fmt_files | length > 0 -%}
        {%- set present = raw_file_columns(node.name, fmt, fmt_files, required) -%}
        {%- do selects.append(raw_format_select(fmt, fmt_files, columns, present)) -%}
    {%- endfor -%}
    {%- if selects | length == 0 -%}
        {#- optional table with no files: an empty view with the contract columns -#}
        {%- set empty_cols = [] -%}
        {%- for col in columns -%}{%- do empty_cols.append('cast(null as varchar) as "' ~ col.name ~ '"') -%}{%- endfor -%}
        {%- do selects.append('select ' ~ empty_cols | join(', ')
            ~ ', cast(null as varchar) as _source_file, cast(null as bigint) as _source_row where false') -%}
    {%- endif -%}
    {{- return(selects | join('\nunion all by name\n')) -}}
{% endmacro %}


{#-
    The set of (lower-cased) column names present in every file of one
    format; raises when a file lacks a required column.
-#}
{% macro raw_file_columns(table_name, fmt, files, required) %}
    {%- set file_list = "['" ~ files | map('replace', "'", "''") | join("', '") ~ "']" -%}
    {%- if fmt == 'json' -%}
        {%- set query = "select distinct filename, lower(unnest(json_keys(json))) from read_ndjson_objects("
            ~ file_list ~ ", filename = true)" -%}
    {%- else -%}
        {%- set parts = [] -%}
        {%- for f in files -%}
            {%- set reader = "read_parquet('" ~ sql_quote(f) ~ "')" if fmt == 'parquet'
                else "read_csv('" ~ sql_quote(f) ~ "', all_varchar = true, header = true)" -%}
            {%- do parts.append("select '" ~ sql_quote(f) ~ "' as file_name, lower(column_name) as name "
                ~ "from (describe select * from " ~ reader ~ ")") -%}
        {%- endfor -%}
        {%- set query = parts | join(' union all ') -%}
    {%- endif -%}
    {%- set by_file = {} -%}
    {%- for f in files -%}{%- do by_file.update({f: []}) -%}{%- endfor -%}
    {%- for row in run_query(query).rows -%}
        {%- do by_file.setdefault(row[0], []).append(row[1]) -%}
    {%- endfor -%}
    {%- set in_every_file = [] -%}
    {%- set first_columns = by_file.values() | first -%}
    {%- for name in first_columns -%}
        {%- set ns = namespace(everywhere=true) -%}
        {%- for cols in by_file.values() if name not in cols -%}{%- set ns.everywhere = false -%}{%- endfor -%}
        {%- if ns.everywhere -%}{%- do in_every_file.append(name) -%}{%- endif -%}
    {%- endfor -%}
    {%- for f, cols in by_file.items() -%}
        {%- set missing = [] -%}
        {%- for name in required if name not in cols -%}{%- do missing.append(name) -%}{%- endfor -%}
        {%- if missing | length > 0 -%}
            {{ exceptions.raise_compiler_error(
                "Raw table '" ~ table_name ~ "': file '" ~ f ~ "' is missing required column(s) "
                ~ missing | join(', ') ~ " (raw-contract.md). Fix the export so every file of '"
                ~ table_name ~ "' carries these columns, or move the file out of the folder."
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set present = [] -%}
    {%- for cols in by_file.values() -%}
        {%- for name in cols if name not in present -%}{%- do present.append(name) -%}{%- endfor -%}
    {%- endfor -%}
    {{- return(present) -}}
{% endmacro %}


{#- One format's rows: contract columns as text, extras untouched. -#}
{% macro raw_format_select(fmt, files, columns, present) %}
    {%- set file_list = "['" ~ files | map('replace', "'", "''") | join("', '") ~ "']" -%}
    {%- set contract_names = columns | map(attribute='name') | list -%}
    {%- set select_cols = [] -%}
    {%- for col in columns -%}
        {%- if col.name in present -%}
            {%- if fmt == 'json' -%}
                {%- do select_cols.append("json_extract_string(json, '$.\"" ~ col.name ~ "\"') as \"" ~ col.name ~ '"') -%}
            {%- else -%}
                {%- do select_cols.append('cast("' ~ col.name ~ '" as varchar) as "' ~ col.name ~ '"') -%}
            {%- endif -%}
        {%- else -%}
            {%- do select_cols.append('cast(null as varchar) as "' ~ col.name ~ '"') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set extras = [] -%}
    {%- for name in present if name not in contract_names -%}{%- do extras.append(name) -%}{%- endfor -%}
    {%- if fmt == 'json' -%}
        {%- for name in extras -%}
            {%- do select_cols.append("json_extract_string(json, '$.\"" ~ name ~ "\"') as \"" ~ name ~ '"') -%}
        {%- endfor -%}
        {%- set reader = "read_ndjson_objects(" ~ file_list ~ ", filename = true)" -%}
        {%- set file_col = 'filename' -%}
    {%- else -%}
        {%- for name in extras -%}{%- do select_cols.append('"' ~ name ~ '"') -%}{%- endfor -%}
        {%- set file_col = '_source_file' -%}
        {%- if fmt == 'parquet' -%}
            {%- set reader = "read_parquet(" ~ file_list ~ ", union_by_name = true, filename = '_source_file', file_row_number = true)" -%}
        {%- else -%}
            {%- set reader = "read_csv(" ~ file_list ~ ", all_varchar = true, header = true, union_by_name = true, filename = '_source_file')" -%}
        {%- endif -%}
    {%- endif -%}
    {#- Parquet numbers its rows per file for free; CSV and JSONL rows are
        numbered within their file in scan order. -#}
    {%- set row_col = 'file_row_number + 1' if fmt == 'parquet'
        else 'row_number() over (partition by ' ~ file_col ~ ')' -%}
    {{- return('select ' ~ select_cols | join(', ') ~ ', ' ~ file_col ~ ' as _source_file, '
        ~ row_col ~ ' as _source_row from ' ~ reader) -}}
{% endmacro %}


{#- A SQL string literal of `value`, quotes escaped. -#}
{% macro sql_string(value) %}
    {{- return("'" ~ sql_quote(value) ~ "'") -}}
{% endmacro %}
