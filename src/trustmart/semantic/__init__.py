"""The semantic layer: MetricFlow over the published warehouse.

- manifest: the semantic manifest a build stores in its own database, so
  a query always uses the definitions the warehouse was built with;
- engine: a MetricFlow engine whose SQL runs on a read-only DuckDB
  connection to the published file (no dbt adapter, no lock);
- query: `trustmart query`'s request (metrics, --by, --where) resolved to
  MetricFlow queries, one per set of metrics that share dimensions, and
  their results joined into one table.
"""
