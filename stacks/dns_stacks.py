"""DNS failover stacks (only with DOMAIN_NAME and HOSTED_ZONE_ID): certificates before the
API stacks, health checks and failover records after them."""

from __future__ import annotations

from collections.abc import Mapping

from constructs import Construct

from aletheia_constructs.dns_failover import DnsFailover, FailoverTarget
from aletheia_constructs.domain_certificates import DomainCertificates
from envs import EnvironmentConfig
from stacks.api_stack import ApiStack
from stacks.base import GLOBAL_REGION, AletheiaStack


class CertificatesStack(AletheiaStack):
    """A certificate for DOMAIN_NAME in each region, DNS-validated in HOSTED_ZONE_ID."""

    def __init__(self, scope: Construct, stack_id: str, *, config: EnvironmentConfig) -> None:
        super().__init__(scope, stack_id, config=config)
        self.certificates = DomainCertificates(
            self, "certificates", domain_name=config.domain_name, hosted_zone_id=config.hosted_zone_id,
            providers={region: self.provider_for(region) for region in config.regions})

    @property
    def certificate_arns(self) -> dict[str, str]:
        return self.certificates.validated_arns


class DnsStack(AletheiaStack):
    """Health checks on each region's /health and PRIMARY/SECONDARY failover records."""

    def __init__(self, scope: Construct, stack_id: str, *, config: EnvironmentConfig,
                 apis: Mapping[str, ApiStack], alarm_topic_arns: Mapping[str, str]) -> None:
        super().__init__(scope, stack_id, config=config)
        targets = tuple(
            FailoverTarget(region=region, health_check_host=apis[region].api.execute_api_host,
                           health_check_path=f"/{apis[region].names.stage_name}/health",
                           alias_domain_name=apis[region].domain.target_domain_name,
                           alias_zone_id=apis[region].domain.target_zone_id)
            for region in config.regions)
        self.failover = DnsFailover(
            self, "failover", domain_name=config.domain_name, hosted_zone_id=config.hosted_zone_id,
            name_prefix=config.prefix, targets=targets, alarm_topic_arn=alarm_topic_arns[GLOBAL_REGION],
            global_provider=self.global_provider())
