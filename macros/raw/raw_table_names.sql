{#- The raw tables of the contract, for models that cover all of them
    (refs must be known when dbt parses, before the graph exists). -#}
{% macro raw_table_names() %}
    {{- return([
        'reports', 'detections', 'enforcements', 'appeals', 'views_daily',
        'active_users_daily', 'prevalence_samples', 'qa_reviews', 'account_signals',
    ]) -}}
{% endmacro %}
