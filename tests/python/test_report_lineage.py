"""One KPI, one hop: the metric registry names each metric's report page,
and the dbt exposures say which page reads which mart.

- Every metric of the registry (models/marts/published/_metric_registry.yml)
  names its report family, page and place (`report`), the family is one of
  the registry's `report_families`, a family lives on one page, and that
  page exists under reports/pages. (rpt_glossary's family map is generated
  from the same entries and stops the build on a metric without them.)
- Every Evidence page (reports/pages/**/*.md) has a dbt exposure whose
  depends_on is exactly the marts its queries read: the page's
  `trustmart.<source>` references, through each source file
  (reports/sources/trustmart/<source>.sql, a thin select over
  `marts.<model>`), to the models.

Reads files only: no build.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from trustmart.settings import project_dir

PROJECT = project_dir()
REGISTRY = PROJECT / "models" / "marts" / "published" / "_metric_registry.yml"
EXPOSURES = PROJECT / "models" / "marts" / "report" / "_report__exposures.yml"
PAGES = PROJECT / "reports" / "pages"
SOURCES = PROJECT / "reports" / "sources" / "trustmart"


def registry_meta(path: Path = REGISTRY) -> dict:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    (model,) = [m for m in document["models"] if m["name"] == "metric_definitions"]
    return model["config"]["meta"]


def page_file(url: str) -> Path:
    """The Evidence page of a site path: /kpis/appeals -> pages/kpis/appeals.md,
    / -> pages/index.md, /kpis -> pages/kpis/index.md."""
    relative = url.strip("/")
    candidates = [PAGES / f"{relative}.md", PAGES / relative / "index.md"]
    if not relative:
        candidates = [PAGES / "index.md"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return candidates[0]


def page_url(path: Path) -> str:
    relative = path.relative_to(PAGES).with_suffix("").as_posix()
    if relative == "index":
        return "/"
    return "/" + relative.removesuffix("/index")


def report_problems(meta: dict) -> list[str]:
    """What is wrong with the registry's report entries, one sentence each."""
    families = {f["family"] for f in meta.get("report_families") or []}
    pages: dict[str, str] = {}
    problems = []
    for metric in meta["metrics"]:
        key = f"{metric['metric_id']} v{metric['metric_version']}"
        report = metric.get("report") or {}
        missing = [k for k in ("family", "page", "order") if report.get(k) in (None, "")]
        if missing:
            problems.append(f"{key} names no report {' or '.join(missing)}")
            continue
        if report["family"] not in families:
            problems.append(f"{key}: family {report['family']} is not in report_families")
        if not page_file(report["page"]).is_file():
            problems.append(f"{key}: page {report['page']} does not exist under reports/pages")
        page = pages.setdefault(report["family"], report["page"])
        if page != report["page"]:
            problems.append(f"{key}: family {report['family']} is on {page} and {report['page']}")
    return problems


def test_every_metric_names_an_existing_report_page() -> None:
    assert report_problems(registry_meta()) == []


def test_a_metric_without_a_page_is_found(tmp_path: Path) -> None:
    meta = registry_meta()
    del meta["metrics"][0]["report"]["page"]
    meta["metrics"][1]["report"]["page"] = "/kpis/no-such-page"
    problems = report_problems(meta)
    assert problems[0].endswith("names no report page")
    assert "/kpis/no-such-page does not exist" in problems[1]


def _strip_sql_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", " ", sql)


def source_models(source: str) -> set[str]:
    """The marts an Evidence source file reads (`from` / `join` marts.<model>)."""
    sql = _strip_sql_comments((SOURCES / f"{source}.sql").read_text(encoding="utf-8"))
    return set(re.findall(r"\b(?:from|join)\s+marts\.(\w+)", sql, flags=re.I))


def page_sources(page: Path) -> set[str]:
    """The Evidence sources a page's queries read (`trustmart.<source>`)."""
    text = re.sub(r"<!--.*?-->", " ", page.read_text(encoding="utf-8"), flags=re.S)
    return set(re.findall(r"\btrustmart\.(\w+)", text))


def pages_reads() -> dict[str, set[str]]:
    """Site path of every page -> the models it reads."""
    reads = {}
    for page in sorted(PAGES.rglob("*.md")):
        models: set[str] = set()
        for source in page_sources(page):
            assert (SOURCES / f"{source}.sql").is_file(), f"{page}: no source {source}"
            models |= source_models(source)
        reads[page_url(page)] = models
    return reads


def exposures_reads() -> dict[str, set[str]]:
    """Site path (url) of every exposure -> the models it depends on."""
    document = yaml.safe_load(EXPOSURES.read_text(encoding="utf-8"))
    reads = {}
    for exposure in document["exposures"]:
        refs = set()
        for dependency in exposure["depends_on"]:
            match = re.fullmatch(r"ref\('(\w+)'\)", dependency.strip())
            assert match, f"{exposure['name']}: depends_on {dependency!r} is not a ref('...')"
            refs.add(match.group(1))
        assert exposure["url"] not in reads, f"two exposures for {exposure['url']}"
        reads[exposure["url"]] = refs
    return reads


def test_sources_read_marts() -> None:
    for source in sorted(SOURCES.glob("*.sql")):
        assert source_models(source.stem), f"{source.name} reads no marts.<model>"


def test_every_page_has_an_exposure_with_what_it_reads() -> None:
    pages = pages_reads()
    exposures = exposures_reads()
    assert sorted(exposures) == sorted(pages), "one exposure per page (url = the page's path)"
    wrong = {
        url: {"page reads": sorted(pages[url]), "exposure says": sorted(exposures[url])}
        for url in pages
        if pages[url] != exposures[url]
    }
    assert wrong == {}


@pytest.mark.parametrize("url", ["/", "/kpis", "/kpis/appeals", "/glossary"])
def test_page_urls_round_trip(url: str) -> None:
    assert page_url(page_file(url)) == url
