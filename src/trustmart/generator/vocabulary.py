"""The vocabulary an export is written in.

``contract`` (the default) writes the contract's own codes. ``platform``
writes them in a made-up platform's own words, as a real export on day one
would: several policy categories, surfaces and actions are renamed in every
good row, wherever a column of that code set appears (reports, detections,
enforcements, prevalence samples, daily views, ...). The deliberate bad
rows keep their unknown codes (badrows.UNKNOWN_CODES), so the export still
holds exactly the bad rows truth.json counts. Beside the export the
generator writes the platform config (``trustmart.yml``) whose ``codes``
maps turn the platform's words back into contract codes, so a build with
it gives the KPIs of truth.json in contract codes.

Renaming draws no random numbers: with the same seed, the platform export
differs from the contract one in those codes only. Every platform word is
one the suggestion engine (trustmart.onboarding.suggest) maps to the right
contract code, so `trustmart init` drafts the same config.
"""

from __future__ import annotations

from pathlib import Path

from trustmart.contract import TABLES

from .rows import Rows

VOCABULARIES: tuple[str, ...] = ("contract", "platform")

#: Code set -> {contract code: the platform's word for it}. Only frequent
#: codes are renamed (each at least a few percent of its column), as a
#: platform's everyday vocabulary would be.
PLATFORM_WORDS: dict[str, dict[str, str]] = {
    "policy_category": {
        "scams_fraud": "fraud",
        "hate_speech": "hateful_conduct",
        "adult_nudity": "nudity",
        "harassment": "bullying",
        "misinformation": "misinfo",
        "ip_infringement": "copyright",
    },
    "surface": {"feed": "timeline", "messages": "inbox", "comments": "replies"},
    "action": {"remove": "delete", "restrict": "limit", "suspend": "suspension"},
}

#: The file written beside truth.json, and the first line that marks it as
#: the generator's (only such a file is removed by a later run).
CONFIG_FILE = "trustmart.yml"
CONFIG_MARKER = "# Written by `trustmart generate --vocabulary platform`"


def check_vocabulary(name: str) -> None:
    if name not in VOCABULARIES:
        raise ValueError(f"vocabulary must be one of {VOCABULARIES}, not {name!r}")


def code_maps() -> dict[str, dict[str, str]]:
    """Code set -> {platform word: contract code}: the config's `codes`."""
    return {
        code_set: {word: code for code, word in words.items()}
        for code_set, words in PLATFORM_WORDS.items()
    }


def rename_codes(table: str, rows: Rows, vocabulary: str) -> Rows:
    """`rows` with every renamed code of the table's code columns in the
    platform's word (unchanged, the same object, for `contract`)."""
    if vocabulary == "contract" or len(rows) == 0:
        return rows
    for column, code_set in TABLES[table].code_columns.items():
        words = PLATFORM_WORDS.get(code_set)
        if not words or column not in rows:
            continue
        values = rows[column]
        width = max(values.dtype.itemsize // 4, *(len(w) for w in words.values()))
        renamed = values.astype(object if values.dtype == object else f"<U{width}")
        for code, word in words.items():
            renamed[values == code] = word
        rows[column] = renamed
    return rows


def config_text() -> str:
    """The platform config of the platform vocabulary, as YAML."""
    lines = [
        CONFIG_MARKER,
        "# This export speaks a platform's own vocabulary; these maps turn its codes",
        "# into the contract's, so the KPIs come out in contract codes. Build with:",
        "#   trustmart build --raw DIR --config DIR/trustmart.yml",
        "codes:",
    ]
    for code_set, mapping in code_maps().items():
        lines.append(f"  {code_set}:")
        lines += [f"    {word}: {code}" for word, code in mapping.items()]
    return "\n".join(lines) + "\n"


def write_config(out: Path) -> Path:
    """Write the platform config beside truth.json; returns its path."""
    path = out / CONFIG_FILE
    path.write_text(config_text(), encoding="utf-8")
    return path


def remove_stale_config(out: Path) -> None:
    """Remove a config an earlier platform run wrote (never a user's own)."""
    path = out / CONFIG_FILE
    if path.is_file() and path.read_text(encoding="utf-8").startswith(CONFIG_MARKER):
        path.unlink()


def truth_record() -> dict:
    """What truth.json says about the vocabulary (platform exports only;
    a truth.json without it is in the contract's vocabulary)."""
    return {
        "name": "platform",
        "config": CONFIG_FILE,
        "codes": code_maps(),
        "notes": "Good rows carry these platform words instead of the contract codes; the "
        "bad rows keep their unknown codes. Every expected value and count above is in "
        "contract codes: build with the config to compare.",
    }
