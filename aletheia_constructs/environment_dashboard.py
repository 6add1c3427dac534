"""One CloudWatch dashboard for an environment: every region side by side, plus alarm status."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cdktf import TerraformProvider
from constructs import Construct

from aletheia_constructs.dashboard_model import AlarmStatus, DashboardLayout, Panel, Section, merge_panels

from cdktf_cdktf_provider_aws.cloudwatch_dashboard import CloudwatchDashboard


def alarm_arn(*, region: str, account_id: str, name: str) -> str:
    return f"arn:aws:cloudwatch:{region}:{account_id}:alarm:{name}"


def dashboard_layout(*, title: str, sections: Sequence[tuple[str, Sequence[Panel]]],
                     alarm_names: Mapping[str, Sequence[str]], account_id: str) -> DashboardLayout:
    """The dashboard's widgets: a heading, then each section's merged panels, then alarm status per region."""
    layout = DashboardLayout()
    layout.add(Section(f"# {title}\nEvery widget names its region; regions sit side by side."))
    for heading, panels in sections:
        layout.add(Section(f"## {heading}"))
        for panel in merge_panels(panels):
            layout.add(panel)
    layout.add(Section("## Alarms"))
    for region, names in alarm_names.items():
        layout.add(AlarmStatus(f"Alarms in {region}",
                               tuple(alarm_arn(region=region, account_id=account_id, name=n) for n in names),
                               region))
    return layout


class EnvironmentDashboard(Construct):
    """The dashboard resource, built from typed panels (no hand-written JSON)."""

    def __init__(self, scope: Construct, id_: str, *, dashboard_name: str, region: str, account_id: str,
                 sections: Sequence[tuple[str, Sequence[Panel]]], alarm_names: Mapping[str, Sequence[str]],
                 provider: TerraformProvider | None = None) -> None:
        super().__init__(scope, id_)
        self.layout = dashboard_layout(title=dashboard_name, sections=sections, alarm_names=alarm_names,
                                       account_id=account_id)
        self.dashboard = CloudwatchDashboard(self, "dashboard", dashboard_name=dashboard_name,
                                             dashboard_body=self.layout.body(), provider=provider)
        self.console_url = (f"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}"
                            f"#dashboards/dashboard/{dashboard_name}")
