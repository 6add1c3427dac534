"""The one config layer: ``envs/<name>.env`` files -> a frozen, validated config.

Precedence, highest first: the process variable ``ALETHEIA_<KEY>``, the key in
``envs/<name>.env``, the code default below. Every value is parsed and checked
here, before any construct is built; a bad value raises :class:`ConfigError`
whose message names where the value came from and what is accepted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

from aletheia_constructs.alarm_thresholds import ApiAlarmThresholds, TableAlarmThresholds

ENVS_DIR = Path(__file__).resolve().parent
ENVIRONMENTS: tuple[str, ...] = ("dev", "staging", "prod")
ENV_PREFIX = "ALETHEIA_"

_REGION_RE = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$")
_PROJECT_RE = re.compile(r"^[a-z][a-z0-9-]{1,19}$")
_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_EMAIL_RE = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
_DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_ZONE_RE = re.compile(r"^Z[A-Z0-9]{1,31}$")
_TAG_KEY_RE = re.compile(r"^[\w.:/=+@ -]{1,128}$")
_SCHEDULE_RE = re.compile(r"^(?P<name>[a-z0-9-]+)@(?P<expr>(cron|rate|at)\([^)]*\))=(?P<min>\d+):(?P<max>\d+)$")
_LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
                       1096, 1827, 2192, 2557, 2922, 3288, 3653)
_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off")


class ConfigError(Exception):
    """A configuration value is missing or invalid; the message is one line for a user."""


@dataclass(frozen=True)
class ScheduledScaling:
    """A scheduled change of the provisioned-concurrency floor and ceiling."""

    name: str
    schedule: str
    min_capacity: int
    max_capacity: int


@dataclass(frozen=True)
class AutoscalingSettings:
    """Provisioned-concurrency autoscaling for one region's function alias."""

    min_capacity: int
    max_capacity: int
    target_utilization: float = 0.7
    scale_in_cooldown_seconds: int = 300
    scale_out_cooldown_seconds: int = 60
    schedules: tuple[ScheduledScaling, ...] = ()


@dataclass(frozen=True)
class EnvironmentConfig:
    """Everything one environment's stacks are built from. Frozen and validated."""

    name: str
    project_name: str
    primary_region: str
    backup_region: str
    enable_multi_region: bool
    state_bucket: str
    state_region: str
    lambda_memory_mb: int
    lambda_reserved_concurrency: int
    lambda_timeout_seconds: int
    log_retention_days: int
    api_throttle_rate_limit: int
    api_throttle_burst_limit: int
    api_cache_enabled: bool
    waf_rate_limit_per_5_minutes: int
    manage_api_gateway_account: bool
    deletion_protection: bool
    autoscaling: AutoscalingSettings
    backup_autoscaling: AutoscalingSettings
    api_alarms: ApiAlarmThresholds
    table_alarms: TableAlarmThresholds
    default_tags: tuple[tuple[str, str], ...]
    repository: str
    domain_name: str = ""
    hosted_zone_id: str = ""
    alarm_emails: tuple[str, ...] = ()
    alarm_https_endpoint: str = ""
    sources: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def prefix(self) -> str:
        """``<project>-<env>``: the start of every resource name and stack id."""
        return f"{self.project_name}-{self.name}"

    @property
    def regions(self) -> tuple[str, ...]:
        """The regions this environment runs in, primary first."""
        if self.enable_multi_region:
            return (self.primary_region, self.backup_region)
        return (self.primary_region,)

    @property
    def dns_failover_enabled(self) -> bool:
        """True when a domain and hosted zone are configured and multi-region is on."""
        return bool(self.domain_name and self.hosted_zone_id)

    @property
    def tags(self) -> dict[str, str]:
        """The provider ``default_tags``: the fixed four plus DEFAULT_TAGS."""
        tags = dict(self.default_tags)
        tags.update({
            "Project": self.project_name,
            "Environment": self.name,
            "ManagedBy": "cdktf",
            "Repository": self.repository,
        })
        return tags

    def autoscaling_for(self, region: str) -> AutoscalingSettings:
        """The autoscaling settings of the function in ``region``."""
        return self.autoscaling if region == self.primary_region else self.backup_autoscaling


