#!/usr/bin/env python3
"""The policy gate: checkov over every synthesized stack, read from its JSON report.

    python scripts/policy_gate.py [STACKS_DIR]      (default: cdktf.out/stacks)

Fails (exit 1) on any failed check, any parsing error, a stack file with no
check run on it, or zero checks passed. checkov itself exits 0 with
"Parsing errors: 1" and no checks when it cannot parse a file, so its exit
status is not trusted: the JSON summary is. Skips live only in .checkov.yaml.
Custom checks in policies/ are loaded with --external-checks-dir.
Bad usage (no stacks to scan, checkov missing or unreadable output) exits 2.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STACK_FILE = "cdk.tf.json"


class GateError(Exception):
    """The gate could not run (exit 2), as opposed to a policy failure (exit 1)."""


@dataclass
class GateResult:
    """What checkov found, reduced to what the gate decides on."""

    stacks: list[str]
    passed: int = 0
    skipped: int = 0
    failures: list[str] = field(default_factory=list)
    parsing_errors: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.failures or self.parsing_errors or self.unchecked) and self.passed > 0

    def problems(self) -> list[str]:
        lines = [f"FAILED {f}" for f in self.failures]
        lines += [f"PARSE ERROR {p} (checkov ran no check on it)" for p in self.parsing_errors]
        lines += [f"NOT CHECKED {u} (no check result names this stack)" for u in self.unchecked]
        if self.passed == 0:
            lines.append("ZERO CHECKS PASSED: checkov checked nothing")
        return lines


def find_stacks(stacks_dir: Path) -> list[Path]:
    files = sorted(stacks_dir.glob(f"*/{STACK_FILE}"))
    if not files:
        raise GateError(f"{stacks_dir}: no */{STACK_FILE} to scan (run `make synth` first)")
    return files


def run_checkov(stacks_dir: Path, *, config_file: Path, checks_dir: Path) -> list[dict]:
    # Prefer the checkov installed beside this interpreter (the project's venv).
    checkov = shutil.which("checkov", path=str(Path(sys.executable).parent)) or shutil.which("checkov")
    if checkov is None:
        raise GateError("checkov is not on PATH (run `make install`)")
    cmd = [checkov, "--directory", str(stacks_dir), "--framework", "terraform_json",
           "--config-file", str(config_file), "--external-checks-dir", str(checks_dir),
           "--output", "json", "--skip-download"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        raise GateError(f"checkov exited {proc.returncode} without a JSON report: {tail[0]}") from None
    return report if isinstance(report, list) else [report]


def evaluate(reports: list[dict], stack_files: list[Path], stacks_dir: Path) -> GateResult:
    names = [str(p.relative_to(stacks_dir)) for p in stack_files]
    result = GateResult(stacks=names)
    seen: set[str] = set()
    for report in reports:
        summary = report.get("summary", {})
        results = report.get("results", {})
        result.passed += summary.get("passed", 0)
        result.skipped += summary.get("skipped", 0)
        for check in results.get("passed_checks", []) + results.get("failed_checks", []):
            seen.add(check["file_path"].lstrip("/"))
        for check in results.get("failed_checks", []):
            result.failures.append(f"{check['check_id']} {check['check_name']}: "
                                   f"{check['resource']} in {check['file_path'].lstrip('/')}")
        result.parsing_errors += [str(p) for p in results.get("parsing_errors", [])]
        if summary.get("parsing_errors", 0) and not results.get("parsing_errors"):
            result.parsing_errors.append(f"{summary['parsing_errors']} file(s)")
    result.unchecked = [name for name in names if name not in seen]
    return result


def gate(stacks_dir: Path, *, config_file: Path = ROOT / ".checkov.yaml",
         checks_dir: Path = ROOT / "policies") -> GateResult:
    stack_files = find_stacks(stacks_dir)
    reports = run_checkov(stacks_dir, config_file=config_file, checks_dir=checks_dir)
    return evaluate(reports, stack_files, stacks_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("stacks_dir", nargs="?", default="cdktf.out/stacks", type=Path,
                        help="folder of synthesized stacks (default: cdktf.out/stacks)")
    args = parser.parse_args(argv)
    print(f"policy gate: scanning {args.stacks_dir} with checkov ...", file=sys.stderr)
    try:
        result = gate(args.stacks_dir)
    except GateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for line in result.problems():
        print(line)
    verdict = "passed" if result.ok else "FAILED"
    print(f"policy gate {verdict} on {len(result.stacks)} stacks "
          f"({result.passed} checks passed, {len(result.failures)} failed, "
          f"{len(result.parsing_errors)} parsing errors; skips are listed in .checkov.yaml)")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
