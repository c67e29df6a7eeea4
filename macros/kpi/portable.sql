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

{#- Spark: the interpolation written out as DuckDB computes it, so that
    both engines give the same double to the last bit (Spark's own
    percentile_cont weighs the two neighbours another way and differs in
    the last place): the values sorted, position rn = (n - 1) * fraction,
    lo and hi the values at floor(rn) and ceil(rn), lo * (1 - d) + hi * d
    with d = rn - floor(rn). Null when there is no value. -#}
{% macro spark__percentile_cont(expression, fraction) %}
    {%- set sorted = 'array_sort(collect_list(cast(' ~ expression ~ ' as double)))' -%}
    {%- set rn = '((cast(count(' ~ expression ~ ') as double) - 1) * cast(' ~ fraction ~ ' as double))' -%}
    {%- set d = '(' ~ rn ~ ' - floor(' ~ rn ~ '))' -%}
    {{- return('(case when count(' ~ expression ~ ') > 0 then '
        ~ 'try_element_at(' ~ sorted ~ ', cast(floor(' ~ rn ~ ') as int) + 1) * (1 - ' ~ d ~ ') + '
        ~ 'try_element_at(' ~ sorted ~ ', cast(ceil(' ~ rn ~ ') as int) + 1) * ' ~ d ~ ' end)') -}}
{% endmacro %}


{#- Hours from `start` to `end` (fractional), a double on every engine
    (Spark would divide by 3600.0 as a decimal, rounded to 6 places). -#}
{% macro hours_between(start, end) %}
    {{- return('cast(' ~ dbt.datediff(start, end, 'second') ~ ' as double) / 3600.0') -}}
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


{#- The number of elements of a list (array). -#}
{% macro list_length(expression) %}
    {{- return(adapter.dispatch('list_length', 'trustmart')(expression)) -}}
{% endmacro %}

{% macro default__list_length(expression) %}
    {{- return('len(' ~ expression ~ ')') -}}
{% endmacro %}

{% macro spark__list_length(expression) %}
    {{- return('size(' ~ expression ~ ')') -}}
{% endmacro %}


{#- Text values joined by `separator` in the order of `ordering`
    (`distinct`: each value once). -#}
{% macro string_agg_ordered(expression, separator, ordering, distinct=false) %}
    {{- return(adapter.dispatch('string_agg_ordered', 'trustmart')(expression, separator, ordering, distinct)) -}}
{% endmacro %}

{% macro default__string_agg_ordered(expression, separator, ordering, distinct=false) %}
    {{- return('string_agg(' ~ ('distinct ' if distinct else '') ~ expression ~ ', ' ~ separator
        ~ ' order by ' ~ ordering ~ ')') -}}
{% endmacro %}

{% macro spark__string_agg_ordered(expression, separator, ordering, distinct=false) %}
    {{- return('string_agg(' ~ ('distinct ' if distinct else '') ~ expression ~ ', ' ~ separator
        ~ ') within group (order by ' ~ ordering ~ ')') -}}
{% endmacro %}


{#- `alias.*` (or `*`) without the columns `names` (a list of names, each
    double-quoted), as `alias.* exclude (...)` says on DuckDB. -#}
{% macro star_except(names, alias=none) %}
    {{- return(adapter.dispatch('star_except', 'trustmart')(names, alias)) -}}
{% endmacro %}

{% macro default__star_except(names, alias=none) %}
    {{- return((alias ~ '.' if alias else '') ~ '* exclude (' ~ names | join(', ') ~ ')') -}}
{% endmacro %}

{% macro spark__star_except(names, alias=none) %}
    {{- return((alias ~ '.' if alias else '') ~ '* except (' ~ names | join(', ') ~ ')') -}}
{% endmacro %}


{#- Every match of regular expression `pattern` (its text, not a SQL
    literal) in `expression` replaced by `replacement` (text). -#}
{% macro regexp_replace_all(expression, pattern, replacement) %}
    {{- return(adapter.dispatch('regexp_replace_all', 'trustmart')(expression, pattern, replacement)) -}}
{% endmacro %}

{% macro default__regexp_replace_all(expression, pattern, replacement) %}
    {{- return('regexp_replace(' ~ expression ~ ', ' ~ sql_string(pattern) ~ ', ' ~ sql_string(replacement) ~ ", 'g')") -}}
{% endmacro %}

{% macro spark__regexp_replace_all(expression, pattern, replacement) %}
    {{- return('regexp_replace(' ~ expression ~ ', ' ~ sql_string(pattern) ~ ', ' ~ sql_string(replacement) ~ ')') -}}
{% endmacro %}


{#- A struct of `pairs`, a list of (key, SQL expression). -#}
{% macro struct_of(pairs) %}
    {{- return(adapter.dispatch('struct_of', 'trustmart')(pairs)) -}}
{% endmacro %}

{% macro default__struct_of(pairs) %}
    {%- set fields = [] -%}
    {%- for key, value in pairs -%}{%- do fields.append(sql_string(key) ~ ': ' ~ value) -%}{%- endfor -%}
    {{- return('{' ~ fields | join(', ') ~ '}') -}}
{% endmacro %}

{% macro spark__struct_of(pairs) %}
    {%- set fields = [] -%}
    {%- for key, value in pairs -%}{%- do fields.append(sql_string(key) ~ ', ' ~ value) -%}{%- endfor -%}
    {{- return('named_struct(' ~ fields | join(', ') ~ ')') -}}
{% endmacro %}


{#- A struct as JSON text, null fields kept (as `"key":null`). -#}
{% macro json_text(expression) %}
    {{- return(adapter.dispatch('json_text', 'trustmart')(expression)) -}}
{% endmacro %}

{% macro default__json_text(expression) %}
    {{- return('to_json(' ~ expression ~ ')') -}}
{% endmacro %}

{% macro spark__json_text(expression) %}
    {{- return('to_json(' ~ expression ~ ", map('ignoreNullFields', 'false'))") -}}
{% endmacro %}


{#- A timestamp or date as text in strftime `format` (%Y, %m, %d, %H, %M). -#}
{% macro format_timestamp(expression, format) %}
    {{- return(adapter.dispatch('format_timestamp', 'trustmart')(expression, format)) -}}
{% endmacro %}

{% macro default__format_timestamp(expression, format) %}
    {{- return('strftime(' ~ expression ~ ', ' ~ sql_string(format) ~ ')') -}}
{% endmacro %}

{% macro spark__format_timestamp(expression, format) %}
    {%- set pattern = format | replace('%Y', 'yyyy') | replace('%m', 'MM') | replace('%d', 'dd')
        | replace('%H', 'HH') | replace('%M', 'mm') | replace('%S', 'ss') -%}
    {{- return('date_format(' ~ expression ~ ', ' ~ sql_string(pattern) ~ ')') -}}
{% endmacro %}


{#- The file name of a path (after the last `/` or `\`). -#}
{% macro file_name_of(expression) %}
    {{- return(adapter.dispatch('file_name_of', 'trustmart')(expression)) -}}
{% endmacro %}

{% macro default__file_name_of(expression) %}
    {{- return('parse_filename(' ~ expression ~ ')') -}}
{% endmacro %}

{% macro spark__file_name_of(expression) %}
    {{- return('regexp_extract(' ~ expression ~ ', ' ~ sql_string('([^/\\\\]*)$') ~ ', 1)') -}}
{% endmacro %}


{#- A number as text with thousands separators and `decimals` digits (an
    expression; none: an integer as it is). -#}
{% macro number_text(expression, decimals=none) %}
    {{- return(adapter.dispatch('number_text', 'trustmart')(expression, decimals)) -}}
{% endmacro %}

{% macro default__number_text(expression, decimals=none) %}
    {%- if decimals is none -%}{{ return("format('{:,}', " ~ expression ~ ")") }}{%- endif -%}
    {{- return("format('{:,.{}f}', " ~ expression ~ ", " ~ decimals ~ ")") -}}
{% endmacro %}

{% macro spark__number_text(expression, decimals=none) %}
    {{- return("format_number(" ~ expression ~ ", " ~ (decimals if decimals is not none else 0) ~ ")") -}}
{% endmacro %}


{#- True when regular expression `pattern` (its text, not a SQL literal)
    matches somewhere in `expression`. -#}
{% macro regexp_test(expression, pattern) %}
    {{- return(adapter.dispatch('regexp_test', 'trustmart')(expression, pattern)) -}}
{% endmacro %}

{% macro default__regexp_test(expression, pattern) %}
    {{- return('regexp_matches(' ~ expression ~ ', ' ~ sql_string(pattern) ~ ')') -}}
{% endmacro %}

{% macro spark__regexp_test(expression, pattern) %}
    {{- return('regexp_like(' ~ expression ~ ', ' ~ sql_string(pattern) ~ ')') -}}
{% endmacro %}
