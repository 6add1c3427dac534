"""A regional REST API in front of a Lambda alias (proxy integration), one stage per environment."""

from __future__ import annotations

import json
from dataclasses import dataclass

from cdktf import Fn, TerraformProvider, TerraformResourceLifecycle
from constructs import Construct

from aletheia_constructs.encrypted_log_group import EncryptedLogGroup

from cdktf_cdktf_provider_aws.api_gateway_deployment import ApiGatewayDeployment
from cdktf_cdktf_provider_aws.api_gateway_integration import ApiGatewayIntegration
from cdktf_cdktf_provider_aws.api_gateway_method import ApiGatewayMethod
from cdktf_cdktf_provider_aws.api_gateway_method_settings import (
    ApiGatewayMethodSettings,
    ApiGatewayMethodSettingsSettings,
)
from cdktf_cdktf_provider_aws.api_gateway_model import ApiGatewayModel
from cdktf_cdktf_provider_aws.api_gateway_request_validator import ApiGatewayRequestValidator
from cdktf_cdktf_provider_aws.api_gateway_resource import ApiGatewayResource
from cdktf_cdktf_provider_aws.api_gateway_rest_api import (
    ApiGatewayRestApi,
    ApiGatewayRestApiEndpointConfiguration,
)
from cdktf_cdktf_provider_aws.api_gateway_stage import ApiGatewayStage, ApiGatewayStageAccessLogSettings
from cdktf_cdktf_provider_aws.lambda_permission import LambdaPermission

# One JSON line per request in the access log.
ACCESS_LOG_FORMAT = json.dumps({
    "requestId": "$context.requestId", "extendedRequestId": "$context.extendedRequestId",
    "ip": "$context.identity.sourceIp", "caller": "$context.identity.caller",
    "user": "$context.identity.userArn", "requestTime": "$context.requestTime",
    "httpMethod": "$context.httpMethod", "resourcePath": "$context.resourcePath",
    "status": "$context.status", "protocol": "$context.protocol",
    "responseLength": "$context.responseLength", "latency": "$context.responseLatency",
    "integrationLatency": "$context.integrationLatency", "integrationStatus": "$context.integrationStatus",
    "xrayTraceId": "$context.xrayTraceId",
}, sort_keys=True)

# PUT /records/{id} bodies, checked by API Gateway before the function runs.
RECORD_BODY_SCHEMA = json.dumps({
    "$schema": "http://json-schema.org/draft-04/schema#",
    "title": "RecordBody",
    "type": "object",
    "required": ["data"],
    "additionalProperties": False,
    "properties": {"data": {"type": "object"}},
})


@dataclass(frozen=True)
class StageSettings:
    """Stage limits and features (from the environment's config)."""

    throttle_rate_limit: int = 100
    throttle_burst_limit: int = 200
    cache_enabled: bool = False
    log_retention_days: int = 365


