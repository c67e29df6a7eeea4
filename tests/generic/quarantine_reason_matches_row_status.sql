{#- Fails for every row of a base model whose fate and quarantine reason
    disagree: a quarantined row has a reason, any other row none. -#}
{% test quarantine_reason_matches_row_status(model) %}
select
    row_status,
    quarantine_reason
from {{ model }}
where not coalesce((row_status = 'quarantined') = (quarantine_reason is not null), false)
{% endtest %}
