{#-
    Stop the build, before any model runs, when the export breaks what may
    be tolerated, naming the file, the line and what is wrong, and what to
    do (trusted loaders abort on the first bad record unless told
    otherwise):

    - malformed lines beyond var `max_bad_lines` (default 0; `trustmart
      build --max-bad-lines N`) in all, over every file of the export;
    - a file that cannot be read at all, unless var `skip_unreadable_files`
      (`trustmart build --skip-unreadable-files`).

    Tolerated lines and files are quarantined (stg_landing__load_errors,
    fct_quarantined_rows) and counted by the reconciliation.
-#}
{% macro enforce_load_tolerance() %}
    {%- set problems = [] -%}
    {%- set limit = var('max_bad_lines', 0) | int -%}
    {%- set malformed = run_query(
        "select table_name, file_path, line_number, error_type, error_message, raw_text,"
        ~ " count(*) over () as total"
        ~ " from raw.load_errors where error_kind = 'malformed_line'"
        ~ " order by table_name, file_path, line_number limit 5"
    ).rows -%}
    {%- if malformed | length > 0 and malformed[0][6] > limit -%}
        {%- set total = malformed[0][6] -%}
        {%- set lines = [] -%}
        {%- for r in malformed -%}
            {%- do lines.append("  - raw table '" ~ r[0] ~ "', file '" ~ r[1] ~ "', line " ~ r[2] ~ ": "
                ~ r[3] | lower ~ " (" ~ r[4] ~ ")" ~ (": " ~ (r[5] | trim)[:120] if r[5] else "")) -%}
        {%- endfor -%}
        {%- do problems.append(
            total ~ " malformed line(s) in the raw export, more than the " ~ limit ~ " tolerated"
            ~ (" (the first 5)" if total > 5 else "") ~ ":\n" ~ lines | join("\n")
            ~ "\nWhat to do: repair or remove these lines in the export and build again; or, to "
            ~ "quarantine them as `malformed_line` and build the rest, run `trustmart build "
            ~ "--max-bad-lines " ~ total ~ "` (dbt var max_bad_lines). See docs/raw-contract.md.") -%}
    {%- endif -%}
    {%- if not var('skip_unreadable_files', false) -%}
        {%- set unreadable = run_query(
            "select table_name, file_path, size_bytes, error_message from raw.load_errors"
            ~ " where error_kind = 'unreadable_file' order by table_name, file_path"
        ).rows -%}
        {%- if unreadable | length > 0 -%}
            {%- set lines = [] -%}
            {%- for r in unreadable -%}
                {%- do lines.append("  - raw table '" ~ r[0] ~ "', file '" ~ r[1] ~ "' ("
                    ~ r[2] ~ " bytes): " ~ r[3]) -%}
            {%- endfor -%}
            {%- do problems.append(
                unreadable | length ~ " raw file(s) cannot be read:\n" ~ lines | join("\n")
                ~ "\nWhat to do: replace each file with a complete copy from the platform's export, "
                ~ "or move it out of the table folder; or, to quarantine it and build the rest, run "
                ~ "`trustmart build --skip-unreadable-files` (dbt var skip_unreadable_files).") -%}
        {%- endif -%}
    {%- endif -%}
    {%- if problems | length > 0 -%}
        {{ exceptions.raise_compiler_error(problems | join("\n")) }}
    {%- endif -%}
{% endmacro %}


{#- Stop the build when a readable file of `node`'s table lacks a required
    (non-nullable) contract column, naming the table, file and columns. -#}
{% macro check_required_columns(node, files) %}
    {%- if files | length == 0 -%}{{ return(none) }}{%- endif -%}
    {%- set required = [] -%}
    {%- for col in node.columns.values() if not col.meta.get('nullable', false) -%}
        {%- do required.append(col.name) -%}
    {%- endfor -%}
    {%- for probe in raw_file_probes(node.name, files) if probe.readable and probe.rows_read > 0 -%}
        {%- set present = probe.columns | map('lower') | list -%}
        {%- set missing = [] -%}
        {%- for name in required if name not in present -%}{%- do missing.append(name) -%}{%- endfor -%}
        {%- if missing | length > 0 -%}
            {{ exceptions.raise_compiler_error(
                "Raw table '" ~ node.name ~ "': file '" ~ probe.path ~ "' is missing required column(s) "
                ~ missing | join(', ') ~ " (docs/raw-contract.md). Fix the export so every file of '"
                ~ node.name ~ "' carries these columns, or move the file out of the folder."
            ) }}
        {%- endif -%}
    {%- endfor -%}
{% endmacro %}
