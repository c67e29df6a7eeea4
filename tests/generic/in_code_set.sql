{#- Fails for every non-null value of the column that is not a code of
    `code_set` in stg_reference__code_sets (the seeds and the platform
    config in force): code lists are read, never restated in YAML. -#}
{% test in_code_set(model, column_name, code_set) %}
select {{ column_name }} as unknown_code
from {{ model }}
where
    {{ column_name }} is not null
    and {{ column_name }} not in (
        select code_sets.code
        from {{ ref('stg_reference__code_sets') }} as code_sets
        where code_sets.code_set = '{{ code_set }}'
    )
{% endtest %}
