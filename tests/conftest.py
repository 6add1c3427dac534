"""Shared fixtures. The AWS bindings load once per test process: every stack test
reads the same synthesized output, made once per session by ``synth_dir``."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

ROOT = Path(__file__).resolve().parent.parent

from envs import ENVIRONMENTS, EnvironmentConfig, load_config  # noqa: E402


def config_for(name: str, **overrides: str) -> EnvironmentConfig:
    """An environment's config from its .env file, ignoring the runner's ALETHEIA_* variables."""
    return load_config(name, environ={f"ALETHEIA_{k}": v for k, v in overrides.items()})


@pytest.fixture(scope="session")
def configs() -> dict[str, EnvironmentConfig]:
    return {name: config_for(name) for name in ENVIRONMENTS}


@pytest.fixture(scope="session")
def synth_dir(tmp_path_factory: pytest.TempPathFactory, configs: dict[str, EnvironmentConfig]) -> Path:
    """Every environment synthesized once, as `make synth` does (the committed .env files)."""
    from stacks.app import build_app

    outdir = tmp_path_factory.mktemp("cdktf.out")
    build_app(list(configs.values()), outdir=str(outdir)).synth()
    return outdir


@pytest.fixture(scope="session")
def stack(synth_dir: Path):
    """Load one synthesized stack's Terraform JSON by id."""
    cache: dict[str, dict] = {}

    def load(stack_id: str) -> dict:
        if stack_id not in cache:
            cache[stack_id] = json.loads((synth_dir / "stacks" / stack_id / "cdk.tf.json").read_text())
        return cache[stack_id]

    return load


def resources(stack_json: dict, rtype: str) -> dict[str, dict]:
    """The resources of one Terraform type in a stack, by logical id."""
    return stack_json.get("resource", {}).get(rtype, {})


def only(stack_json: dict, rtype: str) -> dict:
    """The single resource of a type; fails when there are none or several."""
    found = resources(stack_json, rtype)
    assert len(found) == 1, f"expected one {rtype}, found {sorted(found)}"
    return next(iter(found.values()))


DOMAIN = {"DOMAIN_NAME": "api.aletheia.example.com", "HOSTED_ZONE_ID": "Z0123456789ABCDEFGHIJ"}


@pytest.fixture(scope="session")
def dns_synth_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """staging and prod synthesized with ALETHEIA_DOMAIN_NAME / ALETHEIA_HOSTED_ZONE_ID set."""
    from stacks.app import build_app

    outdir = tmp_path_factory.mktemp("cdktf.out.dns")
    build_app([config_for("staging", **DOMAIN), config_for("prod", **DOMAIN)], outdir=str(outdir)).synth()
    return outdir


def load_stacks(outdir: Path) -> dict[str, dict]:
    """Every stack of a synth output folder, by id."""
    return {p.parent.name: json.loads(p.read_text()) for p in sorted((outdir / "stacks").glob("*/cdk.tf.json"))}


def provider_region(stack_json: dict, provider_ref: str | None) -> str:
    """The region of ``aws`` / ``aws.<alias>`` in a stack."""
    alias = (provider_ref or "aws").partition(".")[2]
    for provider in stack_json["provider"]["aws"]:
        if provider.get("alias", "") == alias:
            return provider["region"]
    raise AssertionError(f"no provider {provider_ref!r}")


_REMOTE_REF = re.compile(r"data\.terraform_remote_state\.cross-stack-reference-input-([\w-]+)\.outputs\.([\w-]+)")


def resolve_cross_stack(stacks: dict[str, dict], expression: str) -> str:
    """Replace each cdktf cross-stack reference with the expression its source stack outputs,
    so a value can be traced to the resource that produces it."""
    def source(match: re.Match[str]) -> str:
        value = stacks[match[1]]["output"][match[2]]["value"]
        assert value.startswith("${") and value.endswith("}"), value
        return value[2:-1]

    return _REMOTE_REF.sub(source, expression)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--snapshot-update", action="store_true", help="rewrite tests/snapshots/ from this synth")
