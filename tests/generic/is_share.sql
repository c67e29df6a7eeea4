{#- Fails for every row where the column, a share or rate, is outside
    [0, 1]. Nulls pass (a rate with a zero denominator is null). -#}
{% test is_share(model, column_name) %}
select {{ column_name }} as out_of_range_share
from {{ model }}
where not ({{ column_name }} >= 0 and {{ column_name }} <= 1)
{% endtest %}
