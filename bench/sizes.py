"""What one benchmark size is: reports a year, and the generator's scale
and days for it."""

from __future__ import annotations

import argparse
import re

#: Days of events of the full build (the export has one more, held back).
DAYS = 365
SEED = 42


def parse_size(text: str) -> int:
    """Reports a year from '1M', '10M', '250k' or a plain number."""
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([kKmM]?)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"cannot read size {text!r} (e.g. 1M, 10M, 250k)")
    factor = {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]
    return int(float(match.group(1)) * factor)


def size_label(reports: int) -> str:
    if reports >= 1_000_000 and reports % 100_000 == 0:
        return f"{reports / 1_000_000:g}M"
    if reports >= 1_000 and reports % 100 == 0:
        return f"{reports / 1_000:g}k"
    return str(reports)


def scale_for(reports_per_year: int, days: int = DAYS) -> float:
    """Generator scale giving about `reports_per_year` reports in a year."""
    return round(reports_per_year / days / 1_000, 2)
