-- One row per offender and week: accounts with a confirmed violation decided
-- in the week, t0 = their first such decision, and when (if ever) they
-- offended again: another confirmed violation on a different object whose
-- offence (first signal, or the decision when there was no prior signal)
-- came after t0. A backlog of older content actioned after t0 is not new
-- behaviour and does not count.
with

confirmed as (
    select * from {{ ref('int_violation_decisions') }}
    where is_confirmed
),

first_in_week as (
    select
        account_id,
        {{ week_of('decided_at') }} as week_start,
        enforcement_id,
        object_type,
        object_id,
        policy_category,
        decided_at,
        row_number() over (
            partition by account_id, {{ week_of('decided_at') }}
            order by decided_at, enforcement_id
        ) as sequence_in_week
    from confirmed
),

offender_weeks as (
    select
        account_id,
        week_start,
        enforcement_id as t0_enforcement_id,
        object_type as t0_object_type,
        object_id as t0_object_id,
        policy_category,
        decided_at as t0_at
    from first_in_week
    where sequence_in_week = 1
),

next_offences as (
    select
        offender_weeks.account_id,
        offender_weeks.week_start,
        min(confirmed.offence_at) as next_offence_at
    from offender_weeks
    inner join confirmed
        on
            offender_weeks.account_id = confirmed.account_id
            and offender_weeks.t0_at < confirmed.offence_at
            and not (
                offender_weeks.t0_object_type = confirmed.object_type
                and offender_weeks.t0_object_id = confirmed.object_id
            )
    group by offender_weeks.account_id, offender_weeks.week_start
),

final as (
    select
        offender_weeks.account_id,
        offender_weeks.t0_enforcement_id,
        offender_weeks.policy_category,
        {{ hours_between('offender_weeks.t0_at', 'next_offences.next_offence_at') }} / 24.0
            as days_to_next_offence,
        coalesce(
            next_offences.next_offence_at
            <= {{ dbt.dateadd('day', 30, 'offender_weeks.t0_at') }}, false
        ) as has_reoffended_30d,
        coalesce(
            next_offences.next_offence_at
            <= {{ dbt.dateadd('day', 90, 'offender_weeks.t0_at') }}, false
        ) as has_reoffended_90d,
        offender_weeks.week_start,
        offender_weeks.t0_at,
        next_offences.next_offence_at
    from offender_weeks
    left join next_offences
        on
            offender_weeks.account_id = next_offences.account_id
            and offender_weeks.week_start = next_offences.week_start
)

select * from final
