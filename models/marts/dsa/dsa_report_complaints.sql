-- DSA transparency report, complaints (internal complaint handling, Art. 20;
-- harmonised template): one row per policy category of the appealed
-- decision (and `all`; `no_violation` for appeals of decisions that found
-- none) for the reporting period: complaints received, decided (upheld,
-- reversed, partially reversed), withdrawn, pending at the period's end and
-- the median days to decide. Complaints are the platform's appeals.
-- Out-of-court disputes (Art. 21) are not in the logs: null, with a note.
with

period as (
    select * from {{ ref('dsa_report_period') }}
),

appeals as (
    select * from {{ ref('int_appeals_enriched') }}
),

-- the template's rows are the built-in categories: a platform's own
-- taxonomy rolls up to them (its `maps_to`)
category_rollup as (
    select
        policy_category,
        builtin_category
    from {{ ref('stg_reference__policy_categories') }}
),

complaints as (
    select
        case
            when appeals.is_appeal_of_violation
                then coalesce(category_rollup.builtin_category, appeals.policy_category, 'unknown')
            else 'no_violation'
        end as policy_category,
        appeals.status,
        appeals.hours_to_decide,
        appeals.appealed_at >= period.period_start_at
        and appeals.appealed_at < period.period_end_at as is_received,
        appeals.is_decided
        and appeals.resolved_at >= period.period_start_at
        and appeals.resolved_at < period.period_end_at as is_decided_in_period,
        appeals.status = 'withdrawn'
        and coalesce(appeals.resolved_at, appeals.appealed_at) >= period.period_start_at
        and coalesce(appeals.resolved_at, appeals.appealed_at) < period.period_end_at
            as is_withdrawn_in_period,
        appeals.appealed_at < period.period_end_at
        and (
            (appeals.resolved_at is null and appeals.status = 'pending')
            or appeals.resolved_at >= period.period_end_at
        ) as is_pending_at_period_end
    from appeals
    cross join period
    left join category_rollup
        on appeals.policy_category = category_rollup.policy_category
),

complaints_in_scope as (
    select
        'all' as policy_category,
        status,
        hours_to_decide,
        is_received,
        is_decided_in_period,
        is_withdrawn_in_period,
        is_pending_at_period_end
    from complaints
    union all
    select
        policy_category,
        status,
        hours_to_decide,
        is_received,
        is_decided_in_period,
        is_withdrawn_in_period,
        is_pending_at_period_end
    from complaints
),

aggregated as (
    select
        policy_category,
        {{ count_where('is_received') }} as complaints_received,
        {{ count_where('is_decided_in_period') }} as complaints_decided,
        {{ count_where("is_decided_in_period and status = 'upheld'") }} as decisions_upheld,
        {{ count_where("is_decided_in_period and status = 'reversed'") }} as decisions_reversed,
        {{ count_where("is_decided_in_period and status = 'partially_reversed'") }}
            as decisions_partially_reversed,
        {{ count_where('is_withdrawn_in_period') }} as complaints_withdrawn,
        {{ count_where('is_pending_at_period_end') }} as complaints_pending_at_period_end,
        {{ percentile_cont(
            'case when is_decided_in_period then hours_to_decide / 24.0 end', 0.5
        ) }} as median_days_to_decide
    from complaints_in_scope
    group by policy_category
),

categories as (
    select 'all' as policy_category
    union all
    select policy_category from {{ ref('policy_categories') }}
    union all
    select 'no_violation' as policy_category
),

final as (
    select
        categories.policy_category,
        coalesce(aggregated.complaints_received, 0) as complaints_received,
        coalesce(aggregated.complaints_decided, 0) as complaints_decided,
        coalesce(aggregated.decisions_upheld, 0) as decisions_upheld,
        coalesce(aggregated.decisions_reversed, 0) as decisions_reversed,
        coalesce(aggregated.decisions_partially_reversed, 0) as decisions_partially_reversed,
        coalesce(aggregated.complaints_withdrawn, 0) as complaints_withdrawn,
        coalesce(aggregated.complaints_pending_at_period_end, 0)
            as complaints_pending_at_period_end,
        aggregated.median_days_to_decide,
        cast(null as bigint) as out_of_court_disputes,
        cast(null as bigint) as out_of_court_decisions_for_recipient,
        'not available from these logs: out-of-court dispute settlement (Art. 21) '
        || 'is not recorded in the raw contract' as not_available_note,
        period.period_start,
        period.period_end
    from period
    cross join categories
    left join aggregated
        on categories.policy_category = aggregated.policy_category
)

select * from final
