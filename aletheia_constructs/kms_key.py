"""A customer-managed KMS key with rotation and a key policy that names its users."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from cdktf import TerraformProvider
from constructs import Construct

from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
from cdktf_cdktf_provider_aws.kms_key import KmsKey


@dataclass(frozen=True)
class ServiceGrant:
    """Lets an AWS service principal use the key, optionally only under conditions."""

    sid: str
    service: str
    actions: tuple[str, ...]
    conditions: dict = field(default_factory=dict)


def key_policy(*, account_id: str, grants: tuple[ServiceGrant, ...]) -> str:
    """The key policy: the account administers the key; each grant adds one service."""
    statements = [{
        # Without this statement nobody in the account could manage the key.
        "Sid": "AccountAdministersKey",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
        "Action": "kms:*",
        "Resource": "*",
    }]
    for grant in grants:
        statement = {
            "Sid": grant.sid,
            "Effect": "Allow",
            "Principal": {"Service": grant.service},
            "Action": list(grant.actions),
            "Resource": "*",
        }
        if grant.conditions:
            statement["Condition"] = grant.conditions
        statements.append(statement)
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


class CustomerManagedKey(Construct):
    """A symmetric KMS key, rotation on, with an alias and an explicit key policy."""

    def __init__(self, scope: Construct, id_: str, *, alias: str, description: str, account_id: str,
                 grants: tuple[ServiceGrant, ...] = (), multi_region: bool = False,
                 provider: TerraformProvider | None = None) -> None:
        super().__init__(scope, id_)
        self.policy = key_policy(account_id=account_id, grants=grants)
        self.key = KmsKey(
            self, "key",
            description=description,
            enable_key_rotation=True,
            deletion_window_in_days=30,
            multi_region=multi_region,
            policy=self.policy,
            provider=provider,
        )
        KmsAlias(self, "alias", name=f"alias/{alias}", target_key_id=self.key.key_id, provider=provider)

    @property
    def arn(self) -> str:
        return self.key.arn
