{#- Fails for every row where the column, a count shown in the report, is
    below `min_count` (default var report_min_count): small counts must be
    suppressed (null). Nulls pass. Restrict it to the rows that hold
    counts with the test's `config: {where: ...}`. -#}
{% test not_below_min_count(model, column_name, min_count=none) %}
select {{ column_name }} as small_count
from {{ model }}
where {{ column_name }} < {{ min_count if min_count is not none else var('report_min_count', 10) }}
{% endtest %}
