"""Which stacks an environment has, in deployment order. No AWS bindings needed.

``main.py`` builds exactly these stacks, and the deploy script deploys them in
this order (``python main.py --env NAME --list-stacks``), so the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from envs import EnvironmentConfig


@dataclass(frozen=True)
class StackSpec:
    """One deployable unit: its id, what it holds, and the region it lives in."""

    id: str
    kind: str
    region: str
    environment: str

    @property
    def bootstrap(self) -> bool:
        """True for the state bucket stack, which is applied once by hand with local state."""
        return self.kind == "state"


# Route 53 health-check metrics are published here, whatever the primary region.
GLOBAL_REGION = "us-east-1"


def alarm_regions(config: EnvironmentConfig) -> tuple[str, ...]:
    """Regions that hold alarms: every region the environment runs in, plus us-east-1
    for the Route 53 health-check alarms when DNS failover is on."""
    regions = config.regions
    if config.dns_failover_enabled and GLOBAL_REGION not in regions:
        regions += (GLOBAL_REGION,)
    return regions


def stack_plan(config: EnvironmentConfig) -> list[StackSpec]:
    """The environment's stacks: bootstrap first, then deployment order.

    alerting (topics) -> data -> certificates (only with a domain) -> API in the
    primary, then the backup region -> DNS failover (only with a domain) ->
    monitoring last.
    """
    prefix, env, primary = config.prefix, config.name, config.primary_region
    specs = [
        StackSpec(f"{prefix}-state", "state", config.state_region, env),
        StackSpec(f"{prefix}-alerting", "alerting", primary, env),
        StackSpec(f"{prefix}-data", "data", primary, env),
    ]
    if config.dns_failover_enabled:
        specs.append(StackSpec(f"{prefix}-certificates", "certificates", primary, env))
    specs += [StackSpec(f"{prefix}-api-{region}", "api", region, env) for region in config.regions]
    if config.dns_failover_enabled:
        specs.append(StackSpec(f"{prefix}-dns", "dns", GLOBAL_REGION, env))
    specs.append(StackSpec(f"{prefix}-monitoring", "monitoring", primary, env))
    return specs
