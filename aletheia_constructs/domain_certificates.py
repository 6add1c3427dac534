"""ACM certificates for one domain in several regions, validated through one set of DNS records."""

from __future__ import annotations

from collections.abc import Mapping

from cdktf import TerraformProvider, TerraformResourceLifecycle
from constructs import Construct

from aletheia_constructs.naming import region_slug

from cdktf_cdktf_provider_aws.acm_certificate import AcmCertificate
from cdktf_cdktf_provider_aws.acm_certificate_validation import AcmCertificateValidation
from cdktf_cdktf_provider_aws.route53_record import Route53Record


class DomainCertificates(Construct):
    """A DNS-validated certificate for ``domain_name`` in each region of ``providers``.

    ACM's validation record for a domain is the same in every region of an
    account, so the record is written once (from the first region's certificate)
    and every region's validation waits on it.
    """

    def __init__(self, scope: Construct, id_: str, *, domain_name: str, hosted_zone_id: str,
                 providers: Mapping[str, TerraformProvider]) -> None:
        super().__init__(scope, id_)
        self.certificates: dict[str, AcmCertificate] = {
            region: AcmCertificate(
                self, f"certificate_{region_slug(region)}", domain_name=domain_name, validation_method="DNS",
                key_algorithm="RSA_2048",
                lifecycle=TerraformResourceLifecycle(create_before_destroy=True), provider=provider)
            for region, provider in providers.items()
        }
        first_region = next(iter(providers))
        option = self.certificates[first_region].domain_validation_options.get(0)
        record = Route53Record(
            self, "validation_record", zone_id=hosted_zone_id, name=option.resource_record_name,
            type=option.resource_record_type, records=[option.resource_record_value], ttl=300,
            allow_overwrite=True, provider=providers[first_region])
        self.validated_arns: dict[str, str] = {
            region: AcmCertificateValidation(
                self, f"validation_{region_slug(region)}", certificate_arn=certificate.arn,
                validation_record_fqdns=[record.fqdn], provider=providers[region]).certificate_arn
            for region, certificate in self.certificates.items()
        }
