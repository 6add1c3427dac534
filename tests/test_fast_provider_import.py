"""The per-submodule loading of the AWS bindings changes nothing in the output.

This test process synthesized with the fast loader (``synth_dir``); a second
process imports the whole ``cdktf_cdktf_provider_aws`` package the normal way
before running ``main.py``. Every stack file must be byte-identical.
"""

from __future__ import annotations

import os
import subprocess
import sys

from aletheia_constructs import _aws_bindings
from tests.conftest import ROOT

FULL_IMPORT_THEN_MAIN = """
import runpy, sys
import cdktf_cdktf_provider_aws
assert hasattr(cdktf_cdktf_provider_aws, "__all__"), "expected the package __init__ to run"
sys.argv = ["main.py"]
try:
    runpy.run_path("main.py", run_name="__main__")
except SystemExit as exc:
    code = exc.code
else:
    code = 0
from aletheia_constructs import _aws_bindings
print("lazy" if _aws_bindings.is_lazy() else "full")
sys.exit(code)
"""


def test_this_process_uses_the_fast_loader(synth_dir):
    assert _aws_bindings.is_lazy()
    loaded = [m for m in sys.modules if m.startswith(_aws_bindings.PACKAGE + ".")]
    assert 10 < len(loaded) < 200, f"{len(loaded)} submodules loaded"


def test_output_is_byte_identical_to_the_normal_import(synth_dir, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALETHEIA_")}
    env["CDKTF_OUTDIR"] = str(tmp_path / "out")
    proc = subprocess.run([sys.executable, "-c", FULL_IMPORT_THEN_MAIN], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().splitlines()[-1] == "full"
    ours = sorted(p.relative_to(synth_dir) for p in (synth_dir / "stacks").glob("*/cdk.tf.json"))
    theirs = sorted(p.relative_to(tmp_path / "out") for p in (tmp_path / "out" / "stacks").glob("*/cdk.tf.json"))
    assert ours == theirs and len(ours) >= 14
    for relative in ours:
        assert (synth_dir / relative).read_bytes() == (tmp_path / "out" / relative).read_bytes(), relative
