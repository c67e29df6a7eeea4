"""Account entities at scale: the build's entity iteration on graphs far
beyond the generated exports, timed in a wrapper-free run.

    .venv/bin/python bench/linking_scale.py [--accounts 1000000] [--out DIR]

Writes three graphs, one at a time, into a DuckDB file under --out
(data/bench/linking) and runs the dbt operation components_of_members on
each (the macro the entity model runs in a build, build_components_table):
- chain: `--accounts` accounts in one chain, ids out of order (the
  diameter is the chain's length);
- case: one `case` value on `--accounts` accounts (n(n-1) direct pairs,
  n memberships);
- mixed: `--accounts` accounts in small random components.
For each it prints the rounds, the wall time (dbt's parse included) and
whether the components equal a union-find's (--no-check skips that, which
takes a while in Python at 1M). The figures go in docs/performance.md by
hand.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from layout import ROOT

sys.path.insert(0, str(ROOT / "tests" / "python"))

from support import component_graphs

GRAPHS = {
    "chain": {"chain": 1, "case": 0, "small": 0},
    "case": {"chain": 0, "case": 1, "small": 0},
    "mixed": {"chain": 0, "case": 0, "small": 1},
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "bench" / "linking")
    parser.add_argument("--no-check", action="store_true", help="Skip the union-find check.")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"{'graph':8} {'accounts':>10} {'entities':>10} {'rounds':>6} {'seconds':>8} check")
    for name, shares in GRAPHS.items():
        db = args.out / f"graph_{name}.duckdb"  # not `case`: the catalog takes the name
        db.unlink(missing_ok=True)
        component_graphs.write_graph(db, **{k: v * args.accounts for k, v in shares.items()})
        computed = component_graphs.run_components(db, args.out / f"{name}.log")
        check = "skipped"
        if not args.no_check:
            check = "equal" if computed.roots == component_graphs.union_find_roots(db) else "DIFFER"
        entities = len(set(computed.roots.values()))
        print(
            f"{name:8} {len(computed.roots):>10,} {entities:>10,} {computed.rounds:>6} "
            f"{computed.seconds:>8.1f} {check}"
        )
        db.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
