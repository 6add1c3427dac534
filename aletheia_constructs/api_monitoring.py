"""Alarms and dashboard panels of one region's API: REST API Gateway and its Lambda alias.

Metric names and dimensions are those of REST APIs (v1): ``5XXError``,
``4XXError``, ``Latency`` with ``ApiName`` and ``Stage``. Lambda provisioned
concurrency metrics take ``FunctionName`` and ``Resource`` = ``name:alias``.
Everything here is plain strings, so panels can be built without the resources.
"""

from __future__ import annotations

from dataclasses import dataclass

from cdktf import TerraformProvider
from constructs import Construct

from aletheia_constructs.alarm_thresholds import ApiAlarmThresholds
from aletheia_constructs.alarms import AlarmSpec, metric_alarm
from aletheia_constructs.dashboard_model import Metric, Panel

from cdktf_cdktf_provider_aws.cloudwatch_metric_alarm import CloudwatchMetricAlarm


@dataclass(frozen=True)
class RegionalApi:
    """The names that identify one region's API tier in CloudWatch."""

    region: str
    api_name: str
    stage_name: str
    function_name: str
    alias: str

    @property
    def api_dimensions(self) -> tuple[tuple[str, str], ...]:
        return (("ApiName", self.api_name), ("Stage", self.stage_name))

    @property
    def function_dimensions(self) -> tuple[tuple[str, str], ...]:
        return (("FunctionName", self.function_name),)

    @property
    def alias_dimensions(self) -> tuple[tuple[str, str], ...]:
        return (("FunctionName", self.function_name), ("Resource", f"{self.function_name}:{self.alias}"))

    @property
    def alarm_prefix(self) -> str:
        return f"{self.api_name}-{self.region}"

    def alarm_specs(self, t: ApiAlarmThresholds) -> dict[str, AlarmSpec]:
        """The region's API alarms by construct id."""
        p, r, api, fn = self.alarm_prefix, self.region, self.api_name, self.function_name
        return {
            "api_5xx": AlarmSpec(
                name=f"{p}-5xx", description=f"API {api} in {r}: more than {t.api_5xx_errors} 5XX errors a minute",
                namespace="AWS/ApiGateway", metric="5XXError", dimensions=self.api_dimensions,
                threshold=t.api_5xx_errors, evaluation_periods=3, datapoints_to_alarm=2),
            "api_4xx": AlarmSpec(
                name=f"{p}-4xx", description=f"API {api} in {r}: more than {t.api_4xx_errors} 4XX errors a minute",
                namespace="AWS/ApiGateway", metric="4XXError", dimensions=self.api_dimensions,
                threshold=t.api_4xx_errors),
            "api_latency_p99": AlarmSpec(
                name=f"{p}-latency-p99", description=f"API {api} in {r}: p99 latency above {t.api_latency_p99_ms} ms",
                namespace="AWS/ApiGateway", metric="Latency", dimensions=self.api_dimensions, statistic="p99",
                threshold=t.api_latency_p99_ms),
            "lambda_errors": AlarmSpec(
                name=f"{p}-lambda-errors", description=f"{fn} in {r}: more than {t.lambda_errors} errors a minute",
                namespace="AWS/Lambda", metric="Errors", dimensions=self.function_dimensions,
                threshold=t.lambda_errors, evaluation_periods=3, datapoints_to_alarm=2),
            "lambda_throttles": AlarmSpec(
                name=f"{p}-lambda-throttles", description=f"{self.function_name} in {r}: throttled invocations",
                namespace="AWS/Lambda", metric="Throttles", dimensions=self.function_dimensions,
                threshold=t.lambda_throttles, comparison="GreaterThanOrEqualToThreshold",
                evaluation_periods=3, datapoints_to_alarm=2),
            "pc_spillover": AlarmSpec(
                name=f"{p}-pc-spillover",
                description=f"{self.function_name}:{self.alias} in {r}: invocations spilling over provisioned "
                            f"concurrency (more than {t.provisioned_concurrency_spillover} a minute)",
                namespace="AWS/Lambda", metric="ProvisionedConcurrencySpilloverInvocations",
                dimensions=self.alias_dimensions, threshold=t.provisioned_concurrency_spillover),
            "pc_utilization": AlarmSpec(
                name=f"{p}-pc-utilization",
                description=f"{self.function_name}:{self.alias} in {r}: provisioned concurrency above "
                            f"{t.provisioned_concurrency_utilization:.0%} used (autoscaling at its ceiling?)",
                namespace="AWS/Lambda", metric="ProvisionedConcurrencyUtilization",
                dimensions=self.alias_dimensions, statistic="Maximum",
                threshold=t.provisioned_concurrency_utilization, evaluation_periods=10, datapoints_to_alarm=8),
        }

    def panels(self, home_region: str) -> list[Panel]:
        """Panels titled without the region, so regions merge side by side."""
        r = self.region
        api, fn, alias = self.api_dimensions, self.function_dimensions, self.alias_dimensions

        def m(namespace: str, name: str, dims: tuple, stat: str = "Sum", label: str = "") -> Metric:
            return Metric(namespace, name, dims, r, stat, f"{label or name} {r}")

        return [
            Panel("API requests", (m("AWS/ApiGateway", "Count", api, label="requests"),), home_region, "count"),
            Panel("API errors", (m("AWS/ApiGateway", "4XXError", api, label="4xx"),
                                 m("AWS/ApiGateway", "5XXError", api, label="5xx")), home_region, "count"),
            Panel("API latency p99", (m("AWS/ApiGateway", "Latency", api, "p99", "p99"),), home_region, "ms"),
            Panel("Lambda invocations and errors", (m("AWS/Lambda", "Invocations", fn),
                                                    m("AWS/Lambda", "Errors", fn),
                                                    m("AWS/Lambda", "Throttles", fn)), home_region, "count"),
            Panel("Provisioned concurrency utilization",
                  (m("AWS/Lambda", "ProvisionedConcurrencyUtilization", alias, "Maximum", "utilization"),),
                  home_region, "fraction"),
            Panel("Provisioned concurrency: executions and spillover",
                  (m("AWS/Lambda", "ProvisionedConcurrentExecutions", alias, "Maximum", "executions"),
                   m("AWS/Lambda", "ProvisionedConcurrencySpilloverInvocations", alias, "Sum", "spillover")),
                  home_region, "count"),
        ]


class ApiAlarms(Construct):
    """The region's API alarms, each notifying the region's alarm topic."""

    def __init__(self, scope: Construct, id_: str, *, api: RegionalApi, thresholds: ApiAlarmThresholds,
                 topic_arn: str, provider: TerraformProvider | None = None) -> None:
        super().__init__(scope, id_)
        specs = api.alarm_specs(thresholds)
        self.alarm_names: dict[str, str] = {alarm_id: spec.name for alarm_id, spec in specs.items()}
        self.alarms: dict[str, CloudwatchMetricAlarm] = {
            alarm_id: metric_alarm(self, alarm_id, spec=spec, topic_arn=topic_arn, provider=provider)
            for alarm_id, spec in specs.items()
        }
