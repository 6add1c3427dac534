"""Route 53 failover: a health check per region on /health, PRIMARY/SECONDARY alias records."""

from __future__ import annotations

from dataclasses import dataclass

from cdktf import TerraformProvider
from constructs import Construct

from aletheia_constructs.alarms import AlarmSpec, metric_alarm
from aletheia_constructs.naming import region_slug

from cdktf_cdktf_provider_aws.cloudwatch_metric_alarm import CloudwatchMetricAlarm
from cdktf_cdktf_provider_aws.route53_health_check import Route53HealthCheck
from cdktf_cdktf_provider_aws.route53_record import (
    Route53Record,
    Route53RecordAlias,
    Route53RecordFailoverRoutingPolicy,
)

FAILOVER_ROLES = ("PRIMARY", "SECONDARY")


@dataclass(frozen=True)
class FailoverTarget:
    """One region's API: its execute-api host (health checked) and custom-domain alias target."""

    region: str
    health_check_host: str
    health_check_path: str
    alias_domain_name: str
    alias_zone_id: str


def health_alarm_spec(*, name: str, region: str, health_check_id: str) -> AlarmSpec:
    """HealthCheckStatus below 1 (unhealthy) for two of three minutes. Metric lives in us-east-1."""
    return AlarmSpec(
        name=name, description=f"Route 53 health check of the API in {region} is failing: "
                               "DNS fails over (or has failed over) away from this region",
        namespace="AWS/Route53", metric="HealthCheckStatus", dimensions=(("HealthCheckId", health_check_id),),
        statistic="Minimum", threshold=1, comparison="LessThanThreshold", evaluation_periods=3,
        datapoints_to_alarm=2, treat_missing_data="breaching")


class DnsFailover(Construct):
    """``targets[0]`` is PRIMARY, ``targets[1]`` SECONDARY; each record carries its region's health check.

    ``global_provider`` must be in us-east-1 (health-check metrics and their alarms live there).
    """

    def __init__(self, scope: Construct, id_: str, *, domain_name: str, hosted_zone_id: str, name_prefix: str,
                 targets: tuple[FailoverTarget, FailoverTarget], alarm_topic_arn: str,
                 global_provider: TerraformProvider, failure_threshold: int = 3,
                 request_interval: int = 30) -> None:
        super().__init__(scope, id_)
        self.health_checks: dict[str, Route53HealthCheck] = {}
        self.alarms: dict[str, CloudwatchMetricAlarm] = {}
        self.alarm_names: dict[str, str] = {}
        for role, target in zip(FAILOVER_ROLES, targets, strict=True):
            slug = region_slug(target.region)
            check = Route53HealthCheck(
                self, f"health_check_{slug}", type="HTTPS", fqdn=target.health_check_host, port=443,
                resource_path=target.health_check_path, enable_sni=True, request_interval=request_interval,
                failure_threshold=failure_threshold, measure_latency=True,
                reference_name=f"{name_prefix}-{target.region}"[:36],  # 64 with the provider suffix
                tags={"Name": f"{name_prefix}-api-health-{target.region}"}, provider=global_provider)
            self.health_checks[target.region] = check
            Route53Record(
                self, f"record_{role.lower()}", zone_id=hosted_zone_id, name=domain_name, type="A",
                set_identifier=f"{name_prefix}-{role.lower()}-{target.region}",
                failover_routing_policy=Route53RecordFailoverRoutingPolicy(type=role),
                health_check_id=check.id,
                alias=Route53RecordAlias(name=target.alias_domain_name, zone_id=target.alias_zone_id,
                                         evaluate_target_health=True),
                provider=global_provider)
            spec = health_alarm_spec(name=f"{name_prefix}-api-health-{target.region}", region=target.region,
                                     health_check_id=check.id)
            self.alarm_names[target.region] = spec.name
            self.alarms[target.region] = metric_alarm(self, f"alarm_{slug}", spec=spec, topic_arn=alarm_topic_arn,
                                                      provider=global_provider)
