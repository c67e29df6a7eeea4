-- One row per week (of application_date), platform and DSA category:
-- statements of reasons by decision type, ground, source type, automated
-- detection and automated decision, and the Commission's time-to-action
-- proxy (application_date - content_date, in days: median and P90).
with

statements as (
    select * from {{ ref('dsa_sor_statements') }}
),

aggregated as (
    select
        week_start,
        coalesce(platform_name, 'unknown') as platform_name,
        coalesce(dsa_category, 'unknown') as dsa_category,
        policy_category,
        count(*) as statements,
        {{ count_where('has_visibility_restriction') }} as visibility_decisions,
        {{ count_where('has_monetary_restriction') }} as monetary_decisions,
        {{ count_where('has_service_restriction') }} as service_provision_decisions,
        {{ count_where('has_account_restriction') }} as account_decisions,
        {{ count_where("decision_ground = 'DECISION_GROUND_ILLEGAL_CONTENT'") }}
            as illegal_content_ground,
        {{ count_where("decision_ground = 'DECISION_GROUND_INCOMPATIBLE_CONTENT'") }}
            as incompatible_content_ground,
        {{ count_where("source_type = 'SOURCE_ARTICLE_16'") }} as source_article_16,
        {{ count_where("source_type = 'SOURCE_TRUSTED_FLAGGER'") }} as source_trusted_flagger,
        {{ count_where("source_type = 'SOURCE_TYPE_OTHER_NOTIFICATION'") }}
            as source_other_notification,
        {{ count_where("source_type = 'SOURCE_VOLUNTARY'") }} as source_voluntary,
        {{ count_where('is_automated_detection') }} as automated_detection_yes,
        {{ count_where('not is_automated_detection') }} as automated_detection_no,
        {{ count_where("automated_decision = 'AUTOMATED_DECISION_FULLY'") }}
            as automated_decision_fully,
        {{ count_where("automated_decision = 'AUTOMATED_DECISION_PARTIALLY'") }}
            as automated_decision_partially,
        {{ count_where("automated_decision = 'AUTOMATED_DECISION_NOT_AUTOMATED'") }}
            as automated_decision_not_automated,
        count(days_to_action) as timed_statements,
        {{ percentile_cont('days_to_action', 0.5) }} as tta_p50_days,
        {{ percentile_cont('days_to_action', 0.9) }} as tta_p90_days
    from statements
    group by
        week_start,
        coalesce(platform_name, 'unknown'),
        coalesce(dsa_category, 'unknown'),
        policy_category
),

final as (
    select
        platform_name,
        dsa_category,
        policy_category,
        statements,
        visibility_decisions,
        monetary_decisions,
        service_provision_decisions,
        account_decisions,
        illegal_content_ground,
        incompatible_content_ground,
        source_article_16,
        source_trusted_flagger,
        source_other_notification,
        source_voluntary,
        automated_detection_yes,
        automated_detection_no,
        automated_decision_fully,
        automated_decision_partially,
        automated_decision_not_automated,
        timed_statements,
        tta_p50_days,
        tta_p90_days,
        week_start
    from aggregated
)

select * from final
