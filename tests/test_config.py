"""The config layer: precedence, defaults per environment, and every bad-input error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import main
from envs import ENVIRONMENTS, ConfigError, load_config
from envs.config import KEYS
from tests.conftest import ROOT, config_for


def write_env(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / f"{name}.env").write_text(text)
    return tmp_path


MINIMAL = "STATE_BUCKET=aletheia-dev-tfstate\n"


def test_committed_environments_load_with_expected_multi_region(configs):
    assert set(configs) == set(ENVIRONMENTS)
    assert configs["dev"].enable_multi_region is False
    assert configs["staging"].enable_multi_region is True
    assert configs["prod"].enable_multi_region is True
    for config in configs.values():
        assert config.primary_region == "us-east-1"
        assert config.backup_region == "us-west-2"
        assert config.domain_name == "" and config.hosted_zone_id == ""


def test_config_is_frozen(configs):
    with pytest.raises(AttributeError):
        configs["dev"].enable_multi_region = True  # type: ignore[misc]


def test_code_defaults_apply_when_file_is_silent(tmp_path):
    config = load_config("dev", environ={}, envs_dir=write_env(tmp_path, "dev", MINIMAL))
    assert config.project_name == "aletheia"
    assert config.primary_region == "us-east-1"
    assert config.backup_region == "us-west-2"
    assert config.state_region == "us-east-1"  # derived from PRIMARY_REGION
    assert config.enable_multi_region is False
    assert config.autoscaling.target_utilization == 0.7
    assert config.table_alarms.replication_latency_ms == 120000


def test_file_beats_default_and_process_beats_file(tmp_path):
    envs_dir = write_env(tmp_path, "dev", MINIMAL + "PROVISIONED_CONCURRENCY_MAX=7\n")
    assert load_config("dev", environ={}, envs_dir=envs_dir).autoscaling.max_capacity == 7
    config = load_config("dev", environ={"ALETHEIA_PROVISIONED_CONCURRENCY_MAX": "9"}, envs_dir=envs_dir)
    assert config.autoscaling.max_capacity == 9
    assert config.sources["PROVISIONED_CONCURRENCY_MAX"] == "process environment: ALETHEIA_PROVISIONED_CONCURRENCY_MAX"


def test_unrelated_process_variables_are_ignored(tmp_path):
    config = load_config("dev", environ={"HOME": "/root", "ALETHEIAX": "1"},
                         envs_dir=write_env(tmp_path, "dev", MINIMAL))
    assert config.name == "dev"


def test_tags_always_carry_the_four_required_keys(configs):
    for config in configs.values():
        tags = config.tags
        assert tags["Project"] == "aletheia"
        assert tags["Environment"] == config.name
        assert tags["ManagedBy"] == "cdktf"
        assert "/" in tags["Repository"]


def test_prod_scales_higher_than_dev(configs):
    assert configs["prod"].autoscaling.max_capacity > configs["dev"].autoscaling.max_capacity
    assert configs["prod"].deletion_protection is True
    assert configs["dev"].deletion_protection is False


def test_every_key_is_documented_in_readme():
    readme = (ROOT / "README.md").read_text()
    missing = [key for key in KEYS if f"`{key}`" not in readme]
    assert not missing, f"README's config table lacks {missing}"


BAD_FILES = [
    # (file text, words the one-line message must contain)
    (MINIMAL + "ENABLE_MULTI_REGOIN=true\n", ["dev.env", "unknown key ENABLE_MULTI_REGOIN", "accepted:"]),
    (MINIMAL + "ENABLE_MULTI_REGION=maybe\n", ["dev.env", "ENABLE_MULTI_REGION", "not a boolean", "true"]),
    (MINIMAL + "PROVISIONED_CONCURRENCY_MIN=10\nPROVISIONED_CONCURRENCY_MAX=2\n",
     ["dev.env", "PROVISIONED_CONCURRENCY_MIN=10", "greater than PROVISIONED_CONCURRENCY_MAX=2"]),
    (MINIMAL + "BACKUP_REGION=us-east-1\n", ["dev.env", "BACKUP_REGION", "equals PRIMARY_REGION"]),
    (MINIMAL + "PRIMARY_REGION=us-east\n", ["dev.env", "PRIMARY_REGION", "not an AWS region name", "us-east-1"]),
    (MINIMAL + "BACKUP_REGION=US_WEST_2\n", ["dev.env", "BACKUP_REGION", "not an AWS region name"]),
    ("STATE_BUCKET=\n", ["dev.env", "STATE_BUCKET", "required value is empty"]),
    ("PROJECT_NAME=aletheia\n", ["dev.env", "STATE_BUCKET", "required value is missing"]),
    (MINIMAL + "PROJECT_NAME=\n", ["dev.env", "PROJECT_NAME", "required value is empty"]),
    (MINIMAL + "LOG_RETENTION_DAYS=42\n", ["dev.env", "LOG_RETENTION_DAYS", "accepted:"]),
    (MINIMAL + "PROVISIONED_CONCURRENCY_TARGET=70\n", ["dev.env", "PROVISIONED_CONCURRENCY_TARGET", "fraction"]),
    (MINIMAL + "DEFAULT_TAGS=Team\n", ["dev.env", "DEFAULT_TAGS", "Key=Value"]),
    (MINIMAL + "ALARM_EMAILS=ops.example.com\n", ["dev.env", "ALARM_EMAILS", "e-mail"]),
    (MINIMAL + "ENABLE_MULTI_REGION=true\nDOMAIN_NAME=api.example.com\n",
     ["HOSTED_ZONE_ID", "DOMAIN_NAME/HOSTED_ZONE_ID"]),
    (MINIMAL + "SCHEDULED_SCALING=peak=5:10\n", ["SCHEDULED_SCALING", "name@cron(...)=MIN:MAX"]),
    (MINIMAL + "STATE_BUCKET\n", ["dev.env", "STATE_BUCKET", "no '='"]),
]


@pytest.mark.parametrize("text,words", BAD_FILES, ids=[w[1] if len(w) > 1 else w[0] for _, w in BAD_FILES])
def test_bad_file_values_raise_one_clear_line(tmp_path, text, words):
    with pytest.raises(ConfigError) as info:
        load_config("dev", environ={}, envs_dir=write_env(tmp_path, "dev", text))
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"


def test_bad_process_value_names_the_variable(tmp_path):
    expected = r"process environment: ALETHEIA_ENABLE_MULTI_REGION='sometimes' is not a boolean"
    with pytest.raises(ConfigError, match=expected):
        load_config("dev", environ={"ALETHEIA_ENABLE_MULTI_REGION": "sometimes"},
                    envs_dir=write_env(tmp_path, "dev", MINIMAL))


def test_unknown_process_variable_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="unknown variable ALETHEIA_PRIMARY_REGOIN"):
        load_config("dev", environ={"ALETHEIA_PRIMARY_REGOIN": "us-east-1"},
                    envs_dir=write_env(tmp_path, "dev", MINIMAL))


def test_unknown_environment_lists_the_valid_ones():
    with pytest.raises(ConfigError, match=r"unknown environment 'qa' \(accepted: dev, staging, prod\)"):
        load_config("qa", environ={})


@pytest.mark.parametrize("argv,environ,expected", [
    (["--env", "qa"], {}, "error: unknown environment 'qa' (accepted: dev, staging, prod)"),
    (["--env", "dev"], {"ALETHEIA_ENABLE_MULTI_REGION": "maybe"},
     "error: process environment: ALETHEIA_ENABLE_MULTI_REGION='maybe' is not a boolean"),
    (["--env", "prod"], {"ALETHEIA_BACKUP_REGION": "us-east-1"},
     "error: process environment: ALETHEIA_BACKUP_REGION='us-east-1' equals PRIMARY_REGION"),
    (["--env", "staging"], {"ALETHEIA_PROVISIONED_CONCURRENCY_MIN": "50"},
     "error: process environment: ALETHEIA_PROVISIONED_CONCURRENCY_MIN=50 is greater than "
     "PROVISIONED_CONCURRENCY_MAX=20"),
    (["--env", "dev"], {"ALETHEIA_PRIMARY_REGION": "mars-1"},
     "error: process environment: ALETHEIA_PRIMARY_REGION='mars-1' is not an AWS region name"),
    (["--env", "dev"], {"ALETHEIA_STATE_BUCKET": ""},
     "error: process environment: ALETHEIA_STATE_BUCKET: required value is empty"),
])
def test_main_exits_2_with_one_line(monkeypatch, capsys, argv, environ, expected):
    for var in [v for v in __import__("os").environ if v.startswith("ALETHEIA_")]:
        monkeypatch.delenv(var)
    for var, value in environ.items():
        monkeypatch.setenv(var, value)
    assert main.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(expected)
    assert err.count("\n") == 1


def test_main_config_error_as_a_process_has_no_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "main.py", "--env", "dev"], cwd=ROOT, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "ALETHEIA_ENABLE_MULTI_REGION": "perhaps",
                               "CDKTF_OUTDIR": str(tmp_path / "out")})
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "error: process environment: ALETHEIA_ENABLE_MULTI_REGION='perhaps' is not a boolean "
        "(accepted: true, 1, yes, on, false, 0, no, off)"]
    assert not (tmp_path / "out").exists(), "a config error must not leave output behind"


def test_envs_cli_prints_json_and_fails_cleanly():
    ok = subprocess.run([sys.executable, "-m", "envs", "staging"], cwd=ROOT, capture_output=True, text=True,
                        env={"PATH": "/usr/bin:/bin"})
    assert ok.returncode == 0, ok.stderr
    assert '"enable_multi_region": true' in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "envs", "qa"], cwd=ROOT, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin"})
    assert bad.returncode == 2
    assert bad.stderr.strip() == "error: unknown environment 'qa' (accepted: dev, staging, prod)"


def test_overrides_helper_reaches_the_loader():
    assert config_for("dev", PROVISIONED_CONCURRENCY_MAX="3").autoscaling.max_capacity == 3


def test_readme_config_table_is_current():
    from envs.docs import replace_table

    readme = (ROOT / "README.md").read_text()
    assert replace_table(readme) == readme, "README's config table is stale: run `make docs`"
