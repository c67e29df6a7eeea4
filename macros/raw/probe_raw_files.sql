{#-
    Probe every data file of the listing not probed before (a file is known
    by its path and size), once per file, and record what the readers and
    the checks need:

      raw.load_probes  one row per file: format, size, its column names,
                       rows it holds, malformed lines, and the error when
                       the file cannot be read at all
      raw.load_errors  one row per malformed line (file, line number,
                       DuckDB's error type and message, the line) and per
                       unreadable file (file, size, error)

    Malformed lines are found with DuckDB's own rejects capture
    (`store_rejects`) for CSV, with a line reader plus `json_valid` for
    JSONL. Unreadable files: a zero-byte Parquet file here; the command
    line checks the rest before dbt starts (Parquet magic bytes and footer,
    text that is not UTF-8) and passes them in var `unreadable_files`.
    A zero-byte CSV or JSONL file is an empty drop: no rows, not an error.

    A full refresh probes everything again; otherwise files already probed
    keep their record (an incremental build reads only the new ones).
-#}
{% macro probe_raw_files(listing) %}
    {%- do run_query(load_probe_tables_sql()) -%}
    {%- if flags.FULL_REFRESH -%}
        {%- do run_query("delete from raw.load_probes; delete from raw.load_errors;") -%}
    {%- endif -%}
    {#- forget files that changed size or disappeared -#}
    {%- set current = [] -%}
    {%- for f in listing -%}
        {%- do current.append('(' ~ sql_string(f.path) ~ ', ' ~ f.size ~ ')') -%}
    {%- endfor -%}
    {%- do run_query(
        "create or replace temp table current_raw_files as select * from (values "
        ~ current | join(', ') ~ ") as files (file_path, size_bytes);"
        ~ " delete from raw.load_errors where file_path not in ("
        ~ "select load_probes.file_path from raw.load_probes as load_probes"
        ~ " join current_raw_files using (file_path, size_bytes));"
        ~ " delete from raw.load_probes where (file_path, size_bytes) not in ("
        ~ "select (file_path, size_bytes) from current_raw_files);"
        ~ " delete from raw.load_errors where file_path not in (select file_path from raw.load_probes);"
    ) -%}
    {%- set probed = [] -%}
    {%- for row in run_query("select file_path from raw.load_probes").rows -%}
        {%- do probed.append(row[0]) -%}
    {%- endfor -%}
    {%- set unreadable = {} -%}
    {%- for u in var('unreadable_files', []) or [] -%}
        {%- do unreadable.update({u.path: u}) -%}
    {%- endfor -%}
    {%- set groups = {'parquet': [], 'csv': [], 'json': [], 'unreadable': [], 'empty': []} -%}
    {%- for f in listing if f.path not in probed -%}
        {%- if f.path in unreadable -%}
            {%- do groups.unreadable.append(f.update({'error': unreadable[f.path].error}) or f) -%}
        {%- elif f.size == 0 and f.format == 'parquet' -%}
            {%- do groups.unreadable.append(f.update({'error': 'the file is empty (0 bytes): not a Parquet file'}) or f) -%}
        {%- elif f.size == 0 -%}
            {%- do groups.empty.append(f) -%}
        {%- else -%}
            {%- do groups[f.format].append(f) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for f in groups.unreadable -%}{%- do record_unreadable_file(f, f.error) -%}{%- endfor -%}
    {%- for f in groups.empty -%}
        {%- do run_query(
            "insert into raw.load_probes values (" ~ sql_string(f.table) ~ ", " ~ sql_string(f.path)
            ~ ", " ~ sql_string(f.format) ~ ", 0, [], 0, 0, null, current_timestamp)"
        ) -%}
    {%- endfor -%}
    {%- for chunk in groups.parquet | batch(200) -%}{%- do probe_parquet_files(chunk) -%}{%- endfor -%}
    {%- for chunk in groups.csv | batch(100) -%}{%- do probe_csv_files(chunk) -%}{%- endfor -%}
    {%- for f in groups.json -%}{%- do probe_json_file(f) -%}{%- endfor -%}
{% endmacro %}


{#- Record a file that cannot be read at all, with its size and why. -#}
{% macro record_unreadable_file(f, error) %}
    {%- do run_query(
        "insert into raw.load_probes values (" ~ sql_string(f.table) ~ ", " ~ sql_string(f.path)
        ~ ", " ~ sql_string(f.format) ~ ", " ~ f.size ~ ", [], 0, 0, " ~ sql_string(error)
        ~ ", current_timestamp);"
        ~ " insert into raw.load_errors values (" ~ sql_string(f.table) ~ ", " ~ sql_string(f.path)
        ~ ", null, 'unreadable_file', 'UNREADABLE FILE', " ~ sql_string(error) ~ ", null, " ~ f.size ~ ");"
    ) -%}
{% endmacro %}


{% macro load_probe_tables_sql() %}
    {{- return("
        create table if not exists raw.load_probes (
            table_name varchar, file_path varchar, file_format varchar, size_bytes bigint,
            column_names varchar[], rows_read bigint, malformed_lines bigint,
            unreadable_error varchar, probed_at timestamp
        );
        create table if not exists raw.load_errors (
            table_name varchar, file_path varchar, line_number bigint, error_kind varchar,
            error_type varchar, error_message varchar, raw_text varchar, size_bytes bigint
        );
    ") -}}
{% endmacro %}


{#- Columns and row counts of Parquet files (footers only). -#}
{% macro probe_parquet_files(files) %}
    {%- set parts = [] -%}
    {%- for f in files -%}
        {%- set reader = "read_parquet(" ~ sql_string(f.path) ~ ")" -%}
        {%- do parts.append(
            "select " ~ sql_string(f.table) ~ ", " ~ sql_string(f.path) ~ ", 'parquet', " ~ f.size
            ~ ", (select list(column_name order by column_index) from (select column_name, row_number() over () as column_index"
            ~ " from (describe select * from " ~ reader ~ ")))"
            ~ ", (select count(*) from " ~ reader ~ "), 0, null, current_timestamp"
        ) -%}
    {%- endfor -%}
    {%- do run_query("insert into raw.load_probes " ~ parts | join(' union all ')) -%}
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
        {#- read as latin-1, which never fails to decode: a later line that is
            not UTF-8 is the record probe's to report, not the header's -#}
        {%- do parts.append("select " ~ sql_string(f.path) ~ " as file_path, (select line from read_csv("
            ~ sql_string(f.path) ~ ", " ~ line_reader_options() ~ ", encoding = 'latin-1') limit 1) as header_line") -%}
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
            "select " ~ sql_string(f.table) ~ ", " ~ sql_string(f.path) ~ ", 'csv', " ~ f.size
            ~ ", " ~ sql_string_list(headers[f.path])
            ~ ", (select count(*) from read_csv(" ~ sql_string(f.path) ~ ", " ~ csv_dialect(headers[f.path])
            ~ ", store_rejects = true, rejects_table = 'trustmart_csv_rejects', rejects_scan = 'trustmart_csv_scans'"
            ~ ") as csv_rows where csv_rows is not null), 0, null, current_timestamp"
        ) -%}
    {%- endfor -%}
    {%- do run_query("insert into raw.load_probes " ~ counts | join(' union all ')) -%}
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
            coalesce(json_valid(line) and json_type(line) = 'OBJECT', false) as is_object
        from read_csv(" ~ sql_string(f.path) ~ ", " ~ line_reader_options() ~ ",
            store_rejects = true, rejects_table = 'trustmart_json_rejects',
            rejects_scan = 'trustmart_json_scans') with ordinality
        where nullif(trim(line), '') is not null;

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
            'not a JSON object: ' || coalesce(json_error, 'not an object'),
            lines.line, " ~ f.size ~ "
        from (
            select line_ordinal, line,
                case when not json_valid(line) then 'invalid JSON' end as json_error
            from trustmart_json_lines where not is_object
        ) as lines;

        update raw.load_probes set malformed_lines = (
            select count(*) from raw.load_errors where file_path = " ~ sql_string(f.path) ~ "
        ) where file_path = " ~ sql_string(f.path) ~ ";

        drop table trustmart_json_lines;
        drop table trustmart_json_rejected;
        drop table trustmart_json_rejects;
        drop table trustmart_json_scans;
    ") -%}
{% endmacro %}
