"""Sequential id counters (deterministic across chunks)."""

from __future__ import annotations

import numpy as np


class Counters:
    """One running counter per id prefix; ids start at 1."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def take(self, prefix: str, n: int) -> np.ndarray:
        start = self.next.get(prefix, 1)
        self.next[prefix] = start + n
        return np.arange(start, start + n, dtype=np.int64)