class RestApi(Construct):
    """``GET /health`` (no auth: Route 53 health checkers cannot sign) and
    ``GET|PUT /records/{id}`` (SigV4, ``AWS_IAM``), proxied to ``function_alias_invoke_arn``.

    ``stage_depends_on``: what must exist before the stage can log (the region's API
    Gateway CloudWatch role setting, see ``ApiGatewayLoggingRole``)."""

    def __init__(self, scope: Construct, id_: str, *, api_name: str, stage_name: str, region: str,
                 account_id: str, function_name: str, function_alias: str, function_alias_invoke_arn: str,
                 settings: StageSettings, stage_depends_on: list | None = None,
                 provider: TerraformProvider | None = None) -> None:
        super().__init__(scope, id_)
        self.api_name = api_name
        self.stage_name = stage_name
        self.region = region
        self.api = ApiGatewayRestApi(
            self, "api", name=api_name, description=f"Aletheia platform API ({stage_name}, {region})",
            endpoint_configuration=ApiGatewayRestApiEndpointConfiguration(types=["REGIONAL"]),
            lifecycle=TerraformResourceLifecycle(create_before_destroy=True),
            provider=provider)
        api_id = self.api.id
        health = ApiGatewayResource(self, "health", rest_api_id=api_id, parent_id=self.api.root_resource_id,
                                    path_part="health", provider=provider)
        records = ApiGatewayResource(self, "records", rest_api_id=api_id, parent_id=self.api.root_resource_id,
                                     path_part="records", provider=provider)
        record = ApiGatewayResource(self, "record", rest_api_id=api_id, parent_id=records.id,
                                    path_part="{id}", provider=provider)
        params_only = ApiGatewayRequestValidator(self, "validate_params", rest_api_id=api_id,
                                                 name="parameters", validate_request_parameters=True,
                                                 provider=provider)
        params_and_body = ApiGatewayRequestValidator(self, "validate_body", rest_api_id=api_id,
                                                     name="parameters-and-body", validate_request_parameters=True,
                                                     validate_request_body=True, provider=provider)
        model = ApiGatewayModel(self, "record_model", rest_api_id=api_id, name="RecordBody",
                                content_type="application/json", schema=RECORD_BODY_SCHEMA, provider=provider)
        routes = [
            ("get_health", health, "GET", "NONE", {}, params_only),
            ("get_record", record, "GET", "AWS_IAM", {"method.request.path.id": True}, params_only),
            ("put_record", record, "PUT", "AWS_IAM", {"method.request.path.id": True}, params_and_body),
        ]
        triggers: list[str] = [health.id, records.id, record.id, model.id]
        for route_id, resource, verb, authorization, parameters, validator in routes:
            method = ApiGatewayMethod(
                self, route_id, rest_api_id=api_id, resource_id=resource.id, http_method=verb,
                authorization=authorization, request_parameters=parameters or None,
                request_validator_id=validator.id,
                request_models={"application/json": model.name} if verb == "PUT" else None,
                provider=provider)
            integration = ApiGatewayIntegration(
                self, f"{route_id}_integration", rest_api_id=api_id, resource_id=resource.id,
                http_method=method.http_method, type="AWS_PROXY", integration_http_method="POST",
                uri=function_alias_invoke_arn, provider=provider)
            triggers += [method.id, integration.id]
        deployment = ApiGatewayDeployment(
            self, "deployment", rest_api_id=api_id,
            # A new deployment whenever a route, method or integration changes.
            triggers={"redeployment": Fn.sha1(Fn.jsonencode(triggers))},
            lifecycle=TerraformResourceLifecycle(create_before_destroy=True),
            provider=provider)
        self.access_logs = EncryptedLogGroup(
            self, "access_logs", name=f"/aws/apigateway/{api_name}/{stage_name}/access",
            alias=f"{api_name}-access-logs", region=region, account_id=account_id,
            retention_days=settings.log_retention_days, provider=provider)
        self.stage = ApiGatewayStage(
            self, "stage", rest_api_id=api_id, deployment_id=deployment.id, stage_name=stage_name,
            xray_tracing_enabled=True, cache_cluster_enabled=settings.cache_enabled,
            cache_cluster_size="0.5" if settings.cache_enabled else None,
            access_log_settings=ApiGatewayStageAccessLogSettings(
                destination_arn=self.access_logs.arn, format=ACCESS_LOG_FORMAT),
            depends_on=stage_depends_on, provider=provider)
        ApiGatewayMethodSettings(
            self, "stage_settings", rest_api_id=api_id, stage_name=self.stage.stage_name, method_path="*/*",
            settings=ApiGatewayMethodSettingsSettings(
                metrics_enabled=True, throttling_rate_limit=settings.throttle_rate_limit,
                throttling_burst_limit=settings.throttle_burst_limit,
                caching_enabled=settings.cache_enabled, cache_data_encrypted=True,
                # Errors only: request bodies and INFO-level detail stay out of the logs.
                logging_level="ERROR", data_trace_enabled=False),
            provider=provider)
        LambdaPermission(
            self, "invoke", statement_id="AllowApiGatewayInvoke", action="lambda:InvokeFunction",
            function_name=function_name, qualifier=function_alias, principal="apigateway.amazonaws.com",
            source_arn=f"{self.api.execution_arn}/{stage_name}/*/*", provider=provider)

    @property
    def execute_api_host(self) -> str:
        """The stage's own regional host, which health checks call directly."""
        return f"{self.api.id}.execute-api.{self.region}.amazonaws.com"

    @property
    def invoke_url(self) -> str:
        return self.stage.invoke_url

    @property
    def health_url(self) -> str:
        return f"{self.stage.invoke_url}/health"
