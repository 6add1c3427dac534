"""The API's custom domain in one region (regional endpoint, TLS 1.2), mapped to its stage."""

from __future__ import annotations

from cdktf import TerraformProvider
from constructs import Construct

from cdktf_cdktf_provider_aws.api_gateway_base_path_mapping import ApiGatewayBasePathMapping
from cdktf_cdktf_provider_aws.api_gateway_domain_name import (
    ApiGatewayDomainName,
    ApiGatewayDomainNameEndpointConfiguration,
)


class RegionalDomain(Construct):
    """The same domain name in every region; Route 53 failover records choose between them."""

    def __init__(self, scope: Construct, id_: str, *, domain_name: str, certificate_arn: str, rest_api_id: str,
                 stage_name: str, provider: TerraformProvider | None = None) -> None:
        super().__init__(scope, id_)
        self.domain = ApiGatewayDomainName(
            self, "domain", domain_name=domain_name, regional_certificate_arn=certificate_arn,
            security_policy="TLS_1_2",
            endpoint_configuration=ApiGatewayDomainNameEndpointConfiguration(types=["REGIONAL"]),
            provider=provider)
        ApiGatewayBasePathMapping(self, "mapping", api_id=rest_api_id, stage_name=stage_name,
                                  domain_name=self.domain.domain_name, provider=provider)

    @property
    def target_domain_name(self) -> str:
        """Where an alias record for this region points."""
        return self.domain.regional_domain_name

    @property
    def target_zone_id(self) -> str:
        return self.domain.regional_zone_id
