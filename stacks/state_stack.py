"""Bootstrap: the bucket that every other stack of an environment keeps its state in."""

from __future__ import annotations

from constructs import Construct

from aletheia_constructs.state_bucket import StateBucket
from envs import EnvironmentConfig
from stacks.base import AletheiaStack, aws_provider


class StateStack(AletheiaStack):
    """Local state; applied once per environment before anything else (see README).

    The bucket lives in STATE_REGION, which may be a third region so that the
    state stays reachable when the primary region fails.
    """

    def __init__(self, scope: Construct, stack_id: str, *, config: EnvironmentConfig) -> None:
        super().__init__(scope, stack_id, config=config, remote_state=False)
        if config.state_region in (config.primary_region, config.backup_region):
            provider = self.provider_for(config.state_region)
        else:
            provider = aws_provider(self, "aws_state", region=config.state_region, alias="state",
                                    tags=config.tags)
        StateBucket(self, "state_bucket", bucket_name=config.state_bucket,
                    account_id=self.account_id, provider=provider)
