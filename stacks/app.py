"""Compose every stack of an environment, in the order of ``stacks.plan``."""

from __future__ import annotations

from cdktf import App, TerraformStack

from envs import EnvironmentConfig
from stacks.alerting_stack import AlertingStack
from stacks.api_stack import ApiStack
from stacks.data_stack import DataStack
from stacks.dns_stacks import CertificatesStack, DnsStack
from stacks.monitoring_stack import MonitoringStack
from stacks.plan import stack_plan
from stacks.state_stack import StateStack
from stacks.tables import RECORDS_TABLE


def add_environment(app: App, config: EnvironmentConfig) -> dict[str, TerraformStack]:
    """Add one environment's stacks to ``app``; return them by stack id, in deployment order."""
    built: dict[str, TerraformStack] = {}
    alerting: AlertingStack | None = None
    data: DataStack | None = None
    certificates: CertificatesStack | None = None
    apis: dict[str, ApiStack] = {}
    dns: DnsStack | None = None
    for spec in stack_plan(config):
        if spec.kind == "state":
            built[spec.id] = StateStack(app, spec.id, config=config)
        elif spec.kind == "alerting":
            built[spec.id] = alerting = AlertingStack(app, spec.id, config=config)
        elif spec.kind == "data":
            assert alerting is not None
            built[spec.id] = data = DataStack(app, spec.id, config=config,
                                                alarm_topic_arns=alerting.topic_arns)
        elif spec.kind == "api":
            assert alerting is not None and data is not None
            apis[spec.region] = built[spec.id] = ApiStack(
                app, spec.id, config=config, region=spec.region, records=data.tables[RECORDS_TABLE],
                alarm_topic_arn=alerting.topic_arns[spec.region],
                certificate_arn=certificates.certificate_arns[spec.region] if certificates else None)
        elif spec.kind == "certificates":
            built[spec.id] = certificates = CertificatesStack(app, spec.id, config=config)
        elif spec.kind == "dns":
            assert alerting is not None
            built[spec.id] = dns = DnsStack(app, spec.id, config=config, apis=apis,
                                              alarm_topic_arns=alerting.topic_arns)
        elif spec.kind == "monitoring":
            assert alerting is not None and data is not None
            monitoring = MonitoringStack(app, spec.id, config=config, data=data, apis=apis, dns=dns,
                                         alarm_topic_arns=alerting.topic_arns)
            # Its composite alarms name alarms of these stacks (plain names, no references),
            # so `cdktf deploy` must be told to deploy them first.
            for dependency in (data, *apis.values(), *([dns] if dns else [])):
                monitoring.add_dependency(dependency)
            built[spec.id] = monitoring
        else:  # pragma: no cover - stack_plan and this function change together
            raise ValueError(f"no stack class for kind {spec.kind!r}")
    return built


def build_app(configs: list[EnvironmentConfig], *, outdir: str) -> App:
    """One App holding the stacks of every given environment."""
    app = App(outdir=outdir)
    for config in configs:
        add_environment(app, config)
    return app
