"""`trustmart import-wikipedia`: a MediaWiki block log into the raw contract.

Mapping (docs/adapters.md has the reasons):

- `block`: an `enforcements` row, enforcement_id `wp-block-<logid>`, on
  object_type `account`; account_id = the blocked user (title without
  `User:`), object_id `block:<logid>` (the block episode, so that a later
  block of the same account is a new object and counts as recurrence).
  action `ban` for an infinite duration, else `suspend`; decision_method
  `human`, reviewer_id the admin, policy_category `other` (the log has free
  text reasons only, kept as `comment`); decided_at = ingested_at = timestamp.
- `reblock`: changes the settings of the account's open block: a
  re-delivery of that block's row (same enforcement_id and decided_at, new
  action, ingested_at = the reblock's time), so the latest settings win;
  without an open block in the input it starts a new episode like `block`.
- `unblock`: lifts the account's latest block: an `appeals` row with status
  `reversed`, appealed_at = resolved_at = the unblock's time (the log has no
  request time), resolution_method `human`. An unblock whose block is not in
  the input (it predates the log or the file) references
  `wp-block-unknown:<account>`, which does not exist, so staging quarantines
  it as `unknown_enforcement`: counted, not dropped.
- Hidden targets (blank title, suppressed by oversight) are written with a
  blank account, so staging quarantines them as `missing_value`.
- Sockpuppetry: a block whose comment names the case it belongs to (a
  link to a sockpuppet investigation `[[Wikipedia:Sockpuppet
  investigations/X]]`, a `{{sockpuppet|X}}` template, or "sock(puppet) of
  ... [[User:X]]" / "User:X") gives two `account_signals` rows of
  signal_type `case` observed at the block: one for the blocked account
  and one for the named master X, both with the case's value (a hash of
  the master's normalised name, as a platform delivers hashed values).
  So every sock of one master and the master are one entity. A comment
  that only says "Abusing multiple accounts" or "sockpuppet" names no case
  and gives no signal.
- Exact duplicate records (same logid, same fields) are written once and
  counted; records of other log types or actions are skipped and counted.
"""

from __future__ import annotations

import ast
import hashlib
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from trustmart.adapters.archives import expand_inputs
from trustmart.adapters.blocklog import LogEvent, read_block_log
from trustmart.adapters.manifest import ImportSummary
from trustmart.adapters.rawout import prepare_out_dir, write_empty_tables, write_rows
from trustmart.contract import POLICY_CATEGORIES

SOURCE = "wikipedia_blocklog"
SUFFIXES = (".csv", ".csv.gz")
CATEGORY = "other"
INFINITE = frozenset({"infinity", "infinite", "indefinite", "never"})
USER_PREFIX = "User:"

ENFORCEMENT_EXTRAS = (
    "logid",
    "log_action",
    "title",
    "block_duration",
    "block_expiry",
    "block_flags",
    "comment",
    "log_file",
)
APPEAL_EXTRAS = ("logid", "log_action", "title", "unblocked_by", "comment", "log_file")
SIGNAL_EXTRAS = ("logid", "case_master", "log_file")

#: Where a block comment names the sockpuppet case (the master account).
_USER_NAME = r"([^\]\[|}{\n]+?)"
_CASE_PATTERNS = (
    re.compile(
        r"\[\[\s*(?:Wikipedia|WP|Project)\s*:\s*Sock\s*puppet[ _]investigations/"
        + _USER_NAME
        + r"\s*(?:/[^\]|]*)?(?:\|[^\]]*)?\]\]",
        re.IGNORECASE,
    ),
    re.compile(
        r"\{\{\s*sock\s*puppet\s*\|\s*(?!\[)" + _USER_NAME + r"\s*(?:\|[^}]*)?\}\}", re.IGNORECASE
    ),
    re.compile(
        r"sock\s*-?\s*(?:puppet|pet)?\s+(?:account\s+)?(?:of|for)\b[^\[\]]{0,40}?"
        r"\[\[\s*user\s*:\s*" + _USER_NAME + r"\s*(?:\|[^\]]*)?\]\]",
        re.IGNORECASE,
    ),
    # a plain User:Name (no link) ends at the first word in lower case
    re.compile(
        r"[Ss][Oo][Cc][Kk]\s*-?\s*(?:[Pp]uppet|[Pp]et)?\s+(?:account\s+)?(?:of|for)\b"
        r"[^\[\]:]{0,40}?\b[Uu]ser\s*:\s*([^\s\]\[|,;]+(?:\s+[A-Z0-9][^\s\]\[|,;]*)*)"
    ),
)


@dataclass
class _Episode:
    """An account's latest block: its raw enforcement row and whether lifted."""

    row: dict[str, str | None]
    lifted: bool = False


