"""What every suite is made of: a frame with a `row_key` column naming each
row, and checks (great-expectations expectations with a name, a severity, a
threshold and what to do), plus the text helpers the row keys are built with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from great_expectations.expectations.expectation import Expectation

from trustmart.quality.results import CheckResult, Severity

#: The column of every frame naming its row (so a failing check can say
#: which rows broke it).
KEY = "row_key"


@dataclass(frozen=True)
class Check:
    """One expectation with its name, severity, threshold and what to do."""

    name: str
    severity: Severity
    expectation: Expectation
    threshold: str
    fix: str
    #: Context added to the result's details (counts behind a share, ...).
    details: str = ""


@dataclass(frozen=True)
class Suite:
    """A frame and the checks validated against it."""

    name: str
    frame: pd.DataFrame
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class SuitePlan:
    """The suites to validate, and checks that could not run (status skip)."""

    suites: list[Suite]
    skipped: list[CheckResult] = field(default_factory=list)


def check(
    name: str,
    severity: Severity,
    expectation: type[Expectation],
    *,
    threshold: str,
    fix: str,
    details: str = "",
    **kwargs: Any,
) -> Check:
    """A Check whose expectation carries its name in meta (to map results back)."""
    return Check(
        name, severity, expectation(meta={"check": name}, **kwargs), threshold, fix, details
    )


def as_text(series: pd.Series) -> pd.Series:
    """Values as text, `null` for missing ones (so row keys never vanish)."""
    return series.astype(str).fillna("null")


def day_text(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series).dt.strftime("%Y-%m-%d").fillna("?").astype(str)
