"""Synthesize the Aletheia platform's Terraform JSON.

    python main.py                     every environment
    python main.py --env prod          only prod (repeatable)
    python main.py --env dev --list-stacks
                                       print the stacks in deployment order, no synth

``cdktf.json`` runs this file, so ``cdktf synth|diff|deploy`` work too. The
output folder is ``$CDKTF_OUTDIR`` (set by ``cdktf synth``), else ``cdktf.out``.
Config errors print one line and exit 2, before any AWS binding is loaded.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

from envs import ENVIRONMENTS, ConfigError, load_configs
from stacks.plan import stack_plan

# jsii warns loudly on Node 20 (end of life for jsii since 2026-10-30); the
# bindings run fine on it and CI pins the Node version deliberately.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="main.py",
        description="Synthesize Terraform JSON for the Aletheia platform's environments.",
        epilog="Config precedence: ALETHEIA_<KEY> process variables > envs/<env>.env > defaults.",
    )
    parser.add_argument("--env", action="append", dest="envs", metavar="NAME",
                        help=f"environment to synthesize (repeatable; default: all of {', '.join(ENVIRONMENTS)})")
    parser.add_argument("--list-stacks", action="store_true",
                        help="print id, kind and region of each stack in deployment order, then exit")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    names = list(dict.fromkeys(args.envs or ENVIRONMENTS))
    try:
        configs = load_configs(names, environ=os.environ)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.list_stacks:
        for config in configs:
            for spec in stack_plan(config):
                print(f"{spec.id}\t{spec.kind}\t{spec.region}\t{spec.environment}")
        return 0

    outdir = os.environ.get("CDKTF_OUTDIR") or "cdktf.out"
    from aletheia_constructs.table_definition import TableDefinitionError, validate_all
    from stacks import tables

    try:  # the table declarations are checked before anything is built or written
        validate_all(tables.TABLES)
    except TableDefinitionError as exc:
        print(f"error: stacks/tables.py: {exc}", file=sys.stderr)
        return 2
    started = time.monotonic()
    print(f"synthesizing {', '.join(names)} into {outdir}/ ...", file=sys.stderr)
    from stacks.app import build_app  # loads the AWS bindings: only when synthesizing

    existed = Path(outdir).exists()
    try:
        build_app(configs, outdir=outdir).synth()
    except BaseException:
        if not existed:  # leave nothing half-written behind
            shutil.rmtree(outdir, ignore_errors=True)
        raise
    count = sum(len(stack_plan(config)) for config in configs)
    print(f"synthesized {count} stacks in {time.monotonic() - started:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
