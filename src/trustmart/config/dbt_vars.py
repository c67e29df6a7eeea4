"""What a platform config tells dbt: the vars the reference models, staging
and the marts read (dbt_project.yml lists their defaults), and a
fingerprint of them for the build record."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from trustmart.config.schema import PlatformConfig

#: Thresholds that are dbt vars of the same name (max_quarantine_share is
#: read by `trustmart check`, not by dbt).
DBT_THRESHOLDS = (
    "report_min_count",
    "clock_skew_minutes",
    "max_accounts_per_signal",
    "max_direct_links",
    "escalation_window_hours",
)

#: Limits a config may set to null, meaning no limit (the project default
#: applies only when the key is left out).
NO_LIMIT_THRESHOLDS = ("max_accounts_per_signal", "max_direct_links")


def dbt_vars(config: PlatformConfig) -> dict[str, Any]:
    """The dbt vars of `config`: only what it sets (the project's seeds and
    var defaults apply to the rest)."""
    result: dict[str, Any] = {}
    if config.taxonomy:
        result["platform_taxonomy"] = [
            {
                "code": c.code,
                "name": c.display_name,
                "default_severity": c.default_severity,
                "maps_to": c.rolls_up_to,
            }
            for c in config.taxonomy
        ]
    maps = config.code_maps()
    if maps:
        result["platform_code_maps"] = maps
    if config.severity_targets:
        result["platform_severity_targets"] = {
            severity: {"p50": p50, "p90": p90} for severity, (p50, p90) in config.targets().items()
        }
    if config.thresholds is not None:
        for name in DBT_THRESHOLDS:
            value = getattr(config.thresholds, name)
            # an explicit null is "no limit" for these two, not "unset"
            if value is not None or (
                name in NO_LIMIT_THRESHOLDS and name in config.thresholds.model_fields_set
            ):
                result[name] = value
    return result


def vars_fingerprint(values: dict[str, Any]) -> str:
    """sha256 of the vars, independent of key order."""
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()
