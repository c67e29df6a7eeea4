"""`trustmart check`: data-quality suites (great-expectations) over the
published marts, dbt source freshness, and their history in marts.dq_results.

Import from the submodules: `runner.run_check` runs a check,
`history.record_build` is what a build calls before it publishes. Importing
this package does not import great-expectations (slow to import).
"""

from __future__ import annotations

import os

from trustmart.settings import QUIET_ENV

# great-expectations sends usage statistics unless told not to; offline that
# can hang, so telemetry is off before anything here imports it.
os.environ.update(QUIET_ENV)
