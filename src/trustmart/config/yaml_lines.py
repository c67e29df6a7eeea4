"""Read YAML keeping the line of every key and value, so that an error in a
config file can name the line a user has to edit.

Mapping keys are always kept as the text written (a platform code `01` or
`no` stays the string it is, not the number 1 or the boolean False), and
only `true` / `false` are booleans (YAML 1.2), never `yes`, `no`, `on` or
`off`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import yaml

Path = tuple[str | int, ...]

_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    _Loader.yaml_implicit_resolvers.setdefault(_first, []).insert(
        0, ("tag:yaml.org,2002:bool", _BOOL)
    )


class YamlSyntaxError(ValueError):
    """The text is not valid YAML: `line` (1-based) and what is wrong."""

    def __init__(self, line: int | None, problem: str) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem


@dataclass(frozen=True)
class LocatedYaml:
    """A parsed YAML document and the line of every path in it."""

    data: Any
    lines: dict[Path, int]

    def line_of(self, path: Path) -> int | None:
        """The line of `path`, or of the nearest enclosing path that has one."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None


def load_yaml(text: str) -> LocatedYaml:
    """Parse one YAML document; raise YamlSyntaxError naming the line."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = " ".join(p for p in (error.context, error.problem) if p)
        raise YamlSyntaxError(mark.line + 1 if mark else None, problem) from error
    except yaml.YAMLError as error:
        raise YamlSyntaxError(None, str(error)) from error
    lines: dict[Path, int] = {}
    if node is None:
        return LocatedYaml({}, lines)
    return LocatedYaml(_build(node, (), lines), lines)


def _build(node: yaml.Node, path: Path, lines: dict[Path, int]) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlSyntaxError(key_node.start_mark.line + 1, "a key must be plain text")
            key = key_node.value
            if key in result:
                raise YamlSyntaxError(key_node.start_mark.line + 1, f"key '{key}' is repeated")
            lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = _build(value_node, (*path, key), lines)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), lines) for i, item in enumerate(node.value)]
    return _Loader(" ").construct_object(node, deep=True)


_PLAIN = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_YAML_WORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


def yaml_scalar(value: str) -> str:
    """`value` as a YAML key: plain when that reads back as the same text,
    else double-quoted."""
    if _PLAIN.match(value) and value not in _YAML_WORDS and not _is_number(value):
        return value
    return json.dumps(value)


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True
