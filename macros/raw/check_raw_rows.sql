{#-
    Type and check every row of one raw table, and decide its fate.

    One row per raw row with the contract columns typed (codes lower-cased
    and trimmed, timestamps converted to UTC), any extra columns untouched,
    and:
      row_status         `staged`, `superseded` or `quarantined`
      quarantine_reason  the first rule the row breaks (order of
                         trustmart.contract.QUARANTINE_REASONS), else null
      quarantine_detail  which column and value broke it
      raw_row            for quarantined rows: the row as delivered (JSON); for
                         `duplicate_key` rows, which passed every row check,
                         the row as typed
      _raw_row_id        the surrogate key of the raw row: file name and row

    The re-delivery rule (raw-contract.md) runs on rows that pass the row
    checks: per key, the latest `ingested_at` wins (ties: last file name,
    then last row). A row with an older `ingested_at` is `superseded`; one
    with the same `ingested_at` as the winner, or any repeat of a key in a
    table without `ingested_at`, is quarantined as `duplicate_key`.

    extra_checks: model-specific rules, a list of
    {reason, condition, detail} checked after the generic ones, in order.

    Incremental builds (the base models are dbt incremental models keyed on
    `_raw_row_id`) read only the files the table has not loaded yet, check
    their rows, and re-rank every earlier row of the keys they touch, so
    late and re-delivered rows get the fate a full build would give them.
    recheck: a condition on earlier rows (alias `prior_rows`) that were
    quarantined by a rule depending on other tables and now pass it; they
    are ranked again with the new rows (appeals whose decision has arrived).
-#}
{% macro check_raw_rows(table_name, extra_checks=[], recheck=none) %}
    {%- set source_relation = source('raw', table_name) -%}
    {%- set accepted_codes = ref('accepted_codes') -%}
    {%- set policy_categories = ref('policy_categories') -%}
    {%- set surfaces = ref('surfaces') -%}
    {%- if not execute -%}
        select 1 as parse_placeholder
    {%- else -%}
    {%- set node = raw_source_node(table_name) -%}
    {%- set columns = node.columns.values() | list -%}
    {%- set names = columns | map(attribute='name') | list -%}
    {%- set key = node.meta['key'] -%}
    {%- set has_ingested_at = 'ingested_at' in names -%}
    {%- set skew = var('clock_skew_minutes') -%}
    {%- set checks = [] -%}
    {#- null_key -#}
    {%- for k in key -%}
        {%- do checks.append({'reason': 'null_key', 'condition': raw_is_blank(k),
            'detail': "'" ~ k ~ " is empty'"}) -%}
    {%- endfor -%}
    {#- missing_value -#}
    {%- for col in columns if col.name not in key and not col.meta.get('nullable', false) -%}
        {%- do checks.append({'reason': 'missing_value', 'condition': raw_is_blank(col.name),
            'detail': "'" ~ col.name ~ " is empty'"}) -%}
    {%- endfor -%}
    {%- for c in extra_checks if c.reason == 'missing_value' -%}{%- do checks.append(c) -%}{%- endfor -%}
    {#- unparsable_timestamp, then invalid_value -#}
    {%- for wanted in ['timestamp', 'other'] -%}
        {%- for col in columns if col.data_type != 'varchar' -%}
            {%- set is_time = col.data_type in ('timestamp', 'date') -%}
            {%- if (wanted == 'timestamp') == is_time -%}
                {%- do checks.append({
                    'reason': 'unparsable_timestamp' if is_time else 'invalid_value',
                    'condition': 'not ' ~ raw_is_blank(col.name) ~ ' and ' ~ raw_typed(col) ~ ' is null',
                    'detail': "'" ~ col.name ~ ": ' || source_rows.\"" ~ col.name ~ '"'}) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {#- unknown_code -#}
    {%- for col in columns if col.meta.get('code_set') -%}
        {%- set code_set = col.meta['code_set'] -%}
        {%- if code_set == 'policy_category' -%}
            {%- set allowed = 'select policy_category from ' ~ policy_categories -%}
        {%- elif code_set == 'surface' -%}
            {%- set allowed = 'select surface from ' ~ surfaces -%}
        {%- else -%}
            {%- set allowed = "select code from " ~ accepted_codes ~ " where code_set = '" ~ code_set ~ "'" -%}
        {%- endif -%}
        {%- do checks.append({'reason': 'unknown_code',
            'condition': raw_typed(col) ~ ' not in (' ~ allowed ~ ')',
            'detail': "'" ~ col.name ~ ": ' || source_rows.\"" ~ col.name ~ '"'}) -%}
    {%- endfor -%}
    {#- ranges -#}
    {%- for col in columns if col.meta.get('range') -%}
        {%- set r = col.meta['range'] -%}
        {%- set v = raw_typed(col) -%}
        {%- if r == 'probability' -%}
            {%- do checks.append({'reason': 'probability_out_of_range',
                'condition': v ~ ' <= 0 or ' ~ v ~ ' > 1',
                'detail': "'" ~ col.name ~ ": ' || source_rows.\"" ~ col.name ~ '"'}) -%}
        {%- else -%}
            {%- set cond = (v ~ ' < 0 or ' ~ v ~ ' > 1') if r == 'unit_interval' else (v ~ ' < 0') -%}
            {%- do checks.append({'reason': 'invalid_value', 'condition': cond,
                'detail': "'" ~ col.name ~ " out of range: ' || source_rows.\"" ~ col.name ~ '"'}) -%}
        {%- endif -%}
    {%- endfor -%}
    {#- event_after_ingestion -#}
    {%- if has_ingested_at -%}
        {%- set ingested = raw_typed(node.columns['ingested_at']) -%}
        {%- for col in columns if col.meta.get('event_time') -%}
            {%- do checks.append({'reason': 'event_after_ingestion',
                'condition': raw_typed(col) ~ ' > ' ~ ingested ~ ' + interval ' ~ skew ~ ' minute',
                'detail': "'" ~ col.name ~ " ' || source_rows.\"" ~ col.name ~ "\" || ' after ingested_at ' || source_rows.ingested_at"}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- for c in extra_checks if c.reason != 'missing_value' -%}{%- do checks.append(c) -%}{%- endfor -%}
    {%- set key_list = '"' ~ key | join('", "') ~ '"' -%}
    {%- set incremental = is_incremental() -%}

with

{% if incremental -%}
{#- only the files this table has not loaded yet -#}
{%- set loaded = [] -%}
{%- for row in run_query('select distinct _source_file from ' ~ this).rows -%}
    {%- do loaded.append(row[0]) -%}
{%- endfor -%}
{%- set new_files = [] -%}
{%- for f in raw_files_by_table().get(table_name, []) | sort if f not in loaded -%}
    {%- do new_files.append(f) -%}
{%- endfor %}
source_rows as (
    {{ raw_select_sql(node, new_files) }}
),
{%- else %}
source_rows as (
    select * from {{ source_relation }}
),
{%- endif %}

flagged_rows as (
    select
        source_rows as source_record,
        source_rows.*,
        case
            {%- for c in checks %}
            when {{ c.condition }} then {{ loop.index }}
            {%- endfor %}
        end as check_index
    from source_rows
),

checked_rows as (
    select
        {%- for col in columns %}
        {{ raw_typed(col) }} as "{{ col.name }}",
        {%- endfor %}
        source_rows.* exclude ({% for n in names %}"{{ n }}", {% endfor %}_source_file, _source_row, source_record, check_index),
        source_rows._source_file,
        source_rows._source_row,
        parse_filename(source_rows._source_file) || ':' || source_rows._source_row as _raw_row_id,
        source_rows.check_index,
        case source_rows.check_index
            {%- for c in checks %}
            when {{ loop.index }} then '{{ c.reason }}'
            {%- endfor %}
        end as row_quarantine_reason,
        case source_rows.check_index
            {%- for c in checks %}
            when {{ loop.index }} then {{ c.detail }}
            {%- endfor %}
        end as row_quarantine_detail,
        case when source_rows.check_index is not null then to_json(source_rows.source_record) end as raw_row
    from flagged_rows as source_rows
),

{% if incremental -%}
new_rankable_rows as (
    select * exclude (check_index, row_quarantine_reason, row_quarantine_detail, raw_row)
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
    select prior_rows.* exclude (row_status, quarantine_reason, quarantine_detail, raw_row)
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
    union all by name
    select * from new_rankable_rows
),
{%- else %}
rankable_rows as (
    select * exclude (check_index, row_quarantine_reason, row_quarantine_detail, raw_row)
    from checked_rows
    where check_index is null
),
{%- endif %}

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
        * exclude (delivery_rank, key_latest_ingested_at, is_duplicate),
        case
            when delivery_rank = 1 then 'staged'
            when is_duplicate then 'quarantined'
            else 'superseded'
        end as row_status,
        case when is_duplicate then 'duplicate_key' end as quarantine_reason,
        case
            when is_duplicate
                then 'key {{ key | join(", ") }} repeated'
                    {%- if has_ingested_at %} || ' with the same ingested_at'{% endif %}
        end as quarantine_detail,
        {#- a duplicate passed every row check: its row as typed -#}
        case
            when is_duplicate then to_json({
                {%- for n in names %}'{{ n }}': "{{ n }}"{% if not loop.last %}, {% endif %}{% endfor -%}
            })
        end as raw_row
    from classified_rows
),

row_rule_breaches as (
    select
        * exclude (check_index, row_quarantine_reason, row_quarantine_detail, raw_row),
        'quarantined' as row_status,
        row_quarantine_reason as quarantine_reason,
        row_quarantine_detail as quarantine_detail,
        raw_row
    from checked_rows
    where check_index is not null
)

select * from fated_rows
union all by name
select * from row_rule_breaches
    {%- endif -%}
{% endmacro %}


{#- The source node of raw table `table_name`. -#}
{% macro raw_source_node(table_name) %}
    {%- for node in raw_source_nodes() if node.name == table_name -%}
        {{- return(node) -}}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("No raw source table named '" ~ table_name ~ "' in _raw__sources.yml") }}
{% endmacro %}


{#- True when the raw text of a column is null or blank. -#}
{% macro raw_is_blank(column_name) %}
    {{- return("nullif(trim(source_rows.\"" ~ column_name ~ "\"), '') is null") -}}
{% endmacro %}


{#- The typed, normalised value of a raw column (null when unparsable). -#}
{% macro raw_typed(col) %}
    {%- set raw = 'source_rows."' ~ col.name ~ '"' -%}
    {%- set t = col.data_type -%}
    {%- if t == 'timestamp' -%}
        {{- return(utc_timestamp(raw)) -}}
    {%- elif t == 'date' -%}
        {{- return('try_cast(trim(' ~ raw ~ ') as date)') -}}
    {%- elif t == 'boolean' -%}
        {{- return('try_cast(lower(trim(' ~ raw ~ ')) as boolean)') -}}
    {%- elif t in ('double', 'bigint') -%}
        {{- return('try_cast(trim(' ~ raw ~ ') as ' ~ t ~ ')') -}}
    {%- elif col.meta.get('code_set') -%}
        {{- return("nullif(lower(trim(" ~ raw ~ ")), '')") -}}
    {%- else -%}
        {{- return("nullif(trim(" ~ raw ~ "), '')") -}}
    {%- endif -%}
{% endmacro %}
