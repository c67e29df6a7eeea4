"""generate(): stream the simulation week by week and write every table."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa

from trustmart.contract import TABLES

from . import params as p
from .accounting import Accounting
from .activity import Simulator
from .badrows import bad_rows
from .clock import activity, attack_window, times_in_day
from .config import CHUNK_DAYS, GeneratorConfig
from .delivery import assign_offsets, code_variants
from .exposure import exposure_rows
from .formatting import format_rows
from .ids import Counters
from .linking import Linker
from .model import rates
from .objects import signalled_objects, sweep_objects
from .rows import Rows
from .schema import KINDS, has_ingested_at
from .truth import build_truth
from .vocabulary import remove_stale_config, rename_codes, truth_record, write_config
from .writer import EXTENSIONS, write_table

FILE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}-(a|b-redelivered)\.(parquet|csv|jsonl)$")
#: Streams of the per-chunk random generators.
_OBJECTS, _EXPOSURE, _FINISH, _LEGACY = 1, 2, 3, 4


def _rng(config: GeneratorConfig, *stream: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([config.seed, *stream]))


def _clean(out: Path) -> None:
    """Remove files of an earlier run (only names this generator writes)."""
    for table in TABLES:
        folder = out / table
        if folder.is_dir():
            for f in folder.iterdir():
                if FILE_PATTERN.match(f.name):
                    f.unlink()
    remove_stale_config(out)


class Carry:
    """Follow-up objects (re-offending accounts) not yet due."""

    def __init__(self) -> None:
        self.t = np.array([], np.int64)
        self.account = np.array([], np.int64)

    def add(self, t: np.ndarray, account: np.ndarray) -> None:
        self.t = np.concatenate([self.t, t])
        self.account = np.concatenate([self.account, account])

    def pop_before(self, end: int) -> tuple[np.ndarray, np.ndarray]:
        due = self.t < end
        out = self.t[due], self.account[due]
        self.t, self.account = self.t[~due], self.account[~due]
        order = np.argsort(out[0], kind="stable")
        return out[0][order], out[1][order]


def _legacy_followups(config: GeneratorConfig, counters: Counters, carry: Carry) -> None:
    """Follow-ups of decisions taken before the start (so volume is steady
    from day one): intensity F e^(-t/mu) over the period."""
    rng = _rng(config, _LEGACY)
    mu = p.REOFFEND_MEAN_DAYS
    mass = 1.0 - np.exp(-config.days / mu)
    n = int(rng.poisson(rates().followups * config.scale * mu * mass))
    days = -mu * np.log1p(-rng.random(n) * mass)
    t = config.start_epoch + np.minimum(np.rint(days * 86400), config.days * 86400 - 1)
    carry.add(np.sort(t.astype(np.int64)), counters.take("a", n))


class ChunkWriter:
    """Finishes one chunk of a table: offsets, variants, order, bad rows, files."""

    def __init__(self, config: GeneratorConfig, counters: Counters, acc: Accounting) -> None:
        self.config = config
        self.counters = counters
        self.acc = acc

    def write(self, chunk: int, table: str, rows: Rows) -> None:
        config = self.config
        if len(rows) == 0:
            return
        rng = _rng(config, chunk, _FINISH, list(TABLES).index(table))
        rows["_offset"] = assign_offsets(rng, len(rows))
        # the platform's own words (draws no random numbers), before the
        # case and padding variants, so that those apply to its words too
        rows = rename_codes(table, rows, config.vocabulary)
        if "surface" in rows and table != "views_daily":
            rows["surface"] = code_variants(rng, rows["surface"])
        if table == "reports":
            rows["reporter_type"] = code_variants(rng, rows["reporter_type"])
        sort_col = (
            "ingested_at"
            if has_ingested_at(table)
            else next(c for c, k in KINDS[table].items() if k in ("ts", "date"))
        )
        rows = rows.take(np.argsort(rows[sort_col], kind="stable"))
        self.acc.add_good(table, rows)
        bad, counts = bad_rows(rng, table, rows, config.bad_row_share, self.counters)
        self.acc.add_bad(table, counts)
        first = rows.take(np.flatnonzero(rows["_file"] == 0))
        later = rows.take(np.flatnonzero(rows["_file"] == 1))
        tab = format_rows(table, first)
        if bad is not None:
            pos = rng.integers(0, len(first) + 1, size=bad.num_rows)
            keys = np.concatenate([np.arange(len(first)) * 2 + 1, pos * 2])
            tab = pa.concat_tables([tab, bad]).take(pa.array(np.argsort(keys, kind="stable")))
        day = config.start_date.toordinal() + chunk * CHUNK_DAYS
        stem = type(config.start_date).fromordinal(day).isoformat()
        ext = EXTENSIONS[config.fmt]
        folder = Path(config.out) / table
        if tab.num_rows:
            write_table(tab, folder / f"{stem}-a.{ext}", config.fmt)
            self.acc.files[table] += 1
        if len(later):
            write_table(
                format_rows(table, later), folder / f"{stem}-b-redelivered.{ext}", config.fmt
            )
            self.acc.files[table] += 1


def _objects_of_chunk(
    config: GeneratorConfig,
    rng: np.random.Generator,
    days: range,
    counters: Counters,
    carry: Carry,
    chunk_end: int,
) -> tuple[Rows, Rows, Rows]:
    """(signalled objects, sweep decisions, the new objects of fresh
    accounts among the first) whose first signal / decision falls in the
    chunk: new objects, attack objects, due follow-ups."""
    r = rates()
    wave = attack_window(config)
    new_t, attack_t, sweep_t = [], [], []
    for day in days:
        start = config.start_epoch + day * 86400
        a = activity(config, day) * config.scale
        new_t.append(times_in_day(rng, start, int(rng.poisson(r.base_objects * a))))
        sweep_t.append(times_in_day(rng, start, int(rng.poisson(r.sweeps * a))))
        if wave.start <= start < wave.end:
            extra = (p.ATTACK_MULTIPLIER - 1) * r.base_objects * a
            extra *= p.CATEGORY_SHARE[p.ATTACK_CATEGORY]
            attack_t.append(times_in_day(rng, start, int(rng.poisson(extra))))
    fresh = signalled_objects(rng, np.concatenate(new_t), counters)
    parts = [fresh]
    if attack_t:
        parts.append(signalled_objects(rng, np.concatenate(attack_t), counters, attack=True))
    due_t, due_acc = carry.pop_before(chunk_end)
    parts.append(signalled_objects(rng, due_t, counters, accounts=due_acc))
    sweeps = sweep_objects(rng, np.sort(np.concatenate(sweep_t)), counters)
    return Rows.concat(parts), sweeps, fresh


def generate(config: GeneratorConfig, progress: Callable[[int, int], None] | None = None) -> dict:
    """Writes every raw table + out/truth.json (and, in the platform
    vocabulary, out/trustmart.yml); returns the truth dict.
    progress(done, total) is called after each streamed chunk (a week)."""
    out = Path(config.out)
    out.mkdir(parents=True, exist_ok=True)
    _clean(out)
    counters = Counters()
    acc = Accounting()
    carry = Carry()
    sim = Simulator(config, counters, attack_window(config))
    linker = Linker(config)
    writer = ChunkWriter(config, counters, acc)
    _legacy_followups(config, counters, carry)
    total = config.n_chunks
    for chunk in range(total):
        days = range(chunk * CHUNK_DAYS, min((chunk + 1) * CHUNK_DAYS, config.days))
        chunk_end = config.start_epoch + days.stop * 86400
        rng = _rng(config, chunk, _OBJECTS)
        objs, sweeps, fresh = _objects_of_chunk(config, rng, days, counters, carry, chunk_end)
        parts: dict[str, list[Rows]] = defaultdict(list)
        batches = [(sweeps, True), (objs, False)]
        while batches:
            batch, is_sweep = batches.pop(0)
            if len(batch) == 0:
                continue
            result = sim.run(rng, batch, sweep=is_sweep)
            for table, rows in result.tables.items():
                parts[table].append(rows)
            linker.record_actions(result.action_t, result.action_account)
            now = result.spawn_t < chunk_end
            carry.add(result.spawn_t[~now], result.spawn_account[~now])
            if now.any():
                order = np.argsort(result.spawn_t[now], kind="stable")
                batches.append(
                    (
                        signalled_objects(
                            rng,
                            result.spawn_t[now][order],
                            counters,
                            accounts=result.spawn_account[now][order],
                        ),
                        False,
                    )
                )
        parts["account_signals"].append(
            linker.match(fresh["t_signal"], fresh["account"], chunk_end)
        )
        parts["account_signals"].append(linker.newcomers(days))
        parts["account_signals"] = [linker.clip(rows) for rows in parts["account_signals"]]
        for table, rows in exposure_rows(
            _rng(config, chunk, _EXPOSURE), config, days, counters
        ).items():
            parts[table].append(rows)
        for table in TABLES:
            writer.write(chunk, table, Rows.concat(parts.get(table, [])))
        if progress:
            progress(chunk + 1, total)
    truth = build_truth(config, acc)
    if config.vocabulary != "contract":
        truth["vocabulary"] = truth_record()
        write_config(out)
    (out / "truth.json").write_text(json.dumps(truth, indent=2, sort_keys=False) + "\n")
    return truth
