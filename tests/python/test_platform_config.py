"""The platform config (trustmart.yml, docs/platform-config.md): validated
before anything is built, with every error naming the key and its line;
mapped in staging (the contract value published, the platform's original
kept beside it); its parameters published with every build and a changed
value recorded, dated, against exactly the metrics that read it."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import query
from trustmart.build import build
from trustmart.config import CONFIG_ENV, ConfigError, load_config, parse_config
from trustmart.config.consistency import ensure_built_with
from trustmart.config.dbt_vars import dbt_vars
from trustmart.errors import TrustmartError

# ------------------------------------------------------------ validation


def problems_of(text: str) -> list[tuple[int | None, str]]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, Path("trustmart.yml"))
    return caught.value.problems


def test_unknown_key_names_the_key_its_line_and_the_close_one() -> None:
    text = "codes:\n  surface: {timeline: feed}\nthresholds:\n  report_min_cont: 5\n"
    [(line, message)] = problems_of(text)
    assert line == 4
    assert "unknown key 'report_min_cont' under thresholds" in message
    assert "did you mean 'report_min_count'" in message


def test_a_severity_outside_the_code_set_names_key_and_line() -> None:
    text = (
        "taxonomy:\n"
        "  - {code: fraud, name: Fraud, default_severity: high}\n"
        "  - {code: gore, name: Gore, default_severity: extreme}\n"
    )
    [(line, message)] = problems_of(text)
    assert line == 3
    assert message.startswith("taxonomy.1.default_severity:")
    assert "'critical', 'high', 'medium' or 'low'" in message and "'extreme'" in message
    [(line, message)] = problems_of("severity_targets:\n  urgent: {p90: 2}\n")
    assert line == 2 and "severity_targets.urgent" in message


def test_a_map_onto_a_value_the_contract_lacks_names_key_and_line() -> None:
    [(line, message)] = problems_of("codes:\n  action:\n    delete: remove\n    nuke: obliterate\n")
    assert line == 4
    assert message.startswith("codes.action.nuke:") and "'obliterate'" in message
    # a policy category must be one of the taxonomy in force
    text = (
        "taxonomy:\n  - {code: fraud, default_severity: high, maps_to: scams_fraud}\n"
        "codes:\n  policy_category: {scam: scams_fraud}\n"
    )
    [(line, message)] = problems_of(text)
    assert line == 4
    assert "codes.policy_category.scam: 'scams_fraud' is not a policy category of the taxonomy" in (
        message
    )
    # maps_to must be a built-in category
    [(line, message)] = problems_of(
        "taxonomy:\n  - {code: fraud, default_severity: high, maps_to: fraudulence}\n"
    )
    assert line == 2 and message.startswith("taxonomy.0.maps_to:")


def test_malformed_yaml_names_the_line() -> None:
    [(line, message)] = problems_of("codes:\n  surface: {timeline: feed\nthresholds: {}\n")
    assert line == 3
    assert message.startswith("not valid YAML")
    [(line, message)] = problems_of("codes:\n  surface: {a: feed}\n  surface: {b: feed}\n")
    assert line == 3 and "repeated" in message


def test_the_message_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "trustmart.yml"
    path.write_text("codez: {}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "trustmart.yml line 1: unknown key 'codez'" in caught.value.what
    assert "docs/platform-config.md" in caught.value.fix


def test_other_values_are_checked_too() -> None:
    found = problems_of("severity_targets:\n  high: {p50: 10}\n")  # above the built-in p90, 8
    assert found == [(2, "severity_targets.high: p50 (10 h) is above p90 (8 h)")]
    found = problems_of(
        "taxonomy:\n  - {code: a, default_severity: low}\n  - {code: a, default_severity: high}\n"
    )
    assert "listed twice" in found[0][1]
    assert problems_of("thresholds: {max_quarantine_share: 2}\n")[0][0] == 1


def test_a_null_limit_means_no_limit_and_a_missing_one_the_default() -> None:
    """`max_accounts_per_signal: null` and `max_direct_links: null` reach dbt
    as null (no limit); left out, dbt_project.yml's defaults apply."""
    written = parse_config(
        "thresholds: {max_accounts_per_signal: null, max_direct_links: null}\n",
        Path("t.yml"),
    )
    assert dbt_vars(written) == {"max_accounts_per_signal": None, "max_direct_links": None}
    assert dbt_vars(parse_config("thresholds: {report_min_count: 5}\n", Path("t.yml"))) == {
        "report_min_count": 5
    }
    assert dbt_vars(parse_config("thresholds: {max_direct_links: 1000}\n", Path("t.yml"))) == {
        "max_direct_links": 1000
    }


