"""The semantic layer (docs/semantic-layer.md): one definition.

- Coverage (reads YAML only): every metric version of the registry is a
  semantic metric or is listed, with a reason, in
  metrics/semantic_coverage.yml; a new registry metric fails here until it
  is classified. The docs name every unexpressible one.
- Proof (on the seeded warehouse the other tests build, `generated`):
  `trustmart query` of every declared metric by week equals kpi_weekly's
  overall value week by week, and by every dimension kpi_weekly publishes
  it by (support.semantic_proof says what is compared and how).
- The proof can fail: a definition changed in a scratch copy of the
  semantic manifest is caught, and only that metric.
- The command: csv and json shapes, clear errors naming the valid metrics
  and dimensions, read-only (the file is untouched and can be replaced by a
  build's rename while a query holds it open).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from support.semantic_proof import compared_values, csv_values, differences, queried_metrics
from trustmart.cli import app
from trustmart.definitions import load_registry
from trustmart.semantic.engine import metricflow_engine
from trustmart.semantic.manifest import read_semantic_manifest
from trustmart.semantic.query import QueryRequest, SemanticLayer, semantic_layer
from trustmart.settings import project_dir

PROJECT = project_dir()
METRICS_YML = PROJECT / "models/intermediate/semantic/_semantic_metrics.yml"
COVERAGE_YML = PROJECT / "metrics/semantic_coverage.yml"
DOCS = PROJECT / "docs/semantic-layer.md"


def _registry() -> dict[tuple[str, int], dict]:
    return {(m["metric_id"], m["metric_version"]): m for m in load_registry(PROJECT)}


def _declared() -> dict[tuple[str, int], str]:
    """(metric_id, version) -> semantic metric name, from the metrics' meta."""
    declared: dict[tuple[str, int], str] = {}
    for metric in yaml.safe_load(METRICS_YML.read_text())["metrics"]:
        meta = metric.get("config", {}).get("meta", {})
        if "metric_id" in meta:
            key = (meta["metric_id"], meta["metric_version"])
            assert key not in declared, f"{key} declared twice"
            declared[key] = metric["name"]
        else:
            assert meta.get("component"), f"{metric['name']}: no metric_id and no component"
    return declared


def _coverage() -> dict:
    return yaml.safe_load(COVERAGE_YML.read_text())


def _unexpressible() -> dict[tuple[str, int], str]:
    return {
        (m["metric_id"], m["metric_version"]): m["reason"]
        for m in _coverage()["unexpressible_metrics"]
    }


def _unexpressible_dimensions() -> dict[tuple[str, int, str], str]:
    return {
        (d["metric_id"], d["metric_version"], d["dimension"]): d["reason"]
        for d in _coverage()["unexpressible_dimensions"]
    }


# ---------------------------------------------------------------- coverage


def test_every_registry_metric_is_declared_or_unexpressible() -> None:
    registry, declared, unexpressible = set(_registry()), set(_declared()), set(_unexpressible())
    unclassified = registry - declared - unexpressible
    assert not unclassified, (
        f"registry metrics neither declared in {METRICS_YML.name} nor listed in "
        f"{COVERAGE_YML.name}: {sorted(unclassified)}"
    )
    assert not declared & unexpressible, "declared and listed unexpressible"
    assert not (declared | unexpressible) - registry, "not in the registry (stale)"
    assert all(len(reason.split()) >= 10 for reason in _unexpressible().values())


def test_unexpressible_dimensions_are_published_dimensions_of_declared_metrics() -> None:
    registry, declared = _registry(), _declared()
    for (metric_id, version, dimension), reason in _unexpressible_dimensions().items():
        assert (metric_id, version) in declared, f"{metric_id} v{version} is not declared"
        assert dimension in registry[(metric_id, version)]["dimensions"]
        assert len(reason.split()) >= 10


def test_the_docs_list_every_unexpressible_metric_and_dimension() -> None:
    text = " ".join(DOCS.read_text(encoding="utf-8").split())
    for metric_id, _ in _unexpressible():
        assert f"`{metric_id}`" in text
    for metric_id, _, dimension in _unexpressible_dimensions():
        assert f"`{metric_id}` by `{dimension}`" in text


# ---------------------------------------------------------------- proof


@pytest.fixture(scope="module")
def warehouse(generated: tuple[Path, Path, dict]) -> Path:
    return generated[1]


@pytest.fixture(scope="module")
def layer(warehouse: Path) -> Iterator[SemanticLayer]:
    with semantic_layer(warehouse) as opened:
        yield opened


def _published_dimensions(layer: SemanticLayer) -> dict[str, list[str]]:
    """Declared metric -> the dimensions kpi_weekly (kpi_daily) publishes it
    by that the semantic layer expresses; an unexpressed one must be listed."""
    registry, skipped = _registry(), _unexpressible_dimensions()
    found = {}
    for metric, (metric_id, version) in layer.registry_metrics().items():
        dims = []
        for dimension in registry[(metric_id, version)]["dimensions"]:
            if dimension == "overall" or (metric_id, version, dimension) in skipped:
                continue
            assert dimension in layer.dimensions_of(metric), (
                f"the marts publish {metric} by {dimension}: give its semantic model that "
                f"dimension, or list it in {COVERAGE_YML.name} with the reason"
            )
            dims.append(dimension)
        found[metric] = dims
    return found


