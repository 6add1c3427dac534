"""Regional failover: the API tier in both regions, and DNS failover when a domain is set."""

from __future__ import annotations

import json

import pytest

from stacks.plan import stack_plan
from tests.conftest import DOMAIN, config_for, load_stacks, only, provider_region, resolve_cross_stack, resources


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_multi_region_envs_run_lambda_and_api_in_both_regions(stack, env):
    for region in ("us-east-1", "us-west-2"):
        api = stack(f"aletheia-{env}-api-{region}")
        function = only(api, "aws_lambda_function")
        rest = only(api, "aws_api_gateway_rest_api")
        assert provider_region(api, function.get("provider")) == region
        assert provider_region(api, rest.get("provider")) == region
        assert function["environment"]["variables"]["APP_REGION"] == region


def test_each_region_uses_its_own_replica_and_key(synth_dir):
    stacks = load_stacks(synth_dir)
    data_outputs = stacks["aletheia-prod-data"]["output"]
    for region in ("us-east-1", "us-west-2"):
        policy = json.loads(only(stacks[f"aletheia-prod-api-{region}"], "aws_iam_role_policy")["policy"])
        table = next(s for s in policy["Statement"] if s["Sid"] == "RecordsTable")["Resource"]
        key = next(s for s in policy["Statement"] if s["Sid"] == "TableKeyThroughDynamoDB")["Resource"]
        slug = region.replace("-", "_")
        assert resolve_cross_stack(stacks, table) == data_outputs[f"records_table_arn_{slug}"]["value"]
        assert resolve_cross_stack(stacks, key) == data_outputs[f"records_kms_key_arn_{slug}"]["value"]
    assert ":us-west-2:" in data_outputs["records_table_arn_us_west_2"]["value"]
    assert "aws_kms_replica_key" in data_outputs["records_kms_key_arn_us_west_2"]["value"]


def test_backup_region_uses_its_own_autoscaling_floor(stack, configs):
    primary = only(stack("aletheia-prod-api-us-east-1"), "aws_appautoscaling_target")
    backup = only(stack("aletheia-prod-api-us-west-2"), "aws_appautoscaling_target")
    assert primary["min_capacity"] == configs["prod"].autoscaling.min_capacity
    assert backup["min_capacity"] == configs["prod"].backup_autoscaling.min_capacity
    assert backup["min_capacity"] < primary["min_capacity"]
    assert resources(stack("aletheia-prod-api-us-west-2"), "aws_appautoscaling_scheduled_action") == {}


def test_dev_has_nothing_in_the_backup_region(stack, configs):
    ids = [spec.id for spec in stack_plan(configs["dev"])]
    assert "aletheia-dev-api-us-west-2" not in ids
    for stack_id in ids:
        stack_json = stack(stack_id)
        used = [body.get("provider") for items in stack_json.get("resource", {}).values() for body in items.values()]
        assert "aws.backup" not in used, stack_id


def test_without_a_domain_there_is_no_route53_or_acm(synth_dir):
    for stack_id, stack_json in load_stacks(synth_dir).items():
        types = set(stack_json.get("resource", {}))
        assert not {t for t in types if t.startswith(("aws_route53", "aws_acm", "aws_api_gateway_domain"))}, stack_id


@pytest.fixture(scope="module")
def dns_stacks(dns_synth_dir):
    return load_stacks(dns_synth_dir)


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_with_a_domain_each_region_has_a_health_check_on_health(dns_stacks, env):
    dns = dns_stacks[f"aletheia-{env}-dns"]
    checks = resources(dns, "aws_route53_health_check")
    assert len(checks) == 2
    by_region = {}
    for check in checks.values():
        assert check["type"] == "HTTPS" and check["port"] == 443
        assert check["resource_path"] == f"/{env}/health"
        region = next(r for r in ("us-east-1", "us-west-2") if f".execute-api.{r}.amazonaws.com" in check["fqdn"])
        by_region[region] = check
    assert set(by_region) == {"us-east-1", "us-west-2"}


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_failover_records_carry_their_health_checks(dns_stacks, env):
    dns = dns_stacks[f"aletheia-{env}-dns"]
    records = resources(dns, "aws_route53_record")
    roles = {r["failover_routing_policy"]["type"]: r for r in records.values()}
    assert set(roles) == {"PRIMARY", "SECONDARY"}
    check_ids = set(resources(dns, "aws_route53_health_check"))
    for record in roles.values():
        assert record["name"] == DOMAIN["DOMAIN_NAME"]
        assert record["zone_id"] == DOMAIN["HOSTED_ZONE_ID"]
        assert record["type"] == "A"
        assert record["alias"]["evaluate_target_health"] is True
        referenced = record["health_check_id"].removeprefix("${aws_route53_health_check.").removesuffix(".id}")
        assert referenced in check_ids
    primary_check = resources(dns, "aws_route53_health_check")[
        roles["PRIMARY"]["health_check_id"].split(".")[1]]
    assert ".execute-api.us-east-1." in primary_check["fqdn"]
    assert "us-east-1" in roles["PRIMARY"]["set_identifier"]
    assert "us-west-2" in roles["SECONDARY"]["set_identifier"]


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_custom_domain_in_each_region(dns_stacks, env):
    for region in ("us-east-1", "us-west-2"):
        api = dns_stacks[f"aletheia-{env}-api-{region}"]
        domain = only(api, "aws_api_gateway_domain_name")
        assert domain["domain_name"] == DOMAIN["DOMAIN_NAME"]
        assert domain["security_policy"] == "TLS_1_2"
        assert domain["endpoint_configuration"] == {"types": ["REGIONAL"]}
        assert provider_region(api, domain.get("provider")) == region
        mapping = only(api, "aws_api_gateway_base_path_mapping")
        assert mapping["stage_name"].endswith(".stage_name}")
    certificates = dns_stacks[f"aletheia-{env}-certificates"]
    regions = {provider_region(certificates, c.get("provider"))
               for c in resources(certificates, "aws_acm_certificate").values()}
    assert regions == {"us-east-1", "us-west-2"}
    assert all(c["validation_method"] == "DNS" for c in resources(certificates, "aws_acm_certificate").values())
    assert len(resources(certificates, "aws_acm_certificate_validation")) == 2


def test_health_check_alarms_live_in_us_east_1(dns_stacks):
    dns = dns_stacks["aletheia-prod-dns"]
    alarms = resources(dns, "aws_cloudwatch_metric_alarm")
    assert len(alarms) == 2
    for alarm in alarms.values():
        assert alarm["namespace"] == "AWS/Route53" and alarm["metric_name"] == "HealthCheckStatus"
        assert provider_region(dns, alarm.get("provider")) == "us-east-1"


def test_domain_plan_orders_certificates_before_apis_and_dns_after():
    ids = [s.kind for s in stack_plan(config_for("prod", **DOMAIN))]
    assert ids == ["state", "alerting", "data", "certificates", "api", "api", "dns", "monitoring"]


def test_cdktf_orders_dns_after_both_apis_and_before_monitoring(dns_synth_dir):
    manifest = json.loads((dns_synth_dir / "manifest.json").read_text())["stacks"]
    dns = set(manifest["aletheia-prod-dns"]["dependencies"])
    assert {"aletheia-prod-api-us-east-1", "aletheia-prod-api-us-west-2"} <= dns
    assert "aletheia-prod-dns" in manifest["aletheia-prod-monitoring"]["dependencies"]
    assert "aletheia-prod-certificates" in manifest["aletheia-prod-api-us-west-2"]["dependencies"]
