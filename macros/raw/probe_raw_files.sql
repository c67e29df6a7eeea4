{#-
    Probe every data file of the listing not probed before (a file is known
    by its path and size), once per file, and record what the readers and
    the checks need:

      raw.load_probes  one row per file: format, size, its column names,
                       rows it holds, the records its reader emits
                       (`scan_rows`: rows, or every line of a JSONL file),
                       malformed lines, and the error when the file cannot
                       be read at all
      raw.load_errors  one row per malformed line (file, line number,
                       DuckDB's error type and message, the line) and per
                       unreadable file (file, size, error)

    Malformed lines are found with DuckDB's own rejects capture
    (`store_rejects`) for CSV, with a line reader plus `json_valid` for
    JSONL. Unreadable files: a zero-byte Parquet file and a CSV file without
    a header row here; the command line checks the rest before dbt starts
    (Parquet magic bytes and footer, text that is not UTF-8) and passes them
    in var `unreadable_files`. A zero-byte CSV or JSONL file is an empty
    drop: no rows, not an error.

    A full refresh probes everything again; otherwise files already probed
    keep their record (an incremental build reads only the new ones).
    Files are probed in small batches so that memory stays bounded.
-#}
{% macro probe_raw_files(listing) %}
    {{- return(adapter.dispatch('probe_raw_files', 'trustmart')(listing)) -}}
{% endmacro %}

{% macro default__probe_raw_files(listing) %}
    {%- do run_query(load_probe_tables_sql()) -%}
    {%- if flags.FULL_REFRESH -%}
        {%- do run_query("delete from raw.load_probes; delete from raw.load_errors;") -%}
    {%- endif -%}
    {%- do forget_changed_files(listing) -%}
    {%- set probed = [] -%}
    {%- for row in run_query("select file_path from raw.load_probes").rows -%}
        {%- do probed.append(row[0]) -%}
    {%- endfor -%}
    {%- set unreadable = {} -%}
    {%- for u in var('unreadable_files', []) or [] -%}
        {%- do unreadable.update({u.path: u}) -%}
    {%- endfor -%}
    {%- set groups = {'parquet': [], 'csv': [], 'json': []} -%}
    {%- for f in listing if f.path not in probed -%}
        {%- if f.path in unreadable -%}
            {%- do record_unreadable_file(f, unreadable[f.path].error) -%}
        {%- elif f.size == 0 and f.format == 'parquet' -%}
            {%- do record_unreadable_file(f, 'the file is empty (0 bytes): not a Parquet file') -%}
        {%- elif f.size == 0 -%}
            {%- do run_query(
                "insert into raw.load_probes values (" ~ sql_string(f.table) ~ ", " ~ sql_string(f.path)
                ~ ", " ~ sql_string(f.format) ~ ", 0, [], 0, 0, 0, null, current_timestamp)"
            ) -%}
        {%- else -%}
            {%- do groups[f.format].append(f) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for batch in groups.parquet | batch(50) -%}{%- do probe_parquet_files(batch) -%}{%- endfor -%}
    {%- for batch in groups.csv | batch(20) -%}{%- do probe_csv_files(batch) -%}{%- endfor -%}
    {%- for f in groups.json -%}{%- do probe_json_file(f) -%}{%- endfor -%}
{% endmacro %}


{% macro load_probe_tables_sql() %}
    {{- return("
        create table if not exists raw.load_probes (
            table_name varchar, file_path varchar, file_format varchar, size_bytes bigint,
            column_names varchar[], rows_read bigint, scan_rows bigint, malformed_lines bigint,
            unreadable_error varchar, probed_at timestamp
        );
        create table if not exists raw.load_errors (
            table_name varchar, file_path varchar, line_number bigint, error_kind varchar,
            error_type varchar, error_message varchar, raw_text varchar, size_bytes bigint
        );
    ") -}}
{% endmacro %}


{#- Forget the probes of files that changed size or disappeared. -#}
{% macro forget_changed_files(listing) %}
    {%- set current = [] -%}
    {%- for f in listing -%}
        {%- do current.append('(' ~ sql_string(f.path) ~ ', ' ~ f.size ~ ')') -%}
    {%- endfor -%}
    {%- do run_query(
        "create or replace temp table current_raw_files as select * from (values "
        ~ current | join(', ') ~ ") as files (file_path, size_bytes);"
        ~ " delete from raw.load_probes where (file_path, size_bytes) not in ("
        ~ "select (file_path, size_bytes) from current_raw_files);"
        ~ " delete from raw.load_errors where file_path not in (select file_path from raw.load_probes);"
        ~ " drop table current_raw_files;"
    ) -%}
{% endmacro %}


{#- Record a file that cannot be read at all, with its size and why. -#}
{% macro record_unreadable_file(f, error) %}
    {%- do run_query(
        "insert into raw.load_probes values (" ~ sql_string(f.table) ~ ", " ~ sql_string(f.path)
        ~ ", " ~ sql_string(f.format) ~ ", " ~ f.size ~ ", [], 0, 0, 0, " ~ sql_string(error)
        ~ ", current_timestamp);"
        ~ " insert into raw.load_errors values (" ~ sql_string(f.table) ~ ", " ~ sql_string(f.path)
        ~ ", null, 'unreadable_file', 'UNREADABLE FILE', " ~ sql_string(error) ~ ", null, " ~ f.size ~ ");"
    ) -%}
{% endmacro %}


{#- Columns and row counts of Parquet files (footers only). -#}
{% macro probe_parquet_files(files) %}
    {%- set parts = [] -%}
    {%- for f in files -%}
        {%- set reader = "read_parquet(" ~ sql_string(f.path) ~ ")" -%}
        {%- do parts.append(
            "select " ~ sql_string(f.table) ~ " as table_name, " ~ sql_string(f.path) ~ " as file_path, "
            ~ f.size ~ " as size_bytes"
            ~ ", (select list(column_name order by column_index) from (select column_name, row_number() over () as column_index"
            ~ " from (describe select * from " ~ reader ~ "))) as column_names"
            ~ ", (select count(*) from " ~ reader ~ ") as row_count"
        ) -%}
    {%- endfor -%}
    {%- do run_query(insert_probes_sql('parquet', parts)) -%}
{% endmacro %}


{#- Insert the probes of one format: `selects` give table_name, file_path,
    size_bytes, column_names and row_count per file. -#}
{% macro insert_probes_sql(file_format, selects) %}
    {{- return("insert into raw.load_probes select table_name, file_path, '" ~ file_format
        ~ "', size_bytes, column_names, row_count, row_count, 0, null, current_timestamp from ("
        ~ selects | join(' union all ') ~ ")") -}}
{% endmacro %}


{#- The options every CSV reader of the landing uses: RFC 4180 (comma,
    double quote, a header row), every column as text, no sniffing. -#}
{% macro csv_dialect(column_names) %}
    {%- set cols = [] -%}
    {%- for c in column_names -%}{%- do cols.append(sql_string(c) ~ ": 'varchar'") -%}{%- endfor -%}
    {{- return("header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', columns = {"
        ~ cols | join(', ') ~ "}") -}}
{% endmacro %}


{#- The options of a reader of whole lines (JSONL, CSV header lines). -#}
{% macro line_reader_options() %}
    {{- return("header = false, auto_detect = false, columns = {'line': 'varchar'}, delim = chr(30), quote = '', escape = ''") -}}
{% endmacro %}


{#- CSV files: the header (first line), then every record read with the
    landing's dialect; DuckDB's rejects capture records malformed lines. -#}
{% macro probe_csv_files(files) %}
    {%- set parts = [] -%}
    {%- for f in files -%}
        {#- a small buffer: only the first line is wanted; a later line that
            is not UTF-8 is the record probe's to report (ignore_errors) -#}
        {%- do parts.append("select " ~ sql_string(f.path) ~ " as file_path, (select line from read_csv("
            ~ sql_string(f.path) ~ ", " ~ line_reader_options()
            ~ ", ignore_errors = true, buffer_size = 1048576) limit 1) as header_line") -%}
    {%- endfor -%}
    {%- set headers = {} -%}
    {%- for row in run_query(parts | join(' union all ')).rows -%}
        {%- do headers.update({row[0]: csv_header_names(row[1])}) -%}
    {%- endfor -%}
    {%- set readable = [] -%}
    {%- for f in files -%}
        {%- if headers[f.path] | select | list | length == 0 -%}
            {%- do record_unreadable_file(f, 'no header row: the first line of a CSV file must name its columns') -%}
        {%- else -%}
            {%- do readable.append(f) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if readable | length == 0 -%}{{ return(none) }}{%- endif -%}
    {%- set counts = [] -%}
    {%- for f in readable -%}
        {%- do counts.append(
            "select " ~ sql_string(f.table) ~ " as table_name, " ~ sql_string(f.path) ~ " as file_path, "
            ~ f.size ~ " as size_bytes, " ~ sql_string_list(headers[f.path]) ~ " as column_names"
            ~ ", (select count(*) from read_csv(" ~ sql_string(f.path) ~ ", " ~ csv_dialect(headers[f.path])
            ~ ", store_rejects = true, rejects_table = 'trustmart_csv_rejects', rejects_scan = 'trustmart_csv_scans'"
            ~ ") as csv_rows where csv_rows is not null) as row_count"
        ) -%}
    {%- endfor -%}
    {%- do run_query(insert_probes_sql('csv', counts)) -%}
    {%- do run_query("
        insert into raw.load_errors
        select
            load_probes.table_name,
            scans.file_path,
            rejects.line,
            'malformed_line',
            string_agg(distinct rejects.error_type, ', ' order by rejects.error_type),
            string_agg(rejects.error_message, '; ' order by rejects.error_type),
            any_value(rejects.csv_line),
            load_probes.size_bytes
        from trustmart_csv_rejects as rejects
        join trustmart_csv_scans as scans using (scan_id, file_id)
        join raw.load_probes as load_probes on load_probes.file_path = scans.file_path
        group by load_probes.table_name, scans.file_path, rejects.line, load_probes.size_bytes;
        update raw.load_probes set malformed_lines = found.lines
        from (
            select file_path, count(*) as lines from raw.load_errors
            where error_kind = 'malformed_line' group by file_path
        ) as found
        where load_probes.file_path = found.file_path;
        drop table trustmart_csv_rejects;
        drop table trustmart_csv_scans;
    ") -%}
{% endmacro %}


{#- Column names from a CSV header line: split on commas, quotes, blanks
    and a byte-order mark removed. -#}
{% macro csv_header_names(header_line) %}
    {%- set names = [] -%}
    {%- for part in (header_line or '').lstrip('\ufeff').rstrip('\r\n').split(',') -%}
        {%- do names.append(part.strip().strip('"').strip()) -%}
    {%- endfor -%}
    {{- return(names) -}}
{% endmacro %}


{#- A JSONL file: every line read whole; a line that is not a JSON object
    (broken JSON, or bytes that are not UTF-8, which the line reader's
    rejects capture records) is malformed. Blank lines are skipped. Line
    numbers count every line: a line the reader rejected is not emitted, so
    an emitted line's number is its ordinal plus the rejected lines before
    it. -#}
{% macro probe_json_file(f) %}
    {%- do run_query("
        create or replace temp table trustmart_json_lines as
        select ordinality as line_ordinal, line,
            nullif(trim(line), '') is null as is_blank,
            case when json_valid(line) then json_type(line) = 'OBJECT' else false end as is_object
        from read_csv(" ~ sql_string(f.path) ~ ", " ~ line_reader_options() ~ ",
            store_rejects = true, rejects_table = 'trustmart_json_rejects',
            rejects_scan = 'trustmart_json_scans') with ordinality;

        create or replace temp table trustmart_json_rejected as
        select line as line_number, line - row_number() over (order by line) as emitted_before,
            error_type, error_message, csv_line
        from (
            select line,
                string_agg(distinct error_type, ', ' order by error_type) as error_type,
                string_agg(error_message, '; ' order by error_type) as error_message,
                any_value(csv_line) as csv_line
            from trustmart_json_rejects group by line
        );

        insert into raw.load_probes
        select " ~ sql_string(f.table) ~ ", " ~ sql_string(f.path) ~ ", 'json', " ~ f.size ~ ",
            coalesce((select list(distinct key order by key) from (
                select unnest(json_keys(line)) as key from trustmart_json_lines where is_object
            )), []),
            (select count(*) from trustmart_json_lines where is_object),
            (select count(*) from trustmart_json_lines),
            0, null, current_timestamp;

        insert into raw.load_errors
        select " ~ sql_string(f.table) ~ ", " ~ sql_string(f.path) ~ ", line_number, 'malformed_line',
            error_type, error_message, csv_line, " ~ f.size ~ "
        from trustmart_json_rejected
        union all
        select " ~ sql_string(f.table) ~ ", " ~ sql_string(f.path) ~ ",
            lines.line_ordinal + (
                select count(*) from trustmart_json_rejected as rejected
                where rejected.emitted_before < lines.line_ordinal
            ),
            'malformed_line', 'BROKEN JSON',
            case when json_valid(lines.line) then 'valid JSON but not an object'
                else 'not valid JSON' end,
            lines.line, " ~ f.size ~ "
        from trustmart_json_lines as lines
        where not lines.is_blank and not lines.is_object;

        update raw.load_probes set malformed_lines = (
            select count(*) from raw.load_errors where file_path = " ~ sql_string(f.path) ~ "
        ) where file_path = " ~ sql_string(f.path) ~ ";

        drop table trustmart_json_lines;
        drop table trustmart_json_rejected;
        drop table trustmart_json_rejects;
        drop table trustmart_json_scans;
    ") -%}
{% endmacro %}
