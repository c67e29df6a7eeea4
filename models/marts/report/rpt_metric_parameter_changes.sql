{{
    config(
        materialized='view',
        pre_hook="{{ python_table_ddl('metric_parameter_changes', this.schema) }}",
    )
}}
-- One row per recorded change of a setting a metric reads (a severity
-- target, a category of the taxonomy, ...), newest first, as the glossary
-- shows it beside the metric. `trustmart build` records the changes in
-- marts.metric_parameter_changes after dbt has run, hence a view, read when
-- the report is built (the pre-hook creates the table, empty, before the
-- first build records anything). A placeholder row when nothing changed:
-- a report source must never be empty.
with

parameter_changes as (
    select * from {{ this.schema }}.metric_parameter_changes
),

described as (
    select
        metric_id,
        metric_version,
        parameter,
        parameter_key,
        {{ format_timestamp('cast(changed_at as date)', '%Y-%m-%d') }} || ': '
        || case parameter
            when 'severity_target_p90_hours' then 'P90 target for ' || parameter_key
            when 'category_default_severity' then 'default severity of ' || parameter_key
            when 'policy_categories' then 'policy category ' || parameter_key
            when 'appeal_capture_days' then 'appeal capture window'
            else parameter || ' ' || parameter_key
        end
        || ' ' || coalesce(old_value, '(none)') || ' -> ' || coalesce(new_value, '(removed)')
        || coalesce(' (' || defined_by || ')', '') as change_text,
        false as is_placeholder,
        cast(changed_at as date) as changed_on,
        changed_at
    from parameter_changes
),

-- one row when there is nothing else to show, with the columns of the
-- rows above (null where it has nothing to say)
placeholder as (
    select
        'none' as metric_id,
        0 as metric_version,
        'none' as parameter,
        'none' as parameter_key,
        'No setting has changed since the first build.' as change_text,
        true as is_placeholder,
        cast(null as date) as changed_on,
        cast(null as timestamp) as changed_at
    where not exists (
        select 1 from described
    )
),

final as (
    select
        metric_id,
        metric_version,
        parameter,
        parameter_key,
        change_text,
        is_placeholder,
        changed_on,
        changed_at
    from described
    union all
    select * from placeholder
)

select * from final
