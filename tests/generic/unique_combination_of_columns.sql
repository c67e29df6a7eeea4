{#- Fails for every combination of `combination` columns that appears more
    than once (a composite primary key test). -#}
{% test unique_combination_of_columns(model, combination) %}
select
    {{ combination | join(', ') }},
    count(*) as occurrences
from {{ model }}
group by {{ combination | join(', ') }}
having count(*) > 1
{% endtest %}
