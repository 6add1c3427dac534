#!/usr/bin/env python3
"""Summarize one stack's `cdktf diff` output for the pull-request plan comment.

    python scripts/plan_summary.py --env ENV --stack STACK --diff diff.txt --exit-code N --out summary.json

Reads Terraform's plan text as cdktf prints it: the "Plan: A to add, C to change,
D to destroy." line and each "# ADDRESS will be destroyed" / "must be replaced"
line. Destroying or replacing a resource that holds data (tables, keys, buckets,
log groups) is listed separately so the comment can highlight it. Standard
library only: it runs on a bare CI runner.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

STATEFUL_TYPES = ("aws_dynamodb_table", "aws_kms_key", "aws_kms_replica_key", "aws_s3_bucket",
                  "aws_cloudwatch_log_group", "aws_sns_topic")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_PLAN = re.compile(r"Plan: (\d+) to add, (\d+) to change, (\d+) to destroy")
_ACTION = re.compile(r"# ((?:module\.[\w-]+\.)*(?:data\.)?[a-z0-9_]+\.[\w-]+(?:\[[^\]]+\])?) "
                     r"(will be destroyed|must be replaced|will be created|will be updated in-place)")


def summarize(text: str, *, env: str, stack: str, exit_code: int) -> dict:
    clean = _ANSI.sub("", text)
    summary = {"environment": env, "stack": stack, "status": "planned" if exit_code == 0 else "failed",
               "add": 0, "change": 0, "destroy": 0, "destroyed": [], "replaced": [], "stateful_destroys": []}
    plan = _PLAN.search(clean)
    if plan:
        summary["add"], summary["change"], summary["destroy"] = (int(n) for n in plan.groups())
    elif exit_code == 0 and "No changes" not in clean:
        summary["status"] = "unreadable"
    for address, action in _ACTION.findall(clean):
        if action == "will be destroyed":
            summary["destroyed"].append(address)
        elif action == "must be replaced":
            summary["replaced"].append(address)
        else:
            continue
        if address.split(".")[0] in STATEFUL_TYPES and address not in summary["stateful_destroys"]:
            summary["stateful_destroys"].append(address)
    if summary["status"] == "failed":
        tail = [line for line in clean.strip().splitlines() if line.strip()][-5:]
        summary["error_tail"] = tail
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--env", required=True)
    parser.add_argument("--stack", required=True)
    parser.add_argument("--diff", required=True, type=Path, help="captured output of cdktf diff")
    parser.add_argument("--exit-code", required=True, type=int, help="exit status of cdktf diff")
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args(argv)
    text = args.diff.read_text(errors="replace") if args.diff.is_file() else ""
    summary = summarize(text, env=args.env, stack=args.stack, exit_code=args.exit_code)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"{args.stack}: {summary['status']}, +{summary['add']} ~{summary['change']} -{summary['destroy']}"
          + (f", STATEFUL: {', '.join(summary['stateful_destroys'])}" if summary["stateful_destroys"] else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
