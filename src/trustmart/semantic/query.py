"""`trustmart query`: registry metrics by a time grain and any dimensions
the semantic layer knows, on the published warehouse, read-only.

A request names metrics, a group-by (`week` and dimension short names
such as `surface`, `category`) and an optional filter over the same short
names. Each dimension resolves, per metric, to the dimension of that
metric's semantic model (`category` is a decision's policy category for
appeal_rate, the reported category for report_actionability). Metrics
whose dimensions resolve alike are asked of MetricFlow in one query;
the results are joined on the group-by columns. Rows with no time (events
not attributed to any period, e.g. reports never decided for a
decision-time metric) are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from trustmart.errors import TrustmartError
from trustmart.warehouse import Warehouse, WarehouseError

if TYPE_CHECKING:  # MetricFlow takes seconds to import: only when a query runs
    from metricflow.engine.metricflow_engine import MetricFlowEngine

#: Time grains of --by, and the name of their column in the result.
TIME_GRAINS = {
    "day": "day",
    "week": "week_start",
    "month": "month_start",
    "quarter": "quarter_start",
    "year": "year_start",
}

_TOKEN = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class QueryRequest:
    """Metrics, the group-by (one time grain, then dimensions) and a filter."""

    metrics: tuple[str, ...]
    grain: str
    dimensions: tuple[str, ...] = ()
    where: str | None = None

    @classmethod
    def parse(cls, metrics: Sequence[str], by: str, where: str | None = None) -> QueryRequest:
        """From the command line: metrics (commas allowed too) and --by."""
        names = tuple(n for m in metrics for n in m.replace(",", " ").split())
        items = [item.strip() for item in by.split(",") if item.strip()]
        grains = [item for item in items if item in TIME_GRAINS]
        if len(grains) != 1:
            raise TrustmartError(
                f"--by {by!r} must name exactly one time grain.",
                f"Start --by with one of {', '.join(TIME_GRAINS)}, e.g. --by week,surface.",
            )
        dims = tuple(item for item in items if item not in TIME_GRAINS)
        if len(set(dims)) != len(dims):
            raise TrustmartError(f"--by {by!r} names a dimension twice.", "Name each once.")
        if not names:
            raise TrustmartError("No metric named.", "Name one: `trustmart query appeal_rate`.")
        return cls(names, grains[0], dims, where or None)

    @property
    def columns(self) -> list[str]:
        """The group-by columns of the result, in order."""
        return [TIME_GRAINS[self.grain], *self.dimensions]


@dataclass(frozen=True)
class Batch:
    """Metrics asked of MetricFlow in one query, with the group-by names
    (short name -> MetricFlow name) they share."""

    metrics: tuple[str, ...]
    dimensions: tuple[tuple[str, str], ...]


class SemanticLayer:
    """The semantic layer of one warehouse: its manifest's metrics and
    dimensions, and queries run on a read-only connection to it."""

    def __init__(self, con: Warehouse, engine: MetricFlowEngine) -> None:
        self.con = con
        self.engine = engine
        self._metrics = {metric.name: metric for metric in engine.list_metrics(False)}
        self._dimensions: dict[str, dict[str, str]] = {}
        self._all_dimensions: set[str] | None = None

    # ------------------------------------------------------------------ catalog
    def registry_metrics(self) -> dict[str, tuple[str, int]]:
        """Semantic metric name -> (registry metric_id, version)."""
        found = {}
        for name, metric in self._metrics.items():
            meta = (metric.config.meta if metric.config else None) or {}
            if "metric_id" in meta:
                found[name] = (str(meta["metric_id"]), int(meta["metric_version"]))
        return found

    def components(self, metric: str) -> dict[str, str]:
        """`numerator` / `denominator` -> the component metric equal to
        kpi_weekly's numerator / denominator of registry metric `metric`."""
        found = self._metrics[metric]
        meta = (found.config.meta if found.config else None) or {}
        return {key: str(meta[key]) for key in ("numerator", "denominator") if key in meta}

    def metric_names(self) -> list[str]:
        """Registry metrics first, then their numerators and denominators."""
        registry = self.registry_metrics()
        return sorted(registry) + sorted(set(self._metrics) - set(registry))

    def dimensions_of(self, metric: str) -> dict[str, str]:
        """Dimensions `metric` can be sliced by: short name -> MetricFlow name."""
        if metric not in self._dimensions:
            self._dimensions[metric] = {
                d.name: d.dunder_name
                for d in self.engine.simple_dimensions_for_metrics([metric])
                if d.type.value == "categorical" and len(d.entity_links) == 1
            }
        return self._dimensions[metric]

    def all_dimensions(self) -> set[str]:
        """Every dimension short name of the semantic layer."""
        if self._all_dimensions is None:
            self._all_dimensions = {
                name for metric in self._metrics for name in self.dimensions_of(metric)
            }
        return self._all_dimensions

    # ------------------------------------------------------------------ resolve
    def check_metrics(self, metrics: Sequence[str]) -> None:
        unknown = [m for m in metrics if m not in self._metrics]
        reasons = unexpressible_reasons()
        for metric in unknown:
            if metric in reasons:
                raise TrustmartError(
                    f"{metric} is a registry metric the semantic layer cannot express: "
                    f"{reasons[metric]}",
                    f"Read {metric} from marts.kpi_weekly / marts.kpi_daily "
                    "(docs/semantic-layer.md lists what cannot be expressed and why).",
                )
        if unknown:
            raise TrustmartError(
                f"Unknown metric{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}.",
                "Name one of the registry metrics: "
                + ", ".join(sorted(self.registry_metrics()))
                + "; or a numerator or denominator: "
                + ", ".join(sorted(set(self._metrics) - set(self.registry_metrics())))
                + ". Metrics the semantic layer cannot express: docs/semantic-layer.md.",
            )

    def batches(self, request: QueryRequest) -> list[Batch]:
        """One batch per distinct resolution of the requested dimensions."""
        self.check_metrics(request.metrics)
        groups: dict[tuple[tuple[str, str], ...], list[str]] = {}
        for metric in request.metrics:
            known = self.dimensions_of(metric)
            missing = [d for d in request.dimensions if d not in known]
            if missing:
                raise TrustmartError(
                    f"{metric} cannot be sliced by {', '.join(missing)}.",
                    f"{metric}'s dimensions: {', '.join(sorted(known)) or 'none (time only)'}. "
                    "Dimensions of the semantic layer: "
                    f"{', '.join(sorted(self.all_dimensions()))}.",
                )
            key = tuple((d, known[d]) for d in request.dimensions)
            groups.setdefault(key, [])
            if metric not in groups[key]:
                groups[key].append(metric)
        return [Batch(tuple(ms), key) for key, ms in groups.items()]

    def where_for(self, batch: Batch, request: QueryRequest) -> list[str]:
        """The filter in MetricFlow's syntax for `batch`: each dimension or
        time-grain name outside quotes becomes {{ Dimension(...) }} or
        {{ TimeDimension('metric_time', grain) }}. A filter already written
        in MetricFlow's syntax ({{ ... }}) is passed as it is."""
        if not request.where:
            return []
        if "{{" in request.where:
            return [request.where]
        known: dict[str, str] = {}
        for metric in batch.metrics:
            for short, full in self.dimensions_of(metric).items():
                known.setdefault(short, full)

        def replace(match: re.Match[str]) -> str:
            token = match.group(0)
            if token in TIME_GRAINS:
                return f"{{{{ TimeDimension('metric_time', '{token}') }}}}"
            if token in known:
                return f"{{{{ Dimension('{known[token]}') }}}}"
            if token in self.all_dimensions():
                raise TrustmartError(
                    f"--where names {token}, which {', '.join(batch.metrics)} cannot be "
                    "filtered by.",
                    f"Their dimensions: {', '.join(sorted(known)) or 'none (time only)'}.",
                )
            return token

        return [_TOKEN.sub(replace, request.where)]

    # ------------------------------------------------------------------ run
    def sql(self, batch: Batch, request: QueryRequest) -> str:
        from trustmart.semantic.engine import metricflow_sql

        group_by = [f"metric_time__{request.grain}", *(full for _, full in batch.dimensions)]
        try:
            return metricflow_sql(
                self.engine, list(batch.metrics), group_by, self.where_for(batch, request)
            )
        except TrustmartError:
            raise
        except Exception as error:  # MetricFlow's own errors say what is wrong
            raise TrustmartError(
                f"MetricFlow could not plan {', '.join(batch.metrics)}: "
                f"{str(error).strip().splitlines()[0]}",
                "Check the metric names, --by and --where (short dimension names, SQL "
                "operators, quoted values), e.g. --where \"surface = 'feed'\".",
            ) from error

    def run(self, request: QueryRequest) -> pd.DataFrame:
        """The result: the group-by columns, then one column per metric."""
        time_column = TIME_GRAINS[request.grain]
        frames = []
        for batch in self.batches(request):
            frame = self._execute(self.sql(batch, request), batch)
            renames = {f"metric_time__{request.grain}": time_column}
            renames.update({full: short for short, full in batch.dimensions})
            frame = frame.rename(columns=renames)
            frame[time_column] = pd.to_datetime(frame[time_column]).dt.date
            frames.append(frame[[*request.columns, *batch.metrics]])
        result = frames[0]
        for frame in frames[1:]:
            result = result.merge(frame, on=request.columns, how="outer")
        result = result[result[time_column].notna()]
        result = result.sort_values(request.columns, na_position="last", kind="stable")
        return result[[*request.columns, *request.metrics]].reset_index(drop=True)

    def _execute(self, sql: str, batch: Batch) -> pd.DataFrame:
        try:
            return self.con.frame(sql)
        except WarehouseError as error:
            known: set[str] = set()
            for metric in batch.metrics:
                known |= set(self.dimensions_of(metric))
            raise TrustmartError(
                f"The query of {', '.join(batch.metrics)} failed: "
                f"{str(error).strip().splitlines()[0]}",
                "--where is SQL over the time grain and these dimensions: "
                f"{', '.join(sorted(known)) or 'none'} (values in single quotes).",
            ) from error


