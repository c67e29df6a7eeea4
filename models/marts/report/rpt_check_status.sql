{{
    config(
        materialized='view',
        pre_hook="{{ python_table_ddl('build_info', this.schema) }}",
    )
}}
-- One row, always: is the warehouse the report reads verified? From the
-- latest `trustmart check` run (the rows of marts.dq_results with the
-- greatest run_at) and the build (marts.build_info.built_at): whether that
-- run failed an error-level check (severity `error`, status `fail`), which
-- ones, and whether any check has run since the build. The summary page
-- shows a banner from it. A view, like rpt_data_quality: `trustmart build`
-- writes build_info and `trustmart check` writes dq_results after dbt ran,
-- so both are read when the report is built. Empty tables with the schemas
-- trustmart writes stand in until then: the pre-hook creates build_info, and
-- rpt_data_quality's creates dq_results (hence the dependency below: two
-- models creating the same table at once conflict in DuckDB).
-- depends_on: {{ ref('rpt_data_quality') }}
-- Check names that look like a generated record id or an md5 key are masked,
-- as in rpt_data_quality.
{%- set id_pattern = '\\b(ap|qa|rv|qr|tf|au|[rdesacu])[0-9]+\\b' %}
{%- set md5_pattern = '\\b[0-9a-f]{32}\\b' %}
{%- set names_shown = 10 %}

with

dq_results as (
    select * from {{ this.schema }}.dq_results
),

build_info as (
    select * from {{ this.schema }}.build_info
),

latest_run as (
    select max(run_at) as run_at from dq_results
),

latest_build as (
    select max(built_at) as built_at from build_info
),

latest_run_results as (
    select
        dq_results.suite,
        dq_results.check_name,
        dq_results.severity,
        dq_results.status
    from dq_results
    inner join latest_run
        on dq_results.run_at = latest_run.run_at
),

failed_error_checks as (
    select distinct
        {{ regexp_replace_all(
             regexp_replace_all("suite || '.' || check_name", id_pattern, '[id]'),
             md5_pattern,
             '[key]'
        ) }} as check_label
    from latest_run_results
    where severity = 'error' and status = 'fail'
),

numbered_failures as (
    select
        check_label,
        row_number() over (order by check_label) as check_order
    from failed_error_checks
),

failure_summary as (
    select
        coalesce(
            {{ string_agg_ordered('check_label', "', '", 'check_order') }}
            filter (where check_order <= {{ names_shown }}),
            ''
        )
        || case
            when count(*) > {{ names_shown }}
                then ' and ' || (count(*) - {{ names_shown }}) || ' more'
            else ''
        end as failed_check_names,
        count(*) as failed_checks
    from numbered_failures
),

run_summary as (
    select count(*) as checks_run from latest_run_results
),

assessed as (
    select
        failure_summary.failed_check_names,
        run_summary.checks_run,
        failure_summary.failed_checks,
        failure_summary.failed_checks > 0 as has_failed_checks,
        coalesce(
            latest_run.run_at >= latest_build.built_at
            or (latest_run.run_at is not null and latest_build.built_at is null),
            false
        ) as is_checked_since_build,
        latest_run.run_at as last_run_at,
        latest_build.built_at
    from latest_run
    cross join latest_build
    cross join failure_summary
    cross join run_summary
),

final as (
    select
        case
            when has_failed_checks then 'failed'
            when last_run_at is null then 'not run'
            when not is_checked_since_build then 'not run since build'
            else 'passed'
        end as check_status,
        failed_check_names,
        case
            when has_failed_checks then 'These numbers may be incomplete or wrong'
            else ''
        end as banner_title,
        case
            when has_failed_checks
                then
                    'The latest data-quality check (run '
                    || {{ format_timestamp('last_run_at', '%Y-%m-%d %H:%M') }} || ' UTC) failed '
                    || failed_checks || ' error-level check'
                    || case when failed_checks = 1 then '' else 's' end
                    || ': ' || failed_check_names || '.'
            else ''
        end as banner_text,
        case
            when is_checked_since_build then ''
            else 'Not verified'
        end as notice_title,
        case
            when is_checked_since_build then ''
            when last_run_at is null
                then
                    'No data-quality check has run on this warehouse: these numbers have not been '
                    || 'checked. Run the checks (trustmart check), then build the report again.'
            else
                'No data-quality check has run since the warehouse was built (built '
                || coalesce({{ format_timestamp('built_at', '%Y-%m-%d %H:%M') }} || ' UTC', 'at an unknown time')
                || '; latest check ' || {{ format_timestamp('last_run_at', '%Y-%m-%d %H:%M') }} || ' UTC'
                || '): these numbers have not been checked. Run the checks (trustmart check), '
                || 'then build the report again.'
        end as notice_text,
        checks_run,
        failed_checks,
        has_failed_checks,
        is_checked_since_build,
        last_run_at,
        built_at
    from assessed
)

select * from final