def _grain(layer: SemanticLayer, metric: str) -> str:
    """`day` for a metric of kpi_daily, else `week`."""
    return "day" if _registry()[layer.registry_metrics()[metric]]["grain"] == "daily" else "week"


def _counts(layer: SemanticLayer) -> frozenset[str]:
    """Declared metrics whose published value is a count (its numerator)."""
    registry = _registry()
    return frozenset(
        metric
        for metric, key in layer.registry_metrics().items()
        if registry[key]["source"]["value"] == registry[key]["source"]["numerator"]
    )


def test_the_built_manifest_declares_what_the_yaml_declares(layer: SemanticLayer) -> None:
    assert set(layer.registry_metrics().values()) == set(_declared())


@pytest.mark.parametrize(("grain", "period"), [("week", "week_start"), ("day", "day")])
def test_query_by_period_equals_the_published_overall_value(
    layer: SemanticLayer, warehouse: Path, grain: str, period: str
) -> None:
    """`trustmart query <every declared metric of the grain> --by week
    --format csv`, in one command, equals kpi_weekly week by week (by day
    and kpi_daily for the daily backlog metrics)."""
    metrics = sorted(m for m in layer.registry_metrics() if _grain(layer, m) == grain)
    assert metrics
    asked = queried_metrics(layer, metrics)  # with their numerators and denominators
    result = CliRunner().invoke(
        app, ["query", *asked, "--by", grain, "--db", str(warehouse), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [period, *asked]
    found = differences(
        layer,
        metrics,
        actual=csv_values(rows, asked, period),
        grain=grain,
        counts=_counts(layer),
    )
    assert [str(d) for d in found] == []
    for metric in metrics:
        assert compared_values(layer, metric, "overall", grain) >= 5, f"{metric}: too few"


def test_query_by_each_published_dimension_equals_the_marts(layer: SemanticLayer) -> None:
    batches: dict[tuple[str, str], list[str]] = {}
    for metric, dims in _published_dimensions(layer).items():
        for dimension in dims:
            batches.setdefault((_grain(layer, metric), dimension), []).append(metric)
    assert len(batches) >= 8
    found = []
    for (grain, dimension), metrics in sorted(batches.items()):
        found += differences(layer, metrics, dimension, grain=grain, counts=_counts(layer))
        for metric in metrics:
            assert compared_values(layer, metric, dimension, grain) >= 5, f"{metric} by {dimension}"
    assert [str(d) for d in found] == []


# ---------------------------------------------------------------- the proof can fail


def _mutated(layer: SemanticLayer, measure: str, edit: Callable[[dict], None]) -> SemanticLayer:
    """The same warehouse with one measure's definition changed by `edit`
    in a scratch copy of its semantic manifest."""
    manifest = json.loads(read_semantic_manifest(layer.con))
    found = [m for s in manifest["semantic_models"] for m in s["measures"] if m["name"] == measure]
    assert len(found) == 1, measure
    edit(found[0])
    return SemanticLayer(layer.con, metricflow_engine(json.dumps(manifest)))


def _reactive(measure: dict) -> None:
    """proactive: "no report before the decision" read as "a report before"."""
    assert "not has_prior_report" in measure["expr"]
    measure["expr"] = measure["expr"].replace("not has_prior_report", "has_prior_report")


def _p55(measure: dict) -> None:
    """The median read as the 55th percentile."""
    assert measure["agg_params"]["percentile"] == 0.5
    measure["agg_params"]["percentile"] = 0.55


def _under_target(measure: dict) -> None:
    """The backlog over target read as the backlog within target."""
    assert "when is_over_target" in measure["expr"]
    measure["expr"] = measure["expr"].replace("when is_over_target", "when not is_over_target")


@pytest.mark.parametrize(
    ("metric", "measure", "edit", "columns"),
    [
        ("proactive_rate", "proactive_decisions", _reactive, {"numerator"}),
        ("tta_p50_hours", "hours_to_action_p50", _p55, set()),
        ("backlog_over_target", "over_target_items", _under_target, {"numerator"}),
    ],
)
def test_the_comparison_catches_a_changed_definition(
    layer: SemanticLayer,
    metric: str,
    measure: str,
    edit: Callable[[dict], None],
    columns: set[str],
) -> None:
    changed = _mutated(layer, measure, edit)
    grain = _grain(layer, metric)
    metrics = sorted(m for m in layer.registry_metrics() if _grain(layer, m) == grain)
    counts = _counts(layer)
    caught = differences(changed, metrics, grain=grain, counts=counts)
    assert {d.metric for d in caught} == {metric}
    assert {d.column for d in caught} == {"value", *columns}
    unchanged = differences(layer, metrics, grain=grain, counts=counts)
    assert unchanged == [], "the unchanged manifest agrees"


def test_a_stock_by_week_is_the_snapshot_of_the_weeks_last_day(layer: SemanticLayer) -> None:
    """backlog_open_items by week: kpi_daily's overall value on the last day
    of the week that has one (non_additive_dimension, window_choice max)."""
    frame = layer.run(QueryRequest(("backlog_open_items",), "week"))
    by_week = dict(zip(frame["week_start"], frame["backlog_open_items"], strict=True))
    last: dict[date, tuple[date, float]] = {}
    for day, value in layer.con.query(
        "select day, value from marts.kpi_daily "
        "where metric_id = 'backlog_open_items' and dimension = 'overall'"
    ):
        week = day - timedelta(days=day.weekday())
        if week not in last or day > last[week][0]:
            last[week] = (day, value)
    # a week ending with nothing open has no snapshot row that day (see docs)
    expected = {week: value for week, (_, value) in last.items() if value}
    assert len(expected) >= 5
    assert {week: by_week.get(week) for week in expected} == expected


# ---------------------------------------------------------------- the command


def _run(*args: str) -> tuple[int, str, str]:
    """Exit code, standard output, and standard error with its whitespace
    folded (the console wraps long messages at the width it finds)."""
    result = CliRunner().invoke(app, ["query", *args])
    return result.exit_code, result.stdout, " ".join(result.stderr.split())


def test_csv_has_a_column_per_group_by_and_per_metric(warehouse: Path) -> None:
    code, out, _ = _run(
        "appeal_rate",
        "overturn_rate",
        "--by",
        "week,decision_method",
        "--where",
        "decision_method = 'human'",
        "--db",
        str(warehouse),
        "--format",
        "csv",
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["week_start", "decision_method", "appeal_rate", "overturn_rate"]
    assert {r["decision_method"] for r in rows} == {"human"}
    assert len(rows) >= 10


def test_json_rows(warehouse: Path) -> None:
    code, out, _ = _run(
        "actioned_objects", "--by", "week", "--db", str(warehouse), "--format", "json"
    )
    assert code == 0
    rows = json.loads(out)
    assert rows and set(rows[0]) == {"week_start", "actioned_objects"}
    assert isinstance(rows[0]["actioned_objects"], int)


def test_an_unknown_metric_lists_the_valid_ones(warehouse: Path) -> None:
    code, _, err = _run("apeal_rate", "--db", str(warehouse))
    assert code == 1
    assert "Unknown metric: apeal_rate" in err
    assert "appeal_rate" in err and "overturn_rate" in err


def test_an_unknown_dimension_lists_the_valid_ones(warehouse: Path) -> None:
    code, _, err = _run("appeal_rate", "--by", "week,detector", "--db", str(warehouse))
    assert code == 1
    assert "appeal_rate cannot be sliced by detector" in err
    assert "decision_method" in err and "surface" in err


def test_a_query_reads_only_and_never_holds_up_a_publish(warehouse: Path, tmp_path: Path) -> None:
    """The published file is not written, and a build's rename over it
    succeeds while a query has it open (the query keeps the old file)."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse, db)
    before = (db.stat().st_mtime_ns, sorted(p.name for p in tmp_path.iterdir()))
    with semantic_layer(db) as layer:
        replacement = tmp_path / ".warehouse.building.duckdb"
        shutil.copy(warehouse, replacement)
        os.replace(replacement, db)  # what trustmart.publish does
        assert not differences(layer, ["appeal_rate"])
    assert sorted(p.name for p in tmp_path.iterdir()) == before[1]
    published = db.stat().st_mtime_ns
    code, _, _ = _run("appeal_rate", "--db", str(db), "--format", "csv")
    assert code == 0
    assert db.stat().st_mtime_ns == published
    assert sorted(p.name for p in tmp_path.iterdir()) == before[1], "no WAL, no lock file"


def test_an_unexpressible_registry_metric_says_why(warehouse: Path) -> None:
    code, _, err = _run("estimated_violating_views", "--db", str(warehouse))
    assert code == 1
    assert "cannot express" in err and "views_daily" in err


def test_a_filter_on_an_unknown_column_names_the_valid_ones(warehouse: Path) -> None:
    code, _, err = _run("appeal_rate", "--where", "surfac = 'feed'", "--db", str(warehouse))
    assert code == 1
    assert "surfac" in err and "decision_method" in err
    assert "Traceback" not in err


def test_a_warehouse_without_a_semantic_layer_says_rebuild(tmp_path: Path) -> None:
    import duckdb

    db = tmp_path / "old.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create schema marts")
    code, _, err = _run("appeal_rate", "--db", str(db))
    assert code == 1
    assert "no semantic layer" in err and "trustmart build" in err
    code, _, err = _run("appeal_rate", "--db", str(tmp_path / "missing.duckdb"))
    assert code == 1 and "No warehouse at" in err
