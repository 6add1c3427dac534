#!/usr/bin/env python3
"""Render one pull-request comment per environment from the stack plan summaries.

    python scripts/plan_comment.py --summaries DIR --out DIR [--skipped REASON]

Writes OUT/<env>.md for every environment with an envs/<env>.env file. Each body
starts with a hidden marker, so the workflow updates the same comment on every
push instead of adding new ones. With --skipped (pull requests from forks, which
get no AWS credentials), each body says the plan was skipped and why. Standard
library only.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def marker(env: str) -> str:
    return f"<!-- aletheia-plan:{env} -->"


def environments() -> list[str]:
    order = {"dev": 0, "staging": 1, "prod": 2}
    return sorted((p.stem for p in (ROOT / "envs").glob("*.env")), key=lambda e: (order.get(e, 9), e))


def render(env: str, summaries: list[dict], skipped: str = "") -> str:
    lines = [marker(env), f"### Terraform plan: `{env}`", ""]
    if skipped:
        lines += [f"Plan **skipped**: {skipped}", "",
                  "Tests, synth and the policy gate ran; see the checks of this pull request."]
        return "\n".join(lines) + "\n"
    if not summaries:
        lines.append("No plan summary arrived for this environment (see the plan jobs of this run).")
        return "\n".join(lines) + "\n"
    totals = {key: sum(s["add" if key == "add" else key] for s in summaries) for key in ("add", "change", "destroy")}
    stateful = [(s["stack"], address) for s in summaries for address in s["stateful_destroys"]]
    failed = [s for s in summaries if s["status"] != "planned"]
    headline = f"**{totals['add']} to add, {totals['change']} to change, {totals['destroy']} to destroy**"
    lines.append(headline + (f" — :x: {len(failed)} stack(s) could not be planned" if failed else ""))
    if stateful:
        lines += ["", "> [!CAUTION]", "> This plan destroys or replaces resources that hold data:"]
        lines += [f"> - `{stack}`: `{address}`" for stack, address in stateful]
    lines += ["", "| Stack | Add | Change | Destroy | Status |", "|---|---:|---:|---:|---|"]
    for s in sorted(summaries, key=lambda s: s["stack"]):
        status = {"planned": "ok", "failed": ":x: failed", "unreadable": ":warning: unreadable"}[s["status"]]
        if s["stateful_destroys"]:
            status += " :warning: data"
        lines.append(f"| `{s['stack']}` | {s['add']} | {s['change']} | {s['destroy']} | {status} |")
    for s in failed:
        if s.get("error_tail"):
            lines += ["", f"<details><summary><code>{s['stack']}</code> output</summary>", "", "```",
                      *s["error_tail"], "```", "</details>"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--summaries", type=Path, required=True, help="folder of plan_summary.py JSON files")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--skipped", default="", help="why the plan was skipped (fork pull requests)")
    args = parser.parse_args(argv)
    by_env: dict[str, list[dict]] = {}
    if args.summaries.is_dir():
        for path in sorted(args.summaries.rglob("*.json")):
            summary = json.loads(path.read_text())
            by_env.setdefault(summary["environment"], []).append(summary)
    args.out.mkdir(parents=True, exist_ok=True)
    for env in environments():
        (args.out / f"{env}.md").write_text(render(env, by_env.get(env, []), args.skipped))
        print(f"wrote {args.out / f'{env}.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
