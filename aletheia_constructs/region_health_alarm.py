"""A composite "region unhealthy" alarm over a region's key alarms."""

from __future__ import annotations

from collections.abc import Sequence

from cdktf import TerraformProvider
from constructs import Construct

from cdktf_cdktf_provider_aws.cloudwatch_composite_alarm import CloudwatchCompositeAlarm


def any_in_alarm(names: Sequence[str]) -> str:
    """The composite rule: ALARM("a") OR ALARM("b") ..."""
    if not names:
        raise ValueError("a composite alarm needs at least one child alarm")
    return " OR ".join(f'ALARM("{name}")' for name in names)


class RegionHealthAlarm(Construct):
    """Fires when any of ``child_alarm_names`` (alarms in ``region``) is in ALARM."""

    def __init__(self, scope: Construct, id_: str, *, alarm_name: str, region: str,
                 child_alarm_names: Sequence[str], topic_arn: str,
                 provider: TerraformProvider | None = None) -> None:
        super().__init__(scope, id_)
        self.alarm_name = alarm_name
        self.alarm = CloudwatchCompositeAlarm(
            self, "alarm", alarm_name=alarm_name, alarm_rule=any_in_alarm(child_alarm_names),
            alarm_description=f"The platform in {region} is unhealthy: "
                              f"{', '.join(child_alarm_names)}",
            alarm_actions=[topic_arn], ok_actions=[topic_arn], provider=provider)
