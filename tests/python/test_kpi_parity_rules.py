"""The parity rules of the Spark test (support/kpi_parity.py) catch what
they must: each case changes one number of an otherwise equal table."""

from __future__ import annotations

from datetime import date

import pytest

from support.kpi_parity import differences

#: week, metric, version, dimension, value, numerator, denominator, value,
#: ci_low, ci_high, is_upper_bound, is_final
WEEK = (date(2026, 1, 5),)
ALL = ("overall", "all")
ROWS = [
    (*WEEK, "appeal_rate", 1, *ALL, 12.0, 400.0, 0.03, None, None, False, True),
    (*WEEK, "prevalence", 1, *ALL, 3.25, 1000.5, 0.0032483758, 0.001, 0.006, False, True),
    (*WEEK, "tta_p90_hours", 1, *ALL, None, 300.0, 52.92655555555561, None, None, False, True),
]
PERCENTILES = {"tta_p90_hours"}


def _changed(index: int, column: int, value: object) -> list[tuple]:
    rows = [list(r) for r in ROWS]
    rows[index][column] = value
    return [tuple(r) for r in rows]


def test_equal_tables_have_no_differences() -> None:
    assert differences(ROWS, list(reversed(ROWS)), PERCENTILES) == []


def test_a_rate_within_1e_9_relative_is_equal() -> None:
    assert differences(ROWS, _changed(1, 7, 0.0032483758 * (1 + 1e-12)), PERCENTILES) == []


@pytest.mark.parametrize(
    ("index", "column", "value", "what"),
    [
        (0, 5, 13.0, "numerator"),  # a count off by one
        (0, 6, 399.0, "denominator"),
        (1, 7, 0.0032483758 * (1 + 1e-8), "value"),  # a rate off by 1e-8 relative
        (1, 8, None, "ci_low"),  # a bound lost
        (2, 7, 52.9265555555556, "value"),  # a percentile off in the last places
        (0, 11, False, "is_final"),
    ],
)
def test_a_changed_number_is_a_difference(
    index: int, column: int, value: object, what: str
) -> None:
    found = differences(ROWS, _changed(index, column, value), PERCENTILES)
    assert len(found) == 1 and f" {what}:" in found[0]


def test_a_missing_row_is_a_difference() -> None:
    found = differences(ROWS, ROWS[:2], PERCENTILES)
    assert found == [f"{ROWS[2][:5]}: only on duckdb"]
