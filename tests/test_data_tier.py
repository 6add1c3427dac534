"""The data tier: global tables, per-region keys, PITR, deletion protection, alarms, outputs."""

from __future__ import annotations

import json

import pytest

import main
from aletheia_constructs.table_definition import (
    Attribute,
    GlobalIndex,
    TableDefinition,
    TableDefinitionError,
    validate_all,
)
from stacks import tables as table_catalog
from tests.conftest import only, resources

# Terraform identities of stateful resources. A changed id here means Terraform
# would destroy and recreate the table or its keys: the data would be lost.
PINNED_IDS = {
    "aws_dynamodb_table": {"records_table_60AC12E3"},
    "aws_kms_key": {"records_key_E3132CD0"},
    "aws_kms_replica_key": {"records_key_us_west_2_99A1C475"},
}


def test_stateful_ids_are_pinned(stack):
    for env in ("staging", "prod"):
        data = stack(f"aletheia-{env}-data")
        for rtype, ids in PINNED_IDS.items():
            assert set(resources(data, rtype)) == ids, f"{env}: {rtype} ids changed"
    dev = stack("aletheia-dev-data")
    assert set(resources(dev, "aws_dynamodb_table")) == PINNED_IDS["aws_dynamodb_table"]
    assert set(resources(dev, "aws_kms_key")) == PINNED_IDS["aws_kms_key"]


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_multi_region_tables_replicate_with_own_region_key_and_pitr(stack, env):
    data = stack(f"aletheia-{env}-data")
    table = only(data, "aws_dynamodb_table")
    assert table["name"] == f"aletheia-{env}-records"
    assert table["billing_mode"] == "PAY_PER_REQUEST"
    assert table["stream_enabled"] is True and table["stream_view_type"] == "NEW_AND_OLD_IMAGES"
    assert table["point_in_time_recovery"] == {"enabled": True}
    assert table["provider"] == "aws"
    key_id = next(iter(resources(data, "aws_kms_key")))
    key = resources(data, "aws_kms_key")[key_id]
    assert key["multi_region"] is True and key["enable_key_rotation"] is True and key["provider"] == "aws"
    assert table["server_side_encryption"] == {"enabled": True, "kms_key_arn": f"${{aws_kms_key.{key_id}.arn}}"}
    [replica] = table["replica"]
    replica_key_id = next(iter(resources(data, "aws_kms_replica_key")))
    replica_key = resources(data, "aws_kms_replica_key")[replica_key_id]
    assert replica["region_name"] == "us-west-2"
    assert replica["kms_key_arn"] == f"${{aws_kms_replica_key.{replica_key_id}.arn}}"
    assert replica_key["provider"] == "aws.backup"
    assert replica_key["primary_key_arn"] == f"${{aws_kms_key.{key_id}.arn}}"
    assert replica["point_in_time_recovery"] is True
    assert replica["propagate_tags"] is True
    assert "aws_dynamodb_table_replica" not in data["resource"]


def test_dev_has_no_replica_and_nothing_in_the_backup_region(stack):
    data = stack("aletheia-dev-data")
    table = only(data, "aws_dynamodb_table")
    assert "replica" not in table
    assert "aws_kms_replica_key" not in data["resource"]
    backup = [f"{rtype}.{rid}" for rtype, items in data["resource"].items()
              for rid, body in items.items() if body.get("provider") == "aws.backup"]
    assert backup == []


def test_deletion_protection_in_prod_only(stack):
    prod = only(stack("aletheia-prod-data"), "aws_dynamodb_table")
    assert prod["deletion_protection_enabled"] is True
    assert prod["replica"][0]["deletion_protection_enabled"] is True
    staging = only(stack("aletheia-staging-data"), "aws_dynamodb_table")
    assert staging["deletion_protection_enabled"] is False
    assert only(stack("aletheia-dev-data"), "aws_dynamodb_table")["deletion_protection_enabled"] is False


def test_table_schema_matches_the_declaration(stack):
    table = only(stack("aletheia-prod-data"), "aws_dynamodb_table")
    assert table["hash_key"] == "pk" and table["range_key"] == "sk"
    assert {a["name"] for a in table["attribute"]} == {"pk", "sk", "gsi1pk", "gsi1sk"}
    assert table["global_secondary_index"] == [
        {"name": "gsi1", "hash_key": "gsi1pk", "range_key": "gsi1sk", "projection_type": "ALL"}]
    assert table["ttl"] == {"attribute_name": "expires_at", "enabled": True}


