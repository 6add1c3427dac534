"""The SNS topic a region's alarms notify, encrypted with a key CloudWatch may use."""

from __future__ import annotations

import json

from cdktf import TerraformProvider
from constructs import Construct

from aletheia_constructs.kms_key import CustomerManagedKey, ServiceGrant

from cdktf_cdktf_provider_aws.sns_topic import SnsTopic
from cdktf_cdktf_provider_aws.sns_topic_policy import SnsTopicPolicy
from cdktf_cdktf_provider_aws.sns_topic_subscription import SnsTopicSubscription

# CloudWatch must be able to use the topic's key, or alarms are silently never
# delivered; the AWS-managed alias/aws/sns key cannot grant that.
CLOUDWATCH_KEY_GRANT = ServiceGrant(
    sid="CloudWatchAlarmsPublish", service="cloudwatch.amazonaws.com",
    actions=("kms:Decrypt", "kms:GenerateDataKey*"))

_OWNER_ACTIONS = ("sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:AddPermission",
                  "sns:RemovePermission", "sns:DeleteTopic", "sns:Subscribe",
                  "sns:ListSubscriptionsByTopic")


def topic_policy(*, topic_arn: str, account_id: str, region: str) -> str:
    """Publishing only by CloudWatch alarms of this account and region; the account manages the topic."""
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "CloudWatchAlarmsOfThisAccountPublish",
                "Effect": "Allow",
                "Principal": {"Service": "cloudwatch.amazonaws.com"},
                "Action": "sns:Publish",
                "Resource": topic_arn,
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": account_id},
                    "ArnLike": {"aws:SourceArn": f"arn:aws:cloudwatch:{region}:{account_id}:alarm:*"},
                },
            },
            {
                "Sid": "AccountManagesTopic",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                "Action": list(_OWNER_ACTIONS),
                "Resource": topic_arn,
            },
        ],
    })


class AlarmTopic(Construct):
    """An alarm topic in one region with its own CMK, a strict topic policy and subscribers."""

    def __init__(self, scope: Construct, id_: str, *, topic_name: str, region: str, account_id: str,
                 emails: tuple[str, ...] = (), https_endpoint: str = "",
                 provider: TerraformProvider | None = None) -> None:
        super().__init__(scope, id_)
        self.key = CustomerManagedKey(
            self, "key", alias=f"{topic_name}", account_id=account_id, grants=(CLOUDWATCH_KEY_GRANT,),
            description=f"Encrypts alarm topic {topic_name} in {region}", provider=provider)
        self.topic = SnsTopic(self, "topic", name=topic_name, kms_master_key_id=self.key.arn, provider=provider)
        SnsTopicPolicy(self, "policy", arn=self.topic.arn, provider=provider,
                       policy=topic_policy(topic_arn=self.topic.arn, account_id=account_id, region=region))
        for index, email in enumerate(emails):
            SnsTopicSubscription(self, f"email_{index}", topic_arn=self.topic.arn, protocol="email",
                                 endpoint=email, provider=provider)
        if https_endpoint:
            SnsTopicSubscription(self, "https", topic_arn=self.topic.arn, protocol="https",
                                 endpoint=https_endpoint, endpoint_auto_confirms=False, provider=provider)

    @property
    def arn(self) -> str:
        return self.topic.arn
