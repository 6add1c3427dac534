"""A typed model of CloudWatch dashboard widgets, rendered to the dashboard JSON body.

Constructs describe what they want shown as :class:`Panel` objects (plain
strings only, no Terraform tokens), so the monitoring stack can lay out panels
from every regional stack without cross-stack references. Panels with the same
title are merged, which puts the regions' series side by side in one widget.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Metric:
    """One series: a CloudWatch metric in an explicit region."""

    namespace: str
    name: str
    dimensions: tuple[tuple[str, str], ...]
    region: str
    stat: str = "Sum"
    label: str = ""

    def to_json(self) -> list:
        row: list = [self.namespace, self.name]
        for key, value in self.dimensions:
            row += [key, value]
        options = {"region": self.region, "stat": self.stat, "label": self.label or f"{self.name} {self.region}"}
        return row + [options]


@dataclass(frozen=True)
class Panel:
    """A time-series widget: a title and its series (possibly from several regions)."""

    title: str
    metrics: tuple[Metric, ...]
    home_region: str
    y_label: str = ""
    period: int = 60
    annotations: tuple[tuple[str, float], ...] = ()

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.region for m in self.metrics))

    def widget(self, x: int, y: int, width: int = 12, height: int = 6) -> dict:
        properties: dict = {
            "title": self.title,
            "view": "timeSeries",
            "region": self.home_region,
            "period": self.period,
            "metrics": [m.to_json() for m in self.metrics],
        }
        if self.y_label:
            properties["yAxis"] = {"left": {"label": self.y_label, "showUnits": False}}
        if self.annotations:
            properties["annotations"] = {"horizontal": [{"label": label, "value": value}
                                                        for label, value in self.annotations]}
        return {"type": "metric", "x": x, "y": y, "width": width, "height": height, "properties": properties}


@dataclass(frozen=True)
class AlarmStatus:
    """An alarm-status widget over alarms given by ARN."""

    title: str
    alarm_arns: tuple[str, ...]
    home_region: str

    def widget(self, x: int, y: int, width: int = 24, height: int = 6) -> dict:
        return {"type": "alarm", "x": x, "y": y, "width": width, "height": height,
                "properties": {"title": self.title, "region": self.home_region,
                               "alarms": list(self.alarm_arns)}}


@dataclass(frozen=True)
class Section:
    """A heading row: a text widget across the dashboard."""

    markdown: str

    def widget(self, x: int, y: int, width: int = 24, height: int = 1) -> dict:
        return {"type": "text", "x": x, "y": y, "width": width, "height": height,
                "properties": {"markdown": self.markdown}}


def merge_panels(panels: Iterable[Panel]) -> list[Panel]:
    """Merge panels of the same title (in first-seen order), concatenating their series."""
    merged: dict[str, Panel] = {}
    for panel in panels:
        if panel.title in merged:
            first = merged[panel.title]
            merged[panel.title] = replace(first, metrics=first.metrics + panel.metrics,
                                          annotations=first.annotations or panel.annotations)
        else:
            merged[panel.title] = panel
    return list(merged.values())


@dataclass
class DashboardLayout:
    """Lays widgets out left to right, two metric panels per row of 24 units."""

    widgets: list[dict] = field(default_factory=list)
    _x: int = 0
    _y: int = 0

    def add(self, item: Panel | AlarmStatus | Section) -> None:
        if isinstance(item, Panel):
            if self._x >= 24:
                self._x, self._y = 0, self._y + 6
            self.widgets.append(item.widget(self._x, self._y))
            self._x += 12
            return
        if self._x:
            self._x, self._y = 0, self._y + 6
        widget = item.widget(0, self._y)
        self.widgets.append(widget)
        self._y += widget["height"]

    def body(self) -> str:
        return json.dumps({"widgets": self.widgets}, sort_keys=True)
