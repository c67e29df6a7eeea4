-- DSA transparency report, notices (Art. 16; harmonised template, notices
-- table): one row per policy category of the notice (and `all`) for the
-- reporting period: notices received, from trusted flaggers, items named,
-- notices acted on and the median hours to act. Notices are the platform's
-- reports; a notice is acted on by the first decision on its object at or
-- after the report. Columns the logs cannot fill are null, with a note.
with

period as (
    select * from {{ ref('dsa_report_period') }}
),

report_outcomes as (
    select * from {{ ref('int_report_outcomes') }}
),

-- the template's rows are the built-in categories: a platform's own
-- taxonomy rolls up to them (its `maps_to`)
categories as (
    select 'all' as policy_category
    union all
    select policy_category from {{ ref('policy_categories') }}
),

category_rollup as (
    select
        policy_category,
        builtin_category
    from {{ ref('stg_reference__policy_categories') }}
),

notices as (
    select
        coalesce(category_rollup.builtin_category, report_outcomes.reported_category)
            as policy_category,
        report_outcomes.reporter_type,
        report_outcomes.object_type || ':' || report_outcomes.object_id as object_key,
        report_outcomes.has_decision,
        report_outcomes.is_first_decision_violation,
        report_outcomes.hours_to_decision
    from report_outcomes
    cross join period
    left join category_rollup
        on report_outcomes.reported_category = category_rollup.policy_category
    where
        report_outcomes.reported_at >= period.period_start_at
        and report_outcomes.reported_at < period.period_end_at
),

notices_in_scope as (
    select
        'all' as policy_category,
        reporter_type,
        object_key,
        has_decision,
        is_first_decision_violation,
        hours_to_decision
    from notices
    union all
    select
        policy_category,
        reporter_type,
        object_key,
        has_decision,
        is_first_decision_violation,
        hours_to_decision
    from notices
),

aggregated as (
    select
        policy_category,
        count(*) as notices_received,
        {{ count_where("reporter_type = 'trusted_flagger'") }} as notices_from_trusted_flaggers,
        {{ count_where("reporter_type = 'authority'") }} as notices_from_authorities,
        count(distinct object_key) as items_notified,
        {{ count_where('has_decision') }} as notices_decided,
        {{ count_where('is_first_decision_violation') }} as notices_actioned,
        {{ percentile_cont('hours_to_decision', 0.5) }} as median_hours_to_action,
        {{ percentile_cont(
            "case when reporter_type = 'trusted_flagger' then hours_to_decision end", 0.5
        ) }} as median_hours_to_action_trusted_flaggers
    from notices_in_scope
    group by policy_category
),

final as (
    select
        categories.policy_category,
        coalesce(aggregated.notices_received, 0) as notices_received,
        coalesce(aggregated.notices_from_trusted_flaggers, 0) as notices_from_trusted_flaggers,
        coalesce(aggregated.notices_from_authorities, 0) as notices_from_authorities,
        coalesce(aggregated.items_notified, 0) as items_notified,
        coalesce(aggregated.notices_decided, 0) as notices_decided,
        coalesce(aggregated.notices_actioned, 0) as notices_actioned,
        aggregated.median_hours_to_action,
        aggregated.median_hours_to_action_trusted_flaggers,
        cast(null as bigint) as actions_on_legal_ground,
        cast(null as bigint) as actions_on_terms_ground,
        'not available from these logs: the raw contract records no legal versus '
        || 'terms-and-conditions ground for a decision, and no Member State'
            as not_available_note,
        period.period_start,
        period.period_end
    from period
    cross join categories
    left join aggregated
        on categories.policy_category = aggregated.policy_category
)

select * from final
