"""The platform config (`trustmart.yml`) as a pydantic schema.

A platform's own vocabulary and targets: its policy taxonomy, a map from its
codes to the contract's for every code set, severity targets and
thresholds (docs/platform-config.md). Every key is optional; unknown keys
are errors. The allowed values come from the contract (trustmart.contract,
read from the seeds), so a severity outside the code set or a map onto a
value the contract lacks fails validation with the path of the key.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from trustmart.contract import CODE_SETS, POLICY_CATEGORIES, SEVERITY_TARGETS

CODE = r"^[a-z][a-z0-9_]*$"

Severity = Literal[tuple(CODE_SETS["severity"])]  # type: ignore[valid-type]
BuiltinCategory = Literal[tuple(POLICY_CATEGORIES)]  # type: ignore[valid-type]
SignalType = Literal[tuple(CODE_SETS["signal_type"])]  # type: ignore[valid-type]
Code = Annotated[str, Field(pattern=CODE, max_length=64)]
PlatformValue = Annotated[str, Field(min_length=1, max_length=200)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Category(_Strict):
    """One policy category of the platform's taxonomy."""

    code: Code
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    default_severity: Severity
    maps_to: BuiltinCategory | None = None

    @property
    def display_name(self) -> str:
        return self.name or self.code.replace("_", " ").capitalize()

    @property
    def rolls_up_to(self) -> str:
        """The built-in category for DSA tables: maps_to, else the code
        itself when it is built in, else `other`."""
        if self.maps_to:
            return self.maps_to
        return self.code if self.code in POLICY_CATEGORIES else "other"


class Targets(_Strict):
    """Time-to-action targets of one severity, in hours."""

    p50: Annotated[float, Field(gt=0)] | None = None
    p90: Annotated[float, Field(gt=0)] | None = None


PerSignalType = dict[SignalType, Annotated[int, Field(ge=2)] | None]  # type: ignore[valid-type]


class Thresholds(_Strict):
    """Numbers the build, the checks and the report read."""

    report_min_count: Annotated[int, Field(ge=1)] | None = None
    max_quarantine_share: Annotated[float, Field(ge=0, le=1)] | None = None
    clock_skew_minutes: Annotated[int, Field(ge=0)] | None = None
    max_accounts_per_signal: Annotated[int, Field(ge=2)] | PerSignalType | None = None
    max_direct_links: Annotated[int, Field(ge=1)] | None = None
    escalation_window_hours: Annotated[float, Field(gt=0)] | None = None


def _codes_model() -> type[BaseModel]:
    """`codes`: per closed code set, platform value -> a value of that set;
    `surface` -> a built-in surface. `policy_category` targets are checked
    against the taxonomy in force (PlatformConfig)."""
    from trustmart.contract import SURFACES

    fields: dict[str, Any] = {
        name: (dict[PlatformValue, Literal[tuple(codes)]] | None, None)  # type: ignore[valid-type]
        for name, codes in CODE_SETS.items()
    }
    fields["surface"] = (dict[PlatformValue, Literal[tuple(SURFACES)]] | None, None)  # type: ignore[valid-type]
    fields["policy_category"] = (dict[PlatformValue, Code] | None, None)
    return create_model("Codes", __base__=_Strict, **fields)


Codes = _codes_model()


class PlatformConfig(_Strict):
    """The whole config file. Every key is optional."""

    taxonomy: Annotated[list[Category], Field(min_length=1)] | None = None
    codes: Codes | None = None  # type: ignore[valid-type]
    severity_targets: dict[Severity, Targets] | None = None  # type: ignore[valid-type]
    thresholds: Thresholds | None = None

    @model_validator(mode="after")
    def _unique_taxonomy_codes(self) -> PlatformConfig:
        seen: set[str] = set()
        for category in self.taxonomy or []:
            if category.code in seen:
                raise ValueError(f"taxonomy: category code '{category.code}' is listed twice")
            seen.add(category.code)
        return self

    # -- what is in force ---------------------------------------------------

    def categories(self) -> dict[str, Category]:
        """The policy categories in force: the taxonomy, else the built-in ones."""
        if self.taxonomy:
            return {c.code: c for c in self.taxonomy}
        return {
            code: Category(code=code, name=name, default_severity=severity)
            for code, (name, severity) in POLICY_CATEGORIES.items()
        }

    def targets(self) -> dict[str, tuple[float, float]]:
        """Severity -> (P50, P90) target hours in force."""
        merged = dict(SEVERITY_TARGETS)
        for severity, given in (self.severity_targets or {}).items():
            p50, p90 = merged[severity]
            merged[severity] = (
                given.p50 if given.p50 is not None else p50,
                given.p90 if given.p90 is not None else p90,
            )
        return merged

    def code_maps(self) -> dict[str, dict[str, str]]:
        """Code set -> {normalised platform value: contract value}, only the
        code sets the config maps."""
        maps: dict[str, dict[str, str]] = {}
        if self.codes is None:
            return maps
        for code_set, mapping in self.codes.model_dump(exclude_none=True).items():
            maps[code_set] = {normalise(k): v for k, v in mapping.items()}
        return maps


def normalise(value: str) -> str:
    """A code as staging compares it: trimmed and lower-cased."""
    return value.strip().lower()
