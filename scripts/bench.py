#!/usr/bin/env python3
"""Time a full synth of every environment against a plain import of the AWS bindings, in one run.

    python scripts/bench.py [--rounds N]

Each round runs both commands in fresh processes, alternating; the best time of
each is kept (the least disturbed by other load on the machine). Prints both
times and their ratio; exits 1 if the synth takes more than half the plain
import (the project's target), 0 otherwise.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 0.5


def timed(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2, help="rounds of both measurements (default 2)")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALETHEIA_")}
    env.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    imports, synths = [], []
    with tempfile.TemporaryDirectory(prefix="bench-synth-") as outdir:
        env["CDKTF_OUTDIR"] = outdir
        for round_number in range(1, args.rounds + 1):
            print(f"round {round_number}/{args.rounds}: plain import ...", file=sys.stderr)
            imports.append(timed([sys.executable, "-c", "import cdktf_cdktf_provider_aws"], env))
            print(f"round {round_number}/{args.rounds}: full synth of every environment ...", file=sys.stderr)
            synths.append(timed([sys.executable, "main.py"], env))
    plain, synth = min(imports), min(synths)
    ratio = synth / plain
    print(f"plain `import cdktf_cdktf_provider_aws`: {plain:.2f}s (best of {args.rounds})")
    print(f"full synth of all environments:        {synth:.2f}s (best of {args.rounds})")
    verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
    print(f"ratio synth/import: {ratio:.2f} (target <= {TARGET_RATIO}: {verdict})")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
