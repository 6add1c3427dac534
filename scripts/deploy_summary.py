#!/usr/bin/env python3
"""Write a deployment's audit summary: deployments/<env>/<stamp>.json and .md.

Called by scripts/deploy-infrastructure.sh (also on failure, from its exit trap).
Both files are written beside their final names and renamed into place, so a
summary on disk is always whole. The Markdown is appended to $GITHUB_STEP_SUMMARY
when that variable is set. Prints the JSON path.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _git(*args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return proc.stdout.strip() if proc.returncode == 0 else "unknown"


def read_results(path: Path) -> list[dict]:
    stacks = []
    for line in path.read_text().splitlines():
        if line.strip():
            stack, region, result, seconds = line.split("\t")
            stacks.append({"stack": stack, "region": region, "result": result, "duration_seconds": int(seconds)})
    return stacks


def read_outputs(outputs_dir: str) -> dict:
    """cdktf's --outputs-file JSON of each deployed stack, merged by stack."""
    merged: dict = {}
    if outputs_dir and Path(outputs_dir).is_dir():
        for path in sorted(Path(outputs_dir).glob("*.json")):
            try:
                merged.update(json.loads(path.read_text()))
            except json.JSONDecodeError:
                merged[path.stem] = {"error": "unreadable outputs file"}
    return merged


def build(args: argparse.Namespace) -> dict:
    config = json.loads(Path(args.config).read_text()) if args.config and Path(args.config).is_file() else {}
    env = os.environ
    return {
        "environment": args.env,
        "status": args.status,
        "failed_step": args.failed_step or None,
        "started_at": args.started_at,
        "finished_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "git_commit": env.get("GITHUB_SHA") or _git("rev-parse", "HEAD"),
        "git_branch": env.get("GITHUB_REF_NAME") or _git("rev-parse", "--abbrev-ref", "HEAD"),
        "actor": env.get("GITHUB_ACTOR") or env.get("USER") or "unknown",
        "run_url": (f"{env['GITHUB_SERVER_URL']}/{env['GITHUB_REPOSITORY']}/actions/runs/{env['GITHUB_RUN_ID']}"
                    if env.get("GITHUB_RUN_ID") else None),
        "regions": config.get("regions", []),
        "multi_region": config.get("enable_multi_region"),
        "stacks": read_results(Path(args.results)),
        "outputs": read_outputs(args.outputs_dir),
        "log": args.log,
    }


def markdown(summary: dict) -> str:
    icon = {"succeeded": "✅", "failed": "❌", "running": "❌", "pending": "⏸️"}
    lines = [
        f"## Deployment of `{summary['environment']}`: {summary['status'].upper()}",
        "",
        f"- Commit: `{summary['git_commit']}` on `{summary['git_branch']}`, by {summary['actor']}",
        f"- Regions: {', '.join(summary['regions']) or 'unknown'}",
        f"- Started {summary['started_at']}, finished {summary['finished_at']}",
    ]
    if summary["failed_step"]:
        lines.append(f"- Failed step: `{summary['failed_step']}`")
    lines += ["", "| Stack | Region | Result | Duration |", "|---|---|---|---|"]
    for stack in summary["stacks"]:
        lines.append(f"| `{stack['stack']}` | {stack['region']} | {icon.get(stack['result'], '')} "
                     f"{stack['result']} | {stack['duration_seconds']}s |")
    if summary["outputs"]:
        lines += ["", "### Outputs", ""]
        for stack, outputs in summary["outputs"].items():
            for name, value in (outputs or {}).items():
                lines.append(f"- `{stack}` `{name}`: `{value}`")
    return "\n".join(lines) + "\n"


def write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text)
    partial.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--env", required=True)
    parser.add_argument("--status", required=True, choices=("succeeded", "failed"))
    parser.add_argument("--failed-step", default="")
    parser.add_argument("--stamp", required=True, help="UTC timestamp used in the file names")
    parser.add_argument("--started-at", required=True)
    parser.add_argument("--results", required=True, help="TSV: stack, region, result, seconds")
    parser.add_argument("--outputs-dir", default="")
    parser.add_argument("--config", default="", help="the environment's config as JSON (python -m envs)")
    parser.add_argument("--log", default="")
    parser.add_argument("--out-dir", required=True, type=Path)
    args = parser.parse_args(argv)
    summary = build(args)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    text = markdown(summary)
    # The Markdown first: the JSON (what tools read) appears only once both are whole.
    write_atomically(args.out_dir / f"{args.stamp}.md", text)
    write_atomically(args.out_dir / f"{args.stamp}.json", json.dumps(summary, indent=2) + "\n")
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        with open(step_summary, "a", encoding="utf-8") as handle:
            handle.write(text)
    print(args.out_dir / f"{args.stamp}.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
