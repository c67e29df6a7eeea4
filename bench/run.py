"""The trustmart benchmark: one command, figures and ratios of one run.

    .venv/bin/python bench/run.py [--sizes 1M,10M] [--with-100m] [--out DIR]
        [--skip-report] [--reuse-data] [--baseline-runs N] [--docs FILE]

For each size (reports a year, 365 days of events; scale 1.0 is about 1,000
reports a day) it generates a seeded export of 366 days, holds its last day
back as a daily drop (trustmart.generator.drops), and times, each in its own
wrapper process (bench/measure.py: wall time, CPU time and peak RSS from
the OS): generation, a baseline run of bench/baseline.sql (the same weekly
KPIs in one plain DuckDB script), the full `trustmart build`, the baseline
again (the two baseline runs bracket the build, so load from other work on
the machine hits both sides), `trustmart check`, `trustmart report`, and
then, with the held-back day delivered as new files, the incremental
`trustmart build`.
Ratios are taken within the run. It then reads dbt's run_results.json of
the build for the slowest models, checks that the baseline and the
warehouse agree on the overall weekly KPIs, prints a table and writes it,
with the machine, into docs/performance.md (between the bench markers; text
outside them is kept).

The work is split by job: cli.py (the options and the two modes: run, or
--render-only), steps.py (one size, step by step), results.py (what was
measured, results.json), dbt_timings.py and agreement.py (reading a build),
provenance.py (code and machine), report.py (the Markdown), sizes.py,
units.py and layout.py.
"""

import sys

from cli import main

if __name__ == "__main__":
    sys.exit(main())
