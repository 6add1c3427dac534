"""The API's Lambda function: code, role, logs, key, published version and ``live`` alias."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from cdktf import Fn, TerraformProvider, TerraformResourceLifecycle
from constructs import Construct

from aletheia_constructs.encrypted_log_group import EncryptedLogGroup
from aletheia_constructs.lambda_package import LambdaPackage

from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.lambda_alias import LambdaAlias
from cdktf_cdktf_provider_aws.lambda_function import (
    LambdaFunction,
    LambdaFunctionEnvironment,
    LambdaFunctionLoggingConfig,
    LambdaFunctionTracingConfig,
)
from cdktf_cdktf_provider_aws.lambda_provisioned_concurrency_config import LambdaProvisionedConcurrencyConfig

RUNTIME = "python3.12"
ALIAS = "live"
# What the handler calls, and nothing else.
TABLE_ACTIONS = ("dynamodb:GetItem", "dynamodb:PutItem")
# Reading and writing an item of a table encrypted with a customer-managed key; only
# through DynamoDB in the function's region (kms:ViaService), only on that table's key.
TABLE_KEY_ACTIONS = ("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey")


@dataclass(frozen=True)
class FunctionSettings:
    """Size and limits of the function (from the environment's config)."""

    memory_mb: int = 512
    timeout_seconds: int = 10
    log_retention_days: int = 365
    reserved_concurrency: int = 10
    initial_provisioned_concurrency: int = 1


def execution_policy(*, log_group_arn: str, table_arn: str, table_key_arn: str, function_key_arn: str,
                     region: str) -> str:
    """Least privilege: its own log group, X-Ray, two table actions, the table's key via DynamoDB."""
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "WriteOwnLogs", "Effect": "Allow",
             "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
             "Resource": f"{log_group_arn}:*"},
            {"Sid": "XRayTraces", "Effect": "Allow",
             # X-Ray offers no resource-level permissions for these actions.
             "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "Resource": "*"},
            {"Sid": "RecordsTable", "Effect": "Allow", "Action": list(TABLE_ACTIONS), "Resource": table_arn},
            {"Sid": "TableKeyThroughDynamoDB", "Effect": "Allow",
             "Action": list(TABLE_KEY_ACTIONS), "Resource": table_key_arn,
             "Condition": {"StringEquals": {"kms:ViaService": f"dynamodb.{region}.amazonaws.com"}}},
            {"Sid": "OwnEnvironmentKey", "Effect": "Allow", "Action": ["kms:Decrypt"],
             "Resource": function_key_arn},
        ],
    })


class ApiFunction(Construct):
    """The handler in one region, reading and writing that region's copy of the table.

    Publishes a version on every code change and points the ``live`` alias at it;
    provisioned concurrency is configured on the alias only (never $LATEST), and
    its value is left to Application Auto Scaling after creation.
    """

    def __init__(self, scope: Construct, id_: str, *, function_name: str, region: str, account_id: str,
                 source_dir: Path, build_dir: Path, table_name: str, table_arn: str, table_key_arn: str,
                 settings: FunctionSettings, provider: TerraformProvider | None = None) -> None:
        super().__init__(scope, id_)
        # One key for the function's logs and its environment variables.
        self.log_group = EncryptedLogGroup(
            self, "logs", name=f"/aws/lambda/{function_name}", alias=f"{function_name}-function",
            region=region, account_id=account_id, retention_days=settings.log_retention_days,
            provider=provider)
        self.key = self.log_group.key
        self.role = IamRole(
            self, "role", name=f"{function_name}-{region}", provider=provider,
            description=f"Execution role of {function_name} in {region}",
            assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": account_id}}}]}))
        IamRolePolicy(self, "policy", name="least-privilege", role=self.role.id, provider=provider,
                      policy=execution_policy(log_group_arn=self.log_group.arn, table_arn=table_arn,
                                              table_key_arn=table_key_arn, function_key_arn=self.key.arn,
                                              region=region))
        package = LambdaPackage(self, "package", source_dir=source_dir, build_dir=build_dir)
        self.function = LambdaFunction(
            self, "function",
            function_name=function_name,
            role=self.role.arn,
            runtime=RUNTIME,
            architectures=["arm64"],
            handler="handler.handler",
            filename=package.path,
            source_code_hash=Fn.filebase64sha256(package.path),
            memory_size=settings.memory_mb,
            timeout=settings.timeout_seconds,
            reserved_concurrent_executions=settings.reserved_concurrency,
            publish=True,
            kms_key_arn=self.key.arn,
            tracing_config=LambdaFunctionTracingConfig(mode="Active"),
            logging_config=LambdaFunctionLoggingConfig(log_format="JSON", log_group=self.log_group.name),
            environment=LambdaFunctionEnvironment(variables={"TABLE_NAME": table_name, "APP_REGION": region}),
            depends_on=[self.log_group.log_group],
            provider=provider,
        )
        self.alias = LambdaAlias(self, "alias", name=ALIAS, function_name=self.function.function_name,
                                 function_version=self.function.version, provider=provider,
                                 description="The version API Gateway invokes; carries provisioned concurrency")
        LambdaProvisionedConcurrencyConfig(
            self, "provisioned_concurrency", function_name=self.function.function_name,
            qualifier=self.alias.name,
            provisioned_concurrent_executions=settings.initial_provisioned_concurrency,
            # Application Auto Scaling owns this value after creation.
            lifecycle=TerraformResourceLifecycle(ignore_changes=["provisioned_concurrent_executions"]),
            provider=provider)
