"""Observability: every alarm reaches its own region's topic; topics CloudWatch can use; the dashboard."""

from __future__ import annotations

import json
import re

import pytest

from aletheia_constructs.dashboard_model import Metric, Panel, merge_panels
from tests.conftest import load_stacks, only, provider_region, resolve_cross_stack, resources

ALARM_TYPES = ("aws_cloudwatch_metric_alarm", "aws_cloudwatch_composite_alarm")
_TOPIC_ARN = re.compile(r"^\$\{aws_sns_topic\.([\w]+)\.arn\}$")


@pytest.fixture(scope="module", params=["plain", "with-domain"])
def all_stacks(request, synth_dir, dns_synth_dir):
    return load_stacks(synth_dir if request.param == "plain" else dns_synth_dir)


def _alarms(stacks):
    for stack_id, stack_json in stacks.items():
        for rtype in ALARM_TYPES:
            for alarm_id, alarm in resources(stack_json, rtype).items():
                yield stack_id, f"{rtype}.{alarm_id}", alarm


def _topic_region(stacks, stack_id: str, reference: str) -> str:
    """Region of the SNS topic an action points at (same stack or through a cross-stack reference)."""
    resolved = resolve_cross_stack(stacks, reference)
    match = _TOPIC_ARN.match(resolved)
    assert match, f"{reference} is not an SNS topic ARN"
    owner = stack_id if match[1] in resources(stacks[stack_id], "aws_sns_topic") else None
    if owner is None:
        source = re.search(r"cross-stack-reference-input-([\w-]+)\.", reference)
        assert source, reference
        owner = source[1]
    topic = resources(stacks[owner], "aws_sns_topic")[match[1]]
    return provider_region(stacks[owner], topic.get("provider"))


def test_every_alarm_notifies_a_topic_in_its_own_region(all_stacks):
    count = 0
    for stack_id, name, alarm in _alarms(all_stacks):
        region = provider_region(all_stacks[stack_id], alarm.get("provider"))
        assert alarm["alarm_actions"] == alarm["ok_actions"], name
        assert len(alarm["alarm_actions"]) == 1, name
        assert _topic_region(all_stacks, stack_id, alarm["alarm_actions"][0]) == region, f"{stack_id} {name}"
        count += 1
    assert count > 20, "expected the alarms of every tier"


def test_every_metric_alarm_decides_about_missing_data(all_stacks):
    for _stack_id, name, alarm in _alarms(all_stacks):
        if name.startswith("aws_cloudwatch_metric_alarm"):
            assert alarm.get("treat_missing_data") in ("breaching", "notBreaching", "ignore", "missing"), name


def test_topics_are_encrypted_with_a_key_cloudwatch_may_use(all_stacks):
    topics = 0
    for stack_id, stack_json in all_stacks.items():
        keys = resources(stack_json, "aws_kms_key")
        for topic in resources(stack_json, "aws_sns_topic").values():
            key_id = topic["kms_master_key_id"].removeprefix("${aws_kms_key.").removesuffix(".arn}")
            assert "alias/aws/sns" not in topic["kms_master_key_id"]
            policy = json.loads(keys[key_id]["policy"])
            cloudwatch = [s for s in policy["Statement"]
                          if s.get("Principal") == {"Service": "cloudwatch.amazonaws.com"}]
            assert cloudwatch, f"{stack_id}: topic key does not admit CloudWatch"
            actions = set(cloudwatch[0]["Action"])
            assert {"kms:Decrypt", "kms:GenerateDataKey*"} <= actions
            topics += 1
    assert topics >= 4