@dataclass
class MappedLog:
    """Raw rows made from block-log events, and what could not be mapped."""

    enforcements: list[dict[str, str | None]] = field(default_factory=list)
    appeals: list[dict[str, str | None]] = field(default_factory=list)
    signals: list[dict[str, str | None]] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    expected_quarantine: dict[str, int] = field(default_factory=dict)
    unmapped: dict[str, dict[str, int]] = field(default_factory=dict)


def account_of(title: str) -> str:
    """The blocked user of a block-log title (`User:Name` -> `Name`)."""
    title = title.strip()
    return title[len(USER_PREFIX) :] if title.startswith(USER_PREFIX) else title


def normalise_user(name: str) -> str:
    """A MediaWiki user name as the wiki compares them: underscores are
    spaces, runs of spaces are one, the first letter is upper case."""
    name = re.sub(r"[\s_]+", " ", name).strip().rstrip(".")
    return name[:1].upper() + name[1:]


def case_master(comment: str) -> str | None:
    """The master account a block comment names as the sockpuppet case it
    belongs to, or None when it names none."""
    for pattern in _CASE_PATTERNS:
        found = pattern.search(comment or "")
        if found:
            master = normalise_user(found.group(1))
            if master:
                return master
    return None


def case_value(master: str) -> str:
    """The signal value of a sockpuppet case: a hash of its master's name."""
    return hashlib.sha256(f"enwiki-sockpuppet-case:{master}".encode()).hexdigest()[:32]


def block_settings(params: str) -> tuple[str | None, str | None, str | None]:
    """(duration, expiry, flags) of a block's `params` (a Python-repr dict)."""
    try:
        value = ast.literal_eval(params) if params.strip() else {}
    except (ValueError, SyntaxError):
        return None, None, None
    if not isinstance(value, dict):
        return None, None, None
    flags = value.get("flags")
    return (
        str(value["duration"]) if value.get("duration") is not None else None,
        str(value["expiry"]) if value.get("expiry") is not None else None,
        ",".join(map(str, flags)) if isinstance(flags, list) else None,
    )


def action_of(duration: str | None) -> str | None:
    """`ban` for an infinite block, `suspend` for a timed one, None when unknown."""
    if duration is None or not duration.strip():
        return None
    return "ban" if duration.strip().lower() in INFINITE else "suspend"


def _sort_key(event: LogEvent) -> tuple[str, int, str]:
    logid = event.get("logid")
    return (event.get("timestamp"), int(logid) if logid.isdigit() else -1, logid)


def _count(counter: dict[str, int], key: str) -> None:
    counter[key] = counter.get(key, 0) + 1


def _block_row(event: LogEvent, episode: _Episode | None) -> dict[str, str | None]:
    duration, expiry, flags = block_settings(event.get("params"))
    account = account_of(event.get("title"))
    logid = event.get("logid")
    first = episode.row if episode else None
    return {
        "enforcement_id": first["enforcement_id"] if first else f"wp-block-{logid}",
        "decided_at": first["decided_at"] if first else event.get("timestamp"),
        "object_type": "account",
        "object_id": (first["object_id"] if first else f"block:{logid}") if account else None,
        "account_id": account or None,
        "surface": "profile",
        "is_violation": "true",
        "policy_category": CATEGORY,
        "severity": POLICY_CATEGORIES[CATEGORY][1],
        "action": action_of(duration),
        "decision_method": "human",
        "queue": None,
        "reviewer_id": event.get("user") or None,
        "ingested_at": event.get("timestamp"),
        "logid": logid,
        "log_action": event.get("action"),
        "title": event.get("title"),
        "block_duration": duration,
        "block_expiry": expiry,
        "block_flags": flags,
        "comment": event.get("comment") or None,
        "log_file": event.file,
    }


def _unblock_row(event: LogEvent, episode: _Episode | None) -> dict[str, str | None]:
    account = account_of(event.get("title"))
    if episode is not None:
        enforcement_id = episode.row["enforcement_id"]
    else:
        enforcement_id = f"wp-block-unknown:{account}" if account else None
    return {
        "appeal_id": f"wp-unblock-{event.get('logid')}",
        "enforcement_id": enforcement_id,
        "appealed_at": event.get("timestamp"),
        "status": "reversed",
        "resolved_at": event.get("timestamp"),
        "resolution_method": "human",
        "ingested_at": event.get("timestamp"),
        "logid": event.get("logid"),
        "log_action": event.get("action"),
        "title": event.get("title"),
        "unblocked_by": event.get("user") or None,
        "comment": event.get("comment") or None,
        "log_file": event.file,
    }


