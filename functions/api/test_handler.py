"""The handler against moto's DynamoDB: no network, no AWS account."""

from __future__ import annotations

import json
from unittest import mock

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from functions.api import handler as api

TABLE = "aletheia-test-records"
REGION = "us-west-2"


@pytest.fixture()
def table(monkeypatch):
    monkeypatch.setenv("TABLE_NAME", TABLE)
    monkeypatch.setenv("APP_REGION", REGION)
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(var, "testing")
    monkeypatch.setattr(api, "_table", None)
    with mock_aws():
        boto3.client("dynamodb", region_name=REGION).create_table(
            TableName=TABLE, BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
        yield boto3.resource("dynamodb", region_name=REGION).Table(TABLE)


def call(method: str, resource: str, record_id: str | None = None, body: str | None = None) -> tuple[int, dict]:
    event = {"httpMethod": method, "resource": resource, "path": resource.replace("{id}", record_id or ""),
             "pathParameters": {"id": record_id} if record_id is not None else None, "body": body}
    response = api.handler(event, None)
    assert response["headers"]["Content-Type"] == "application/json"
    return response["statusCode"], json.loads(response["body"])


def test_health_reports_region_and_reachable_table(table):
    status, body = call("GET", "/health")
    assert status == 200
    assert body == {"status": "ok", "region": REGION, "table": {"name": TABLE, "reachable": True}}


def test_health_is_503_when_the_table_is_missing(table):
    table.delete()
    status, body = call("GET", "/health")
    assert status == 503
    assert body["status"] == "unhealthy" and body["table"]["reachable"] is False
    assert body["region"] == REGION


def test_put_then_get_round_trips_with_numbers(table):
    status, stored = call("PUT", "/records/{id}", "abc-1", json.dumps({"data": {"n": 1.5, "k": 2, "s": "x"}}))
    assert status == 200
    assert stored["data"] == {"n": 1.5, "k": 2, "s": "x"} and stored["region"] == REGION
    item = table.get_item(Key={"pk": "record#abc-1", "sk": "record"})["Item"]
    assert item["id"] == "abc-1"
    status, fetched = call("GET", "/records/{id}", "abc-1")
    assert status == 200
    assert fetched["data"] == {"n": 1.5, "k": 2, "s": "x"}
    assert fetched["updated_at"] == stored["updated_at"]


def test_missing_record_is_404(table):
    status, body = call("GET", "/records/{id}", "nope")
    assert status == 404
    assert "nope" in body["error"]


@pytest.mark.parametrize("body,fragment", [
    (None, "empty"),
    ("{not json", "not valid JSON"),
    ("[1, 2]", "object"),
    (json.dumps({"data": "text"}), "object"),
    (json.dumps({"data": {}, "extra": 1}), "unknown field(s) extra"),
    ("x" * (64 * 1024 + 1), "exceeds"),
])
def test_malformed_body_is_400_and_writes_nothing(table, body, fragment):
    status, response = call("PUT", "/records/{id}", "r1", body)
    assert status == 400
    assert fragment in response["error"]
    assert table.scan()["Count"] == 0


@pytest.mark.parametrize("record_id", ["", "a b", "x" * 129, "../etc", "é"])
def test_malformed_id_is_400(table, record_id):
    status, body = call("GET", "/records/{id}", record_id)
    assert status == 400
    assert "malformed record id" in body["error"]


def test_dynamodb_failure_is_503(table):
    error = ClientError({"Error": {"Code": "InternalServerError", "Message": "boom"}}, "GetItem")
    with mock.patch.object(api._records_table(), "get_item", side_effect=error):
        status, body = call("GET", "/records/{id}", "abc")
    assert status == 503
    assert "unavailable" in body["error"]
    error = ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow"}}, "PutItem")
    with mock.patch.object(api._records_table(), "put_item", side_effect=error):
        status, body = call("PUT", "/records/{id}", "abc", json.dumps({"data": {}}))
    assert status == 503


def test_unknown_route_and_wrong_method(table):
    assert call("GET", "/nothing")[0] == 404
    assert call("DELETE", "/records/{id}", "abc")[0] == 405
    assert call("POST", "/health")[0] == 405
