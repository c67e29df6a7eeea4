"""A column batch: a dict of equally long numpy arrays.

Conventions for nulls: timestamps are int64 epoch seconds with NULL_TS;
ids are int64 with -1; strings use "" (written as null); floats use NaN.
Columns whose name starts with "_" are internal and never written.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

NULL_TS = np.iinfo(np.int64).min
NULL_ID = -1


class Rows:
    """Equally long numpy columns."""

    def __init__(self, cols: dict[str, np.ndarray]) -> None:
        lengths = {len(v) for v in cols.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns of unequal length: { {k: len(v) for k, v in cols.items()} }")
        self.cols = cols

    def __len__(self) -> int:
        return len(next(iter(self.cols.values()))) if self.cols else 0

    def __getitem__(self, name: str) -> np.ndarray:
        return self.cols[name]

    def __setitem__(self, name: str, values: np.ndarray) -> None:
        self.cols[name] = values

    def __contains__(self, name: str) -> bool:
        return name in self.cols

    def get(self, name: str, default: np.ndarray | None = None) -> np.ndarray | None:
        return self.cols.get(name, default)

    def take(self, idx: np.ndarray) -> Rows:
        return Rows({k: v[idx] for k, v in self.cols.items()})

    def copy(self) -> Rows:
        return Rows({k: v.copy() for k, v in self.cols.items()})

    @staticmethod
    def concat(parts: Iterable[Rows]) -> Rows:
        parts = [r for r in parts if r.cols]
        if not parts:
            return Rows({})
        names = list(parts[0].cols)
        return Rows({k: np.concatenate([r.cols[k] for r in parts]) for k in names})
