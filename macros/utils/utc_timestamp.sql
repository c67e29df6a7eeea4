{#- An ISO-8601 text timestamp as a UTC timestamp: an offset, if any, is
    applied; without one the value is taken as UTC. Null when unparsable.
    Dispatched so another engine can parse its own way. -#}
{% macro utc_timestamp(expression) %}
    {{- return(adapter.dispatch('utc_timestamp', 'trustmart')(expression)) -}}
{% endmacro %}

{% macro default__utc_timestamp(expression) %}
    {{- return("cast(try_cast(trim(" ~ expression ~ ") as timestamp with time zone) at time zone 'UTC' as timestamp)") -}}
{% endmacro %}

{% macro duckdb__utc_timestamp(expression) %}
    {{- return("timezone('UTC', try_cast(trim(" ~ expression ~ ") as timestamptz))") -}}
{% endmacro %}

{#- Spark: a cast reads an offset, if any; the session time zone (UTC, set
    by scripts/spark-thrift.sh) applies otherwise. -#}
{% macro spark__utc_timestamp(expression) %}
    {{- return("try_cast(trim(" ~ expression ~ ") as timestamp)") -}}
{% endmacro %}
