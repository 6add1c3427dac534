"""A CloudWatch log group with retention, encrypted with its own customer-managed key."""

from __future__ import annotations

from cdktf import TerraformProvider
from constructs import Construct

from aletheia_constructs.kms_key import CustomerManagedKey, ServiceGrant

from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup


def logs_grant(*, region: str, account_id: str, log_group_name: str) -> ServiceGrant:
    """Lets CloudWatch Logs use the key for this one log group only."""
    return ServiceGrant(
        sid="CloudWatchLogsEncrypt", service=f"logs.{region}.amazonaws.com",
        actions=("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"),
        conditions={"ArnEquals": {"kms:EncryptionContext:aws:logs:arn":
                                  f"arn:aws:logs:{region}:{account_id}:log-group:{log_group_name}"}})


class EncryptedLogGroup(Construct):
    """``name`` with ``retention_days``; ``key`` may also serve the log group's owner (e.g. env vars)."""

    def __init__(self, scope: Construct, id_: str, *, name: str, alias: str, region: str, account_id: str,
                 retention_days: int, provider: TerraformProvider | None = None) -> None:
        super().__init__(scope, id_)
        self.key = CustomerManagedKey(
            self, "key", alias=alias, account_id=account_id, provider=provider,
            description=f"Encrypts log group {name}",
            grants=(logs_grant(region=region, account_id=account_id, log_group_name=name),))
        self.log_group = CloudwatchLogGroup(self, "log_group", name=name, retention_in_days=retention_days,
                                            kms_key_id=self.key.arn, provider=provider)

    @property
    def arn(self) -> str:
        return self.log_group.arn

    @property
    def name(self) -> str:
        return self.log_group.name
