"""The API tier in one region (ApiGatewayStack in the notes): function, autoscaling, API, alarms."""

from __future__ import annotations

from pathlib import Path

from cdktf import TerraformOutput
from constructs import Construct

from aletheia_constructs.api_function import ALIAS, ApiFunction, FunctionSettings
from aletheia_constructs.api_gateway_logging_role import ApiGatewayLoggingRole
from aletheia_constructs.api_monitoring import ApiAlarms, RegionalApi
from aletheia_constructs.global_table import GlobalTable
from aletheia_constructs.provisioned_concurrency_autoscaling import (
    ProvisionedConcurrencyAutoscaling,
    Schedule,
)
from aletheia_constructs.regional_domain import RegionalDomain
from aletheia_constructs.rest_api import RestApi, StageSettings
from aletheia_constructs.web_acl import ApiWebAcl
from envs import EnvironmentConfig
from stacks.base import AletheiaStack

ROOT = Path(__file__).resolve().parent.parent
HANDLER_DIR = ROOT / "functions" / "api"
BUILD_DIR = ROOT / "build" / "lambda"


def regional_api(config: EnvironmentConfig, region: str) -> RegionalApi:
    """The names of the API tier in ``region`` (the same names in every region)."""
    return RegionalApi(region=region, api_name=f"{config.prefix}-api", stage_name=config.name,
                       function_name=f"{config.prefix}-api", alias=ALIAS)


class ApiStack(AletheiaStack):
    """One region's complete API tier, serving from that region's copy of the records table."""

    def __init__(self, scope: Construct, stack_id: str, *, config: EnvironmentConfig, region: str,
                 records: GlobalTable, alarm_topic_arn: str, certificate_arn: str | None = None) -> None:
        super().__init__(scope, stack_id, config=config)
        provider = self.provider_for(region)
        names = regional_api(config, region)
        scaling = config.autoscaling_for(region)
        self.names = names
        self.function = ApiFunction(
            self, "function", function_name=names.function_name, region=region, account_id=self.account_id,
            source_dir=HANDLER_DIR, build_dir=BUILD_DIR, table_name=records.table_name,
            table_arn=records.table_arns[region], table_key_arn=records.key_arns[region],
            settings=FunctionSettings(
                memory_mb=config.lambda_memory_mb, timeout_seconds=config.lambda_timeout_seconds,
                log_retention_days=config.log_retention_days,
                reserved_concurrency=config.lambda_reserved_concurrency,
                initial_provisioned_concurrency=scaling.min_capacity),
            provider=provider)
        ProvisionedConcurrencyAutoscaling(
            self, "autoscaling", function_name=names.function_name, alias=names.alias,
            min_capacity=scaling.min_capacity, max_capacity=scaling.max_capacity,
            target_utilization=scaling.target_utilization,
            scale_in_cooldown_seconds=scaling.scale_in_cooldown_seconds,
            scale_out_cooldown_seconds=scaling.scale_out_cooldown_seconds,
            schedules=tuple(Schedule(s.name, s.schedule, s.min_capacity, s.max_capacity)
                            for s in scaling.schedules),
            depends_on=[self.function.alias], provider=provider)
        logging_role = None
        if config.manage_api_gateway_account:
            logging_role = ApiGatewayLoggingRole(
                self, "api_gateway_logging", role_name=f"{config.prefix}-apigateway-logs-{region}",
                account_id=self.account_id, provider=provider)
        self.api = RestApi(
            self, "api", api_name=names.api_name, stage_name=names.stage_name, region=region,
            account_id=self.account_id,
            # The resources' attributes, not plain names: the invoke permission must wait for them.
            function_name=self.function.function.function_name, function_alias=self.function.alias.name,
            function_alias_invoke_arn=self.function.alias.invoke_arn,
            settings=StageSettings(throttle_rate_limit=config.api_throttle_rate_limit,
                                   throttle_burst_limit=config.api_throttle_burst_limit,
                                   cache_enabled=config.api_cache_enabled,
                                   log_retention_days=config.log_retention_days),
            stage_depends_on=[logging_role.account] if logging_role else None,
            provider=provider)
        ApiWebAcl(self, "waf", name=names.api_name, region=region, account_id=self.account_id,
                  stage_arn=self.api.stage.arn, rate_limit_per_5_minutes=config.waf_rate_limit_per_5_minutes,
                  log_retention_days=config.log_retention_days, provider=provider)
        self.domain: RegionalDomain | None = None
        if certificate_arn is not None:
            self.domain = RegionalDomain(self, "domain", domain_name=config.domain_name,
                                         certificate_arn=certificate_arn, rest_api_id=self.api.api.id,
                                         stage_name=self.api.stage.stage_name, provider=provider)
        self.alarms = ApiAlarms(self, "alarms", api=names, thresholds=config.api_alarms,
                                topic_arn=alarm_topic_arn, provider=provider)
        for name, value in {"invoke_url": self.api.invoke_url, "health_url": self.api.health_url,
                            "function_name": self.function.function.function_name,
                            "alias_name": self.function.alias.name,
                            "rest_api_id": self.api.api.id}.items():
            TerraformOutput(self, name, value=value).override_logical_id(name)
