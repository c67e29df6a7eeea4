"""Typed in-memory rows -> Arrow tables of the written representation.

Timestamps become ISO-8601 strings: ``YYYY-MM-DDTHH:MM:SSZ`` or, for rows
with a non-zero ``_offset`` (minutes), the same instant in local time with
``+HH:MM`` / ``-HH:MM``. Dates become ``YYYY-MM-DD``.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .rows import NULL_ID, NULL_TS, Rows
from .schema import KINDS, arrow_schema

_EPOCH = date(1970, 1, 1)
_NULL_STR = pa.scalar(None, pa.string())


@cache
def _time_lut() -> pa.Array:
    return pa.array([f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)])


def _date_lut(first: int, last: int) -> pa.Array:
    return pa.array([(_EPOCH + timedelta(days=d)).isoformat() for d in range(first, last + 1)])


def offset_suffix(minutes: int) -> str:
    if minutes == 0:
        return "Z"
    sign = "+" if minutes > 0 else "-"
    m = abs(minutes)
    return f"{sign}{m // 60:02d}:{m % 60:02d}"


def _with_nulls(values: pa.Array, null: np.ndarray) -> pa.Array:
    if not null.any():
        return values
    return pc.if_else(pa.array(null), _NULL_STR, values)


def format_dates(days: np.ndarray) -> pa.Array:
    days = np.asarray(days, dtype=np.int64)
    if len(days) == 0:
        return pa.array([], pa.string())
    first = int(days.min())
    return _date_lut(first, int(days.max())).take(pa.array(days - first))


def format_timestamps(t: np.ndarray, offset_minutes: np.ndarray | None = None) -> pa.Array:
    """Epoch seconds -> ISO-8601 strings (NULL_TS -> null)."""
    t = np.asarray(t, dtype=np.int64)
    if len(t) == 0:
        return pa.array([], pa.string())
    null = t == NULL_TS
    off = np.zeros(len(t), np.int64) if offset_minutes is None else offset_minutes.astype(np.int64)
    local = np.where(null, 0, t + off * 60)
    if null.all():
        return pa.nulls(len(t), pa.string())
    days, secs = np.divmod(local, 86400)
    first = int(days[~null].min())
    days = np.where(null, first, days)
    date_str = _date_lut(first, int(days.max())).take(pa.array(days - first))
    time_str = _time_lut().take(pa.array(secs))
    uniq, inv = np.unique(off, return_inverse=True)
    suffix = pa.array([offset_suffix(int(u)) for u in uniq]).take(pa.array(inv))
    joined = pc.binary_join_element_wise(date_str, "T", time_str, suffix, "")
    return _with_nulls(joined, null)


def format_ids(prefix: str, ids: np.ndarray) -> pa.Array:
    ids = np.asarray(ids, dtype=np.int64)
    text = pc.binary_join_element_wise(prefix, pc.cast(pa.array(ids), pa.string()), "")
    return _with_nulls(text, ids == NULL_ID)


def format_objects(ids: np.ndarray) -> pa.Array:
    ids = np.asarray(ids, dtype=np.int64)
    prefix = pc.if_else(pa.array(ids > 0), "c", "a")
    text = pc.binary_join_element_wise(prefix, pc.cast(pa.array(np.abs(ids)), pa.string()), "")
    return _with_nulls(text, ids == 0)


def format_strings(values: np.ndarray) -> pa.Array:
    values = np.asarray(values)
    if values.dtype == object:
        return pa.array([None if v is None or v == "" else v for v in values], pa.string())
    return pa.array(values, pa.string(), mask=values == "")


def format_rows(table: str, rows: Rows) -> pa.Table:
    """The written Arrow table of `rows` (internal `_` columns dropped)."""
    offset = rows.get("_offset")
    arrays = []
    for col, kind in KINDS[table].items():
        v = rows[col]
        if kind == "ts":
            arrays.append(format_timestamps(v, offset))
        elif kind == "date":
            arrays.append(format_dates(v))
        elif kind.startswith("id:"):
            arrays.append(format_ids(kind[3:], v))
        elif kind == "object":
            arrays.append(format_objects(v))
        elif kind == "str":
            arrays.append(format_strings(v))
        elif kind == "bool":
            arrays.append(pa.array(np.asarray(v, dtype=bool)))
        elif kind == "float":
            v = np.asarray(v, dtype=np.float64)
            arrays.append(pa.array(v, pa.float64(), mask=np.isnan(v)))
        elif kind == "int":
            arrays.append(pa.array(np.asarray(v, dtype=np.int64), pa.int64()))
        else:  # pragma: no cover
            raise ValueError(kind)
    return pa.Table.from_arrays(arrays, schema=arrow_schema(table))
