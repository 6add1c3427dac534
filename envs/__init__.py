"""Per-environment configuration: ``<name>.env`` files and their one loader."""

from envs.config import (
    ENVIRONMENTS,
    KEYS,
    AutoscalingSettings,
    ConfigError,
    EnvironmentConfig,
    ScheduledScaling,
    load_config,
    load_configs,
)

__all__ = [
    "ENVIRONMENTS", "KEYS", "AutoscalingSettings", "ConfigError",
    "EnvironmentConfig", "ScheduledScaling", "load_config", "load_configs",
]
