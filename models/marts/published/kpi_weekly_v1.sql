-- One row per week, metric, version and dimension value: every weekly KPI
-- of the metric registry in one long table (interface.md).
{%- set marts = {
    'fct_prevalence_weekly': ref('fct_prevalence_weekly'),
    'fct_time_to_action_weekly': ref('fct_time_to_action_weekly'),
    'fct_report_outcomes_weekly': ref('fct_report_outcomes_weekly'),
    'fct_appeal_rate_weekly': ref('fct_appeal_rate_weekly'),
    'fct_appeal_outcomes_weekly': ref('fct_appeal_outcomes_weekly'),
    'fct_recurrence_weekly': ref('fct_recurrence_weekly'),
    'fct_recurrence_v2_weekly': ref('fct_recurrence_v2_weekly'),
    'fct_entity_recurrence_weekly': ref('fct_entity_recurrence_weekly'),
    'fct_ban_evasion_weekly': ref('fct_ban_evasion_weekly'),
    'fct_signal_lift_weekly': ref('fct_signal_lift_weekly'),
    'fct_proactive_weekly': ref('fct_proactive_weekly'),
    'fct_detection_precision_weekly': ref('fct_detection_precision_weekly'),
    'fct_enforcement_accuracy_weekly': ref('fct_enforcement_accuracy_weekly'),
    'fct_report_rate_weekly': ref('fct_report_rate_weekly'),
    'fct_actioned_objects_weekly': ref('fct_actioned_objects_weekly'),
} %}

{{ kpi_long_table('weekly', 'week_start', marts) }}
