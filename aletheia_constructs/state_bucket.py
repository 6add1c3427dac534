"""The S3 bucket that holds an environment's Terraform state."""

from __future__ import annotations

import json

from cdktf import TerraformProvider
from constructs import Construct

from aletheia_constructs.kms_key import CustomerManagedKey

from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (
    S3BucketLifecycleConfiguration,
    S3BucketLifecycleConfigurationRule,
    S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload,
    S3BucketLifecycleConfigurationRuleFilter,
    S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration,
)
from cdktf_cdktf_provider_aws.s3_bucket_ownership_controls import (
    S3BucketOwnershipControls,
    S3BucketOwnershipControlsRule,
)
from cdktf_cdktf_provider_aws.s3_bucket_policy import S3BucketPolicy
from cdktf_cdktf_provider_aws.s3_bucket_public_access_block import S3BucketPublicAccessBlock
from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (
    S3BucketServerSideEncryptionConfigurationA,
    S3BucketServerSideEncryptionConfigurationRuleA,
    S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA,
)
from cdktf_cdktf_provider_aws.s3_bucket_versioning import (
    S3BucketVersioningA,
    S3BucketVersioningVersioningConfiguration,
)


def tls_only_policy(bucket_arn: str) -> str:
    """A bucket policy that denies every request not made over TLS."""
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [bucket_arn, f"{bucket_arn}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }],
    })


class StateBucket(Construct):
    """Versioned, SSE-KMS (customer-managed key), private, TLS-only state bucket.

    Noncurrent state versions are kept ``noncurrent_days`` days: long enough to
    roll back a bad apply, short enough not to keep every plan forever.
    """

    def __init__(self, scope: Construct, id_: str, *, bucket_name: str, account_id: str,
                 noncurrent_days: int = 90, provider: TerraformProvider | None = None) -> None:
        super().__init__(scope, id_)
        self.key = CustomerManagedKey(
            self, "state_key", alias=f"{bucket_name}-state",
            description=f"Encrypts Terraform state in s3://{bucket_name}",
            account_id=account_id, provider=provider,
        )
        self.bucket = S3Bucket(self, "bucket", bucket=bucket_name, provider=provider)
        bucket_id = self.bucket.id
        S3BucketVersioningA(
            self, "versioning", bucket=bucket_id, provider=provider,
            versioning_configuration=S3BucketVersioningVersioningConfiguration(status="Enabled"),
        )
        S3BucketServerSideEncryptionConfigurationA(
            self, "encryption", bucket=bucket_id, provider=provider,
            rule=[S3BucketServerSideEncryptionConfigurationRuleA(
                apply_server_side_encryption_by_default=(
                    S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA(
                        sse_algorithm="aws:kms", kms_master_key_id=self.key.arn)),
                bucket_key_enabled=True,
            )],
        )
        S3BucketPublicAccessBlock(
            self, "public_access_block", bucket=bucket_id, provider=provider,
            block_public_acls=True, block_public_policy=True,
            ignore_public_acls=True, restrict_public_buckets=True,
        )
        S3BucketOwnershipControls(
            self, "ownership", bucket=bucket_id, provider=provider,
            rule=S3BucketOwnershipControlsRule(object_ownership="BucketOwnerEnforced"),
        )
        S3BucketPolicy(self, "tls_only", bucket=bucket_id, provider=provider,
                       policy=tls_only_policy(self.bucket.arn))
        S3BucketLifecycleConfiguration(
            self, "lifecycle", bucket=bucket_id, provider=provider,
            rule=[S3BucketLifecycleConfigurationRule(
                id="expire-noncurrent-state", status="Enabled",
                filter=[S3BucketLifecycleConfigurationRuleFilter(prefix="")],
                noncurrent_version_expiration=[
                    S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration(noncurrent_days=noncurrent_days)],
                abort_incomplete_multipart_upload=[
                    S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload(days_after_initiation=7)],
            )],
        )
