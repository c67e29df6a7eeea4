{#-
    Aggregate `relation` per `period` column, overall and per value of each
    dimension, as rows (period, dimension, dimension_value, aggregates...):
    the long shape every KPI family mart and kpi_weekly share.

    dimensions: list of [dimension name, column expression] pairs.
    aggregates: list of "<expression> as <name>" strings.
    A missing dimension value is published as `unknown`.
-#}
{% macro aggregate_by_dimension(relation, period, dimensions, aggregates) %}
    {%- set groups = [['overall', none]] + dimensions -%}
    {%- for group in groups %}
    select
        {{ period }},
        '{{ group[0] }}' as dimension,
        {% if group[1] is none -%}
        'all'
        {%- else -%}
        coalesce(cast({{ group[1] }} as string), 'unknown')
        {%- endif %} as dimension_value,
        {{ aggregates | join(',\n        ') }}
    from {{ relation }}
    group by {{ period }}{% if group[1] is not none %}, {{ group[1] }}{% endif %}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{% endmacro %}


{#- Count of rows where `condition` holds (portable count_if). -#}
{% macro count_where(condition) %}
    {{- return('sum(case when ' ~ condition ~ ' then 1 else 0 end)') -}}
{% endmacro %}


{#- (power(), not `^`: on Spark `^` is bitwise exclusive or.) -#}
{#- Bound of the Wilson score interval for proportion `p` with (effective)
    sample size `n`; `side` is -1 (low) or 1 (high); z = 1.959964 (95%). -#}
{% macro wilson_bound(p, n, side, z=1.959964) %}
    {{- return(
        '((' ~ p ~ ' + power(' ~ z ~ ', 2) / (2 * ' ~ n ~ ')'
        ~ (' - ' if side < 0 else ' + ')
        ~ z ~ ' * sqrt(' ~ p ~ ' * (1 - ' ~ p ~ ') / ' ~ n ~ ' + power(' ~ z ~ ', 2) / (4 * power(' ~ n ~ ', 2))))'
        ~ ' / (1 + power(' ~ z ~ ', 2) / ' ~ n ~ '))'
    ) -}}
{% endmacro %}
