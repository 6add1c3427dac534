"""The API tier: function, IAM, provisioned-concurrency autoscaling, REST API, WAF, alarms."""

from __future__ import annotations

import json
import zipfile

import pytest

from tests.conftest import only, resources

ENVS = ("dev", "staging", "prod")


def api_stack(stack, env: str, region: str = "us-east-1") -> dict:
    return stack(f"aletheia-{env}-api-{region}")


@pytest.mark.parametrize("env", ENVS)
def test_autoscaling_target_and_policy(stack, configs, env):
    api = api_stack(stack, env)
    target = only(api, "aws_appautoscaling_target")
    assert target["service_namespace"] == "lambda"
    assert target["scalable_dimension"] == "lambda:function:ProvisionedConcurrency"
    assert target["resource_id"] == f"function:aletheia-{env}-api:live"
    scaling = configs[env].autoscaling
    assert (target["min_capacity"], target["max_capacity"]) == (scaling.min_capacity, scaling.max_capacity)
    policy = only(api, "aws_appautoscaling_policy")
    assert policy["policy_type"] == "TargetTrackingScaling"
    tracking = policy["target_tracking_scaling_policy_configuration"]
    assert tracking["predefined_metric_specification"] == {
        "predefined_metric_type": "LambdaProvisionedConcurrencyUtilization"}
    assert tracking["target_value"] == 0.7
    assert tracking["scale_in_cooldown"] == 300 and tracking["scale_out_cooldown"] == 60


def test_prod_scales_further_than_dev(stack):
    prod = only(api_stack(stack, "prod"), "aws_appautoscaling_target")
    dev = only(api_stack(stack, "dev"), "aws_appautoscaling_target")
    assert prod["max_capacity"] > dev["max_capacity"]
    assert prod["min_capacity"] >= dev["min_capacity"]


def test_prod_has_scheduled_floors(stack):
    actions = resources(api_stack(stack, "prod"), "aws_appautoscaling_scheduled_action")
    assert {a["name"] for a in actions.values()} == {
        "aletheia-prod-api-live-weekday-business-hours", "aletheia-prod-api-live-weekday-evening"}
    business = next(a for a in actions.values() if a["name"].endswith("business-hours"))
    assert business["schedule"] == "cron(0 12 ? * MON-FRI *)"
    assert business["scalable_target_action"] == {"min_capacity": "10", "max_capacity": "100"}
    assert resources(api_stack(stack, "dev"), "aws_appautoscaling_scheduled_action") == {}


def test_provisioned_concurrency_is_on_the_alias_and_left_to_autoscaling(stack):
    api = api_stack(stack, "prod")
    config = only(api, "aws_lambda_provisioned_concurrency_config")
    alias = only(api, "aws_lambda_alias")
    assert alias["name"] == "live"
    assert config["qualifier"].startswith("${aws_lambda_alias.") and config["qualifier"].endswith(".name}")
    assert config["lifecycle"]["ignore_changes"] == ["provisioned_concurrent_executions"]
    assert "$LATEST" not in json.dumps(config)
    function = only(api, "aws_lambda_function")
    assert alias["function_version"] == "${aws_lambda_function.function_679B3B5A.version}"
    assert function["publish"] is True


def test_function_settings(stack, configs):
    function = only(api_stack(stack, "prod"), "aws_lambda_function")
    runtime = function["runtime"]
    assert runtime.startswith("python3.") and int(runtime.split(".")[1]) >= 12
    assert function["architectures"] == ["arm64"]
    assert function["tracing_config"] == {"mode": "Active"}
    assert function["memory_size"] == configs["prod"].lambda_memory_mb
    assert function["timeout"] == configs["prod"].lambda_timeout_seconds
    assert function["environment"]["variables"]["TABLE_NAME"] == "aletheia-prod-records"
    assert function["environment"]["variables"]["APP_REGION"] == "us-east-1"
    assert function["kms_key_arn"].startswith("${aws_kms_key.")
    assert function["reserved_concurrent_executions"] >= configs["prod"].autoscaling.max_capacity
    log_group = next(g for g in resources(api_stack(stack, "prod"), "aws_cloudwatch_log_group").values()
                     if g["name"] == "/aws/lambda/aletheia-prod-api")
    assert log_group["retention_in_days"] == configs["prod"].log_retention_days
    assert log_group["kms_key_id"].startswith("${aws_kms_key.")


def test_handler_package_holds_the_handler_and_no_tests(synth_dir, stack):
    function = only(api_stack(stack, "prod"), "aws_lambda_function")
    archive = synth_dir / "stacks" / "aletheia-prod-api-us-east-1" / function["filename"]
    names = zipfile.ZipFile(archive).namelist()
    assert "handler.py" in names
    assert not any(n.startswith("test_") or "__pycache__" in n for n in names)
    assert function["handler"] == "handler.handler"


