"""Application Auto Scaling of a Lambda alias's provisioned concurrency."""

from __future__ import annotations

from dataclasses import dataclass

from cdktf import TerraformProvider
from constructs import Construct

from cdktf_cdktf_provider_aws.appautoscaling_policy import (
    AppautoscalingPolicy,
    AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration,
    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification,
)
from cdktf_cdktf_provider_aws.appautoscaling_scheduled_action import (
    AppautoscalingScheduledAction,
    AppautoscalingScheduledActionScalableTargetAction,
)
from cdktf_cdktf_provider_aws.appautoscaling_target import AppautoscalingTarget

SERVICE_NAMESPACE = "lambda"
SCALABLE_DIMENSION = "lambda:function:ProvisionedConcurrency"
# Lambda publishes no CPU metric; this is the signal AWS scales provisioned concurrency on.
PREDEFINED_METRIC = "LambdaProvisionedConcurrencyUtilization"


@dataclass(frozen=True)
class Schedule:
    """A scheduled change of floor and ceiling (e.g. a higher floor in business hours)."""

    name: str
    expression: str
    min_capacity: int
    max_capacity: int


def resource_id(function_name: str, alias: str) -> str:
    """``function:<name>:<alias>``; Application Auto Scaling rejects $LATEST."""
    if alias == "$LATEST":
        raise ValueError("provisioned concurrency cannot be scaled on $LATEST; use an alias")
    return f"function:{function_name}:{alias}"


class ProvisionedConcurrencyAutoscaling(Construct):
    """Target tracking on ProvisionedConcurrencyUtilization, plus optional schedules."""

    def __init__(self, scope: Construct, id_: str, *, function_name: str, alias: str, min_capacity: int,
                 max_capacity: int, target_utilization: float = 0.7, scale_in_cooldown_seconds: int = 300,
                 scale_out_cooldown_seconds: int = 60, schedules: tuple[Schedule, ...] = (),
                 depends_on: list | None = None, provider: TerraformProvider | None = None) -> None:
        super().__init__(scope, id_)
        if not 0 < target_utilization <= 1:
            raise ValueError(f"target_utilization {target_utilization} must be a fraction in (0, 1]")
        if min_capacity > max_capacity:
            raise ValueError(f"min_capacity {min_capacity} exceeds max_capacity {max_capacity}")
        rid = resource_id(function_name, alias)
        self.target = AppautoscalingTarget(
            self, "target", service_namespace=SERVICE_NAMESPACE, scalable_dimension=SCALABLE_DIMENSION,
            resource_id=rid, min_capacity=min_capacity, max_capacity=max_capacity,
            depends_on=depends_on, provider=provider)
        self.policy = AppautoscalingPolicy(
            self, "utilization", name=f"{function_name}-{alias}-pc-utilization",
            policy_type="TargetTrackingScaling",
            service_namespace=self.target.service_namespace, scalable_dimension=self.target.scalable_dimension,
            resource_id=self.target.resource_id,
            target_tracking_scaling_policy_configuration=AppautoscalingPolicyTargetTrackingScalingPolicyConfiguration(
                target_value=target_utilization,
                scale_in_cooldown=scale_in_cooldown_seconds,
                scale_out_cooldown=scale_out_cooldown_seconds,
                predefined_metric_specification=(
                    AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification(
                        predefined_metric_type=PREDEFINED_METRIC))),
            provider=provider)
        for schedule in schedules:
            AppautoscalingScheduledAction(
                self, f"schedule_{schedule.name.replace('-', '_')}",
                name=f"{function_name}-{alias}-{schedule.name}", schedule=schedule.expression, timezone="UTC",
                service_namespace=self.target.service_namespace, scalable_dimension=self.target.scalable_dimension,
                resource_id=self.target.resource_id,
                scalable_target_action=AppautoscalingScheduledActionScalableTargetAction(
                    min_capacity=str(schedule.min_capacity), max_capacity=str(schedule.max_capacity)),
                provider=provider)