def test_table_key_policies_let_dynamodb_read_metadata_and_nothing_wider(stack):
    data = stack("aletheia-prod-data")
    policies = [json.loads(k["policy"]) for k in resources(data, "aws_kms_key").values()]
    policies += [json.loads(k["policy"]) for k in resources(data, "aws_kms_replica_key").values()]
    assert len(policies) == 2
    for policy in policies:
        by_sid = {s["Sid"]: s for s in policy["Statement"]}
        assert set(by_sid) == {"AccountAdministersKey", "DynamoDBReadsKeyMetadata"}
        service = by_sid["DynamoDBReadsKeyMetadata"]
        assert service["Principal"] == {"Service": "dynamodb.amazonaws.com"}
        assert set(service["Action"]) == {"kms:DescribeKey", "kms:GetKeyPolicy", "kms:ListGrants"}
        assert by_sid["AccountAdministersKey"]["Principal"]["AWS"].endswith(":root")


def _alarms(stack_json: dict, metric: str) -> list[dict]:
    return [a for a in resources(stack_json, "aws_cloudwatch_metric_alarm").values()
            if a.get("metric_name") == metric
            or any(q.get("metric", {}).get("metric_name") == metric for q in a.get("metric_query", []))]


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_replication_latency_alarm_per_region_and_receiving_region(stack, env):
    alarms = _alarms(stack(f"aletheia-{env}-data"), "ReplicationLatency")
    found = {(a["provider"], a["dimensions"]["ReceivingRegion"]) for a in alarms}
    assert found == {("aws", "us-west-2"), ("aws.backup", "us-east-1")}
    for alarm in alarms:
        assert alarm["namespace"] == "AWS/DynamoDB"
        assert set(alarm["dimensions"]) == {"TableName", "ReceivingRegion"}
        assert alarm["dimensions"]["TableName"] == f"aletheia-{env}-records"
        assert alarm["threshold"] == 120000  # milliseconds: 2 minutes
        assert alarm["statistic"] == "Average"


def test_replication_latency_threshold_follows_config(configs):
    from cdktf import Testing

    from stacks.data_stack import DataStack
    from tests.conftest import config_for

    config = config_for("staging", REPLICATION_LATENCY_THRESHOLD_MS="60000")
    stack_json = json.loads(Testing.synth(DataStack(Testing.app(), "data", config=config,
                                                    alarm_topic_arns={r: "arn:topic" for r in config.regions})))
    assert {a["threshold"] for a in _alarms(stack_json, "ReplicationLatency")} == {60000}


def test_dev_has_throttle_and_error_alarms_but_no_replication_alarm(stack):
    dev = stack("aletheia-dev-data")
    assert _alarms(dev, "ReplicationLatency") == []
    assert len(_alarms(dev, "ThrottledRequests")) == 1
    [errors] = _alarms(dev, "SystemErrors")
    operations = {q["metric"]["dimensions"]["Operation"] for q in errors["metric_query"] if "metric" in q}
    assert {"GetItem", "PutItem"} <= operations


def test_outputs_name_tables_arns_and_streams_per_region(stack):
    outputs = stack("aletheia-prod-data")["output"]
    for name in ("records_table_name", "records_table_arn_us_east_1", "records_table_arn_us_west_2",
                 "records_stream_arn_us_east_1", "records_stream_arn_us_west_2"):
        assert name in outputs
    assert "records_table_arn_us_west_2" not in stack("aletheia-dev-data")["output"]


GOOD = dict(construct_id="t", name="t", partition_key="pk", attributes=(Attribute("pk"),))


@pytest.mark.parametrize("changes,message", [
    (dict(sort_key="sk"), "sort key 'sk' is not a declared attribute"),
    (dict(indexes=(GlobalIndex("by_x", "x"),)), "index 'by_x' partition key 'x' is not a declared attribute"),
    (dict(attributes=(Attribute("pk", "STRING"),)), "has type 'STRING' (accepted: S, N, B)"),
    (dict(attributes=(Attribute("pk"), Attribute("orphan"))), "orphan are declared but used by no key or index"),
    (dict(ttl_attribute="pk"), "TTL attribute 'pk' must not be a key attribute"),
    (dict(construct_id="Records"), "construct_id 'Records'"),
])
def test_mistyped_table_definitions_are_rejected(changes, message):
    with pytest.raises(TableDefinitionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        TableDefinition(**{**GOOD, **changes}).validate()


def test_duplicate_table_ids_are_rejected():
    with pytest.raises(TableDefinitionError, match="construct_id t used more than once"):
        validate_all((TableDefinition(**GOOD), TableDefinition(**GOOD)))


def test_the_declared_tables_are_valid():
    validate_all(table_catalog.TABLES)


def test_mistyped_table_fails_synth_with_one_line(monkeypatch, capsys, tmp_path):
    bad = TableDefinition(construct_id="records", name="records", partition_key="pk", sort_key="sk2",
                          attributes=(Attribute("pk"), Attribute("sk")))
    monkeypatch.setattr(table_catalog, "TABLES", (bad,))
    monkeypatch.setenv("CDKTF_OUTDIR", str(tmp_path / "out"))
    assert main.main(["--env", "dev"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == ("error: stacks/tables.py: table 'records': sort key 'sk2' is not a declared attribute "
                       "(declared: pk, sk)")
    assert not (tmp_path / "out").exists()