def test_topic_policy_admits_only_cloudwatch_of_this_account(stack):
    policies = resources(stack("aletheia-prod-alerting"), "aws_sns_topic_policy").values()
    assert len(policies) == 2
    for body in policies:
        policy = json.loads(body["policy"])
        publish = [s for s in policy["Statement"] if "sns:Publish" in json.dumps(s["Action"])]
        assert len(publish) == 1
        assert publish[0]["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
        assert "aws:SourceAccount" in publish[0]["Condition"]["StringEquals"]


def test_alarm_topic_per_alarm_region(stack):
    def regions(stack_json):
        return sorted(provider_region(stack_json, t.get("provider"))
                      for t in resources(stack_json, "aws_sns_topic").values())
    assert regions(stack("aletheia-dev-alerting")) == ["us-east-1"]
    assert regions(stack("aletheia-prod-alerting")) == ["us-east-1", "us-west-2"]


def test_subscriptions_follow_config():
    from cdktf import Testing

    from stacks.alerting_stack import AlertingStack
    from tests.conftest import config_for

    config = config_for("staging", ALARM_EMAILS="oncall@example.com,sre@example.com",
                        ALARM_HTTPS_ENDPOINT="https://hooks.example.com/alarms")
    stack_json = json.loads(Testing.synth(AlertingStack(Testing.app(), "alerting", config=config)))
    subscriptions = resources(stack_json, "aws_sns_topic_subscription").values()
    assert sorted((s["protocol"], s["endpoint"]) for s in subscriptions) == sorted(
        [("email", "oncall@example.com"), ("email", "sre@example.com"),
         ("https", "https://hooks.example.com/alarms")] * 2)


@pytest.mark.parametrize("env,regions", [("dev", {"us-east-1"}), ("staging", {"us-east-1", "us-west-2"}),
                                         ("prod", {"us-east-1", "us-west-2"})])
def test_dashboard_parses_and_names_every_region(stack, env, regions):
    monitoring = stack(f"aletheia-{env}-monitoring")
    body = json.loads(only(monitoring, "aws_cloudwatch_dashboard")["dashboard_body"])
    metric_widgets = [w for w in body["widgets"] if w["type"] == "metric"]
    seen = {row[-1]["region"] for w in metric_widgets for row in w["properties"]["metrics"]}
    assert seen == regions
    titles = {w["properties"]["title"] for w in metric_widgets}
    assert {"API requests", "API errors", "API latency p99", "Provisioned concurrency utilization"} <= titles
    if len(regions) == 2:
        latency = next(w for w in metric_widgets if w["properties"]["title"] == "API latency p99")
        assert {row[-1]["region"] for row in latency["properties"]["metrics"]} == regions, "regions side by side"
        replication = next(w for w in metric_widgets if "ReplicationLatency" in w["properties"]["title"])
        assert len(replication["properties"]["metrics"]) == 2
    alarm_widgets = [w for w in body["widgets"] if w["type"] == "alarm"]
    assert {w["properties"]["region"] for w in alarm_widgets} == regions
    assert "dashboard_url" in monitoring["output"]


def test_composite_alarm_per_region(stack):
    composites = resources(stack("aletheia-prod-monitoring"), "aws_cloudwatch_composite_alarm")
    assert {c["alarm_name"] for c in composites.values()} == {
        "aletheia-prod-us-east-1-unhealthy", "aletheia-prod-us-west-2-unhealthy"}
    for composite in composites.values():
        assert 'ALARM("aletheia-prod-api-' in composite["alarm_rule"]
        assert "-5xx" in composite["alarm_rule"] and "-latency-p99" in composite["alarm_rule"]


def test_composite_in_us_east_1_includes_its_health_check_alarm(dns_synth_dir):
    monitoring = load_stacks(dns_synth_dir)["aletheia-prod-monitoring"]
    rules = {c["alarm_name"]: c["alarm_rule"] for c in resources(monitoring, "aws_cloudwatch_composite_alarm").values()}
    assert 'ALARM("aletheia-prod-api-health-us-east-1")' in rules["aletheia-prod-us-east-1-unhealthy"]
    assert "health" not in rules["aletheia-prod-us-west-2-unhealthy"]


def test_merge_panels_puts_regions_side_by_side():
    east = Panel("Errors", (Metric("AWS/Lambda", "Errors", (), "us-east-1"),), "us-east-1")
    west = Panel("Errors", (Metric("AWS/Lambda", "Errors", (), "us-west-2"),), "us-east-1")
    other = Panel("Other", (Metric("AWS/Lambda", "Throttles", (), "us-east-1"),), "us-east-1")
    merged = merge_panels([east, other, west])
    assert [p.title for p in merged] == ["Errors", "Other"]
    assert merged[0].regions == ("us-east-1", "us-west-2")
