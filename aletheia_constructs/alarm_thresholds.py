"""Alarm thresholds, as the constructs take them and the config layer fills them.

Plain dataclasses with no AWS bindings, so ``envs`` can build them without loading
the provider.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ApiAlarmThresholds:
    """One region's API tier; per-minute counts unless the name says otherwise."""

    api_5xx_errors: int = 10
    api_4xx_errors: int = 200
    api_latency_p99_ms: int = 2000
    lambda_errors: int = 5
    lambda_throttles: int = 1
    provisioned_concurrency_spillover: int = 10
    provisioned_concurrency_utilization: float = 0.9


@dataclass(frozen=True)
class TableAlarmThresholds:
    """A global table in every region; per-minute counts unless the name says otherwise."""

    replication_latency_ms: int = 120000
    throttled_requests: int = 10
    system_errors: int = 1
