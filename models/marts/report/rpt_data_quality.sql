{{
    config(
        materialized='view',
        pre_hook="{{ python_table_ddl('dq_results', this.schema) }}",
    )
}}
-- One row per data-quality check: its latest result in marts.dq_results
-- (written by `trustmart check` after the build, hence a view, read when the
-- report is built; the pre-hook creates the table, empty and with the
-- schema `trustmart check` uses, when no check has run yet). A placeholder
-- row says so when there is no result at all: a report source must never
-- be empty. Anything in details or observed values that looks like a
-- generated record id (r123, ap45, rv7, ...) or an md5 key is masked.
{%- set id_pattern = '\\b(ap|qa|rv|qr|tf|au|[rdesacu])[0-9]+\\b' %}
{%- set md5_pattern = '\\b[0-9a-f]{32}\\b' %}

with

dq_results as (
    select * from {{ this.schema }}.dq_results
),

latest as (
    select
        suite,
        check_name,
        severity,
        status,
        observed_value,
        threshold,
        details,
        run_at
    from dq_results
    qualify row_number() over (partition by suite, check_name order by run_at desc) = 1
),

masked as (
    select
        suite,
        check_name,
        severity,
        status,
        {{ regexp_replace_all(
             regexp_replace_all("coalesce(observed_value, '')", id_pattern, '[id]'),
             md5_pattern,
             '[key]'
        ) }} as observed_value,
        coalesce(threshold, '') as threshold,
        {{ regexp_replace_all(
             regexp_replace_all("coalesce(details, '')", id_pattern, '[id]'),
             md5_pattern,
             '[key]'
        ) }} as details,
        case status when 'fail' then 1 when 'warn' then 2 when 'skip' then 3 else 4 end
            as status_rank,
        suite = 'source_freshness' as is_freshness,
        false as is_placeholder,
        run_at
    from latest
),

-- one row when there is nothing else to show, with the columns of the
-- rows above (null where it has nothing to say)
placeholder as (
    select
        'none' as suite,
        'No data-quality results yet: run `trustmart check`' as check_name,
        'warning' as severity,
        'not run' as status,
        '' as observed_value,
        '' as threshold,
        '' as details,
        5 as status_rank,
        false as is_freshness,
        true as is_placeholder,
        cast(null as timestamp) as run_at
    where not exists (
        select 1 from masked
    )
),

final as (
    select
        suite,
        check_name,
        severity,
        status,
        observed_value,
        threshold,
        details,
        status_rank,
        is_freshness,
        is_placeholder,
        run_at
    from masked
    union all
    select * from placeholder
)

select * from final
