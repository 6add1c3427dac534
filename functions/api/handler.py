"""The platform API: API Gateway (REST, Lambda proxy) -> this function -> the region's records table.

Routes
    GET /health         the function's region and whether its table answers (200 or 503);
                        Route 53 health checks call it in every region
    GET /records/{id}   one record (200), or 404
    PUT /records/{id}   store {"data": {...}} under id (200 with the stored record)

Errors are JSON ``{"error": "..."}``: 400 for a malformed id or body, 404 for an
unknown route or record, 405 for a wrong method, 503 when DynamoDB fails.

Environment: TABLE_NAME (the table, whose replica in this region is used) and
APP_REGION (the region this copy serves; AWS_REGION is reserved by Lambda).
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
_MAX_BODY_BYTES = 64 * 1024
_HEALTH_KEY = {"pk": "health#probe", "sk": "health"}
# Fail fast: API Gateway gives up after 29 s, and a health check wants an answer in seconds.
_BOTO_CONFIG = Config(connect_timeout=2, read_timeout=3, retries={"max_attempts": 2, "mode": "standard"})

_table = None


def _records_table():
    """The records table in this function's region (created once per container)."""
    global _table
    if _table is None:
        resource = boto3.resource("dynamodb", region_name=os.environ["APP_REGION"], config=_BOTO_CONFIG)
        _table = resource.Table(os.environ["TABLE_NAME"])
    return _table


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _response(status: int, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json", "Cache-Control": "no-store"},
        "body": json.dumps(body, default=_json_default, sort_keys=True),
    }


def _error(status: int, message: str) -> dict[str, Any]:
    return _response(status, {"error": message})


def _record_key(record_id: str) -> dict[str, str]:
    return {"pk": f"record#{record_id}", "sk": "record"}


def health(_event: dict[str, Any]) -> dict[str, Any]:
    region = os.environ["APP_REGION"]
    table = os.environ["TABLE_NAME"]
    try:
        _records_table().get_item(Key=_HEALTH_KEY)
    except (ClientError, BotoCoreError) as exc:
        return _response(503, {"status": "unhealthy", "region": region,
                               "table": {"name": table, "reachable": False, "error": type(exc).__name__}})
    return _response(200, {"status": "ok", "region": region, "table": {"name": table, "reachable": True}})


def get_record(record_id: str) -> dict[str, Any]:
    try:
        item = _records_table().get_item(Key=_record_key(record_id)).get("Item")
    except (ClientError, BotoCoreError):
        return _error(503, "the records table is unavailable; try again")
    if item is None:
        return _error(404, f"record {record_id!r} not found")
    return _response(200, {"id": record_id, "data": item.get("data", {}), "updated_at": item.get("updated_at"),
                           "region": item.get("region")})


def _parse_body(event: dict[str, Any]) -> dict[str, Any] | str:
    """The PUT body's ``data`` object, or a message saying what is wrong with the body."""
    raw = event.get("body")
    if raw is None or raw == "":
        return "the body is empty (accepted: a JSON object {\"data\": {...}})"
    if event.get("isBase64Encoded"):
        return "the body must be JSON text, not base64"
    if len(raw.encode()) > _MAX_BODY_BYTES:
        return f"the body exceeds {_MAX_BODY_BYTES} bytes"
    try:
        body = json.loads(raw, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        return f"the body is not valid JSON ({exc.msg} at position {exc.pos})"
    if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
        return "the body must be a JSON object with an object under \"data\""
    unknown = sorted(set(body) - {"data"})
    if unknown:
        return f"unknown field(s) {', '.join(unknown)} (accepted: data)"
    return body["data"]


def put_record(record_id: str, event: dict[str, Any]) -> dict[str, Any]:
    data = _parse_body(event)
    if isinstance(data, str):
        return _error(400, data)
    now = datetime.now(UTC).isoformat(timespec="milliseconds")
    item = {**_record_key(record_id), "id": record_id, "data": data, "updated_at": now,
            "region": os.environ["APP_REGION"]}
    try:
        _records_table().put_item(Item=item)
    except (ClientError, BotoCoreError):
        return _error(503, "the records table is unavailable; try again")
    return _response(200, {"id": record_id, "data": data, "updated_at": now, "region": item["region"]})


def handler(event: dict[str, Any], _context: Any = None) -> dict[str, Any]:
    """Lambda entry point for API Gateway REST proxy events."""
    resource = event.get("resource") or ""
    method = (event.get("httpMethod") or "").upper()
    if resource == "/health":
        return health(event) if method == "GET" else _error(405, "method not allowed (accepted: GET)")
    if resource == "/records/{id}":
        record_id = (event.get("pathParameters") or {}).get("id") or ""
        if not _ID_RE.match(record_id):
            return _error(400, "malformed record id (accepted: 1-128 of A-Z, a-z, 0-9, '_', '-')")
        if method == "GET":
            return get_record(record_id)
        if method == "PUT":
            return put_record(record_id, event)
        return _error(405, "method not allowed (accepted: GET, PUT)")
    return _error(404, f"no route for {method} {event.get('path') or resource}")
