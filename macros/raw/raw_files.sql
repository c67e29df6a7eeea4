{#-
    The data files of the raw export, `<raw_dir>/<table>/<file>`: a list of
    {table, path, size, format}, sorted by path. Names starting with `.` or
    `_` (e.g. `_SUCCESS`) are skipped; a file whose name is not .parquet,
    .csv(.gz) or .jsonl / .ndjson(.gz) stops the build, naming it.
-#}
{% macro raw_file_listing() %}
    {%- set listing = run_query(raw_listing_sql(raw_dir_path())) -%}
    {%- set files = [] -%}
    {%- for row in listing.rows -%}
        {%- set parts = row[0].replace('\\', '/').split('/') -%}
        {%- set file_name = parts[-1] -%}
        {%- if not file_name.startswith('.') and not file_name.startswith('_') -%}
            {%- set fmt = raw_file_format(row[0]) -%}
            {%- if fmt is none -%}
                {{ exceptions.raise_compiler_error(
                    "Raw table '" ~ parts[-2] ~ "': file '" ~ row[0] ~ "' is not .parquet, .csv or .jsonl. "
                    ~ "Convert it to one of those formats, or move it out of the table folder."
                ) }}
            {%- endif -%}
            {%- do files.append({'table': parts[-2], 'path': row[0], 'size': row[1], 'format': fmt}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(files) -}}
{% endmacro %}


{#- The query listing the files `<dir>/*/*` as (path, size), sorted by
    path: DuckDB's read_blob; Spark's binaryFile source (the content is
    never read), paths as the local path when the file system is local. -#}
{% macro raw_listing_sql(dir) %}
    {{- return(adapter.dispatch('raw_listing_sql', 'trustmart')(dir)) -}}
{% endmacro %}

{% macro default__raw_listing_sql(dir) %}
    {{- return("select filename, size from read_blob('" ~ sql_quote(dir) ~ "/*/*') order by filename") -}}
{% endmacro %}

{% macro spark__raw_listing_sql(dir) %}
    {{- return("select " ~ spark_file_path('path') ~ " as filename, length as size from binaryFile.`"
        ~ spark_glob_quote(dir) ~ "/*/*` order by filename") -}}
{% endmacro %}


{#- `parquet`, `csv` or `json` from a file name; none for anything else. -#}
{% macro raw_file_format(path) %}
    {%- set name = path.lower() -%}
    {%- if name.endswith('.parquet') -%}{{ return('parquet') }}
    {%- elif name.endswith('.csv') or name.endswith('.csv.gz') -%}{{ return('csv') }}
    {%- elif name.endswith('.jsonl') or name.endswith('.ndjson') or name.endswith('.jsonl.gz')
        or name.endswith('.ndjson.gz') -%}{{ return('json') }}
    {%- endif -%}
    {{- return(none) -}}
{% endmacro %}


{#- {table folder: [file path, ...]} of the listing (default: the current
    export), every data file whatever its state; the readers skip what
    cannot or need not be read. -#}
{% macro raw_files_by_table(listing=none) %}
    {%- set files_by_table = {} -%}
    {%- for f in (listing if listing is not none else raw_file_listing()) -%}
        {%- do files_by_table.setdefault(f.table, []).append(f.path) -%}
    {%- endfor -%}
    {{- return(files_by_table) -}}
{% endmacro %}
