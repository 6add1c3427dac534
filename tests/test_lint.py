"""ruff over the project's Python (settings in ruff.toml): errors, style, import order.

The import order matters here: ruff.toml places the AWS bindings after the project's
own imports, so `aletheia_constructs` always installs its loader first.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_ruff_has_no_findings():
    ruff = Path(sys.executable).parent / "ruff"
    proc = subprocess.run([str(ruff), "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
