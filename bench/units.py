"""Seconds, bytes and load averages as the benchmark prints them."""

from __future__ import annotations

GIB = 1024**3


def fmt_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)} min {rest:04.1f} s"


def fmt_bytes(n: int | None) -> str:
    if n is None:
        return "-"
    if n >= GIB:
        return f"{n / GIB:.2f} GiB"
    return f"{n / 1024**2:.0f} MiB"


def fmt_load(load: tuple[float, float, float] | None) -> str:
    return "-" if load is None else " / ".join(f"{x:.1f}" for x in load)