def test_iam_policy_is_least_privilege(stack):
    for env, region in (("prod", "us-east-1"), ("prod", "us-west-2"), ("dev", "us-east-1")):
        policy = json.loads(only(api_stack(stack, env, region), "aws_iam_role_policy")["policy"])
        for statement in policy["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            assert not any(a == "*" or a.endswith(":*") for a in actions), statement
            if statement["Resource"] == "*":
                assert all(a.startswith("xray:") for a in actions), statement
        table = next(s for s in policy["Statement"] if s["Sid"] == "RecordsTable")
        assert sorted(table["Action"]) == ["dynamodb:GetItem", "dynamodb:PutItem"]
        key = next(s for s in policy["Statement"] if s["Sid"] == "TableKeyThroughDynamoDB")
        assert key["Condition"] == {"StringEquals": {"kms:ViaService": f"dynamodb.{region}.amazonaws.com"}}
        logs = next(s for s in policy["Statement"] if s["Sid"] == "WriteOwnLogs")
        assert logs["Resource"].startswith("${aws_cloudwatch_log_group.") and logs["Resource"].endswith(":*")


def test_rest_api_is_regional_with_one_stage_per_environment(stack, configs):
    for env in ENVS:
        api = api_stack(stack, env)
        rest = only(api, "aws_api_gateway_rest_api")
        assert rest["endpoint_configuration"] == {"types": ["REGIONAL"]}
        stage = only(api, "aws_api_gateway_stage")
        assert stage["stage_name"] == env
        assert stage["xray_tracing_enabled"] is True
        assert stage["cache_cluster_enabled"] is False
        access_log = stage["access_log_settings"]
        assert set(json.loads(access_log["format"])) >= {"requestId", "status", "latency"}
        settings = only(api, "aws_api_gateway_method_settings")["settings"]
        assert settings["throttling_rate_limit"] == configs[env].api_throttle_rate_limit
        assert settings["throttling_burst_limit"] == configs[env].api_throttle_burst_limit
        deployment = only(api, "aws_api_gateway_deployment")
        assert "redeployment" in deployment["triggers"]
        assert deployment["lifecycle"]["create_before_destroy"] is True


def test_only_health_is_unauthenticated_and_records_are_validated(stack):
    api = api_stack(stack, "prod")
    methods = resources(api, "aws_api_gateway_method")
    auth = {rid: m["authorization"] for rid, m in methods.items()}
    assert [rid for rid, a in auth.items() if a == "NONE"] == ["api_get_health_F532A301"]
    assert all(a == "AWS_IAM" for rid, a in auth.items() if "record" in rid)
    put = next(m for rid, m in methods.items() if "put_record" in rid)
    [model_id] = resources(api, "aws_api_gateway_model")
    assert put["request_models"] == {"application/json": f"${{aws_api_gateway_model.{model_id}.name}}"}
    schema = json.loads(resources(api, "aws_api_gateway_model")[model_id]["schema"])
    assert schema["required"] == ["data"] and schema["additionalProperties"] is False
    assert put["request_parameters"] == {"method.request.path.id": True}
    validators = resources(api, "aws_api_gateway_request_validator")
    body_validator = next(v for v in validators.values() if v.get("validate_request_body"))
    assert body_validator["validate_request_parameters"] is True
    for integration in resources(api, "aws_api_gateway_integration").values():
        assert integration["type"] == "AWS_PROXY"
        assert integration["uri"].startswith("${aws_lambda_alias.")


def test_invoke_permission_is_scoped_to_the_api_stage(stack):
    permission = only(api_stack(stack, "prod"), "aws_lambda_permission")
    assert permission["principal"] == "apigateway.amazonaws.com"
    [alias_id] = resources(api_stack(stack, "prod"), "aws_lambda_alias")
    [function_id] = resources(api_stack(stack, "prod"), "aws_lambda_function")
    assert permission["qualifier"] == f"${{aws_lambda_alias.{alias_id}.name}}"
    assert permission["function_name"] == f"${{aws_lambda_function.{function_id}.function_name}}"
    assert permission["source_arn"] == "${aws_api_gateway_rest_api.api_4F59AA66.execution_arn}/prod/*/*"


def test_waf_protects_the_stage(stack):
    api = api_stack(stack, "prod")
    acl = only(api, "aws_wafv2_web_acl")
    groups = [r["statement"]["managed_rule_group_statement"]["name"] for r in acl["rule"]
              if "managed_rule_group_statement" in r["statement"]]
    assert "AWSManagedRulesKnownBadInputsRuleSet" in groups
    overrides = {r["statement"]["managed_rule_group_statement"]["name"]:
                 [o["name"] for o in r["statement"]["managed_rule_group_statement"].get("rule_action_override", [])]
                 for r in acl["rule"] if "managed_rule_group_statement" in r["statement"]}
    # Records may be 64 KB (the handler's limit); the common rule set would block bodies over 8 KB.
    assert overrides["AWSManagedRulesCommonRuleSet"] == ["SizeRestrictions_BODY"]
    assert overrides["AWSManagedRulesAnonymousIpList"] == ["HostingProviderIPList"]
    rate = next(r for r in acl["rule"] if "rate_based_statement" in r["statement"])
    assert rate["action"] == {"block": {}}
    association = only(api, "aws_wafv2_web_acl_association")
    assert association["resource_arn"] == "${aws_api_gateway_stage.api_stage_9CA2AE48.arn}"


EXPECTED_ALARMS = {
    # metric: (namespace, dimension names)
    "5XXError": ("AWS/ApiGateway", {"ApiName", "Stage"}),
    "4XXError": ("AWS/ApiGateway", {"ApiName", "Stage"}),
    "Latency": ("AWS/ApiGateway", {"ApiName", "Stage"}),
    "Errors": ("AWS/Lambda", {"FunctionName"}),
    "Throttles": ("AWS/Lambda", {"FunctionName"}),
    "ProvisionedConcurrencySpilloverInvocations": ("AWS/Lambda", {"FunctionName", "Resource"}),
    "ProvisionedConcurrencyUtilization": ("AWS/Lambda", {"FunctionName", "Resource"}),
}


@pytest.mark.parametrize("env", ENVS)
def test_api_alarms_use_rest_metric_names_and_dimensions(stack, configs, env):
    alarms = {a["metric_name"]: a for a in resources(api_stack(stack, env), "aws_cloudwatch_metric_alarm").values()}
    assert set(alarms) == set(EXPECTED_ALARMS)
    for metric, (namespace, dims) in EXPECTED_ALARMS.items():
        assert alarms[metric]["namespace"] == namespace
        assert set(alarms[metric]["dimensions"]) == dims
    assert alarms["5XXError"]["dimensions"] == {"ApiName": f"aletheia-{env}-api", "Stage": env}
    assert alarms["5XXError"]["threshold"] == configs[env].api_alarms.api_5xx_errors
    assert alarms["Latency"]["extended_statistic"] == "p99"
    assert alarms["Latency"]["threshold"] == configs[env].api_alarms.api_latency_p99_ms
    assert alarms["ProvisionedConcurrencyUtilization"]["dimensions"]["Resource"] == f"aletheia-{env}-api:live"


def test_outputs(stack):
    outputs = api_stack(stack, "prod")["output"]
    assert {"invoke_url", "health_url", "function_name", "alias_name"} <= set(outputs)
    assert outputs["health_url"]["value"].endswith("/health")


def test_autoscaling_rejects_latest_and_bad_bounds():
    from cdktf import Testing

    from aletheia_constructs.provisioned_concurrency_autoscaling import (
        ProvisionedConcurrencyAutoscaling,
        resource_id,
    )

    with pytest.raises(ValueError, match=r"\$LATEST"):
        resource_id("fn", "$LATEST")
    stack = Testing.app()
    from cdktf import TerraformStack
    scope = TerraformStack(stack, "s")
    with pytest.raises(ValueError, match="exceeds max_capacity"):
        ProvisionedConcurrencyAutoscaling(scope, "a", function_name="fn", alias="live", min_capacity=5,
                                          max_capacity=2)
    with pytest.raises(ValueError, match="fraction"):
        ProvisionedConcurrencyAutoscaling(scope, "b", function_name="fn", alias="live", min_capacity=1,
                                          max_capacity=2, target_utilization=70)


def test_stage_logging_waits_for_the_regions_api_gateway_cloudwatch_role(stack):
    api = api_stack(stack, "prod", "us-west-2")
    account = only(api, "aws_api_gateway_account")
    assert account["provider"] == "aws.backup"
    [account_id] = resources(api, "aws_api_gateway_account")
    assert f"aws_api_gateway_account.{account_id}" in only(api, "aws_api_gateway_stage")["depends_on"]
    role = next(r for r in resources(api, "aws_iam_role").values() if "apigateway-logs" in r["name"])
    trust = json.loads(role["assume_role_policy"])["Statement"][0]
    assert trust["Principal"] == {"Service": "apigateway.amazonaws.com"}
    assert only(api, "aws_api_gateway_method_settings")["settings"]["logging_level"] == "ERROR"


def test_the_api_gateway_account_setting_can_be_left_to_another_environment():
    from cdktf import Testing

    from stacks.app import add_environment
    from tests.conftest import config_for

    app = Testing.app()
    add_environment(app, config_for("dev", MANAGE_API_GATEWAY_ACCOUNT="false"))
    api = json.loads(Testing.synth(app.node.find_child("aletheia-dev-api-us-east-1")))
    assert "aws_api_gateway_account" not in api["resource"]
    assert "depends_on" not in only(api, "aws_api_gateway_stage")
