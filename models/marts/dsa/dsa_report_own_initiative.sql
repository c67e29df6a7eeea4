-- DSA transparency report, own-initiative measures (harmonised template):
-- one row per policy category (and `all`) and restriction type (and `all`)
-- for the reporting period: violation decisions taken before anyone
-- reported the object, how many followed an automated detection and how
-- many were decided by automated means. The contract's actions map onto
-- the template's restriction types; monetary and service-provision
-- restrictions have no action code, so their rows are null with a note.
with

period as (
    select * from {{ ref('dsa_report_period') }}
),

violations as (
    select * from {{ ref('int_violation_decisions') }}
),

timeline as (
    select * from {{ ref('int_object_timeline') }}
),

-- the template's rows are the built-in categories: a platform's own
-- taxonomy rolls up to them (its `maps_to`)
category_rollup as (
    select
        policy_category,
        builtin_category
    from {{ ref('stg_reference__policy_categories') }}
),

own_initiative as (
    select
        coalesce(category_rollup.builtin_category, violations.policy_category, 'unknown')
            as policy_category,
        case violations.action
            when 'remove' then 'visibility_removal'
            when 'restrict' then 'visibility_restriction'
            when 'label' then 'visibility_label'
            when 'suspend' then 'account_suspension'
            when 'ban' then 'account_termination'
            when 'warn' then 'warning_only'
            else 'no_restriction'
        end as restriction_type,
        coalesce(timeline.first_detection_at <= violations.decided_at, false)
            as is_automated_detection,
        violations.decision_method = 'automated' as is_automated_decision
    from violations
    cross join period
    left join category_rollup
        on violations.policy_category = category_rollup.policy_category
    left join timeline
        on
            violations.object_type = timeline.object_type
            and violations.object_id = timeline.object_id
    where
        not violations.has_prior_report
        and violations.decided_at >= period.period_start_at
        and violations.decided_at < period.period_end_at
),

-- each measure counts in its own row, its category's `all` row, its
-- restriction type's `all` row and the overall row
measures_in_scope as (
    select
        policy_category,
        restriction_type,
        is_automated_detection,
        is_automated_decision
    from own_initiative
    union all
    select
        'all' as policy_category,
        restriction_type,
        is_automated_detection,
        is_automated_decision
    from own_initiative
    union all
    select
        policy_category,
        'all' as restriction_type,
        is_automated_detection,
        is_automated_decision
    from own_initiative
    union all
    select
        'all' as policy_category,
        'all' as restriction_type,
        is_automated_detection,
        is_automated_decision
    from own_initiative
),

filled as (
    select
        policy_category,
        restriction_type,
        count(*) as actions,
        {{ count_where('is_automated_detection') }} as actions_after_automated_detection,
        {{ count_where('is_automated_decision') }} as actions_decided_automatically,
        {{ count_where('is_automated_detection and is_automated_decision') }}
            as actions_fully_automated,
        cast(null as string) as row_note
    from measures_in_scope
    group by policy_category, restriction_type
),

not_available as (
    select
        'all' as policy_category,
        restriction_types.restriction_type,
        cast(null as bigint) as actions,
        cast(null as bigint) as actions_after_automated_detection,
        cast(null as bigint) as actions_decided_automatically,
        cast(null as bigint) as actions_fully_automated,
        'not available from these logs: the raw contract has no action code for '
        || restriction_types.restriction_name as row_note
    from (
        values
        ('monetary_restriction', 'monetary restrictions'),
        ('service_provision_restriction', 'suspension or termination of the service')
    ) as restriction_types (restriction_type, restriction_name)
),

report_rows as (
    select * from filled
    union all
    select * from not_available
),

final as (
    select
        report_rows.policy_category,
        report_rows.restriction_type,
        report_rows.actions,
        report_rows.actions_after_automated_detection,
        report_rows.actions_decided_automatically,
        report_rows.actions_fully_automated,
        cast(null as bigint) as actions_on_illegal_content,
        cast(null as bigint) as actions_on_terms_violations,
        report_rows.row_note,
        'not available from these logs: the raw contract records no legal versus '
        || 'terms-and-conditions ground for a decision' as ground_note,
        period.period_start,
        period.period_end
    from period
    cross join report_rows
)

select * from final
