"""A DynamoDB global table (version 2019.11.21) with a customer-managed key in every region."""

from __future__ import annotations

from collections.abc import Mapping

from cdktf import TerraformOutput, TerraformProvider
from constructs import Construct

from aletheia_constructs.alarm_thresholds import TableAlarmThresholds
from aletheia_constructs.alarms import AlarmSpec, metric_alarm
from aletheia_constructs.dashboard_model import Metric, Panel
from aletheia_constructs.kms_key import CustomerManagedKey, ServiceGrant, key_policy
from aletheia_constructs.naming import region_slug
from aletheia_constructs.table_definition import TableDefinition

from cdktf_cdktf_provider_aws.cloudwatch_metric_alarm import CloudwatchMetricAlarm
from cdktf_cdktf_provider_aws.dynamodb_table import (
    DynamodbTable,
    DynamodbTableAttribute,
    DynamodbTableGlobalSecondaryIndex,
    DynamodbTablePointInTimeRecovery,
    DynamodbTableReplica,
    DynamodbTableServerSideEncryption,
    DynamodbTableTtl,
)
from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
from cdktf_cdktf_provider_aws.kms_replica_key import KmsReplicaKey

# Operations whose errors and throttles are alarmed on (what the API does).
WATCHED_OPERATIONS = ("GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query")
# DynamoDB itself only reads the key's metadata. Data-plane use goes through grants that
# DynamoDB creates with the caller's IAM permissions (the account statement of the key
# policy delegates to IAM): the deploying role and the API role's kms:ViaService statement.
_DYNAMODB_KEY_METADATA = ("kms:DescribeKey", "kms:GetKeyPolicy", "kms:ListGrants")


