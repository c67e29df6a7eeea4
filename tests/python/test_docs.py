"""`trustmart docs`: the dbt docs of a built warehouse as one static page,
generated offline with the warehouse opened read-only, published beside the
report (which links it), loading nothing from outside when viewed.

The fast tests run the real command on the raw_small warehouse and read the
page: the manifest and the catalog are inline, name the published models
(kpi_weekly) and the warehouse's columns. The `report` test opens the page
in headless Chromium on loopback (no other host reachable) and finds the
models listed."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import query
from support.browser import capture_page, serve_site
from trustmart.cli import app
from trustmart.docs import publish_docs
from trustmart.errors import TrustmartError

#: dbt's usage tracker (Snowplow), loaded by the page's script only when the
#: manifest says send_anonymous_usage_stats: trustmart always says false.
TRACKER = "//d1fc8wv8zag5ca.cloudfront.net/2.9.0/sp.js"
#: An anchor's href AngularJS sets to parse URLs (no request).
URL_PARSER = "http://[::1]"
#: src/href attributes (HTML or script) and CSS urls pointing at another host.
EXTERNAL = re.compile(
    r"""(?:\b(?:src|href)\s*=\s*|url\(\s*|@import\s+)["']?((?:https?:)?//[^"')\s]+)""",
    re.IGNORECASE,
)


def inline_json(page: str, name: str) -> dict:
    """The object the static page holds inline as `name:{...}`."""
    start = page.index(f'{name}:{{"metadata"') + len(name) + 1
    value, _end = json.JSONDecoder().raw_decode(page, start)
    return value


@pytest.fixture(scope="module")
def docs_site(small_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`trustmart docs` run on a copy of the raw_small warehouse, into the
    dbt-docs folder of a (not yet built) report site: the site folder."""
    root = tmp_path_factory.mktemp("docs")
    db = root / "warehouse.duckdb"
    shutil.copyfile(small_db, db)
    before = db.stat().st_mtime_ns, db.read_bytes()
    result = CliRunner().invoke(
        app,
        ["docs", "--db", str(db), "--out", str(root / "site" / "dbt-docs")],
        env={"TRUSTMART_CONFIG": None},
    )
    assert result.exit_code == 0, result.output
    assert str(root / "site" / "dbt-docs" / "index.html") in result.stdout
    assert (db.stat().st_mtime_ns, db.read_bytes()) == before, "the warehouse was written"
    return root / "site"


def test_docs_are_one_static_page_naming_the_models(docs_site: Path, small_db: Path) -> None:
    docs = docs_site / "dbt-docs"
    assert sorted(p.name for p in docs.iterdir()) == ["index.html"]
    page = (docs / "index.html").read_text(encoding="utf-8")
    assert "<title>dbt Docs</title>" in page
    manifest, catalog = inline_json(page, "manifest"), inline_json(page, "catalog")
    kpi_weekly = manifest["nodes"]["model.trustmart.kpi_weekly.v1"]
    assert kpi_weekly["description"], "the model's description is missing"
    assert "metric_id" in kpi_weekly["columns"]
    # the catalog was read from the warehouse: its columns as DuckDB has them
    columns = catalog["nodes"]["model.trustmart.kpi_weekly.v1"]["columns"]
    published = {row[0] for row in query(small_db, "describe marts.kpi_weekly")}
    assert {name.lower() for name in columns} == published
    assert "model.trustmart.fct_raw_reconciliation" in catalog["nodes"]
    assert not catalog.get("errors")


def test_docs_page_loads_nothing_from_outside(docs_site: Path) -> None:
    page = (docs_site / "dbt-docs" / "index.html").read_text(encoding="utf-8")
    assert set(EXTERNAL.findall(page)) == {TRACKER, URL_PARSER}
    assert inline_json(page, "manifest")["metadata"]["send_anonymous_usage_stats"] is False
    # the tracker is only ever loaded by turn_on_tracking, called when tracking is on
    assert page.count(TRACKER) == 1
    assert re.search(r"!0===e\.track&&r\.turn_on_tracking\(\)", page)


def test_docs_replace_an_earlier_page_and_nothing_else(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    out = tmp_path / "site" / "dbt-docs"
    for version in ("one", "two"):
        page.write_text(f"<html><title>dbt Docs</title>{version}</html>", encoding="utf-8")
        assert publish_docs(page, out) == out / "index.html"
    assert (out / "index.html").read_text(encoding="utf-8").endswith("two</html>")
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "index.html").write_text("<html>mine</html>", encoding="utf-8")
    with pytest.raises(TrustmartError, match="not an earlier `trustmart docs` build"):
        publish_docs(page, precious)
    assert (precious / "index.html").read_text(encoding="utf-8") == "<html>mine</html>"


def test_docs_without_a_warehouse_say_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["docs", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "docs")]
    )
    assert result.exit_code == 1
    assert "No warehouse at" in result.output and "trustmart build" in result.output
    assert not (tmp_path / "docs").exists()


@pytest.mark.report
def test_docs_page_renders_offline_in_a_browser(docs_site: Path, tmp_path: Path) -> None:
    """Served with the report site, at the path the report links: the page's
    scripts list the project's models with every other host unreachable."""
    model = "/dbt-docs/index.html#!/model/model.trustmart.kpi_weekly.v1"
    with serve_site(docs_site) as base_url:
        overview = capture_page(base_url, "/dbt-docs/index.html", tmp_path)
        page = capture_page(base_url, model, tmp_path)
    assert "Welcome!" in overview.text and "trustmart" in overview.text, overview.text[:2000]
    text = page.text
    assert "kpi_weekly" in text and "Columns" in text, text[:2000]
    for column in ("metric_id", "week_start", "value", "ci_high"):
        assert column in text, f"the kpi_weekly page does not list {column}"
    assert "marts.kpi_weekly" in text  # the relation, from the catalog
