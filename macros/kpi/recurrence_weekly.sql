{#-
    The weekly recurrence rows of one kind of offender: per week of t0 and
    dimension value (overall, category of the t0 violation), the offenders,
    those with new behaviour within 30 and 90 days of t0 and the two rates,
    named `<rate_prefix>recurrence_rate_30d` / `_90d`. `offenders` is a
    relation or CTE with one row per offender and week: week_start,
    policy_category, has_reoffended_30d, has_reoffended_90d. Shared by
    recurrence v1 (accounts, int_offender_weeks), v2 (accounts) and entity
    recurrence (int_reoffending_weeks).
-#}
{% macro recurrence_weekly(offenders, rate_prefix='') %}
    {%- set sql -%}
select
    dimension,
    dimension_value,
    offenders,
    reoffenders_30d,
    reoffenders_90d,
    {{ safe_rate('reoffenders_30d', 'offenders') }} as {{ rate_prefix }}recurrence_rate_30d,
    {{ safe_rate('reoffenders_90d', 'offenders') }} as {{ rate_prefix }}recurrence_rate_90d,
    week_start
from (
    {{ aggregate_by_dimension(offenders, 'week_start', [['category', 'policy_category']], [
        'count(*) as offenders',
        count_where('has_reoffended_30d') ~ ' as reoffenders_30d',
        count_where('has_reoffended_90d') ~ ' as reoffenders_90d',
    ]) }}
) as offenders_by_dimension
    {%- endset -%}
    {{- return(sql) -}}
{% endmacro %}
