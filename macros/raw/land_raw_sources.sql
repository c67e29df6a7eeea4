{#-
    The landing: expose every table folder of the raw export as a view
    `raw.<table>`, run as an on-run-start hook so that `dbt build` works on
    its own. In order:

    1. list the export's data files (raw_file_listing);
    2. probe every file not probed before (probe_raw_files): its columns,
       the rows it holds, its malformed lines and whether it can be read at
       all, recorded in raw.load_probes and raw.load_errors;
    3. stop the build when the export breaks what may be tolerated
       (enforce_load_tolerance: malformed lines beyond var max_bad_lines,
       unreadable files without var skip_unreadable_files, a file missing
       a required column, a required table without files);
    4. create each view over the readable files (raw_select_sql).

    Each view holds every contract column as text (missing nullable columns
    as null), any extra columns of the files untouched, `_source_file` and
    `_source_row` (the row's ordinal within its file).
-#}
{% macro land_raw_sources() %}
    {%- if execute and flags.WHICH in ('build', 'run', 'test', 'seed', 'source', 'freshness', 'source-freshness') -%}
        {%- set listing = raw_file_listing() -%}
        {%- if listing | length == 0 -%}
            {{ exceptions.raise_compiler_error(
                "No raw export found in '" ~ raw_dir_path() ~ "' (no table folders with files). "
                ~ "Run `trustmart generate` to write a sample export there, or point "
                ~ "`trustmart build --raw DIR` (or TRUSTMART_RAW_DIR) at your export."
            ) }}
        {%- endif -%}
        {%- do run_query("create schema if not exists raw") -%}
        {%- do probe_raw_files(listing) -%}
        {%- do enforce_load_tolerance() -%}
        {%- set files_by_table = raw_files_by_table(listing) -%}
        {%- for node in raw_source_nodes() -%}
            {%- set files = files_by_table.get(node.name, []) -%}
            {%- if files | length == 0 and not node.meta.get('optional', false) -%}
                {{ exceptions.raise_compiler_error(
                    "Raw table '" ~ node.name ~ "' has no files in '" ~ raw_dir_path() ~ "/" ~ node.name
                    ~ "/'. It is required by the raw contract (docs/raw-contract.md): "
                    ~ "add its export there, or run `trustmart generate` for a sample."
                ) }}
            {%- endif -%}
            {%- do check_required_columns(node, files) -%}
            {%- do run_query('create or replace view raw."' ~ node.name ~ '" as\n' ~ raw_select_sql(node, files)) -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
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


{#- The source node of raw table `table_name`. -#}
{% macro raw_source_node(table_name) %}
    {%- for node in raw_source_nodes() if node.name == table_name -%}
        {{- return(node) -}}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("No raw source table named '" ~ table_name ~ "' in _raw__sources.yml") }}
{% endmacro %}


{#- A value's text for inside a SQL string literal (quotes escaped). -#}
{% macro sql_quote(value) %}
    {{- return(adapter.dispatch('sql_quote', 'trustmart')(value)) -}}
{% endmacro %}

{% macro default__sql_quote(value) %}
    {{- return(value | string | replace("'", "''")) -}}
{% endmacro %}

{#- Spark reads backslash escapes in string literals: a backslash is doubled. -#}
{% macro spark__sql_quote(value) %}
    {{- return(value | string | replace('\\', '\\\\') | replace("'", "''")) -}}
{% endmacro %}


{#- A SQL string literal of `value`, quotes escaped. -#}
{% macro sql_string(value) %}
    {{- return("'" ~ sql_quote(value) ~ "'") -}}
{% endmacro %}


{#- Comma-separated SQL string literals (for `in (...)`). -#}
{% macro sql_string_sequence(values) %}
    {%- set quoted = [] -%}
    {%- for v in values -%}{%- do quoted.append(sql_string(v)) -%}{%- endfor -%}
    {{- return(quoted | join(', ')) -}}
{% endmacro %}


{#- A SQL list literal of strings. -#}
{% macro sql_string_list(values) %}
    {%- set quoted = [] -%}
    {%- for v in values -%}{%- do quoted.append(sql_string(v)) -%}{%- endfor -%}
    {{- return('[' ~ quoted | join(', ') ~ ']') -}}
{% endmacro %}
