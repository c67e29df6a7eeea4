"""A MetricFlow engine over a DuckDB connection of trustmart's own.

MetricFlow only plans and renders the SQL (`explain`); trustmart runs it on
its read-only connection to the published file (trustmart.warehouse), so the
semantic layer reads the DuckDB target only. No dbt adapter is opened:
no profile, no lock, no write, and a build that publishes meanwhile (one
rename) does not disturb the connection, which keeps the file it opened.
"""

from __future__ import annotations

import logging
from functools import cached_property

from metricflow.data_table.mf_table import MetricFlowDataTable
from metricflow.engine.metricflow_engine import MetricFlowEngine, MetricFlowQueryRequest
from metricflow.protocols.sql_client import SqlEngine
from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer
from metricflow.sql.render.sql_plan_renderer import SqlPlanRenderer
from metricflow_semantics.model.dbt_manifest_parser import (
    parse_manifest_from_dbt_generated_manifest,
)
from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup
from metricflow_semantics.sql.sql_bind_parameters import SqlBindParameterSet

from trustmart.warehouse import Warehouse, open_duckdb

_NO_PARAMETERS = SqlBindParameterSet()

# MetricFlow logs every plan at INFO; the command line prints its own output.
for _name in ("metricflow", "metricflow_semantics"):
    logging.getLogger(_name).setLevel(logging.WARNING)


class PlanOnlyDuckDbClient:
    """The SqlClient MetricFlow asks for, for planning only: it names the
    engine (DuckDB) and its SQL renderer; trustmart executes the SQL."""

    @property
    def sql_engine_type(self) -> SqlEngine:
        return SqlEngine.DUCKDB

    @cached_property
    def sql_plan_renderer(self) -> SqlPlanRenderer:
        return DuckDbSqlPlanRenderer()

    def _refuse(self) -> None:
        raise NotImplementedError("trustmart runs MetricFlow's SQL on its own connection")

    def query(
        self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet = _NO_PARAMETERS
    ) -> MetricFlowDataTable:
        self._refuse()
        raise AssertionError  # unreachable

    def execute(
        self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet = _NO_PARAMETERS
    ) -> None:
        self._refuse()

    def dry_run(
        self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet = _NO_PARAMETERS
    ) -> None:
        self._refuse()

    def close(self) -> None:
        return None

    def render_bind_parameter_key(self, bind_parameter_key: str) -> str:
        return f"${bind_parameter_key}"


def metricflow_engine(manifest_json: str) -> MetricFlowEngine:
    """A MetricFlow engine over the semantic manifest `manifest_json`."""
    manifest = parse_manifest_from_dbt_generated_manifest(manifest_json_string=manifest_json)
    return MetricFlowEngine(
        semantic_manifest_lookup=SemanticManifestLookup(manifest),
        sql_client=PlanOnlyDuckDbClient(),  # type: ignore[arg-type]
    )


def metricflow_sql(
    engine: MetricFlowEngine,
    metrics: list[str],
    group_by: list[str],
    where: list[str] | None = None,
) -> str:
    """The SQL MetricFlow renders for `metrics` by `group_by` (names such
    as metric_time__week, violation_decision__surface)."""
    request = MetricFlowQueryRequest.create(
        metric_names=metrics,
        group_by_names=group_by,
        where_constraints=where or None,
        order_by_names=list(group_by),
    )
    statement = engine.explain(request).sql_statement
    if statement.bind_parameter_set.param_dict:
        raise NotImplementedError("MetricFlow SQL with bind parameters is not supported")
    return statement.sql


def open_read_only(path: str) -> Warehouse:
    """A read-only connection to the published file, in UTC."""
    con = open_duckdb(path)
    con.execute("set TimeZone = 'UTC'")
    return con
