{#-
    The landing on Apache Spark (the `spark` target): the same
    raw.load_probes, raw.load_errors and `raw.<table>` views as on DuckDB,
    read with Spark's own file sources.

    What differs (docs/spark.md):
    - Spark reads Parquet exports. A CSV or JSONL file stops the build with
      what to do: convert the export to Parquet, or build it on DuckDB,
      whose landing finds and quarantines malformed lines.
    - Spark builds are full builds: the probes are taken again every time.
    - `_source_file` is the file's path as Spark names it, `file:` removed
      on a local file system; `_source_row` comes from Parquet's own row
      index, as on DuckDB.
-#}

{#- A path column of Spark's file sources as a plain path: `file:` and its
    slashes removed, %-escapes decoded. -#}
{% macro spark_file_path(expression) %}
    {{- return("url_decode(regexp_replace(" ~ expression ~ ", '^file:(//)?', ''))") -}}
{% endmacro %}


{#- A path for Spark's `format.\`path\`` syntax (backquotes doubled). Names
    with glob characters cannot be read that way: stop with what to do. -#}
{% macro spark_glob_quote(path) %}
    {%- for ch in ['{', '}', ',', '[', ']', '*', '?'] if ch in path.split('/')[-1] -%}
        {{ exceptions.raise_compiler_error(
            "Raw file '" ~ path ~ "': Spark cannot read a file whose name contains '" ~ ch
            ~ "'. Rename the file (letters, digits, '-', '_' and '.'), or build on DuckDB."
        ) }}
    {%- endfor -%}
    {{- return(path | replace('`', '``')) -}}
{% endmacro %}


{#- A glob naming exactly `paths` (all in one folder). -#}
{% macro spark_file_glob(paths) %}
    {%- set folder = paths[0].rsplit('/', 1)[0] -%}
    {%- set names = [] -%}
    {%- for p in paths -%}
        {%- do spark_glob_quote(p) -%}
        {%- do names.append(p.rsplit('/', 1)[1]) -%}
    {%- endfor -%}
    {%- if names | length == 1 -%}{{ return(spark_glob_quote(folder ~ '/' ~ names[0])) }}{%- endif -%}
    {{- return(spark_glob_quote(folder) ~ '/{' ~ names | join(',') ~ '}') -}}
{% endmacro %}


{% macro spark__probe_raw_files(listing) %}
    {%- for f in listing if f.format != 'parquet' -%}
        {{ exceptions.raise_compiler_error(
            "Raw table '" ~ f.table ~ "': file '" ~ f.path ~ "' is " ~ f.format | upper
            ~ ". The Spark target reads Parquet exports only. Convert the export to Parquet, "
            ~ "or build it on DuckDB (`trustmart build` without --target spark), whose landing "
            ~ "reads CSV and JSONL and quarantines their malformed lines (docs/spark.md)."
        ) }}
    {%- endfor -%}
    {%- do run_query("drop table if exists raw.load_probes") -%}
    {%- do run_query("drop table if exists raw.load_errors") -%}
    {%- do run_query("
        create table raw.load_probes (
            table_name string, file_path string, file_format string, size_bytes bigint,
            column_names array<string>, rows_read bigint, scan_rows bigint, malformed_lines bigint,
            unreadable_error string, probed_at timestamp
        ) using parquet") -%}
    {%- do run_query("
        create table raw.load_errors (
            table_name string, file_path string, line_number bigint, error_kind string,
            error_type string, error_message string, raw_text string, size_bytes bigint
        ) using parquet") -%}
    {%- set unreadable = {} -%}
    {%- for u in var('unreadable_files', []) or [] -%}
        {%- do unreadable.update({u.path: u}) -%}
    {%- endfor -%}
    {%- set probes = [] -%}
    {%- set errors = [] -%}
    {%- set by_table = {} -%}
    {%- for f in listing -%}
        {%- set error = unreadable[f.path].error if f.path in unreadable
            else ('the file is empty (0 bytes): not a Parquet file' if f.size == 0 else none) -%}
        {%- if error is not none -%}
            {%- do probes.append("(" ~ sql_string(f.table) ~ ", " ~ sql_string(f.path) ~ ", 'parquet', "
                ~ f.size ~ ", cast(array() as array<string>), 0, 0, 0, " ~ sql_string(error) ~ ")") -%}
            {%- do errors.append("(" ~ sql_string(f.table) ~ ", " ~ sql_string(f.path)
                ~ ", cast(null as bigint), 'unreadable_file', 'UNREADABLE FILE', " ~ sql_string(error)
                ~ ", cast(null as string), " ~ f.size ~ ")") -%}
        {%- else -%}
            {%- do by_table.setdefault(f.table, []).append(f) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for table, files in by_table.items() | sort -%}
        {%- set counts = {} -%}
        {%- for row in run_query(
            "select " ~ spark_file_path('_metadata.file_path') ~ ", count(*) from parquet.`"
            ~ spark_file_glob(files | map(attribute='path') | list) ~ "` group by 1"
        ).rows -%}
            {%- do counts.update({row[0]: row[1]}) -%}
        {%- endfor -%}
        {%- for f in files -%}
            {%- set names = [] -%}
            {%- for row in run_query("describe query select * from parquet.`" ~ spark_glob_quote(f.path) ~ "`").rows
                if row[0] and not row[0].startswith('#') -%}
                {%- do names.append(row[0]) -%}
            {%- endfor -%}
            {%- set n = counts.get(f.path, 0) -%}
            {%- do probes.append("(" ~ sql_string(f.table) ~ ", " ~ sql_string(f.path) ~ ", 'parquet', "
                ~ f.size ~ ", array(" ~ sql_string_sequence(names) ~ "), " ~ n ~ ", " ~ n
                ~ ", 0, cast(null as string))") -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for batch in probes | batch(200) -%}
        {%- do run_query("insert into raw.load_probes select *, current_timestamp() from values "
            ~ batch | join(', ')) -%}
    {%- endfor -%}
    {%- if errors | length > 0 -%}
        {%- do run_query("insert into raw.load_errors values " ~ errors | join(', ')) -%}
    {%- endif -%}
{% endmacro %}


{#- The landing view's select on Spark: the files of one table grouped by
    their columns, each group read in one scan, unioned. -#}
{% macro spark__raw_select_sql(node, files) %}
    {%- set columns = node.columns.values() | list -%}
    {%- set groups = {} -%}
    {%- for p in raw_file_probes(node.name, files) if p.readable and p.rows_read > 0 -%}
        {%- do groups.setdefault(tojson(p.columns), []).append(p) -%}
    {%- endfor -%}
    {%- set contract_names = columns | map(attribute='name') | list -%}
    {#- every extra column any file carries, in first-seen order, so that
        each group's select has the same columns -#}
    {%- set extras = [] -%}
    {%- for key, group in groups.items() | sort -%}
        {%- for name in group[0].columns if name | lower not in contract_names and name not in extras -%}
            {%- do extras.append(name) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set selects = [] -%}
    {%- for key, group in groups.items() | sort -%}
        {%- set present = group[0].columns -%}
        {%- set present_lower = present | map('lower') | list -%}
        {%- set cols = [] -%}
        {%- for col in columns -%}
            {%- if col.name in present_lower -%}
                {%- do cols.append('cast(' ~ raw_quoted_column(present[present_lower.index(col.name)])
                    ~ ' as string) as "' ~ col.name ~ '"') -%}
            {%- else -%}
                {%- do cols.append('cast(null as string) as "' ~ col.name ~ '"') -%}
            {%- endif -%}
        {%- endfor -%}
        {%- for name in extras -%}
            {%- do cols.append((raw_quoted_column(name) if name in present else 'cast(null as string)')
                ~ ' as ' ~ raw_quoted_column(name)) -%}
        {%- endfor -%}
        {%- do selects.append('select ' ~ cols | join(', ') ~ ', ' ~ spark_file_path('_metadata.file_path')
            ~ ' as _source_file, _metadata.row_index + 1 as _source_row from parquet.`'
            ~ spark_file_glob(group | map(attribute='path') | list) ~ '`') -%}
    {%- endfor -%}
    {%- if selects | length == 0 -%}
        {%- do selects.append(raw_empty_select(columns)) -%}
    {%- endif -%}
    {{- return(selects | join('\nunion all\n')) -}}
{% endmacro %}
