"""Draft a platform config (`trustmart.yml`) from an export's profile.

Every value of a code column that the contract does not know is written
in the draft, grouped per code set (the values of all columns of one code
set merged, their row counts summed), with the contract value the
suggestion engine proposes. Nothing is mapped silently:

- an active line (applied by the build) is a *confident* suggestion (the
  same code spelled differently, or a known synonym) for a *frequent*
  value; its comment says it is a suggestion to confirm, why, and the rows;
- a *rare* value is written as a commented line, whatever its suggestion:
  seen in very few rows it is more likely bad data (a typo, a test row, a
  value another system leaked) than one of the platform's codes, and
  mapping it would hide those rows instead of quarantining them;
- a frequent value with no suggestion, or only a look-alike spelling, is
  a commented line too, listing the contract values it can be mapped to.

Rare means under MIN_ROWS rows, or under MIN_SHARE of the non-blank values
of the code set's columns. A platform's real codes are used every day: over
a few weeks of export even a small category passes both bars, while the
bad rows of an export are a small share of all rows spread over many
columns and values, so each bad value stays far under 0.5%. 20 rows keep a
small export (a few days, a small table) from turning a handful of rows into
a mapping. A real but rare code commented out by mistake costs little: the
build quarantines its rows as unknown_code, names the value with its count,
and uncommenting the line fixes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from trustmart.config import parse_config
from trustmart.config.yaml_lines import yaml_scalar
from trustmart.errors import TrustmartError
from trustmart.onboarding.profile import ExportProfile
from trustmart.onboarding.suggest import (
    MIN_ROWS,
    MIN_SHARE,
    Suggestion,
    contract_codes,
    is_rare,
    suggest,
)

#: Suggestion reasons confident enough for an active line.
CONFIDENT = ("same code", "synonym")
#: Longest platform value the config accepts (schema.PlatformValue).
MAX_VALUE_LENGTH = 200

ACTIVE, RARE, UNSURE, NO_SUGGESTION = "suggested", "rare", "unsure", "no suggestion"


@dataclass(frozen=True)
class CodeValue:
    """One distinct value of a code set over all its columns."""

    code_set: str
    value: str
    rows: int
    share: float
    columns: tuple[str, ...]  # "table.column", most rows first
    known: bool
    suggestion: Suggestion | None = None
    status: str = ""  # for unknown values: ACTIVE, RARE, UNSURE or NO_SUGGESTION


def code_values(profile: ExportProfile) -> dict[str, list[CodeValue]]:
    """Code set -> its values (known and unknown), most rows first."""
    merged: dict[str, dict[str, dict[str, int]]] = {}
    non_blank: dict[str, int] = {}
    for column in profile.code_columns():
        non_blank[column.code_set] = non_blank.get(column.code_set, 0) + column.non_blank
        values = merged.setdefault(column.code_set, {})
        for value, count in column.values.items():
            values.setdefault(value, {})[f"{column.table}.{column.column}"] = count
    result: dict[str, list[CodeValue]] = {}
    for code_set, values in merged.items():
        known = set(contract_codes(code_set))
        entries = []
        for value, by_column in values.items():
            rows = sum(by_column.values())
            share = rows / non_blank[code_set] if non_blank[code_set] else 0.0
            columns = tuple(sorted(by_column, key=lambda c: (-by_column[c], c)))
            if value in known:
                entries.append(CodeValue(code_set, value, rows, share, columns, known=True))
                continue
            found = suggest(code_set, value)
            entries.append(
                CodeValue(
                    code_set,
                    value,
                    rows,
                    share,
                    columns,
                    known=False,
                    suggestion=found,
                    status=_status(rows, share, found, value),
                )
            )
        result[code_set] = sorted(entries, key=lambda e: (-e.rows, e.value))
    return result


def _status(rows: int, share: float, found: Suggestion | None, value: str) -> str:
    if is_rare(rows, share):
        return RARE
    if found is None or len(value) > MAX_VALUE_LENGTH:
        return NO_SUGGESTION
    return ACTIVE if found.reason in CONFIDENT else UNSURE


def draft_text(
    profile: ExportProfile, config_path: Path | None = None, today: date | None = None
) -> str:
    """The draft config as YAML text (always loads with load_config);
    `config_path` is where it will be written (named in its header)."""
    values = code_values(profile)
    unknown = {s: [v for v in vs if not v.known] for s, vs in values.items()}
    unknown = {s: vs for s, vs in unknown.items() if vs}
    when = (today or date.today()).isoformat()
    lines = [
        f"# Drafted by `trustmart init --raw {profile.raw}` on {when}.",
        "# Every value below is in the export but is not a contract code. Until it is",
        "# mapped, the build quarantines its rows as unknown_code.",
        "#  - Active lines are suggestions (marked SUGGESTED): confirm each one, or fix",
        "#    the contract value, before you build.",
        "#  - Commented lines are not applied: rare values (probably bad data) and values",
        "#    without a confident suggestion. Map one only if it is one of your platform's",
        "#    codes: delete the leading '# ' and put a contract value after the colon.",
        f"#  - Rare: under {MIN_ROWS} rows, or under {MIN_SHARE:.1%} of the code set's "
        "non-blank values.",
        f"# Then: trustmart build --raw {profile.raw} --config {config_path or 'THIS_FILE'}",
    ]
    if not unknown:
        lines.append("# No unknown codes: the export already speaks the contract's vocabulary.")
        return "\n".join(lines) + "\n"
    lines.append("codes:")
    for code_set in sorted(unknown):
        lines.append(f"  {code_set}:")
        lines += [_line(entry) for entry in unknown[code_set]]
    text = "\n".join(lines) + "\n"
    _ensure_loads(text)
    return text


def _line(entry: CodeValue) -> str:
    key = yaml_scalar(entry.value)
    where = _columns(entry.columns)
    noun = "row" if entry.rows == 1 else "rows"
    counted = f"{entry.rows:,} {noun} ({_percent(entry.share)}) in {where}"
    target = entry.suggestion.code if entry.suggestion else "?"
    choices = ", ".join(contract_codes(entry.code_set))
    if entry.status == ACTIVE:
        reason = entry.suggestion.reason if entry.suggestion else ""
        return f"    {key}: {target}   # SUGGESTED ({reason}): confirm. {counted}"
    if entry.status == RARE:
        return f"    # {key}: {target}   # {counted}: rare, probably bad data; uncomment to map"
    if entry.status == UNSURE:
        return (
            f"    # {key}: {target}   # {counted}: a guess from the spelling only; check it, "
            "then uncomment"
        )
    return f"    # {key}: ?   # {counted}: no suggestion; map it to one of {choices}"


def _columns(columns: tuple[str, ...]) -> str:
    shown = ", ".join(columns[:2])
    return shown + (f" +{len(columns) - 2} more" if len(columns) > 2 else "")


def _percent(share: float) -> str:
    if 0 < share < 0.0001:
        return "<0.01%"
    return f"{share:.2%}" if share < 0.1 else f"{share:.1%}"


def _ensure_loads(text: str) -> None:
    try:
        parse_config(text, Path("trustmart.yml"))
    except TrustmartError as error:
        raise TrustmartError(
            "trustmart init drafted a config that does not load (a bug):\n" + error.what,
            "Please report it with the export's unknown values; meanwhile write the config "
            "by hand from the values listed above.",
        ) from error


def ensure_writable(out: Path, *, force: bool = False) -> None:
    """Refuse to replace an existing file unless `force`."""
    if out.exists() and not force:
        raise TrustmartError(
            f"{out} already exists: trustmart init does not overwrite a config.",
            "Pass --force to replace it, or --out OTHER.yml to write the draft elsewhere "
            "and compare.",
        )


def write_draft(text: str, out: Path, *, force: bool = False) -> Path:
    """Write the draft to `out`; refuse to replace a file unless `force`."""
    ensure_writable(out, force=force)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return out
