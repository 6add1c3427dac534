"""A regional WAF web ACL in front of an API Gateway stage, with its own encrypted logs."""

from __future__ import annotations

from cdktf import TerraformProvider
from constructs import Construct

from aletheia_constructs.encrypted_log_group import EncryptedLogGroup

from cdktf_cdktf_provider_aws.wafv2_web_acl import (
    Wafv2WebAcl,
    Wafv2WebAclDefaultAction,
    Wafv2WebAclDefaultActionAllow,
    Wafv2WebAclRule,
    Wafv2WebAclRuleAction,
    Wafv2WebAclRuleActionBlock,
    Wafv2WebAclRuleOverrideAction,
    Wafv2WebAclRuleOverrideActionNone,
    Wafv2WebAclRuleVisibilityConfig,
    Wafv2WebAclVisibilityConfig,
)
from cdktf_cdktf_provider_aws.wafv2_web_acl_association import Wafv2WebAclAssociation
from cdktf_cdktf_provider_aws.wafv2_web_acl_logging_configuration import Wafv2WebAclLoggingConfiguration

# AWS managed rule groups: common exploits, known bad inputs (Log4j among them) and
# anonymizing networks. Each name maps to rules overridden to count only:
# SizeRestrictions_BODY blocks bodies over 8 KB, but records may be up to 64 KB (the
# handler enforces that limit); HostingProviderIPList would block Route 53 health
# checkers and server clients running in clouds.
MANAGED_RULE_GROUPS: dict[str, tuple[str, ...]] = {
    "AWSManagedRulesCommonRuleSet": ("SizeRestrictions_BODY",),
    "AWSManagedRulesKnownBadInputsRuleSet": (),
    "AWSManagedRulesAnonymousIpList": ("HostingProviderIPList",),
}


def _managed_group(name: str, count_only: tuple[str, ...]) -> dict:
    statement: dict = {"name": name, "vendor_name": "AWS"}
    if count_only:
        statement["rule_action_override"] = [{"name": rule, "action_to_use": {"count": {}}}
                                             for rule in count_only]
    return {"managed_rule_group_statement": statement}


def _visibility(metric: str) -> dict:
    return dict(cloudwatch_metrics_enabled=True, metric_name=metric, sampled_requests_enabled=True)


class ApiWebAcl(Construct):
    """Managed rule groups plus a per-IP rate limit, associated with ``stage_arn``."""

    def __init__(self, scope: Construct, id_: str, *, name: str, region: str, account_id: str, stage_arn: str,
                 rate_limit_per_5_minutes: int, log_retention_days: int,
                 provider: TerraformProvider | None = None) -> None:
        super().__init__(scope, id_)
        rules = [
            Wafv2WebAclRule(
                name=group, priority=index,
                override_action=Wafv2WebAclRuleOverrideAction(none=Wafv2WebAclRuleOverrideActionNone()),
                statement=_managed_group(group, count_only),
                visibility_config=Wafv2WebAclRuleVisibilityConfig(**_visibility(group)))
            for index, (group, count_only) in enumerate(MANAGED_RULE_GROUPS.items())
        ]
        rules.append(Wafv2WebAclRule(
            name="rate-limit-per-ip", priority=len(rules),
            action=Wafv2WebAclRuleAction(block=Wafv2WebAclRuleActionBlock()),
            statement={"rate_based_statement": {"limit": rate_limit_per_5_minutes, "aggregate_key_type": "IP"}},
            visibility_config=Wafv2WebAclRuleVisibilityConfig(**_visibility("rate-limit-per-ip"))))
        self.web_acl = Wafv2WebAcl(
            self, "web_acl", name=name, scope="REGIONAL", description=f"Protects API stage in {region}",
            default_action=Wafv2WebAclDefaultAction(allow=Wafv2WebAclDefaultActionAllow()),
            rule=rules, visibility_config=Wafv2WebAclVisibilityConfig(**_visibility(name)),
            provider=provider)
        Wafv2WebAclAssociation(self, "association", resource_arn=stage_arn, web_acl_arn=self.web_acl.arn,
                               provider=provider)
        logs = EncryptedLogGroup(
            self, "logs", name=f"aws-waf-logs-{name}",  # WAF accepts only this prefix
            alias=f"{name}-waf-logs", region=region, account_id=account_id,
            retention_days=log_retention_days, provider=provider)
        Wafv2WebAclLoggingConfiguration(self, "logging", resource_arn=self.web_acl.arn,
                                        log_destination_configs=[logs.arn], provider=provider)
