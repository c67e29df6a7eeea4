"""The platform config: a platform's own vocabulary, taxonomy, targets and
thresholds (`trustmart.yml`), validated before anything is built."""

from trustmart.config.load import (
    CONFIG_ENV,
    ConfigError,
    LoadedConfig,
    load_config,
    parse_config,
    resolve_config_path,
)
from trustmart.config.schema import Category, PlatformConfig, normalise

__all__ = [
    "CONFIG_ENV",
    "Category",
    "ConfigError",
    "LoadedConfig",
    "PlatformConfig",
    "load_config",
    "normalise",
    "parse_config",
    "resolve_config_path",
]