class GlobalTable(Construct):
    """A table in ``primary_region`` with replicas in ``replica_regions``.

    - on-demand billing, streams NEW_AND_OLD_IMAGES, TTL, PITR on table and every replica;
    - a multi-region KMS key (rotation on) in the primary and its replica key in
      each replica region; each region's copy is encrypted with its own region's key;
    - deletion protection on table and replicas when asked;
    - alarms in every region: ReplicationLatency per receiving region,
      ThrottledRequests and SystemErrors; all notify the region's topic.

    ``providers`` maps each region to its provider; ``alarm_topic_arns`` maps each
    region to the SNS topic its alarms notify.
    """

    def __init__(self, scope: Construct, id_: str, *, definition: TableDefinition, table_name: str,
                 account_id: str, primary_region: str, replica_regions: tuple[str, ...],
                 providers: Mapping[str, TerraformProvider], alarm_topic_arns: Mapping[str, str],
                 deletion_protection: bool, alarms: TableAlarmThresholds | None = None) -> None:
        super().__init__(scope, id_)
        definition.validate()
        self.definition = definition
        self.table_name = table_name
        self.primary_region = primary_region
        self.regions = (primary_region, *replica_regions)
        grants = (ServiceGrant(sid="DynamoDBReadsKeyMetadata", service="dynamodb.amazonaws.com",
                               actions=_DYNAMODB_KEY_METADATA),)
        primary_key = CustomerManagedKey(
            self, "key", alias=f"{table_name}-table", account_id=account_id, grants=grants,
            description=f"Encrypts DynamoDB table {table_name} (multi-region primary)",
            multi_region=True, provider=providers[primary_region])
        self.key_arns: dict[str, str] = {primary_region: primary_key.arn}
        for region in replica_regions:
            replica_key = KmsReplicaKey(
                self, f"key_{region_slug(region)}", primary_key_arn=primary_key.arn,
                description=f"Encrypts DynamoDB table {table_name} replica in {region}",
                deletion_window_in_days=30, policy=key_policy(account_id=account_id, grants=grants),
                provider=providers[region])
            KmsAlias(self, f"key_alias_{region_slug(region)}", name=f"alias/{table_name}-table",
                     target_key_id=replica_key.key_id, provider=providers[region])
            self.key_arns[region] = replica_key.arn

        self.table = DynamodbTable(
            self, "table",
            name=table_name,
            billing_mode="PAY_PER_REQUEST",
            hash_key=definition.partition_key,
            range_key=definition.sort_key,
            attribute=[DynamodbTableAttribute(name=a.name, type=a.type) for a in definition.attributes],
            global_secondary_index=[
                DynamodbTableGlobalSecondaryIndex(name=i.name, hash_key=i.partition_key, range_key=i.sort_key,
                                                  projection_type=i.projection)
                for i in definition.indexes] or None,
            ttl=DynamodbTableTtl(attribute_name=definition.ttl_attribute, enabled=True)
            if definition.ttl_attribute else None,
            stream_enabled=True,
            stream_view_type="NEW_AND_OLD_IMAGES",
            point_in_time_recovery=DynamodbTablePointInTimeRecovery(enabled=True),
            server_side_encryption=DynamodbTableServerSideEncryption(enabled=True, kms_key_arn=primary_key.arn),
            deletion_protection_enabled=deletion_protection,
            replica=[
                DynamodbTableReplica(region_name=region, kms_key_arn=self.key_arns[region],
                                     point_in_time_recovery=True, propagate_tags=True,
                                     deletion_protection_enabled=deletion_protection)
                for region in replica_regions] or None,
            provider=providers[primary_region],
        )
        self.table_arns: dict[str, str] = {primary_region: self.table.arn}
        self.stream_arns: dict[str, str] = {primary_region: self.table.stream_arn}
        for region in replica_regions:
            # Select replicas by region: `replica` is a set, so a position would not be stable.
            self.table_arns[region] = f"arn:aws:dynamodb:{region}:{account_id}:table/{table_name}"
            self.stream_arns[region] = (f'${{[for r in {self.table.fqn}.replica : r.stream_arn '
                                        f'if r.region_name == "{region}"][0]}}')
        self._outputs()
        alarms = alarms or TableAlarmThresholds()
        self.alarms: list[CloudwatchMetricAlarm] = []
        self.alarm_names: dict[str, list[str]] = {region: [] for region in self.regions}
        for region, spec_id, spec in self.alarm_specs(alarms):
            self.alarms.append(metric_alarm(self, f"alarm_{spec_id}", spec=spec, topic_arn=alarm_topic_arns[region],
                                            provider=providers[region]))
            self.alarm_names[region].append(spec.name)

    def _outputs(self) -> None:
        table = self.definition.construct_id
        values = {f"{table}_table_name": self.table.name}
        for region in self.regions:
            values[f"{table}_table_arn_{region_slug(region)}"] = self.table_arns[region]
            values[f"{table}_stream_arn_{region_slug(region)}"] = self.stream_arns[region]
            values[f"{table}_kms_key_arn_{region_slug(region)}"] = self.key_arns[region]
        for name, value in values.items():
            # Plain output names, so `terraform output` reads as the operator expects.
            TerraformOutput(self, name, value=value).override_logical_id(name)

    def alarm_specs(self, thresholds: TableAlarmThresholds) -> list[tuple[str, str, AlarmSpec]]:
        """(region, id, spec) of every alarm: plain values, usable without the table resource."""
        specs = []
        name = self.table_name
        for region in self.regions:
            table_dim = (("TableName", name),)
            for receiving in self.regions:
                if receiving == region:
                    continue
                spec_id = f"replication_latency_{region_slug(region)}_to_{region_slug(receiving)}"
                specs.append((region, spec_id, AlarmSpec(
                    name=f"{name}-replication-latency-{region}-to-{receiving}",
                    description=f"{name}: replication from {region} to {receiving} is behind by more than "
                                f"{thresholds.replication_latency_ms} ms (ReplicationLatency, Average)",
                    namespace="AWS/DynamoDB", metric="ReplicationLatency",
                    dimensions=table_dim + (("ReceivingRegion", receiving),),
                    statistic="Average", threshold=thresholds.replication_latency_ms,
                    # No writes means no datapoints: that is not a replication problem.
                    treat_missing_data="notBreaching")))
            for metric, threshold, what in (("ThrottledRequests", thresholds.throttled_requests, "throttled"),
                                            ("SystemErrors", thresholds.system_errors, "failing with 5xx")):
                specs.append((region, f"{metric.lower()}_{region_slug(region)}", AlarmSpec(
                    name=f"{name}-{metric.lower()}-{region}",
                    description=f"{name} in {region}: requests {what} above {threshold} per minute ({metric})",
                    namespace="AWS/DynamoDB", metric=metric, dimensions=table_dim, threshold=threshold,
                    sum_of=tuple(table_dim + (("Operation", op),) for op in WATCHED_OPERATIONS))))
        return specs

    def panels(self) -> list[Panel]:
        """Dashboard panels: capacity, throttles and replication latency, every region side by side."""
        name, home = self.table_name, self.primary_region
        dims = (("TableName", name),)
        capacity = tuple(Metric("AWS/DynamoDB", metric, dims, region, "Sum", f"{label} {region}")
                         for region in self.regions
                         for metric, label in (("ConsumedReadCapacityUnits", "read"),
                                               ("ConsumedWriteCapacityUnits", "write")))
        throttles = tuple(Metric("AWS/DynamoDB", metric, dims, region, "Sum", f"{label} {region}")
                          for region in self.regions
                          for metric, label in (("ReadThrottleEvents", "read throttles"),
                                                ("WriteThrottleEvents", "write throttles")))
        panels = [Panel(f"DynamoDB {name}: consumed capacity", capacity, home, "units"),
                  Panel(f"DynamoDB {name}: throttles", throttles, home, "events")]
        latency = tuple(Metric("AWS/DynamoDB", "ReplicationLatency", dims + (("ReceivingRegion", receiving),),
                               region, "Average", f"{region} to {receiving}")
                        for region in self.regions for receiving in self.regions if receiving != region)
        if latency:
            panels.append(Panel(f"DynamoDB {name}: ReplicationLatency", latency, home, "ms"))
        return panels
