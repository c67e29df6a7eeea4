{#- Engine-specific SQL behind one name, so the models can move to another
    engine by adding a dispatch implementation. DuckDB is tested. -#}

{#- Continuous percentile (linear interpolation) of `expression`. -#}
{% macro percentile_cont(expression, fraction) %}
    {{- return(adapter.dispatch('percentile_cont', 'trustmart')(expression, fraction)) -}}
{% endmacro %}

{% macro default__percentile_cont(expression, fraction) %}
    {{- return('percentile_cont(' ~ fraction ~ ') within group (order by ' ~ expression ~ ')') -}}
{% endmacro %}

{% macro duckdb__percentile_cont(expression, fraction) %}
    {{- return('quantile_cont(' ~ expression ~ ', ' ~ fraction ~ ')') -}}
{% endmacro %}


{#- Hours from `start` to `end` (fractional). -#}
{% macro hours_between(start, end) %}
    {{- return('(' ~ dbt.datediff(start, end, 'second') ~ ') / 3600.0') -}}
{% endmacro %}


{#- The ISO week (Monday) of a timestamp, as a date. -#}
{% macro week_of(timestamp) %}
    {{- return('cast(' ~ dbt.date_trunc('week', timestamp) ~ ' as date)') -}}
{% endmacro %}


{#- A rate that is null, never 0, when the denominator is zero. -#}
{% macro safe_rate(numerator, denominator) %}
    {{- return('cast(' ~ numerator ~ ' as double) / nullif(' ~ denominator ~ ', 0)') -}}
{% endmacro %}


{#- The value of `value` on the row where `ordering` is smallest. -#}
{% macro min_by(value, ordering) %}
    {{- return(adapter.dispatch('min_by', 'trustmart')(value, ordering)) -}}
{% endmacro %}

{% macro default__min_by(value, ordering) %}
    {{- return('min_by(' ~ value ~ ', ' ~ ordering ~ ')') -}}
{% endmacro %}

{% macro duckdb__min_by(value, ordering) %}
    {{- return('arg_min(' ~ value ~ ', ' ~ ordering ~ ')') -}}
{% endmacro %}


{#- One row per day from `start_date` to `end_date` (date expressions,
    scalar subqueries allowed), as column `day`. -#}
{% macro day_series(start_date, end_date) %}
    {{- return(adapter.dispatch('day_series', 'trustmart')(start_date, end_date)) -}}
{% endmacro %}

{% macro default__day_series(start_date, end_date) %}
    {{- return('select cast(day as date) as day from unnest(sequence(' ~ start_date ~ ', ' ~ end_date ~ ', interval 1 day)) as t(day)') -}}
{% endmacro %}

{% macro duckdb__day_series(start_date, end_date) %}
    {{- return('select cast(range as date) as day from range(cast(' ~ start_date ~ ' as timestamp), cast(' ~ end_date ~ " as timestamp) + interval 1 day, interval 1 day)") -}}
{% endmacro %}


{#- sum(expression) added up in the order of `ordering`, so that sums of
    doubles are bit-identical between builds whatever the row order. -#}
{% macro ordered_sum(expression, ordering) %}
    {{- return(adapter.dispatch('ordered_sum', 'trustmart')(expression, ordering)) -}}
{% endmacro %}

{% macro default__ordered_sum(expression, ordering) %}
    {{- return('sum(' ~ expression ~ ')') -}}
{% endmacro %}

{% macro duckdb__ordered_sum(expression, ordering) %}
    {{- return('sum(' ~ expression ~ ' order by ' ~ ordering ~ ')') -}}
{% endmacro %}
