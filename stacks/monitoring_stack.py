"""Monitoring, deployed last: the environment dashboard and a "region unhealthy" alarm per region."""

from __future__ import annotations

from collections.abc import Mapping

from cdktf import TerraformOutput
from constructs import Construct

from aletheia_constructs.environment_dashboard import EnvironmentDashboard
from aletheia_constructs.naming import region_slug
from aletheia_constructs.region_health_alarm import RegionHealthAlarm
from envs import EnvironmentConfig
from stacks.api_stack import ApiStack
from stacks.base import GLOBAL_REGION, AletheiaStack
from stacks.data_stack import DataStack
from stacks.dns_stacks import DnsStack

# The API alarms a region's composite alarm is made of (ids of ApiAlarms).
COMPOSITE_API_ALARMS = ("api_5xx", "api_latency_p99")


class MonitoringStack(AletheiaStack):
    """Reads names (plain strings) from the other stacks; creates no cross-stack dependency but topics."""

    def __init__(self, scope: Construct, stack_id: str, *, config: EnvironmentConfig, data: DataStack,
                 apis: Mapping[str, ApiStack], dns: DnsStack | None,
                 alarm_topic_arns: Mapping[str, str]) -> None:
        super().__init__(scope, stack_id, config=config)
        alarm_names: dict[str, list[str]] = {}

        def add(region: str, names) -> None:
            alarm_names.setdefault(region, []).extend(names)

        for table in data.tables.values():
            for region, names in table.alarm_names.items():
                add(region, names)
        for region, api in apis.items():
            add(region, api.alarms.alarm_names.values())
        # Route 53 health-check alarms live in us-east-1, whichever region they watch.
        health_alarms = dns.failover.alarm_names if dns else {}
        if health_alarms:
            add(GLOBAL_REGION, health_alarms.values())
        self.region_alarms: dict[str, RegionHealthAlarm] = {}
        for region, api in apis.items():
            children = [api.alarms.alarm_names[alarm_id] for alarm_id in COMPOSITE_API_ALARMS]
            # Composite alarms see only alarms of their own region; health-check alarms live in us-east-1.
            if region in health_alarms and region == GLOBAL_REGION:
                children.append(health_alarms[region])
            composite = RegionHealthAlarm(
                self, f"region_unhealthy_{region_slug(region)}", alarm_name=f"{config.prefix}-{region}-unhealthy",
                region=region, child_alarm_names=children, topic_arn=alarm_topic_arns[region],
                provider=self.provider_for(region))
            self.region_alarms[region] = composite
            add(region, [composite.alarm_name])
        api_panels = [panel for api in apis.values() for panel in api.names.panels(config.primary_region)]
        data_panels = [panel for table in data.tables.values() for panel in table.panels()]
        self.dashboard = EnvironmentDashboard(
            self, "dashboard", dashboard_name=f"{config.prefix}-overview", region=config.primary_region,
            account_id=self.account_id, sections=(("API and Lambda", api_panels), ("DynamoDB", data_panels)),
            alarm_names=alarm_names, provider=self.primary_provider)
        TerraformOutput(self, "dashboard_url", value=self.dashboard.console_url).override_logical_id("dashboard_url")
