"""Each construct alone, in a bare TerraformStack, with cdktf's Testing assertions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cdktf import TerraformStack, Testing

from aletheia_constructs.alarm_thresholds import TableAlarmThresholds
from aletheia_constructs.alarm_topic import AlarmTopic
from aletheia_constructs.api_function import ApiFunction, FunctionSettings
from aletheia_constructs.dns_failover import DnsFailover, FailoverTarget
from aletheia_constructs.domain_certificates import DomainCertificates
from aletheia_constructs.encrypted_log_group import EncryptedLogGroup
from aletheia_constructs.environment_dashboard import EnvironmentDashboard
from aletheia_constructs.global_table import GlobalTable
from aletheia_constructs.provisioned_concurrency_autoscaling import ProvisionedConcurrencyAutoscaling, Schedule
from aletheia_constructs.region_health_alarm import RegionHealthAlarm, any_in_alarm
from aletheia_constructs.rest_api import RestApi, StageSettings
from aletheia_constructs.state_bucket import StateBucket
from aletheia_constructs.table_definition import Attribute, TableDefinition
from aletheia_constructs.web_acl import ApiWebAcl
from tests.conftest import ROOT

ACCOUNT = "123456789012"


def stack_with_providers():
    """A bare stack with a us-east-1 provider and a us-west-2 one aliased `west`."""
    from stacks.base import aws_provider

    stack = TerraformStack(Testing.app(), "test")
    return stack, aws_provider(stack, "aws", region="us-east-1"), aws_provider(stack, "aws_west", region="us-west-2",
                                                                                alias="west")


def has(synthesized: str, resource_type: str, properties: dict) -> bool:
    return Testing.to_have_resource_with_properties(synthesized, resource_type, properties)


def test_state_bucket_blocks_public_access():
    stack, east, _ = stack_with_providers()
    StateBucket(stack, "state", bucket_name="b-tfstate", account_id=ACCOUNT, provider=east)
    synthesized = Testing.synth(stack)
    assert has(synthesized, "aws_s3_bucket_public_access_block",
               {"block_public_acls": True, "restrict_public_buckets": True})


def test_global_table_with_replica_and_without():
    definition = TableDefinition(construct_id="t", name="t", partition_key="pk", attributes=(Attribute("pk"),))
    stack, east, west = stack_with_providers()
    GlobalTable(stack, "t", definition=definition, table_name="x-t", account_id=ACCOUNT, primary_region="us-east-1",
                replica_regions=("us-west-2",), providers={"us-east-1": east, "us-west-2": west},
                alarm_topic_arns={"us-east-1": "arn:east", "us-west-2": "arn:west"}, deletion_protection=True,
                alarms=TableAlarmThresholds(replication_latency_ms=90000))
    synthesized = Testing.synth(stack)
    assert has(synthesized, "aws_dynamodb_table", {
        "name": "x-t", "billing_mode": "PAY_PER_REQUEST", "stream_view_type": "NEW_AND_OLD_IMAGES",
        "replica": [{"region_name": "us-west-2", "point_in_time_recovery": True, "propagate_tags": True,
                     "deletion_protection_enabled": True}]})
    assert has(synthesized, "aws_cloudwatch_metric_alarm", {
        "metric_name": "ReplicationLatency", "threshold": 90000, "alarm_actions": ["arn:west"],
        "dimensions": {"TableName": "x-t", "ReceivingRegion": "us-east-1"}})
    single, east_only, _ = stack_with_providers()
    GlobalTable(single, "t", definition=definition, table_name="x-t", account_id=ACCOUNT, primary_region="us-east-1",
                replica_regions=(), providers={"us-east-1": east_only}, alarm_topic_arns={"us-east-1": "arn:east"},
                deletion_protection=False)
    table = next(iter(json.loads(Testing.synth(single))["resource"]["aws_dynamodb_table"].values()))
    assert "replica" not in table


def test_alarm_topic_subscriptions():
    stack, east, _ = stack_with_providers()
    AlarmTopic(stack, "topic", topic_name="alarms", region="us-east-1", account_id=ACCOUNT,
               emails=("a@example.com",), https_endpoint="https://hooks.example.com/x", provider=east)
    synthesized = Testing.synth(stack)
    assert has(synthesized, "aws_sns_topic_subscription", {"protocol": "email", "endpoint": "a@example.com"})
    assert has(synthesized, "aws_sns_topic_subscription", {"protocol": "https"})


def test_api_function_and_autoscaling(tmp_path):
    stack, _, west = stack_with_providers()
    function = ApiFunction(stack, "fn", function_name="api", region="us-west-2", account_id=ACCOUNT,
                           source_dir=ROOT / "functions" / "api", build_dir=tmp_path, table_name="t",
                           table_arn="arn:table", table_key_arn="arn:key",
                           settings=FunctionSettings(memory_mb=256, timeout_seconds=5, reserved_concurrency=4,
                                                     initial_provisioned_concurrency=2),
                           provider=west)
    ProvisionedConcurrencyAutoscaling(stack, "scaling", function_name="api", alias="live", min_capacity=2,
                                      max_capacity=4, schedules=(Schedule("peak", "cron(0 9 * * ? *)", 3, 4),),
                                      depends_on=[function.alias], provider=west)
    synthesized = Testing.synth(stack)
    assert has(synthesized, "aws_lambda_function", {
        "memory_size": 256, "timeout": 5, "architectures": ["arm64"], "provider": "aws.west",
        "environment": {"variables": {"TABLE_NAME": "t", "APP_REGION": "us-west-2"}}})
    assert has(synthesized, "aws_appautoscaling_target", {
        "resource_id": "function:api:live", "min_capacity": 2, "max_capacity": 4})
    assert has(synthesized, "aws_appautoscaling_policy", {"policy_type": "TargetTrackingScaling"})
    assert has(synthesized, "aws_appautoscaling_scheduled_action", {"schedule": "cron(0 9 * * ? *)"})
    assert [p.name for p in tmp_path.iterdir()][0].startswith("api-")


def test_rest_api_and_waf():
    stack, east, _ = stack_with_providers()
    api = RestApi(stack, "api", api_name="a", stage_name="dev", region="us-east-1", account_id=ACCOUNT,
                  function_name="fn", function_alias="live", function_alias_invoke_arn="arn:invoke",
                  settings=StageSettings(throttle_rate_limit=5, throttle_burst_limit=10), provider=east)
    ApiWebAcl(stack, "waf", name="a", region="us-east-1", account_id=ACCOUNT, stage_arn=api.stage.arn,
              rate_limit_per_5_minutes=500, log_retention_days=30, provider=east)
    synthesized = Testing.synth(stack)
    assert has(synthesized, "aws_api_gateway_stage", {"stage_name": "dev", "xray_tracing_enabled": True})
    assert has(synthesized, "aws_api_gateway_method_settings",
               {"settings": {"throttling_rate_limit": 5, "throttling_burst_limit": 10}})
    assert has(synthesized, "aws_wafv2_web_acl_association", {})
    assert has(synthesized, "aws_cloudwatch_log_group", {"name": "aws-waf-logs-a", "retention_in_days": 30})
    assert api.execute_api_host.endswith(".execute-api.us-east-1.amazonaws.com")


def test_encrypted_log_group_key_is_scoped_to_its_log_group():
    stack, east, _ = stack_with_providers()
    EncryptedLogGroup(stack, "logs", name="/x/y", alias="x-y", region="us-east-1", account_id=ACCOUNT,
                      retention_days=90, provider=east)
    resources = json.loads(Testing.synth(stack))["resource"]
    policy = json.loads(next(iter(resources["aws_kms_key"].values()))["policy"])
    logs = next(s for s in policy["Statement"] if s["Sid"] == "CloudWatchLogsEncrypt")
    assert logs["Condition"]["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"] == \
        f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/x/y"


def test_certificates_and_dns_failover():
    stack, east, west = stack_with_providers()
    certificates = DomainCertificates(stack, "certs", domain_name="api.example.com", hosted_zone_id="Z1",
                                      providers={"us-east-1": east, "us-west-2": west})
    assert set(certificates.validated_arns) == {"us-east-1", "us-west-2"}
    targets = tuple(FailoverTarget(region=r, health_check_host=f"h.{r}", health_check_path="/dev/health",
                                   alias_domain_name=f"d.{r}", alias_zone_id="Z2") for r in ("us-east-1", "us-west-2"))
    DnsFailover(stack, "dns", domain_name="api.example.com", hosted_zone_id="Z1", name_prefix="p", targets=targets,
                alarm_topic_arn="arn:topic", global_provider=east)
    synthesized = Testing.synth(stack)
    assert has(synthesized, "aws_route53_health_check", {"fqdn": "h.us-west-2", "type": "HTTPS"})
    assert has(synthesized, "aws_route53_record", {"failover_routing_policy": {"type": "SECONDARY"}})
    assert has(synthesized, "aws_acm_certificate", {"domain_name": "api.example.com", "validation_method": "DNS"})


def test_dashboard_and_composite_alarm():
    from aletheia_constructs.dashboard_model import Metric, Panel

    stack, east, _ = stack_with_providers()
    panel = Panel("Errors", (Metric("AWS/Lambda", "Errors", (("FunctionName", "f"),), "us-west-2"),), "us-east-1")
    dashboard = EnvironmentDashboard(stack, "dash", dashboard_name="d", region="us-east-1", account_id=ACCOUNT,
                                     sections=(("S", [panel]),), alarm_names={"us-east-1": ["a1"]}, provider=east)
    RegionHealthAlarm(stack, "health", alarm_name="r", region="us-east-1", child_alarm_names=["a1", "a2"],
                      topic_arn="arn:topic", provider=east)
    synthesized = Testing.synth(stack)
    assert has(synthesized, "aws_cloudwatch_composite_alarm",
               {"alarm_rule": 'ALARM("a1") OR ALARM("a2")', "alarm_actions": ["arn:topic"]})
    body = json.loads(dashboard.layout.body())
    alarm_arn = f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:a1"
    assert any(w["type"] == "alarm" and w["properties"]["alarms"] == [alarm_arn] for w in body["widgets"])
    assert "region=us-east-1#dashboards/dashboard/d" in dashboard.console_url
    with pytest.raises(ValueError, match="at least one child alarm"):
        any_in_alarm([])


def test_lambda_package_is_deterministic_and_excludes_tests(tmp_path):
    from aletheia_constructs.lambda_package import build_zip, package_files

    source = ROOT / "functions" / "api"
    first = build_zip(source, tmp_path / "a")
    second = build_zip(source, tmp_path / "b")
    assert first.name == second.name and first.read_bytes() == second.read_bytes()
    assert all(not p.name.startswith("test_") for p in package_files(source))
    with pytest.raises(FileNotFoundError, match="no \\*.py files"):
        package_files(Path(tmp_path))
