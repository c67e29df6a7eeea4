"""The report pipeline end to end: a DuckDB file with the published
`marts.kpi_weekly` -> Evidence sources (read-only) -> static site -> headless
Chromium, plus the failures build_report must turn into a ReportError.

The builds run in a copy of reports/ (its config, lock, patches and source
queries, with node_modules linked) holding pages of this test's own, so the
pipeline is tested independently of the real pages. The `report` tests need
`bash scripts/setup-report.sh` first; each full build takes about a minute,
so the one successful build with the CLI is test_report_pages' (the real
pages, `trustmart report --out` in a project copy): a page that renders its
chart and table, and a default site and warehouse left untouched, are
checked there.

Publishing: `trustmart report --out DIR` must leave every other site (the
project's build/ included) untouched, and a site must be replaced in one
step: a reader polling DIR/index.html during a rebuild always finds it
(test_publish_site_* here with made-up sites; with real Evidence builds,
one rebuilding the default site while another builds elsewhere from the
same project, in test_report_pages' summary builds).
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from support.browser import visible_text
from support.sites import IndexReader, fake_site
from trustmart.report import (
    ReportError,
    build_report,
    check_setup,
    page_queries,
    publish_site,
    reports_dir,
)
from trustmart.report import _check_build as check_build_log

REPORTS = reports_dir()
METRICS = ("infra_action_rate", "infra_appeal_overturn_rate")

GOOD_PAGE = """---
title: Report infra test
---

```sql kpi_overall
select week_start, metric_id, value
from trustmart.kpi_weekly
where dimension = 'overall'
order by week_start, metric_id
```

<LineChart data={kpi_overall} x=week_start y=value series=metric_id />

```sql kpi_table
select metric_id, dimension, dimension_value, week_start, value, ci_low, ci_high
from trustmart.kpi_weekly
order by week_start desc, metric_id, dimension, dimension_value
```

<DataTable data={kpi_table} rows=10 />
"""

BROKEN_PAGE = """# Broken

```sql broken_kpi_query
select no_such_column from trustmart.kpi_weekly
```

