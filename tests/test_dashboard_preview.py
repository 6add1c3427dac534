"""The dashboard preview a reviewer opens in a pull request."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import dashboard_preview  # noqa: E402


def test_preview_lays_out_every_widget_with_titles_metrics_and_regions(synth_dir, tmp_path):
    out = tmp_path / "prod.html"
    assert dashboard_preview.main(["prod", "--stacks-dir", str(synth_dir / "stacks"), "--out", str(out)]) == 0
    page = out.read_text()
    name, body = dashboard_preview.load_dashboard(synth_dir / "stacks", "prod")
    assert name == "aletheia-prod-overview"
    for widget in body["widgets"]:
        if widget["type"] in ("metric", "alarm"):
            assert f"<h3>{widget['properties']['title']}" in page
    assert "us-east-1" in page and "us-west-2" in page
    assert "AWS/DynamoDB ReplicationLatency" in page
    assert "${" not in page, "tokens must not leak into the preview"
    assert page.count('class="w') == len(body["widgets"])


def test_dev_preview_names_only_the_primary_region(synth_dir, tmp_path):
    out = tmp_path / "dev.html"
    assert dashboard_preview.main(["dev", "--stacks-dir", str(synth_dir / "stacks"), "--out", str(out)]) == 0
    assert "us-west-2" not in out.read_text()


def test_preview_errors_are_one_line_with_exit_2(tmp_path):
    for args, message in ((["qa"], "unknown environment 'qa'"),
                          (["prod", "--stacks-dir", str(tmp_path)], "not found (run `make synth` first)")):
        proc = subprocess.run([sys.executable, "scripts/dashboard_preview.py", *args], cwd=ROOT,
                              capture_output=True, text=True)
        assert proc.returncode == 2
        assert message in proc.stderr and proc.stderr.count("\n") == 1
