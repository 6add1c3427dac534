"""CloudWatch metric alarms that always notify: actions to the region's topic, explicit missing data."""

from __future__ import annotations

from dataclasses import dataclass

from cdktf import TerraformProvider
from constructs import Construct

from cdktf_cdktf_provider_aws.cloudwatch_metric_alarm import (
    CloudwatchMetricAlarm,
    CloudwatchMetricAlarmMetricQuery,
    CloudwatchMetricAlarmMetricQueryMetric,
)


@dataclass(frozen=True)
class AlarmSpec:
    """What to watch and when to fire. ``statistic`` may be a percentile such as ``p99``.

    ``sum_of`` lists several dimension sets of the same metric whose sum is
    alarmed on (metric math), e.g. DynamoDB SystemErrors per operation.
    """

    name: str
    description: str
    namespace: str
    metric: str
    dimensions: tuple[tuple[str, str], ...]
    threshold: float
    statistic: str = "Sum"
    comparison: str = "GreaterThanThreshold"
    period: int = 60
    evaluation_periods: int = 5
    datapoints_to_alarm: int = 3
    treat_missing_data: str = "notBreaching"
    sum_of: tuple[tuple[tuple[str, str], ...], ...] = ()


def metric_alarm(scope: Construct, id_: str, *, spec: AlarmSpec, topic_arn: str,
                 provider: TerraformProvider | None) -> CloudwatchMetricAlarm:
    """One alarm whose alarm and OK actions go to ``topic_arn`` (a topic in the alarm's region)."""
    common = dict(
        alarm_name=spec.name,
        alarm_description=spec.description,
        comparison_operator=spec.comparison,
        evaluation_periods=spec.evaluation_periods,
        datapoints_to_alarm=spec.datapoints_to_alarm,
        threshold=spec.threshold,
        treat_missing_data=spec.treat_missing_data,
        alarm_actions=[topic_arn],
        ok_actions=[topic_arn],
        provider=provider,
    )
    if spec.sum_of:
        queries = [
            CloudwatchMetricAlarmMetricQuery(
                id=f"m{i}", return_data=False,
                metric=CloudwatchMetricAlarmMetricQueryMetric(
                    namespace=spec.namespace, metric_name=spec.metric, dimensions=dict(dims),
                    period=spec.period, stat=spec.statistic),
            )
            for i, dims in enumerate(spec.sum_of)
        ]
        total = "+".join(f"FILL(m{i}, 0)" for i in range(len(spec.sum_of)))
        queries.append(CloudwatchMetricAlarmMetricQuery(id="total", expression=total, label=spec.metric,
                                                        return_data=True))
        return CloudwatchMetricAlarm(scope, id_, metric_query=queries, **common)
    percentile = spec.statistic.startswith("p")
    return CloudwatchMetricAlarm(
        scope, id_,
        namespace=spec.namespace, metric_name=spec.metric, dimensions=dict(spec.dimensions),
        period=spec.period,
        statistic=None if percentile else spec.statistic,
        extended_statistic=spec.statistic if percentile else None,
        **common,
    )