<DataTable data={broken_kpi_query} />
"""


def make_kpi_db(path: Path, weeks: int = 6) -> Path:
    """A DuckDB file with schema `marts` and `kpi_weekly` as in interface.md."""
    rows = []
    for w in range(weeks):
        week = date(2026, 1, 5) + timedelta(weeks=w)
        for m, metric in enumerate(METRICS):
            for dimension, value in (("overall", "all"), ("severity", "high")):
                denominator = 200.0 + 10 * w
                numerator = 20.0 + 3 * w + 5 * m
                share = numerator / denominator
                rows.append(
                    (week, metric, 1, dimension, value, numerator, denominator, share,
                     share - 0.02, share + 0.02, False, w < weeks - 1)
                )  # fmt: skip
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            """
            create table marts.kpi_weekly (
                week_start date, metric_id varchar, metric_version integer,
                dimension varchar, dimension_value varchar,
                numerator double, denominator double, value double,
                ci_low double, ci_high double, is_upper_bound boolean, is_final boolean
            )
            """
        )
        if rows:
            con.executemany(f"insert into marts.kpi_weekly values ({', '.join('?' * 12)})", rows)
    return path


def make_project(
    root: Path, pages: dict[str, str], extra_sources: dict[str, str] | None = None
) -> Path:
    """A copy of reports/ (config, lock, patches, source queries) with `pages`
    and node_modules linked to the installed one."""
    project = root / "reports"
    project.mkdir(parents=True)
    for name in (
        "package.json",
        "package-lock.json",
        "evidence.config.yaml",
        "evidence.settings.json",
    ):
        shutil.copy2(REPORTS / name, project / name)
    shutil.copytree(REPORTS / "patches", project / "patches")
    source = project / "sources" / "trustmart"
    source.mkdir(parents=True)
    shutil.copy2(REPORTS / "sources" / "trustmart" / "connection.yaml", source)
    shutil.copy2(REPORTS / "sources" / "trustmart" / "kpi_weekly.sql", source)
    for name, sql in (extra_sources or {}).items():
        (source / name).write_text(sql, encoding="utf-8")
    (project / "pages").mkdir()
    for name, text in pages.items():
        (project / "pages" / name).write_text(text, encoding="utf-8")
    if (REPORTS / "node_modules").is_dir():
        (project / "node_modules").symlink_to(REPORTS / "node_modules", target_is_directory=True)
    return project


# -- fast checks, no npm or browser -----------------------------------------


def test_missing_setup_says_what_to_do(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"index.md": GOOD_PAGE})
    if (project / "node_modules").exists():
        (project / "node_modules").unlink()
    with pytest.raises(ReportError, match=r"setup-report\.sh"):
        check_setup(project)


def test_build_log_query_error_names_query_and_page(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"index.md": GOOD_PAGE, "broken.md": BROKEN_PAGE})
    assert page_queries(project)["broken_kpi_query"] == [project / "pages" / "broken.md"]
    log = (
        "broken_kpi_query | Error in Query! Binder Error: Referenced column "
        '"no_such_column" not found in FROM clause!\n'
        "Build complete --> ./build\n"
    )
    with pytest.raises(ReportError) as info:
        check_build_log(project, log, 0, tmp_path / "build.log")
    assert "broken_kpi_query" in str(info.value)
    assert "pages/broken.md" in str(info.value)
    assert "no_such_column" in str(info.value)


def test_publish_site_replaces_a_site_in_one_step(tmp_path: Path) -> None:
    """200 sites published over one another while a reader polls index.html:
    it always finds a complete one; no staging or old folder is left."""
    target = fake_site(tmp_path / "out" / "site", "v0", filler=20_000)
    stale = tmp_path / "out" / ".site.trustmart-new-killed"  # an interrupted publish
    stale.mkdir()
    with IndexReader(target, pause=0) as reader:
        for version in range(1, 201):
            publish_site(fake_site(tmp_path / f"built{version}", f"v{version}", filler=20_000),
                         target)  # fmt: skip
    assert reader.misses == []
    assert reader.reads > 200
    assert len(reader.seen) > 1, "the reader saw no replacement"
    versions = {f"<html>v{version}{'.' * 20_000}</html>" for version in range(201)}
    assert set(reader.seen) <= versions, "the reader saw a page that is no complete version"
    assert "v200" in (target / "index.html").read_text(encoding="utf-8")
    assert (target / "_app" / "app.js").read_text(encoding="utf-8") == "// v200\n"
    leftovers = [p.name for p in target.parent.iterdir() if p.name != "site"]
    assert leftovers == [], leftovers
    assert not any((tmp_path / f"built{version}").exists() for version in range(1, 201))


def test_publish_site_into_a_new_folder_and_never_over_other_files(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "new" / "site"
    publish_site(fake_site(tmp_path / "built", "first"), target)
    assert "first" in (target / "index.html").read_text(encoding="utf-8")
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ReportError, match=r"not an earlier report build"):
        publish_site(fake_site(tmp_path / "built2", "second"), precious)
    assert [p.name for p in precious.iterdir()] == ["notes.txt"]


def test_publish_site_keeps_the_dbt_docs_published_inside_it(tmp_path: Path) -> None:
    """`trustmart docs` publishes at <site>/dbt-docs, before or after the
    site: a folder holding only the docs may receive the site, and a new site
    keeps the docs of the one it replaces."""
    target = tmp_path / "site"
    (target / "dbt-docs").mkdir(parents=True)
    (target / "dbt-docs" / "index.html").write_text("<title>dbt Docs</title>", encoding="utf-8")
    publish_site(fake_site(tmp_path / "built1", "first"), target)
    publish_site(fake_site(tmp_path / "built2", "second"), target)
    assert "second" in (target / "index.html").read_text(encoding="utf-8")
    docs = (target / "dbt-docs" / "index.html").read_text(encoding="utf-8")
    assert docs == "<title>dbt Docs</title>"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_visible_text_skips_scripts() -> None:
    dom = "<html><script>var Error = 1</script><body><p>a &amp; b</p><td>1</td></body></html>"
    assert visible_text(dom) == "a & b\n1"


# -- the real thing: Evidence build and headless Chromium --------------------


@pytest.fixture(scope="module")
def kpi_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_kpi_db(tmp_path_factory.mktemp("report_db") / "warehouse.duckdb")


@pytest.mark.report
def test_broken_page_query_fails_the_build(kpi_db: Path, tmp_path: Path) -> None:
    project = make_project(tmp_path, {"index.md": GOOD_PAGE, "broken.md": BROKEN_PAGE})
    with pytest.raises(ReportError) as info:
        build_report(kpi_db, tmp_path / "site", project=project)
    message = str(info.value)
    assert "broken_kpi_query" in message
    assert "pages/broken.md" in message
    assert "no_such_column" in message
    assert not (tmp_path / "site").exists()


@pytest.mark.report
def test_empty_source_fails_before_the_build(tmp_path: Path) -> None:
    db = make_kpi_db(tmp_path / "empty.duckdb", weeks=0)
    project = make_project(tmp_path, {"index.md": GOOD_PAGE})
    with pytest.raises(ReportError, match=r"trustmart/kpi_weekly.*zero rows"):
        build_report(db, tmp_path / "site", project=project)


@pytest.mark.report
def test_broken_source_query_is_named(kpi_db: Path, tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {"index.md": GOOD_PAGE},
        extra_sources={"bad_source.sql": "select nope from marts.kpi_weekly\n"},
    )
    with pytest.raises(ReportError) as info:
        build_report(kpi_db, tmp_path / "site", project=project)
    assert "trustmart/bad_source" in str(info.value)
    assert "sources/trustmart/bad_source.sql" in str(info.value)


@pytest.mark.report
def test_missing_database_says_what_to_do(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"index.md": GOOD_PAGE})
    with pytest.raises(ReportError, match=r"trustmart build"):
        build_report(tmp_path / "nope.duckdb", tmp_path / "site", project=project)


@pytest.mark.report
def test_out_that_is_not_a_build_is_not_overwritten(kpi_db: Path, tmp_path: Path) -> None:
    project = make_project(tmp_path, {"index.md": GOOD_PAGE})
    out = tmp_path / "precious"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ReportError, match=r"not an earlier report build"):
        build_report(kpi_db, out, project=project)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
