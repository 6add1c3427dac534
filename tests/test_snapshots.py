"""A snapshot of each environment's synthesized JSON, so a reviewer sees what a change does.

Volatile parts are masked: the cdktf and provider versions, and asset hashes.
After an intended change: ``make snapshots`` (or ``pytest tests/test_snapshots.py
--snapshot-update``), then review and commit ``tests/snapshots/``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, load_stacks

SNAPSHOT_DIR = ROOT / "tests" / "snapshots"
_ASSET = re.compile(r"assets/([^/\"]+)/[0-9A-F]{32}/([\w.-]+?)-[0-9a-f]{16}\.zip")


def mask(value, path: tuple = ()):
    """The stack JSON with versions and asset hashes replaced by placeholders."""
    if isinstance(value, dict):
        masked = {}
        for key, item in value.items():
            if key == "version" and (path[-1:] == ("metadata",) or path[-2:-1] == ("required_providers",)):
                masked[key] = "<version>"
            else:
                masked[key] = mask(item, path + (key,))
        return masked
    if isinstance(value, list):
        return [mask(item, path) for item in value]
    if isinstance(value, str):
        return _ASSET.sub(r"assets/\1/<hash>/\2-<hash>.zip", value)
    return value


def environment_snapshot(synth_dir: Path, env: str) -> dict:
    return {stack_id: mask(body) for stack_id, body in load_stacks(synth_dir).items()
            if stack_id.startswith(f"aletheia-{env}-")}


def _differences(expected: dict, actual: dict, path: str = "") -> list[str]:
    if isinstance(expected, dict) and isinstance(actual, dict):
        out = []
        for key in sorted(set(expected) | set(actual)):
            where = f"{path}.{key}" if path else key
            if key not in actual:
                out.append(f"removed {where}")
            elif key not in expected:
                out.append(f"added {where}")
            else:
                out += _differences(expected[key], actual[key], where)
        return out
    return [] if expected == actual else [f"changed {path}"]


def test_mask_hides_versions_and_asset_hashes():
    body = {"//": {"metadata": {"version": "0.21.0"}},
            "terraform": {"required_providers": {"aws": {"version": "6.25.0", "source": "aws"}}},
            "x": "assets/fn_asset_1/0123456789ABCDEF0123456789ABCDEF/api-0123456789abcdef.zip"}
    assert mask(body) == {"//": {"metadata": {"version": "<version>"}},
                          "terraform": {"required_providers": {"aws": {"version": "<version>", "source": "aws"}}},
                          "x": "assets/fn_asset_1/<hash>/api-<hash>.zip"}


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_environment_matches_snapshot(synth_dir, env, request):
    actual = environment_snapshot(synth_dir, env)
    path = SNAPSHOT_DIR / f"{env}.json"
    if request.config.getoption("--snapshot-update"):
        SNAPSHOT_DIR.mkdir(exist_ok=True)
        path.write_text(json.dumps(actual, indent=1, sort_keys=True) + "\n")
    assert path.exists(), f"no snapshot for {env}: run `make snapshots` and commit tests/snapshots/"
    expected = json.loads(path.read_text())
    differences = _differences(expected, actual)
    assert not differences, (f"{env} differs from tests/snapshots/{env}.json ({len(differences)} places, first: "
                             f"{differences[:8]}); if intended, run `make snapshots` and commit")
