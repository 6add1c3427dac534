#!/usr/bin/env python3
"""Render an environment's CloudWatch dashboard as an HTML page, for review without AWS access.

    python scripts/dashboard_preview.py ENV [--stacks-dir cdktf.out/stacks] [--out build/dashboard-ENV.html]

Reads the synthesized monitoring stack (run `make synth` first; `make dashboard ENV=prod` does
both), lays the widgets out on CloudWatch's 24-column grid, and lists each widget's title, series,
statistics and regions. Exit 2 with one line when the environment or the synth output is missing.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from envs import ENVIRONMENTS  # noqa: E402

_TOKEN = re.compile(r"\$\{[^}]*account_id[^}]*\}")
_REGION_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd")
CELL = 48  # pixels per grid unit


class PreviewError(Exception):
    pass


def load_dashboard(stacks_dir: Path, env: str) -> tuple[str, dict]:
    path = stacks_dir / f"aletheia-{env}-monitoring" / "cdk.tf.json"
    if not path.is_file():
        raise PreviewError(f"{path}: not found (run `make synth` first)")
    stack = json.loads(path.read_text())
    dashboards = stack.get("resource", {}).get("aws_cloudwatch_dashboard", {})
    if len(dashboards) != 1:
        raise PreviewError(f"{path}: expected one aws_cloudwatch_dashboard, found {len(dashboards)}")
    dashboard = next(iter(dashboards.values()))
    return dashboard["dashboard_name"], json.loads(dashboard["dashboard_body"])


def _series(row: list) -> tuple[str, str, str, str]:
    """(label, metric with dimensions, stat, region) of one metrics row."""
    options = row[-1] if isinstance(row[-1], dict) else {}
    namespace, name, dims = row[0], row[1], row[2:-1] if options else row[2:]
    pairs = ", ".join(f"{dims[i]}={dims[i + 1]}" for i in range(0, len(dims), 2))
    metric = f"{namespace} {name} ({pairs})"
    return options.get("label", name), metric, options.get("stat", ""), options.get("region", "")


def render(name: str, body: dict) -> str:
    widgets = body.get("widgets", [])
    regions = sorted({_series(row)[3] for w in widgets if w["type"] == "metric"
                      for row in w["properties"]["metrics"]} |
                     {w["properties"].get("region", "") for w in widgets if w["type"] == "alarm"})
    colour = {region: _REGION_COLOURS[i % len(_REGION_COLOURS)] for i, region in enumerate(regions)}
    boxes = []
    for widget in widgets:
        p = widget["properties"]
        style = (f"left:{widget['x'] * CELL}px;top:{widget['y'] * CELL}px;"
                 f"width:{widget['width'] * CELL - 8}px;height:{widget['height'] * CELL - 8}px")
        if widget["type"] == "text":
            text = "<br>".join(html.escape(line.lstrip("# ")) for line in p["markdown"].splitlines())
            boxes.append(f'<div class="w text" style="{style}">{text}</div>')
            continue
        if widget["type"] == "metric":
            items = []
            for row in p["metrics"]:
                label, metric, stat, region = _series(row)
                items.append(f'<li><span class="region" style="background:{colour.get(region, "#777")}">'
                             f'{html.escape(region)}</span> <b>{html.escape(label)}</b> '
                             f'<code>{html.escape(metric)}</code> {html.escape(stat)}</li>')
            boxes.append(f'<div class="w" style="{style}"><h3>{html.escape(p["title"])}</h3>'
                         f'<ul>{"".join(items)}</ul></div>')
        elif widget["type"] == "alarm":
            alarms = "".join(f"<li><code>{html.escape(_TOKEN.sub('<account>', arn).rsplit(':', 1)[-1])}</code></li>"
                             for arn in p["alarms"])
            region = p.get("region", "")
            boxes.append(f'<div class="w" style="{style}"><h3>{html.escape(p["title"])} '
                         f'<span class="region" style="background:{colour.get(region, "#777")}">'
                         f'{html.escape(region)}</span></h3><ul>{alarms}</ul></div>')
    height = max((w["y"] + w["height"] for w in widgets), default=1) * CELL
    legend = " ".join(f'<span class="region" style="background:{c}">{html.escape(r)}</span>'
                      for r, c in colour.items())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(name)} (preview)</title>
<style>
body {{ font: 13px system-ui, sans-serif; margin: 16px; background: #f4f5f7; }}
.grid {{ position: relative; width: {24 * CELL}px; height: {height}px; }}
.w {{ position: absolute; background: #fff; border: 1px solid #ccd; border-radius: 4px; padding: 4px 8px;
      overflow: auto; box-sizing: border-box; }}
.w.text {{ background: transparent; border: none; font-weight: 600; }}
h3 {{ margin: 2px 0 6px; font-size: 14px; }} ul {{ margin: 0; padding-left: 16px; }}
.region {{ color: #fff; border-radius: 3px; padding: 0 4px; font-size: 11px; }}
code {{ font-size: 11px; color: #444; }}
</style></head>
<body><h1>{html.escape(name)}</h1><p>Preview of the CloudWatch dashboard body ({len(widgets)} widgets).
Regions: {legend}</p><div class="grid">{"".join(boxes)}</div></body></html>
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("env", help=f"one of {', '.join(ENVIRONMENTS)}")
    parser.add_argument("--stacks-dir", type=Path, default=ROOT / "cdktf.out" / "stacks")
    parser.add_argument("--out", type=Path, help="output file (default: build/dashboard-ENV.html)")
    args = parser.parse_args(argv)
    if args.env not in ENVIRONMENTS:
        print(f"error: unknown environment {args.env!r} (accepted: {', '.join(ENVIRONMENTS)})", file=sys.stderr)
        return 2
    try:
        name, body = load_dashboard(args.stacks_dir, args.env)
    except PreviewError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = args.out or ROOT / "build" / f"dashboard-{args.env}.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.write_text(render(name, body))
    partial.replace(out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