def test_codes_keep_the_text_written(tmp_path: Path) -> None:
    """YAML would read `no` as false and `01` as 1: a platform code stays text."""
    config = parse_config("codes:\n  action: {no: none, 01: remove}\n", Path("x.yml"))
    assert config.code_maps() == {"action": {"no": "none", "01": "remove"}}


def test_config_comes_from_the_option_then_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "platform.yml"
    path.write_text("severity_targets: {high: {p90: 6}}\n")
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    assert load_config().path is None
    monkeypatch.setenv(CONFIG_ENV, str(path))
    assert load_config().config.targets()["high"] == (1.0, 6.0)
    with pytest.raises(TrustmartError, match="No platform config at"):
        load_config(tmp_path / "missing.yml")


# ------------------------------------------------------- a platform's words

PLATFORM_CONFIG = """\
taxonomy:
  - {code: junk, name: Junk mail, default_severity: low, maps_to: spam}
  - {code: abuse, default_severity: medium, maps_to: harassment}
  - {code: hate_speech, name: Hate, default_severity: high}
codes:
  surface: {timeline: feed}
  action: {delete: remove}
"""


@pytest.fixture(scope="module")
def platform_build(small_raw: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """raw_small in a platform's words (feed -> timeline, spam -> junk,
    harassment -> abuse, remove -> delete), built with its config."""
    root = tmp_path_factory.mktemp("platform")
    raw = root / "raw"
    shutil.copytree(small_raw, raw)
    for path in raw.glob("*/*.*"):
        if path.suffix in (".csv", ".jsonl"):
            text = path.read_text()
            for contract, platform in (
                (",feed,", ",timeline,"),
                (",Feed ,", ",Timeline ,"),
                ('"feed"', '"timeline"'),
                (",spam,", ",junk,"),
                ('"spam"', '"junk"'),
                ('"harassment"', '"abuse"'),
                (",remove,", ",delete,"),
            ):
                text = text.replace(contract, platform)
            path.write_text(text)
    detections = raw / "detections" / "a.parquet"
    with duckdb.connect() as con:
        con.execute(
            f"copy (select * replace ("
            f"replace(surface, 'feed', 'timeline') as surface, "
            f"replace(category, 'spam', 'junk') as category) from read_parquet('{detections}')) "
            f"to '{root / 'detections.parquet'}' (format parquet)"
        )
    shutil.move(root / "detections.parquet", detections)
    config_path = root / "trustmart.yml"
    config_path.write_text(PLATFORM_CONFIG)
    return build(raw, root / "warehouse.duckdb", config=load_config(config_path)).db


def test_staging_publishes_contract_values_and_keeps_the_original(
    platform_build: Path, small_db: Path
) -> None:
    surfaces = query(
        platform_build,
        "select distinct surface, surface_raw from staging.base_raw__reports "
        "where row_status != 'quarantined' order by 2",
    )
    assert surfaces == [("comments", " Comments"), ("feed", "Timeline "), ("feed", "timeline")]
    actions = query(
        platform_build,
        "select action, action_raw, policy_category from staging.stg_raw__enforcements "
        "where is_violation",
    )
    assert actions == [("remove", "delete", "junk")]
    # the same rows are staged and quarantined, for the same reasons, as in
    # the contract's vocabulary: the unknown reporter type stays unknown
    fates = "select source_table, reason, count(*) from marts.fct_quarantined_rows group by all"
    assert sorted(query(platform_build, fates)) == sorted(query(small_db, fates))
    assert query(
        platform_build, "select column_name, platform_value from marts.fct_unknown_codes"
    ) == [("reporter_type", "robot")]


def test_the_taxonomy_replaces_the_categories_and_rolls_up_for_the_dsa(
    platform_build: Path,
) -> None:
    categories = query(
        platform_build,
        "select policy_category, category_name, builtin_category, defined_by "
        "from staging.stg_reference__policy_categories order by 1",
    )
    assert categories == [
        ("abuse", "Abuse", "harassment", "platform config"),
        ("hate_speech", "Hate", "hate_speech", "platform config"),  # built in: rolls up to itself
        ("junk", "Junk mail", "spam", "platform config"),
    ]
    # DSA transparency tables report the built-in categories
    notices = query(
        platform_build,
        "select policy_category, notices_received from marts.dsa_report_notices "
        "where policy_category in ('spam', 'junk')",
    )
    assert [c for c, _ in notices] == ["spam"]
    parameters = query(
        platform_build,
        "select parameter_key, parameter_value, defined_by from marts.metric_parameters "
        "where metric_id = 'actioned_objects' and parameter = 'policy_categories' order by 1",
    )
    assert parameters == [
        ("abuse", "Abuse (rolls up to harassment)", "platform config"),
        ("hate_speech", "Hate (rolls up to hate_speech)", "platform config"),
        ("junk", "Junk mail (rolls up to spam)", "platform config"),
    ]


def test_check_and_report_refuse_a_warehouse_built_with_another_config(
    platform_build: Path,
) -> None:
    with pytest.raises(TrustmartError, match=r"was built with .*trustmart\.yml.*given no platform"):
        ensure_built_with(platform_build, load_config(None), "report")
    ensure_built_with(platform_build, load_config(platform_build.parent / "trustmart.yml"), "check")


# ------------------------------------------------- parameters and changes


def declared_readers(db: Path, parameter: str) -> set[str]:
    rows = query(
        db,
        f"select distinct metric_id from marts.metric_parameters where parameter = '{parameter}'",
    )
    return {r[0] for r in rows}


def test_a_changed_target_is_recorded_against_exactly_its_readers(
    retargeted: tuple[Path, Path, Path],
) -> None:
    """The rebuild with a new high-severity P90 target (conftest's
    `retargeted`) records the change against exactly the metrics that
    declare the target, and no other metric's value moves."""
    _raw, first, db = retargeted
    changes = query(
        db,
        "select metric_id, parameter, parameter_key, old_value, new_value, defined_by, "
        "cast(changed_at as date) = current_date from marts.metric_parameter_changes "
        "order by metric_id",
    )
    assert changes == [
        (
            "backlog_over_target",
            "severity_target_p90_hours",
            "high",
            "8.0",
            "2.0",
            "platform config",
            True,
        ),
        (
            "tta_within_target_rate",
            "severity_target_p90_hours",
            "high",
            "8.0",
            "2.0",
            "platform config",
            True,
        ),
    ]
    assert {c[0] for c in changes} == declared_readers(db, "severity_target_p90_hours")
    # and no other metric's values moved: a metric that read the target
    # without declaring it would show up here
    with duckdb.connect() as con:
        con.execute(f"attach '{first}' as first_build (read_only)")
        con.execute(f"attach '{db}' as rebuilt (read_only)")
        moved = {
            r[0]
            for r in con.execute(
                """
                select distinct metric_id from (
                    select metric_id, metric_version, week_start as period, dimension,
                        dimension_value, value
                    from rebuilt.marts.kpi_weekly
                    union all
                    select metric_id, metric_version, day, dimension, dimension_value, value
                    from rebuilt.marts.kpi_daily
                    except
                    (
                        select metric_id, metric_version, week_start, dimension,
                            dimension_value, value
                        from first_build.marts.kpi_weekly
                        union all
                        select metric_id, metric_version, day, dimension, dimension_value, value
                        from first_build.marts.kpi_daily
                    )
                )
                """
            ).fetchall()
        }
    assert moved, "the new target changed no value: the test would prove nothing"
    assert moved <= declared_readers(db, "severity_target_p90_hours")


def test_every_metric_published_by_category_declares_the_taxonomy() -> None:
    import yaml

    from trustmart.definitions import REGISTRY
    from trustmart.settings import project_dir

    document = yaml.safe_load((project_dir() / REGISTRY).read_text())
    for metric in document["models"][0]["config"]["meta"]["metrics"]:
        reads_taxonomy = "policy_categories" in metric["parameters"]
        assert reads_taxonomy == ("category" in metric["dimensions"]), metric["metric_id"]
