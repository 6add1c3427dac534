"""What every stack shares: the two AWS providers, default tags and the backend."""

from __future__ import annotations

from cdktf import LocalBackend, S3Backend, TerraformStack
from constructs import Construct

import aletheia_constructs  # noqa: F401  (installs the provider loader first)
from envs import EnvironmentConfig
from stacks.plan import GLOBAL_REGION

from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags

BACKUP_PROVIDER_ALIAS = "backup"


def aws_provider(scope: Construct, id_: str, *, region: str, alias: str | None = None,
                 tags: dict[str, str] | None = None) -> AwsProvider:
    """An AWS provider for ``region``; ``alias`` for all but a stack's default one."""
    return AwsProvider(scope, id_, region=region, alias=alias,
                       default_tags=[AwsProviderDefaultTags(tags=tags)] if tags else None)


def state_key(config: EnvironmentConfig, stack_id: str) -> str:
    """The S3 key of one stack's state: unique per environment and stack."""
    return f"{config.name}/{stack_id}/terraform.tfstate"


class AletheiaStack(TerraformStack):
    """A stack with a default provider in PRIMARY_REGION and an aliased one in BACKUP_REGION.

    ``remote_state`` False keeps state in a local file (only the state bootstrap
    stack, which creates the bucket everything else keeps its state in).
    """

    def __init__(self, scope: Construct, stack_id: str, *, config: EnvironmentConfig,
                 remote_state: bool = True) -> None:
        super().__init__(scope, stack_id)
        self.config = config
        self.primary_provider = aws_provider(self, "aws", region=config.primary_region, tags=config.tags)
        self.backup_provider = aws_provider(self, "aws_backup", region=config.backup_region,
                                            alias=BACKUP_PROVIDER_ALIAS, tags=config.tags)
        if remote_state:
            S3Backend(self, bucket=config.state_bucket, key=state_key(config, stack_id),
                      region=config.state_region, encrypt=True)
            # S3-native locking (Terraform >= 1.10); cdktf 0.21's S3Backend has no parameter for it.
            self.add_override("terraform.backend.s3.use_lockfile", True)
        else:
            LocalBackend(self, path=f"../../../bootstrap-state/{stack_id}.tfstate")
        self._account_id: str | None = None
        self._global_provider: AwsProvider | None = None

    @property
    def account_id(self) -> str:
        """The deploying account's id (one ``aws_caller_identity`` data source per stack)."""
        if self._account_id is None:
            self._account_id = DataAwsCallerIdentity(self, "caller").account_id
        return self._account_id

    def provider_for(self, region: str) -> AwsProvider:
        """The provider of ``region``: the default one or the backup alias."""
        if region == self.config.primary_region:
            return self.primary_provider
        if region == self.config.backup_region:
            return self.backup_provider
        raise ValueError(f"{region} is neither PRIMARY_REGION nor BACKUP_REGION of {self.config.name}")

    def global_provider(self) -> AwsProvider:
        """A provider in us-east-1, where Route 53 health-check metrics and ACM for global names live."""
        if GLOBAL_REGION in (self.config.primary_region, self.config.backup_region):
            return self.provider_for(GLOBAL_REGION)
        if self._global_provider is None:
            self._global_provider = aws_provider(self, "aws_global", region=GLOBAL_REGION, alias="global",
                                                 tags=self.config.tags)
        return self._global_provider

    def any_provider_for(self, region: str) -> AwsProvider:
        """``provider_for``, also accepting us-east-1 through ``global_provider``."""
        return self.global_provider() if region == GLOBAL_REGION else self.provider_for(region)
