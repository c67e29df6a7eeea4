"""Load and validate a platform config file, naming the key and the line
of every problem before anything is built."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from trustmart.config.schema import Category, Codes, PlatformConfig, Targets, Thresholds
from trustmart.config.yaml_lines import LocatedYaml, YamlSyntaxError, load_yaml
from trustmart.errors import TrustmartError

#: The environment variable naming the config file.
CONFIG_ENV = "TRUSTMART_CONFIG"
DOCS = "docs/platform-config.md"


class ConfigError(TrustmartError):
    """The config file is not valid; `problems` lists (line, message)."""

    def __init__(self, path: Path, problems: list[tuple[int | None, str]]) -> None:
        self.path = path
        self.problems = problems
        lines = [
            f"  {path.name} line {line}: {message}" if line else f"  {path.name}: {message}"
            for line, message in problems
        ]
        super().__init__(
            f"The platform config {path} is not valid ({len(problems)} problem(s)):\n"
            + "\n".join(lines),
            f"Fix the lines named above and run again (the keys and values allowed are in {DOCS}; "
            "`trustmart init --raw DIR` drafts a config from an export).",
        )


@dataclass(frozen=True)
class LoadedConfig:
    """A validated config and the file it came from (None: no config)."""

    config: PlatformConfig
    path: Path | None


def resolve_config_path(given: Path | None) -> Path | None:
    """--config, else TRUSTMART_CONFIG, else none."""
    if given is not None:
        return given
    value = os.environ.get(CONFIG_ENV)
    return Path(value) if value else None


def load_config(given: Path | None = None) -> LoadedConfig:
    """The config of --config / TRUSTMART_CONFIG, validated; the built-in
    defaults when neither is set."""
    path = resolve_config_path(given)
    if path is None:
        return LoadedConfig(PlatformConfig(), None)
    if not path.is_file():
        raise TrustmartError(
            f"No platform config at {path}.",
            f"Pass an existing file with --config (or {CONFIG_ENV}), or drop the option to use "
            "the built-in taxonomy and targets. `trustmart init --raw DIR` drafts one.",
        )
    return LoadedConfig(parse_config(path.read_text(encoding="utf-8"), path), path.resolve())


def parse_config(text: str, path: Path) -> PlatformConfig:
    """Validate config text; raise ConfigError naming every problem's line."""
    try:
        located = load_yaml(text)
    except YamlSyntaxError as error:
        raise ConfigError(path, [(error.line, f"not valid YAML: {error.problem}")]) from error
    if not isinstance(located.data, dict):
        raise ConfigError(path, [(1, "the file must be a mapping of keys (taxonomy, codes, ...)")])
    try:
        config = PlatformConfig.model_validate(located.data)
    except ValidationError as error:
        raise ConfigError(path, _describe(error, located)) from error
    problems = _cross_checks(config, located)
    if problems:
        raise ConfigError(path, problems)
    return config


def _describe(error: ValidationError, located: LocatedYaml) -> list[tuple[int | None, str]]:
    """One (line, message) per distinct problem, deepest path first."""
    found: dict[tuple, tuple[int | None, str]] = {}
    for item in error.errors():
        path, about_key = _data_path(located.data, item["loc"])
        dotted = ".".join(str(p) for p in path) or "(top level)"
        if item["type"] == "extra_forbidden":
            message = _unknown_key(path)
        elif about_key:
            message = f"{dotted}: key not allowed: {item['msg']}"
        else:
            message = f"{dotted}: {item['msg']}"
            if "input" in item and not isinstance(item["input"], dict | list):
                message += f" (got {item['input']!r})"
        found.setdefault(path, (located.line_of(path), message))
    # a union reports each of its members: keep the deepest path of a branch
    paths = sorted(found, key=len, reverse=True)
    kept = [p for p in paths if not any(len(q) > len(p) and q[: len(p)] == p for q in paths)]
    return [found[p] for p in sorted(kept, key=lambda p: (found[p][0] or 0, str(p)))]


def _unknown_key(path: tuple) -> str:
    """'unknown key' with where it is, the keys allowed there and the
    closest one."""
    parent = ".".join(str(p) for p in path[:-1])
    allowed = _allowed_keys(path[:-1])
    message = f"unknown key '{path[-1]}'" + (f" under {parent}" if parent else "")
    if allowed:
        close = difflib.get_close_matches(str(path[-1]), allowed, n=1)
        message += f" (allowed: {', '.join(allowed)})"
        if close:
            message += f"; did you mean '{close[0]}'?"
    return message


def _allowed_keys(parent: tuple) -> list[str]:
    shape = (parent[0], "*") if len(parent) == 2 else parent
    models = {
        (): PlatformConfig,
        ("codes",): Codes,
        ("thresholds",): Thresholds,
        ("taxonomy", "*"): Category,
        ("severity_targets", "*"): Targets,
    }
    model = models.get(shape)
    return list(model.model_fields) if model is not None else []


def _data_path(data: object, loc: tuple) -> tuple[tuple, bool]:
    """The loc of a pydantic error as a path through the YAML data (union
    member tags dropped), and whether the error is about a key."""
    path: list[str | int] = []
    node = data
    about_key = False
    for part in loc:
        if part == "[key]":
            about_key = True
            continue
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and not path_is_tag(part):
            path.append(part)  # an extra key pydantic names that the data has
            node = None
    return tuple(path), about_key


def path_is_tag(part: str) -> bool:
    """pydantic's names of union members and constrained types."""
    return any(ch in part for ch in "[]()'") or part.startswith(("constrained-", "literal"))


def _cross_checks(config: PlatformConfig, located: LocatedYaml) -> list[tuple[int | None, str]]:
    """What one key cannot check alone: a policy category map must land on
    a category in force; P50 targets must not exceed P90."""
    problems: list[tuple[int | None, str]] = []
    categories = config.categories()
    category_map = config.codes.policy_category if config.codes is not None else None
    for value, target in (category_map or {}).items():
        if target not in categories:
            source = "the taxonomy" if config.taxonomy else "the built-in categories"
            problems.append(
                (
                    located.line_of(("codes", "policy_category", value)),
                    f"codes.policy_category.{value}: '{target}' is not a policy category of "
                    f"{source} ({', '.join(sorted(categories))})",
                )
            )
    for severity, (p50, p90) in config.targets().items():
        if p50 > p90:
            problems.append(
                (
                    located.line_of(("severity_targets", severity)),
                    f"severity_targets.{severity}: p50 ({p50:g} h) is above p90 ({p90:g} h)",
                )
            )
    return problems