# ---------------------------------------------------------------- parsers
# Each parser takes the raw string and returns the value or raises ValueError
# whose text says what is accepted.

def _bool(raw: str) -> bool:
    low = raw.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise ValueError(f"is not a boolean (accepted: {', '.join(_TRUE + _FALSE)})")


def _int(lo: int, hi: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        try:
            value = int(raw.strip())
        except ValueError:
            raise ValueError(f"is not a whole number (accepted: {lo} to {hi})") from None
        if not lo <= value <= hi:
            raise ValueError(f"is out of range (accepted: {lo} to {hi})")
        return value
    return parse


def _fraction(raw: str) -> float:
    try:
        value = float(raw.strip())
    except ValueError:
        raise ValueError("is not a number (accepted: a fraction above 0 and at most 1, e.g. 0.7)") from None
    if not 0 < value <= 1:
        raise ValueError("is out of range (accepted: a fraction above 0 and at most 1, e.g. 0.7)")
    return value


def _matching(regex: re.Pattern[str], what: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.strip()
        if not regex.match(value):
            raise ValueError(f"is not {what}")
        return value
    return parse


def _optional(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    def wrapped(raw: str) -> Any:
        return parse(raw) if raw.strip() else ""
    wrapped.optional = True  # type: ignore[attr-defined]
    return wrapped


def _retention(raw: str) -> int:
    value = _int(1, 3653)(raw)
    if value not in _LOG_RETENTION_DAYS:
        raise ValueError("is not a CloudWatch Logs retention "
                         f"(accepted: {', '.join(map(str, _LOG_RETENTION_DAYS))})")
    return value


def _tags(raw: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in filter(None, (part.strip() for part in raw.split(","))):
        key, sep, value = item.partition("=")
        if not sep or not _TAG_KEY_RE.match(key.strip()) or not value.strip():
            raise ValueError(f"has a malformed tag {item!r} (accepted: Key=Value,Key=Value)")
        pairs.append((key.strip(), value.strip()))
    return tuple(pairs)


def _emails(raw: str) -> tuple[str, ...]:
    emails = tuple(filter(None, (part.strip() for part in raw.split(","))))
    for email in emails:
        if not _EMAIL_RE.match(email):
            raise ValueError(f"has a malformed address {email!r} (accepted: comma-separated e-mail addresses)")
    return emails


def _https_url(raw: str) -> str:
    value = raw.strip()
    if not re.match(r"^https://[^\s/]+(/\S*)?$", value):
        raise ValueError("is not an HTTPS URL (accepted: https://host/path)")
    return value


def _schedules(raw: str) -> tuple[ScheduledScaling, ...]:
    schedules = []
    for item in filter(None, (part.strip() for part in raw.split(";"))):
        match = _SCHEDULE_RE.match(item)
        if not match:
            raise ValueError(f"has a malformed schedule {item!r} "
                             "(accepted: name@cron(...)=MIN:MAX, several joined by ';')")
        lo, hi = int(match["min"]), int(match["max"])
        if lo > hi:
            raise ValueError(f"schedule {match['name']!r} has MIN {lo} above MAX {hi}")
        schedules.append(ScheduledScaling(match["name"], match["expr"], lo, hi))
    return tuple(schedules)


@dataclass(frozen=True)
class _Key:
    parse: Callable[[str], Any]
    default: Any = None  # None: required; a callable: computed from other values
    doc: str = ""


_region = _matching(_REGION_RE, "an AWS region name (accepted: e.g. us-east-1, eu-west-2)")
_project = _matching(_PROJECT_RE, "a project name (accepted: 2-20 of a-z, 0-9, '-', starting with a letter)")
_bucket = _matching(_BUCKET_RE, "an S3 bucket name (accepted: 3-63 of a-z, 0-9, '.', '-')")
_repository = _matching(re.compile(r"^[\w.-]+/[\w.-]+$"), "a GitHub repository (accepted: owner/name)")
_domain = _optional(_matching(_DOMAIN_RE, "a DNS name (accepted: e.g. api.example.com)"))
_zone = _optional(_matching(_ZONE_RE, "a Route 53 hosted zone id (accepted: e.g. Z0123456789ABC)"))
_count = _int(1, 1000000)


def _reserved_default(v: dict[str, Any]) -> int:
    return 2 * max(v["PROVISIONED_CONCURRENCY_MAX"], v["BACKUP_PROVISIONED_CONCURRENCY_MAX"])


# Key -> (parser, default, meaning). A default of None means required; a callable
# default is computed from the keys listed above it.
KEYS: dict[str, _Key] = {
    "PROJECT_NAME": _Key(_project, "aletheia", "Prefix of every stack id and resource name."),
    "PRIMARY_REGION": _Key(_region, "us-east-1", "Region of the primary table and API."),
    "BACKUP_REGION": _Key(_region, "us-west-2", "Region of the replica and standby API."),
    "ENABLE_MULTI_REGION": _Key(_bool, False, "Replicate data and run the API in BACKUP_REGION too."),
    "STATE_BUCKET": _Key(_bucket, None, "S3 bucket of the remote state (required)."),
    "STATE_REGION": _Key(_region, lambda v: v["PRIMARY_REGION"],
                         "Region of the state bucket (default: PRIMARY_REGION)."),
    "REPOSITORY": _Key(_repository, "mindburn/aletheia-infrastructure", "Repository tag on every resource."),
    "PROVISIONED_CONCURRENCY_MIN": _Key(_int(1, 10000), 1, "Autoscaling floor, primary region."),
    "PROVISIONED_CONCURRENCY_MAX": _Key(_int(1, 10000), 5, "Autoscaling ceiling, primary region."),
    "BACKUP_PROVISIONED_CONCURRENCY_MIN": _Key(
        _int(1, 10000), lambda v: v["PROVISIONED_CONCURRENCY_MIN"],
        "Autoscaling floor, backup region (default: PROVISIONED_CONCURRENCY_MIN)."),
    "BACKUP_PROVISIONED_CONCURRENCY_MAX": _Key(
        _int(1, 10000), lambda v: v["PROVISIONED_CONCURRENCY_MAX"],
        "Autoscaling ceiling, backup region (default: PROVISIONED_CONCURRENCY_MAX)."),
    "PROVISIONED_CONCURRENCY_TARGET": _Key(_fraction, 0.7, "Target ProvisionedConcurrencyUtilization (fraction)."),
    "SCALE_IN_COOLDOWN_SECONDS": _Key(_int(0, 3600), 300, "Cooldown after scaling in."),
    "SCALE_OUT_COOLDOWN_SECONDS": _Key(_int(0, 3600), 60, "Cooldown after scaling out."),
    "SCHEDULED_SCALING": _Key(_schedules, (), "Scheduled floors: name@cron(...)=MIN:MAX;..."),
    "LAMBDA_RESERVED_CONCURRENCY": _Key(
        _int(1, 100000), _reserved_default,
        "Reserved concurrency cap of the function (default: twice the larger autoscaling ceiling)."),
    "LAMBDA_MEMORY_MB": _Key(_int(128, 10240), 512, "Function memory."),
    "LAMBDA_TIMEOUT_SECONDS": _Key(_int(1, 29), 10, "Function timeout (API Gateway waits 29 s at most)."),
    "LOG_RETENTION_DAYS": _Key(_retention, 365, "Retention of function and access logs."),
    "API_THROTTLE_RATE_LIMIT": _Key(_int(1, 100000), 100, "Stage steady-state requests per second."),
    "API_THROTTLE_BURST_LIMIT": _Key(_int(1, 100000), 200, "Stage burst."),
    "WAF_RATE_LIMIT_PER_5_MINUTES": _Key(_int(10, 2000000000), 2000,
                                         "Requests one IP may make in 5 minutes before WAF blocks it."),
    "MANAGE_API_GATEWAY_ACCOUNT": _Key(
        _bool, True, "Set the region's API Gateway CloudWatch role (one environment per account should)."),
    "API_CACHE_ENABLED": _Key(_bool, False, "Stage cache cluster."),
    "DELETION_PROTECTION": _Key(_bool, False, "Deletion protection on tables and replicas."),
    "DEFAULT_TAGS": _Key(_tags, (), "Extra default tags: Key=Value,Key=Value."),
    "ALARM_EMAILS": _Key(_emails, (), "E-mail subscribers of the alarm topics."),
    "ALARM_HTTPS_ENDPOINT": _Key(_optional(_https_url), "", "HTTPS subscriber of the alarm topics."),
    "ALARM_5XX_THRESHOLD": _Key(_count, 10, "API 5XXError count per minute."),
    "ALARM_4XX_THRESHOLD": _Key(_count, 200, "API 4XXError count per minute."),
    "ALARM_LATENCY_P99_MS": _Key(_int(1, 29000), 2000, "API Latency p99 in ms."),
    "ALARM_LAMBDA_ERRORS_THRESHOLD": _Key(_count, 5, "Lambda Errors per minute."),
    "ALARM_LAMBDA_THROTTLES_THRESHOLD": _Key(_count, 1, "Lambda Throttles per minute."),
    "ALARM_SPILLOVER_THRESHOLD": _Key(_count, 10, "ProvisionedConcurrencySpilloverInvocations per minute."),
    "ALARM_PC_UTILIZATION_THRESHOLD": _Key(_fraction, 0.9, "ProvisionedConcurrencyUtilization (fraction)."),
    "REPLICATION_LATENCY_THRESHOLD_MS": _Key(_int(1000, 3600000), 120000, "DynamoDB ReplicationLatency in ms."),
    "ALARM_DYNAMODB_THROTTLES_THRESHOLD": _Key(_count, 10, "DynamoDB ThrottledRequests per minute."),
    "ALARM_DYNAMODB_SYSTEM_ERRORS_THRESHOLD": _Key(_count, 1, "DynamoDB SystemErrors per minute."),
    "DOMAIN_NAME": _Key(_domain, "", "Failover domain (with HOSTED_ZONE_ID)."),
    "HOSTED_ZONE_ID": _Key(_zone, "", "Hosted zone of DOMAIN_NAME."),
}


def env_file(name: str, envs_dir: Path = ENVS_DIR) -> Path:
    """The path of environment ``name``'s .env file."""
    return envs_dir / f"{name}.env"


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _raw_values(name: str, envs_dir: Path, environ: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Merge file and process values; return (raw values, where each came from)."""
    path = env_file(name, envs_dir)
    where = _display(path)
    if not path.is_file():
        raise ConfigError(f"{where}: file not found (every environment needs envs/<name>.env)")
    raw: dict[str, str] = {}
    sources: dict[str, str] = {}
    for key, value in dotenv_values(path, interpolate=False).items():
        if key not in KEYS:
            raise ConfigError(f"{where}: unknown key {key} (accepted: {', '.join(sorted(KEYS))})")
        if value is None:
            raise ConfigError(f"{where}: {key} has no '=' (accepted: KEY=value)")
        raw[key], sources[key] = value, f"{where}: {key}"
    for var, value in environ.items():
        if not var.startswith(ENV_PREFIX):
            continue
        key = var[len(ENV_PREFIX):]
        if key not in KEYS:
            raise ConfigError(f"process environment: unknown variable {var} "
                              f"(accepted: {ENV_PREFIX}<KEY> for a KEY of {', '.join(sorted(KEYS))})")
        raw[key], sources[key] = value, f"process environment: {var}"
    return raw, sources


def _parse_all(raw: dict[str, str], sources: dict[str, str], where: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, spec in KEYS.items():  # defaults may refer to keys listed above them
        source = sources.get(key, f"{where}: {key}")
        if key not in raw:
            if spec.default is None:
                raise ConfigError(f"{source}: required value is missing (set {key}=... in the file "
                                  f"or {ENV_PREFIX}{key} in the environment)")
            values[key] = spec.default(values) if callable(spec.default) else spec.default
            continue
        text = raw[key]
        if not text.strip() and not getattr(spec.parse, "optional", False):
            raise ConfigError(f"{source}: required value is empty")
        try:
            values[key] = spec.parse(text)
        except ValueError as exc:
            raise ConfigError(f"{source}={text!r} {exc}") from None
    return values


def _check_together(values: dict[str, Any], sources: dict[str, str], where: str) -> None:
    def src(key: str) -> str:
        return sources.get(key, f"{where}: {key}")

    if values["BACKUP_REGION"] == values["PRIMARY_REGION"]:
        raise ConfigError(f"{src('BACKUP_REGION')}={values['BACKUP_REGION']!r} equals PRIMARY_REGION "
                          "(accepted: a region other than the primary)")
    for lo, hi in (("PROVISIONED_CONCURRENCY_MIN", "PROVISIONED_CONCURRENCY_MAX"),
                   ("BACKUP_PROVISIONED_CONCURRENCY_MIN", "BACKUP_PROVISIONED_CONCURRENCY_MAX")):
        if values[lo] > values[hi]:
            raise ConfigError(f"{src(lo)}={values[lo]} is greater than {hi}={values[hi]} "
                              "(accepted: MIN <= MAX)")
    top = max(values["PROVISIONED_CONCURRENCY_MAX"], values["BACKUP_PROVISIONED_CONCURRENCY_MAX"])
    if values["LAMBDA_RESERVED_CONCURRENCY"] < top:
        raise ConfigError(f"{src('LAMBDA_RESERVED_CONCURRENCY')}={values['LAMBDA_RESERVED_CONCURRENCY']} is below "
                          f"the autoscaling ceiling {top} (accepted: at least the larger *PROVISIONED_CONCURRENCY_MAX)")
    for schedule in values["SCHEDULED_SCALING"]:
        if schedule.max_capacity > values["PROVISIONED_CONCURRENCY_MAX"]:
            raise ConfigError(f"{src('SCHEDULED_SCALING')}: schedule {schedule.name!r} MAX "
                              f"{schedule.max_capacity} exceeds PROVISIONED_CONCURRENCY_MAX="
                              f"{values['PROVISIONED_CONCURRENCY_MAX']}")
    if bool(values["DOMAIN_NAME"]) != bool(values["HOSTED_ZONE_ID"]):
        missing = "HOSTED_ZONE_ID" if values["DOMAIN_NAME"] else "DOMAIN_NAME"
        raise ConfigError(f"{src(missing)}: is empty while the other of DOMAIN_NAME/HOSTED_ZONE_ID is set "
                          "(accepted: both set for DNS failover, or both empty)")
    if values["DOMAIN_NAME"] and not values["ENABLE_MULTI_REGION"]:
        raise ConfigError(f"{src('DOMAIN_NAME')}: DNS failover needs ENABLE_MULTI_REGION=true "
                          "(accepted: leave DOMAIN_NAME and HOSTED_ZONE_ID empty when multi-region is off)")


def load_config(name: str, *, environ: Mapping[str, str], envs_dir: Path = ENVS_DIR) -> EnvironmentConfig:
    """Read, merge and validate environment ``name``; raise ConfigError on bad input."""
    if name not in ENVIRONMENTS:
        raise ConfigError(f"unknown environment {name!r} (accepted: {', '.join(ENVIRONMENTS)})")
    raw, sources = _raw_values(name, envs_dir, environ)
    where = _display(env_file(name, envs_dir))
    values = _parse_all(raw, sources, where)
    _check_together(values, sources, where)

    def autoscaling(lo: str, hi: str, schedules: tuple[ScheduledScaling, ...]) -> AutoscalingSettings:
        return AutoscalingSettings(
            min_capacity=values[lo], max_capacity=values[hi],
            target_utilization=values["PROVISIONED_CONCURRENCY_TARGET"],
            scale_in_cooldown_seconds=values["SCALE_IN_COOLDOWN_SECONDS"],
            scale_out_cooldown_seconds=values["SCALE_OUT_COOLDOWN_SECONDS"],
            schedules=schedules,
        )

    return EnvironmentConfig(
        name=name,
        project_name=values["PROJECT_NAME"],
        primary_region=values["PRIMARY_REGION"],
        backup_region=values["BACKUP_REGION"],
        enable_multi_region=values["ENABLE_MULTI_REGION"],
        state_bucket=values["STATE_BUCKET"],
        state_region=values["STATE_REGION"],
        repository=values["REPOSITORY"],
        lambda_memory_mb=values["LAMBDA_MEMORY_MB"],
        lambda_reserved_concurrency=values["LAMBDA_RESERVED_CONCURRENCY"],
        lambda_timeout_seconds=values["LAMBDA_TIMEOUT_SECONDS"],
        log_retention_days=values["LOG_RETENTION_DAYS"],
        api_throttle_rate_limit=values["API_THROTTLE_RATE_LIMIT"],
        api_throttle_burst_limit=values["API_THROTTLE_BURST_LIMIT"],
        api_cache_enabled=values["API_CACHE_ENABLED"],
        waf_rate_limit_per_5_minutes=values["WAF_RATE_LIMIT_PER_5_MINUTES"],
        manage_api_gateway_account=values["MANAGE_API_GATEWAY_ACCOUNT"],
        deletion_protection=values["DELETION_PROTECTION"],
        autoscaling=autoscaling("PROVISIONED_CONCURRENCY_MIN", "PROVISIONED_CONCURRENCY_MAX",
                                values["SCHEDULED_SCALING"]),
        # Scheduled floors apply to the primary; the standby keeps its own floor.
        backup_autoscaling=autoscaling("BACKUP_PROVISIONED_CONCURRENCY_MIN",
                                       "BACKUP_PROVISIONED_CONCURRENCY_MAX", ()),
        api_alarms=ApiAlarmThresholds(
            api_5xx_errors=values["ALARM_5XX_THRESHOLD"],
            api_4xx_errors=values["ALARM_4XX_THRESHOLD"],
            api_latency_p99_ms=values["ALARM_LATENCY_P99_MS"],
            lambda_errors=values["ALARM_LAMBDA_ERRORS_THRESHOLD"],
            lambda_throttles=values["ALARM_LAMBDA_THROTTLES_THRESHOLD"],
            provisioned_concurrency_spillover=values["ALARM_SPILLOVER_THRESHOLD"],
            provisioned_concurrency_utilization=values["ALARM_PC_UTILIZATION_THRESHOLD"],
        ),
        table_alarms=TableAlarmThresholds(
            replication_latency_ms=values["REPLICATION_LATENCY_THRESHOLD_MS"],
            throttled_requests=values["ALARM_DYNAMODB_THROTTLES_THRESHOLD"],
            system_errors=values["ALARM_DYNAMODB_SYSTEM_ERRORS_THRESHOLD"],
        ),
        default_tags=values["DEFAULT_TAGS"],
        domain_name=values["DOMAIN_NAME"],
        hosted_zone_id=values["HOSTED_ZONE_ID"],
        alarm_emails=values["ALARM_EMAILS"],
        alarm_https_endpoint=values["ALARM_HTTPS_ENDPOINT"],
        sources=sources,
    )


def load_configs(names: list[str] | tuple[str, ...], *, environ: Mapping[str, str],
                 envs_dir: Path = ENVS_DIR) -> list[EnvironmentConfig]:
    """Load several environments, all validated before any is used."""
    return [load_config(name, environ=environ, envs_dir=envs_dir) for name in names]
