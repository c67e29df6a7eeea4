{#-
    The body of a base model: type and check every row of one raw table,
    and decide its fate. One row per raw row with

      the contract columns typed (raw_typed: codes mapped and lower-cased,
      timestamps in UTC), `<code column>_raw` the code as delivered, any
      extra columns untouched, and
      row_status         `staged`, `superseded` or `quarantined`
      quarantine_reason  the first rule the row breaks (raw_row_rules),
                         else null
      quarantine_column  the column that rule names, when it names one
      quarantine_detail  which column and value broke it
      raw_row            for quarantined rows: the row as delivered (JSON);
                         for `duplicate_key` rows, which passed every row
                         check, the row as typed
      _raw_row_id        the surrogate key of the raw row: file name and row

    Steps: raw_rows_to_check (all raw rows, or on an incremental run only
    the new files'), typed_rows (every column typed once: typing raw text,
    timestamps above all, is most of a base model's work), the row rules
    on the typed values, then raw_row_fates: the re-delivery
    rule on the rows that pass (per key the latest `ingested_at` wins;
    ties: last file name, then last row; a row with an older `ingested_at`
    is `superseded`, one with the same as the winner, or any repeat of a
    key in a table without `ingested_at`, is quarantined as
    `duplicate_key`).

    extra_checks: model-specific rules, a list of {reason, column,
    condition, detail} (raw_row_rules). recheck: see raw_rankable_rows.
-#}
{% macro check_raw_rows(table_name, extra_checks=[], recheck=none) %}
    {#- refs the SQL reads, registered when dbt parses the model -#}
    {%- set code_sets = ref('stg_reference__code_sets') -%}
    {%- if not execute -%}
        {{- return('select 1 as parse_placeholder') -}}
    {%- endif -%}
    {%- set node = raw_source_node(table_name) -%}
    {%- set columns = node.columns.values() | list -%}
    {%- set names = columns | map(attribute='name') | list -%}
    {%- set checks = raw_row_rules(node, extra_checks) -%}

with

source_rows as (
    {{ raw_rows_to_check(node) }}
),

{#- every column typed once: the row rules and the output read these -#}
typed_rows as (
    select
        {{ raw_row_record(node) }} as source_record,
        source_rows.*,
        {%- for col in columns %}
        {{ raw_typed(col) }} as {{ raw_typed_name(col.name) }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from source_rows
),

flagged_rows as (
    select
        source_rows.*,
        case
            {%- for c in checks %}
            when {{ c.condition }} then {{ loop.index }}
            {%- endfor %}
        end as check_index
    from typed_rows as source_rows
),

checked_rows as (
    select
        {%- for col in columns %}
        source_rows.{{ raw_typed_name(col.name) }} as "{{ col.name }}",
        {%- endfor %}
        {%- for name in raw_code_columns(node) %}
        source_rows."{{ name }}" as "{{ name }}_raw",
        {%- endfor %}
        {%- set not_extra = [] -%}
        {%- for n in names -%}{%- do not_extra.extend(['"' ~ n ~ '"', raw_typed_name(n)]) -%}{%- endfor -%}
        {%- do not_extra.extend(['_source_file', '_source_row', 'source_record', 'check_index']) %}
        {{ star_except(not_extra, 'source_rows') }},
        source_rows._source_file,
        source_rows._source_row,
        {{ file_name_of('source_rows._source_file') }} || ':' || source_rows._source_row as _raw_row_id,
        source_rows.check_index,
        case source_rows.check_index
            {%- for c in checks %}
            when {{ loop.index }} then '{{ c.reason }}'
            {%- endfor %}
        end as row_quarantine_reason,
        case source_rows.check_index
            {%- for c in checks %}
            {%- if c.get('column') %}
            when {{ loop.index }} then '{{ c.column }}'
            {%- endif %}
            {%- endfor %}
        end as row_quarantine_column,
        case source_rows.check_index
            {%- for c in checks %}
            when {{ loop.index }} then {{ c.detail }}
            {%- endfor %}
        end as row_quarantine_detail,
        case when source_rows.check_index is not null then {{ json_text('source_rows.source_record') }} end as raw_row
    from flagged_rows as source_rows
),

{{ raw_rankable_rows(node, recheck) }}

{{ raw_row_fates(node) }}
{% endmacro %}


{#- The raw row as delivered, as one struct (its JSON is the quarantine's
    raw_row): DuckDB names the row itself; elsewhere a struct of the
    landing view's columns. -#}
{% macro raw_row_record(node) %}
    {{- return(adapter.dispatch('raw_row_record', 'trustmart')(node)) -}}
{% endmacro %}

{% macro default__raw_row_record(node) %}
    {{- return('source_rows') -}}
{% endmacro %}

{% macro spark__raw_row_record(node) %}
    {%- set fields = [] -%}
    {%- for col in adapter.get_columns_in_relation(source('raw', node.name)) -%}
        {%- do fields.append((col.name, 'source_rows.' ~ raw_quoted_column(col.name))) -%}
    {%- endfor -%}
    {{- return(struct_of(fields)) -}}
{% endmacro %}


{#-
    The raw rows this run checks: every row of the landing view on a full
    build; on an incremental run only the rows of the files the model has
    not loaded yet.
-#}
{% macro raw_rows_to_check(node) %}
    {%- if not is_incremental() -%}
        {{- return('select * from ' ~ source('raw', node.name)) -}}
    {%- endif -%}
    {%- set loaded = [] -%}
    {%- for row in run_query('select distinct _source_file from ' ~ this).rows -%}
        {%- do loaded.append(row[0]) -%}
    {%- endfor -%}
    {%- set new_files = [] -%}
    {%- for f in raw_files_by_table().get(node.name, []) if f not in loaded -%}
        {%- do new_files.append(f) -%}
    {%- endfor -%}
    {{- return(raw_select_sql(node, new_files)) -}}
{% endmacro %}


{#-
    `rankable_rows`: the rows that passed the row rules and take part in
    the re-delivery ranking. On an incremental run, add every earlier row
    of each key the new rows touch, so late and re-delivered rows get the
    fate a full build would give them. recheck: a condition on earlier rows
    (alias `prior_rows`) that were quarantined by a rule depending on other
    tables and now pass it; they are ranked again with the new rows
    (appeals whose decision has arrived).
-#}
{% macro raw_rankable_rows(node, recheck=none) %}
    {%- set bookkeeping = ['check_index', 'row_quarantine_reason', 'row_quarantine_column', 'row_quarantine_detail', 'raw_row'] -%}
    {%- set fate_columns = ['row_status', 'quarantine_reason', 'quarantine_column', 'quarantine_detail', 'raw_row'] -%}
    {%- if not is_incremental() -%}
rankable_rows as (
    select {{ star_except(bookkeeping) }}
    from checked_rows
    where check_index is null
),
    {%- else -%}
    {%- set key = node.meta['key'] -%}
    {%- set key_list = '"' ~ key | join('", "') ~ '"' -%}
    {#- the earlier and the new rows by the model's own column names, in one
        order (a partitioned table on Spark keeps its partition column last) -#}
    {%- set row_columns = raw_model_columns(fate_columns) -%}
new_rankable_rows as (
    select {{ row_columns }}
    from checked_rows
    where check_index is null
),

{#- keys the new rows touch, and keys of earlier rows a check may now pass -#}
touched_keys as (
    select distinct {{ key_list }} from new_rankable_rows
    {%- if recheck %}
    union
    select distinct {{ key_list }}
    from {{ this }} as prior_rows
    where {{ recheck }}
    {%- endif %}
),

{#- every earlier row of a touched key that takes part in its ranking -#}
prior_rankable_rows as (
    select {{ raw_model_columns(fate_columns, 'prior_rows') }}
    from {{ this }} as prior_rows
    where
        (
            prior_rows.row_status != 'quarantined'
            or prior_rows.quarantine_reason = 'duplicate_key'
            {%- if recheck %}
            or ({{ recheck }})
            {%- endif %}
        )
        and exists (
            select 1 from touched_keys
            where
                {%- for k in key %}
                {% if not loop.first %}and {% endif %}touched_keys."{{ k }}" = prior_rows."{{ k }}"
                {%- endfor %}
        )
),

rankable_rows as (
    select * from prior_rankable_rows
    union all
    select * from new_rankable_rows
),
    {%- endif -%}
{% endmacro %}


{#-
    The fate of every row: the re-delivery rule over `rankable_rows`
    (staged, superseded or duplicate_key), then the rows that broke a row
    rule, quarantined with their reason.
-#}
{% macro raw_row_fates(node) %}
    {%- set key = node.meta['key'] -%}
    {%- set key_list = '"' ~ key | join('", "') ~ '"' -%}
    {%- set names = node.columns.values() | map(attribute='name') | list -%}
    {%- set has_ingested_at = 'ingested_at' in names -%}
ranked_rows as (
    select
        *,
        row_number() over (
            partition by {{ key_list }}
            order by
                {% if has_ingested_at %}ingested_at desc nulls last, {% endif -%}
                _source_file desc, _source_row desc
        ) as delivery_rank,
        {%- if has_ingested_at %}
        max(ingested_at) over (partition by {{ key_list }}) as key_latest_ingested_at
        {%- else %}
        cast(null as timestamp) as key_latest_ingested_at
        {%- endif %}
    from rankable_rows
),

classified_rows as (
    select
        *,
        delivery_rank > 1
        {%- if has_ingested_at %}
        and not coalesce(ingested_at < key_latest_ingested_at, false)
        {%- endif %} as is_duplicate
    from ranked_rows
),

fated_rows as (
    select
        {{ star_except(['delivery_rank', 'key_latest_ingested_at', 'is_duplicate']) }},
        case
            when delivery_rank = 1 then 'staged'
            when is_duplicate then 'quarantined'
            else 'superseded'
        end as row_status,
        case when is_duplicate then 'duplicate_key' end as quarantine_reason,
        cast(null as string) as quarantine_column,
        case
            when is_duplicate
                then 'key {{ key | join(", ") }} repeated'
                    {%- if has_ingested_at %} || ' with the same ingested_at'{% endif %}
        end as quarantine_detail,
        {#- a duplicate passed every row check: its row as typed -#}
        case
            {%- set typed_fields = [] -%}
            {%- for n in names -%}{%- do typed_fields.append((n, '"' ~ n ~ '"')) -%}{%- endfor %}
            when is_duplicate then {{ json_text(struct_of(typed_fields)) }}
        end as raw_row
    from classified_rows
),

row_rule_breaches as (
    select
        {{ star_except(['check_index', 'row_quarantine_reason', 'row_quarantine_column', 'row_quarantine_detail', 'raw_row']) }},
        'quarantined' as row_status,
        row_quarantine_reason as quarantine_reason,
        row_quarantine_column as quarantine_column,
        row_quarantine_detail as quarantine_detail,
        raw_row
    from checked_rows
    where check_index is not null
)

{#- a full build: the same columns in the same order on both sides -#}
{%- if not is_incremental() %}
select * from fated_rows
union all
select * from row_rule_breaches
{#- an incremental run: in the existing table's column order -#}
{%- elif not raw_overwrites_partitions() %}
{%- set all_columns = raw_model_columns() %}
select {{ all_columns }} from fated_rows
union all
select {{ all_columns }} from row_rule_breaches
{%- else %}
{%- set all_columns = raw_model_columns() %},

increment_rows as (
    select {{ all_columns }} from fated_rows
    union all
    select {{ all_columns }} from row_rule_breaches
)

{#- insert_overwrite replaces whole partitions (files): the rows of each
    file this run touches that it did not change are carried over -#}
select {{ all_columns }} from increment_rows
union all
select {{ raw_model_columns([], 'kept_rows') }}
from {{ this }} as kept_rows
where
    kept_rows._source_file in (select distinct increment_rows._source_file from increment_rows)
    and not exists (
        select 1 from increment_rows
        where increment_rows._raw_row_id = kept_rows._raw_row_id
    )
{%- endif %}
{% endmacro %}


{#- The columns of the model's existing table (`this`) but `except`, quoted
    and comma-separated, prefixed with `alias.` when given: a column list
    that is the same on both sides of a union whatever the engine's column
    order. Incremental runs only. -#}
{% macro raw_model_columns(except=[], alias=none) %}
    {%- set names = [] -%}
    {%- for col in adapter.get_columns_in_relation(this) if col.name not in except -%}
        {%- do names.append((alias ~ '.' if alias else '') ~ '"' ~ col.name ~ '"') -%}
    {%- endfor -%}
    {{- return(names | join(', ')) -}}
{% endmacro %}


{#- Whether this run replaces whole partitions of the model's table (the
    `insert_overwrite` strategy of Spark's base models, partitioned by
    `_source_file`) rather than rows by key (DuckDB's `delete+insert`): then
    the run must also emit the unchanged rows of every file it touches. -#}
{% macro raw_overwrites_partitions() %}
    {{- return(is_incremental() and config.get('incremental_strategy') == 'insert_overwrite') -}}
{% endmacro %}
