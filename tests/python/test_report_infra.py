"""The report pipeline end to end: a DuckDB file with the published
`marts.kpi_weekly` -> Evidence sources (read-only) -> static site -> headless
Chromium, plus the failures build_report must turn into a ReportError.

The builds run in a copy of reports/ (its config, lock, patches and source
queries, with node_modules linked) holding pages of this test's own, so the
pipeline is tested independently of the real pages. The `report` tests need
`bash scripts/setup-report.sh` first; each full build takes about a minute.

Publishing: `trustmart report --out DIR` must leave every other site (the
project's build/ included) untouched, and a site must be replaced in one
step: a reader polling DIR/index.html during a rebuild always finds it
(test_publish_site_* here with made-up sites; with real Evidence builds,
one rebuilding the default site while another builds elsewhere from the
same project, in test_report_pages' summary builds).
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from support.browser import PageCapture, serve_and_screenshot, visible_text
from support.sites import IndexReader, fake_site, listing
from trustmart.report import (
    ReportError,
    build_report,
    check_setup,
    page_queries,
    publish_site,
    reports_dir,
)
from trustmart.report import _check_build as check_build_log
from trustmart.settings import project_dir, tool_env

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


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


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


@dataclass(frozen=True)
class CliBuild:
    """A site built by `trustmart report --out` (the CLI, in a subprocess)
    in a project that already had a published default site."""

    site: Path
    project: Path
    default_before: list[tuple[str, bool, int, int]]
    default_after: list[tuple[str, bool, int, int]]


@pytest.fixture(scope="module")
def cli_build(kpi_db: Path, tmp_path_factory: pytest.TempPathFactory) -> CliBuild:
    """One Evidence build, shared by the tests below: `trustmart report
    --db ... --out DIR` in a copy of the project whose build/ (the default
    site) holds an earlier site with fixed mtimes."""
    root = tmp_path_factory.mktemp("report_project")
    project = make_project(root, {"index.md": GOOD_PAGE})
    # TRUSTMART_PROJECT_DIR names a whole project: the contract's seeds and
    # sources are read from it too
    for name in ("seeds", "models"):
        (root / name).symlink_to(project_dir() / name, target_is_directory=True)
    default_site = fake_site(project / "build", "the published default site")
    for entry in [default_site, *default_site.rglob("*")]:
        os.utime(entry, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    before = listing(default_site)
    out = root / "elsewhere" / "site"
    result = subprocess.run(
        [str(Path(sys.executable).with_name("trustmart")), "report", "--db", str(kpi_db),
         "--out", str(out)],
        env=tool_env(TRUSTMART_PROJECT_DIR=str(root)),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Report site: {out}" in " ".join(result.stdout.split())
    return CliBuild(out, project, before, listing(default_site))


@pytest.fixture(scope="module")
def built_site(cli_build: CliBuild) -> Path:
    return cli_build.site


@pytest.mark.report
def test_report_builds_and_renders_data(
    built_site: Path, kpi_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    assert (built_site / "index.html").is_file()
    assert list((built_site / "data" / "trustmart" / "kpi_weekly").rglob("*.parquet"))
    with duckdb.connect(str(kpi_db), read_only=True) as con:  # not locked or changed
        assert con.execute("select count(*) from marts.kpi_weekly").fetchone() == (24,)

    shots = tmp_path_factory.mktemp("report_screenshots")
    captures = serve_and_screenshot(built_site, ["/"], shots)
    page: PageCapture = captures["/"]
    print(f"screenshot: {page.screenshot} ({page.seconds:.1f} s)")

    assert page.problems() == [], page.text
    assert page.has_chart, "the LineChart was not drawn"
    assert page.table_cells >= 10, "the DataTable shows no rows"
    for metric in METRICS:
        assert metric in page.text
    assert "Error" not in page.text
    assert "Loading..." not in page.text
    width, height = png_size(page.screenshot)
    assert (width, height) == (1280, 1400)
    assert page.screenshot.stat().st_size > 20_000, "the screenshot looks blank"


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


@pytest.mark.report
def test_cli_out_leaves_the_default_site_untouched(cli_build: CliBuild) -> None:
    """`trustmart report --out DIR` publishes DIR and touches no other site:
    the project's build/ (reports/build) keeps every file, size and mtime."""
    out = cli_build.site
    assert (out / "index.html").is_file() and (out / "_app").is_dir()
    assert "Report infra test" in (out / "index.html").read_text(encoding="utf-8")
    assert cli_build.default_after == cli_build.default_before, "the default site was touched"
    assert list((cli_build.project / ".trustmart-builds").iterdir()) == []
    # beside the site only its lock file: no staging or old folder left
    assert sorted(p.name for p in out.parent.iterdir()) == [".site.trustmart.lock", "site"]