def unexpressible_reasons() -> dict[str, str]:
    """Registry metric id -> why the semantic layer cannot express it
    (metrics/semantic_coverage.yml of the project; empty without it)."""
    import yaml

    from trustmart.settings import project_dir

    try:
        path = project_dir() / "metrics" / "semantic_coverage.yml"
        listed = yaml.safe_load(path.read_text(encoding="utf-8"))["unexpressible_metrics"]
    except (OSError, RuntimeError, KeyError, TypeError):
        return {}
    return {str(m["metric_id"]): " ".join(str(m["reason"]).split()) for m in listed}


@contextmanager
def semantic_layer(db: Path) -> Iterator[SemanticLayer]:
    """The semantic layer of the warehouse published at `db`, read-only."""
    from trustmart.semantic.engine import metricflow_engine, open_read_only
    from trustmart.semantic.manifest import read_semantic_manifest

    if not db.is_file():
        raise TrustmartError(
            f"No warehouse at {db}.",
            "Run `trustmart build` (or `trustmart demo`), or pass --db FILE.",
        )
    try:
        con = open_read_only(str(db))
    except WarehouseError as error:
        raise TrustmartError(
            f"Cannot open {db} read-only: {error}",
            "Pass the published warehouse (--db), not a file another process is writing.",
        ) from error
    try:
        yield SemanticLayer(con, metricflow_engine(read_semantic_manifest(con)))
    finally:
        con.close()
