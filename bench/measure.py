"""Run one command and record its wall time, CPU time and peak memory.

    python bench/measure.py RESULT.json LOG -- command [args ...]

A tiny wrapper process per benchmark step, so that the figures come from
the operating system and cover only that step: after the command (and
every process it waited for) has ended, ``getrusage(RUSAGE_CHILDREN)`` of
this wrapper holds the CPU time of the whole process tree and the peak
resident set size of its largest single process (``ru_maxrss``, KiB on
Linux). The command's stdout and stderr go to LOG.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path


def measure(command: list[str], log: Path) -> dict[str, float | int]:
    """Run `command` to completion; its exit code, wall and CPU seconds, peak RSS."""
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        returncode = subprocess.call(command, stdout=out, stderr=subprocess.STDOUT)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "returncode": returncode,
        "wall_seconds": wall,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "max_rss_kib": usage.ru_maxrss,
    }


def main(argv: list[str]) -> int:
    if len(argv) < 4 or argv[2] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    result_path, log = Path(argv[0]), Path(argv[1])
    result = measure(argv[3:], log)
    result_path.write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
