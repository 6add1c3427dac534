"""Custom checks: checkov's DynamoDB checks look only at the table, not at its replicas."""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


def _first(value: Any) -> Any:
    """checkov wraps attribute values in one-element lists; unwrap."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


def replicas(conf: dict[str, Any]) -> list[dict[str, Any]]:
    """The replica blocks of an aws_dynamodb_table, however checkov nested them."""
    found: list[dict[str, Any]] = []
    stack: list[Any] = [conf.get("replica", [])]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.append(item)
        elif isinstance(item, list):
            stack.extend(item)
    return found


class _ReplicaCheck(BaseResourceCheck):
    attribute = ""

    def __init__(self, name: str, id_: str) -> None:
        super().__init__(name=name, id=id_, categories=[CheckCategories.BACKUP_AND_RECOVERY],
                         supported_resources=["aws_dynamodb_table"])

    def ok(self, replica: dict[str, Any]) -> bool:
        raise NotImplementedError

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        blocks = replicas(conf)
        if not blocks:
            return CheckResult.UNKNOWN  # no replica: nothing for this check to judge
        return CheckResult.PASSED if all(self.ok(block) for block in blocks) else CheckResult.FAILED


class ReplicaPointInTimeRecovery(_ReplicaCheck):
    def __init__(self) -> None:
        super().__init__("Ensure every DynamoDB global table replica has point-in-time recovery", "CKV_ALETHEIA_1")

    def ok(self, replica: dict[str, Any]) -> bool:
        return _first(replica.get("point_in_time_recovery")) is True


class ReplicaCustomerManagedKey(_ReplicaCheck):
    def __init__(self) -> None:
        super().__init__("Ensure every DynamoDB global table replica is encrypted with a KMS key of its region "
                         "(kms_key_arn)", "CKV_ALETHEIA_2")

    def ok(self, replica: dict[str, Any]) -> bool:
        key = _first(replica.get("kms_key_arn"))
        return isinstance(key, str) and bool(key.strip())


replica_pitr = ReplicaPointInTimeRecovery()
replica_cmk = ReplicaCustomerManagedKey()
