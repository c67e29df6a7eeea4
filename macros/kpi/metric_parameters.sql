{#-
    The settings a metric definition may read (`parameters` in the metric
    registry), each as a select of (parameter_key, parameter_value,
    defined_by) over the reference data in force (seeds overlaid with the
    platform config) or the dbt vars:

      policy_categories          the taxonomy: code -> name, and the
                                 built-in category it rolls up to
      category_default_severity  code -> its default severity (backlog
                                 targets)
      severity_target_p90_hours  severity -> the P90 time-to-action target
      appeal_capture_days        the appeal capture window (var)
      escalation_window_hours    the escalation window of the new-behaviour
                                 rule (var)
      max_accounts_per_signal    signal type -> the most accounts a value
                                 may be seen on and still link (var)
-#}
{% macro metric_parameter_select(parameter) %}
    {%- if parameter == 'policy_categories' -%}
        {{- return("select policy_category as parameter_key, category_name || ' (rolls up to '"
            ~ " || builtin_category || ')' as parameter_value, defined_by from "
            ~ ref('stg_reference__policy_categories')) -}}
    {%- elif parameter == 'category_default_severity' -%}
        {{- return("select policy_category as parameter_key, default_severity as parameter_value,"
            ~ " defined_by from " ~ ref('stg_reference__policy_categories')) -}}
    {%- elif parameter == 'severity_target_p90_hours' -%}
        {{- return("select severity as parameter_key, cast(p90_target_hours as string)"
            ~ " as parameter_value, defined_by from " ~ ref('stg_reference__severity_targets')) -}}
    {%- elif parameter == 'appeal_capture_days' -%}
        {{- return("select 'all' as parameter_key, '" ~ var('appeal_capture_days')
            ~ "' as parameter_value, 'dbt var' as defined_by") -}}
    {%- elif parameter == 'escalation_window_hours' -%}
        {{- return("select 'all' as parameter_key, '" ~ var('escalation_window_hours')
            ~ "' as parameter_value, 'dbt var' as defined_by") -}}
    {%- elif parameter == 'max_accounts_per_signal' -%}
        {{- return("select signal_type as parameter_key, coalesce(cast(max_accounts as string),"
            ~ " 'no limit') as parameter_value, 'dbt var' as defined_by from ("
            ~ signal_crowding_limits() ~ ") as crowding_limits") -}}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(
        "Unknown metric parameter '" ~ parameter ~ "' in the metric registry: use one of "
        ~ "policy_categories, category_default_severity, severity_target_p90_hours, "
        ~ "appeal_capture_days, escalation_window_hours, max_accounts_per_signal "
        ~ "(macros/kpi/metric_parameters.sql).") }}
{% endmacro %}


{#- Every registered metric's parameters in force: one select per metric
    version and parameter (metric_parameters). -#}
{% macro metric_parameter_rows() %}
    {%- if not execute -%}
        {{- return('select null as metric_id, null as metric_version, null as parameter, '
            ~ 'null as parameter_key, null as parameter_value, null as defined_by') -}}
    {%- endif -%}
    {%- set selects = [] -%}
    {%- for metric in metric_registry() -%}
        {%- for parameter in metric.parameters -%}
            {%- do selects.append(
                "select cast('" ~ metric.metric_id ~ "' as string) as metric_id, cast("
                ~ metric.metric_version ~ " as integer) as metric_version, cast('" ~ parameter
                ~ "' as string) as parameter, parameter_key, parameter_value, defined_by from ("
                ~ metric_parameter_select(parameter) ~ ")") -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- return(selects | join('\nunion all\n')) -}}
{% endmacro %}