def map_events(events: Sequence[LogEvent]) -> MappedLog:
    """Raw enforcements and appeals from block-log events (any order)."""
    mapped = MappedLog()
    latest: dict[str, _Episode] = {}
    for event in sorted(events, key=_sort_key):
        kind, action = event.get("type"), event.get("action")
        account = account_of(event.get("title"))
        if kind != "block" or action not in ("block", "reblock", "unblock"):
            _count(mapped.skipped, f"not a block action ({kind}/{action})")
            continue
        episode = latest.get(account) if account else None
        if action == "unblock":
            row = _unblock_row(event, episode)
            mapped.appeals.append(row)
            if episode is not None:
                episode.lifted = True
            elif account:
                _count(
                    mapped.expected_quarantine, "appeals: unknown_enforcement (block not in input)"
                )
            else:
                _count(mapped.expected_quarantine, "appeals: missing_value (hidden target)")
            continue
        reblock_of = episode if action == "reblock" and episode and not episode.lifted else None
        row = _block_row(event, reblock_of)
        mapped.enforcements.append(row)
        if not account:
            _count(mapped.expected_quarantine, "enforcements: missing_value (hidden target)")
        elif row["action"] is None:
            _count(mapped.expected_quarantine, "enforcements: missing_value (no duration)")
        if account and reblock_of is None:
            latest[account] = _Episode(row)
        master = case_master(event.get("comment")) if account else None
        if master:
            mapped.signals.extend(_case_rows(event, account, master))
    return mapped


def _case_rows(event: LogEvent, account: str, master: str) -> list[dict[str, str | None]]:
    """`case` signals tying the blocked account and its master to the case."""
    value = case_value(master)
    return [
        {
            "account_id": member,
            "signal_type": "case",
            "signal_value": value,
            "observed_at": event.get("timestamp"),
            "logid": event.get("logid"),
            "case_master": master,
            "log_file": event.file,
        }
        for member in dict.fromkeys((account, master))
    ]


def _unique_signals(rows: list[dict[str, str | None]]) -> list[dict[str, str | None]]:
    """One row per (account, case, time): a master named by two socks
    blocked in the same second is one observation."""
    seen: set[tuple[str | None, ...]] = set()
    unique = []
    for row in rows:
        key = (row["account_id"], row["signal_value"], row["observed_at"])
        if key not in seen:
            seen.add(key)
            unique.append(row)
    return unique


def _drop_exact_duplicates(events: list[LogEvent]) -> tuple[list[LogEvent], list[str]]:
    seen: set[tuple[tuple[str, str], ...]] = set()
    unique: list[LogEvent] = []
    duplicate_ids: list[str] = []
    for event in events:
        key = tuple(sorted((k, v) for k, v in event.fields.items() if v != ""))
        if key in seen:
            duplicate_ids.append(event.get("logid"))
            continue
        seen.add(key)
        unique.append(event)
    return unique, duplicate_ids


def import_wikipedia(
    paths: Sequence[Path], out: Path, *, work_dir: Path | None = None
) -> ImportSummary:
    """Import block-log CSVs from `paths` into the raw export `out`."""
    prepare_out_dir(out, SOURCE)
    summary = ImportSummary(source=SOURCE, out=out)
    events: list[LogEvent] = []
    malformed = 0
    with tempfile.TemporaryDirectory(prefix="trustmart-wiki-", dir=work_dir) as tmp:
        found = expand_inputs(paths, Path(tmp), SUFFIXES)
        for file in found.files:
            log = read_block_log(file)
            events.extend(log.events)
            malformed += len(log.malformed_lines)
            summary.inputs.append(
                {
                    "file": file.label,
                    "rows": len(log.events) + len(log.malformed_lines),
                    "header_lines": log.headers,
                    "header_widths": sorted(log.widths),
                    "malformed_lines": log.malformed_lines[:100],
                }
            )
    summary.rows_in = len(events) + malformed
    unique, duplicate_ids = _drop_exact_duplicates(events)
    summary.duplicates, summary.duplicate_ids = len(duplicate_ids), duplicate_ids[:100]
    mapped = map_events(unique)
    summary.skipped = dict(mapped.skipped)
    if malformed:
        summary.skipped["malformed record (width differs from its header)"] = malformed
    summary.rows_written = {
        "enforcements": write_rows(
            out, "enforcements", SOURCE, mapped.enforcements, ENFORCEMENT_EXTRAS
        ),
        "appeals": write_rows(out, "appeals", SOURCE, mapped.appeals, APPEAL_EXTRAS),
    }
    summary.derived_rows = {
        "account_signals": write_rows(
            out, "account_signals", SOURCE, _unique_signals(mapped.signals), SIGNAL_EXTRAS
        ),
    }
    for table in write_empty_tables(out, SOURCE, summary.rows_written):
        summary.rows_written[table] = 0
    summary.expected_quarantine = mapped.expected_quarantine
    summary.notes = [
        "Unblocks are appeals with status reversed; appealed_at = resolved_at = the unblock "
        "time (the log has no request time), so appeal timing KPIs are 0 by construction.",
        "Block reasons are free text (extra column comment): every block is policy_category other.",
        "A block comment naming a sockpuppet case (an investigation link, {{sockpuppet|X}}, "
        "'sock of [[User:X]]') gives `case` signals tying the sock and its master X (extra "
        "column case_master); the value is a hash of X's name.",
    ]
    summary.write()
    return summary
