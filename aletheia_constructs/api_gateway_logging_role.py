"""The per-region API Gateway account setting that lets API Gateway write CloudWatch Logs.

API Gateway refuses a stage with access or execution logging until the region's
account settings name a role it can assume to write logs. There is one such
setting per account and region: environments sharing an account should let only
one of them manage it (``MANAGE_API_GATEWAY_ACCOUNT``).
"""

from __future__ import annotations

import json

from cdktf import TerraformProvider
from constructs import Construct

from cdktf_cdktf_provider_aws.api_gateway_account import ApiGatewayAccount
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment

# AWS's managed policy for exactly this purpose (log groups and streams of API Gateway).
PUSH_TO_CLOUDWATCH = "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"


class ApiGatewayLoggingRole(Construct):
    """A role API Gateway of this account may assume, set as the region's CloudWatch role."""

    def __init__(self, scope: Construct, id_: str, *, role_name: str, account_id: str,
                 provider: TerraformProvider | None = None) -> None:
        super().__init__(scope, id_)
        role = IamRole(
            self, "role", name=role_name, provider=provider,
            description="Lets API Gateway write access and execution logs to CloudWatch Logs",
            assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": account_id}}}]}))
        IamRolePolicyAttachment(self, "push_to_cloudwatch", role=role.name, policy_arn=PUSH_TO_CLOUDWATCH,
                                provider=provider)
        self.account = ApiGatewayAccount(self, "account", cloudwatch_role_arn=role.arn, provider=provider)
