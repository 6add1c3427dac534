"""Alarm topics: one per region that has alarms, deployed before every stack that alarms."""

from __future__ import annotations

from constructs import Construct

from aletheia_constructs.alarm_topic import AlarmTopic
from aletheia_constructs.naming import region_slug
from envs import EnvironmentConfig
from stacks.base import AletheiaStack
from stacks.plan import alarm_regions


class AlertingStack(AletheiaStack):
    """An encrypted SNS alarm topic in each alarm region, with the configured subscribers."""

    def __init__(self, scope: Construct, stack_id: str, *, config: EnvironmentConfig) -> None:
        super().__init__(scope, stack_id, config=config)
        self.topics: dict[str, AlarmTopic] = {
            region: AlarmTopic(
                self, f"alarm_topic_{region_slug(region)}",
                topic_name=f"{config.prefix}-alarms-{region}", region=region, account_id=self.account_id,
                emails=config.alarm_emails, https_endpoint=config.alarm_https_endpoint,
                provider=self.any_provider_for(region))
            for region in alarm_regions(config)
        }

    @property
    def topic_arns(self) -> dict[str, str]:
        return {region: topic.arn for region, topic in self.topics.items()}
