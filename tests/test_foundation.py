"""Every stack: backend, providers and tags; the state bootstrap bucket; the layout."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from cdktf import Testing

from stacks.base import AletheiaStack, state_key
from stacks.plan import stack_plan
from tests.conftest import ROOT, config_for, only, resources


def all_specs(configs):
    return [spec for config in configs.values() for spec in stack_plan(config)]


def test_synth_holds_every_planned_stack_of_every_environment(synth_dir, configs):
    synthesized = sorted(p.name for p in (synth_dir / "stacks").iterdir())
    planned = sorted(spec.id for spec in all_specs(configs))
    assert synthesized == planned
    for env in ("dev", "staging", "prod"):
        assert any(name.startswith(f"aletheia-{env}-") for name in synthesized)


def test_deployable_stacks_use_s3_backend_with_native_locking(stack, configs):
    keys = set()
    for config in configs.values():
        for spec in stack_plan(config):
            backend = stack(spec.id)["terraform"]["backend"]
            if spec.bootstrap:
                assert list(backend) == ["local"]
                continue
            s3 = backend["s3"]
            assert s3["bucket"] == config.state_bucket
            assert s3["region"] == config.state_region
            assert s3["encrypt"] is True
            assert s3["use_lockfile"] is True
            assert "dynamodb_table" not in s3
            assert s3["key"] == state_key(config, spec.id)
            keys.add(s3["key"])
    deployable = [s for s in all_specs(configs) if not s.bootstrap]
    assert len(keys) == len(deployable), "state keys must be unique per environment and stack"


def test_no_stack_sets_required_version(stack, configs):
    # checkov's terraform_json parser fails on terraform.required_version (see AWS-FACTS).
    for spec in all_specs(configs):
        assert "required_version" not in stack(spec.id)["terraform"]


def test_every_stack_has_primary_and_aliased_backup_provider_with_tags(stack, configs):
    for config in configs.values():
        for spec in stack_plan(config):
            providers = stack(spec.id)["provider"]["aws"]
            default = [p for p in providers if "alias" not in p]
            backup = [p for p in providers if p.get("alias") == "backup"]
            assert len(default) == 1 and len(backup) == 1
            assert default[0]["region"] == config.primary_region
            assert backup[0]["region"] == config.backup_region
            for provider in default + backup:
                tags = provider["default_tags"][0]["tags"]
                assert {"Project", "Environment", "ManagedBy", "Repository"} <= set(tags)
                assert tags["Environment"] == config.name


def test_stack_ids_name_project_environment_and_region(configs):
    for config in configs.values():
        for spec in stack_plan(config):
            assert spec.id.startswith(f"{config.project_name}-{config.name}-")
            if spec.kind == "api":
                assert spec.id.endswith(spec.region)


def test_state_bucket_is_hardened(stack):
    state = stack("aletheia-prod-state")
    bucket = only(state, "aws_s3_bucket")
    assert bucket["bucket"] == "aletheia-prod-tfstate"
    key = only(state, "aws_kms_key")
    assert key["enable_key_rotation"] is True
    assert json.loads(key["policy"])["Statement"], "the key needs an explicit policy"
    versioning = only(state, "aws_s3_bucket_versioning")
    assert versioning["versioning_configuration"]["status"] == "Enabled"
    sse = only(state, "aws_s3_bucket_server_side_encryption_configuration")["rule"][0]
    default = sse["apply_server_side_encryption_by_default"]
    assert default["sse_algorithm"] == "aws:kms"
    assert default["kms_master_key_id"].startswith("${aws_kms_key.")
    block = only(state, "aws_s3_bucket_public_access_block")
    assert all(block[flag] is True for flag in
               ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"))
    policy = json.loads(only(state, "aws_s3_bucket_policy")["policy"])
    deny = policy["Statement"][0]
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert only(state, "aws_s3_bucket_ownership_controls")["rule"]["object_ownership"] == "BucketOwnerEnforced"
    rule = only(state, "aws_s3_bucket_lifecycle_configuration")["rule"][0]
    assert rule["noncurrent_version_expiration"][0]["noncurrent_days"] > 0


def test_state_bucket_in_a_third_region_gets_its_own_provider():
    from stacks.state_stack import StateStack

    config = config_for("dev", STATE_REGION="eu-west-1")
    stack_json = json.loads(Testing.synth(StateStack(Testing.app(), "state", config=config)))
    regions = {p.get("alias", "default"): p["region"] for p in stack_json["provider"]["aws"]}
    assert regions == {"default": "us-east-1", "backup": "us-west-2", "state": "eu-west-1"}
    assert only(stack_json, "aws_s3_bucket")["provider"] == "aws.state"


def test_provider_for_rejects_a_foreign_region():
    stack = AletheiaStack(Testing.app(), "probe", config=config_for("dev"))
    assert stack.provider_for("us-west-2") is stack.backup_provider
    with pytest.raises(ValueError, match="neither PRIMARY_REGION nor BACKUP_REGION"):
        stack.provider_for("eu-central-1")


def test_constructs_name_is_the_library_not_a_project_package():
    proc = subprocess.run([sys.executable, "-c", "import constructs; print(constructs.__file__)"],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    assert "site-packages" in proc.stdout
    assert not (ROOT / "constructs").exists()


def test_stacks_and_constructs_do_not_read_the_process_environment():
    offenders = []
    for folder in ("stacks", "aletheia_constructs"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text()
            if "os.environ" in text or "os.getenv" in text:
                offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"only main.py and envs/ read the process environment: {offenders}"


def test_main_lists_only_the_chosen_environments_in_deployment_order(capsys):
    import main

    assert main.main(["--env", "prod", "--env", "dev", "--env", "prod", "--list-stacks"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert {row[3] for row in rows} == {"dev", "prod"}
    prod = [row[1] for row in rows if row[3] == "prod"]
    assert prod == ["state", "alerting", "data", "api", "api", "monitoring"]
    assert [row[0] for row in rows if row[3] == "prod"][3:5] == ["aletheia-prod-api-us-east-1",
                                                                  "aletheia-prod-api-us-west-2"]


def test_main_help_describes_the_options(capsys):
    import main

    with pytest.raises(SystemExit) as exit_info:
        main.main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "--env NAME" in out and "--list-stacks" in out and "ALETHEIA_<KEY>" in out


def test_us_east_1_gets_its_own_provider_when_neither_region_is_there():
    from stacks.alerting_stack import AlertingStack

    config = config_for("prod", PRIMARY_REGION="eu-west-1", BACKUP_REGION="eu-central-1", STATE_REGION="eu-west-1",
                        DOMAIN_NAME="api.example.com", HOSTED_ZONE_ID="Z0123456789ABC")
    stack_json = json.loads(Testing.synth(AlertingStack(Testing.app(), "alerting", config=config)))
    regions = {p.get("alias", "default"): p["region"] for p in stack_json["provider"]["aws"]}
    assert regions == {"default": "eu-west-1", "backup": "eu-central-1", "global": "us-east-1"}
    topics = resources(stack_json, "aws_sns_topic")
    assert sorted(t["provider"] for t in topics.values()) == ["aws", "aws.backup", "aws.global"]


def test_cdktf_knows_the_deployment_order(synth_dir, configs):
    manifest = json.loads((synth_dir / "manifest.json").read_text())["stacks"]
    for config in configs.values():
        plan = stack_plan(config)
        position = {spec.id: index for index, spec in enumerate(plan)}
        for spec in plan:
            for dependency in manifest[spec.id]["dependencies"]:
                assert position[dependency] < position[spec.id], f"{spec.id} needs {dependency} first"
        monitoring = manifest[f"{config.prefix}-monitoring"]["dependencies"]
        assert {s.id for s in plan if s.kind in ("data", "api")} <= set(monitoring)
        for region in config.regions:
            assert f"{config.prefix}-data" in manifest[f"{config.prefix}-api-{region}"]["dependencies"]
