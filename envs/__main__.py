"""Print one environment's validated config, for scripts: ``python -m envs dev``.

Exit status 2 with one line on stderr when the config is invalid.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys

from envs.config import ENVIRONMENTS, KEYS, ConfigError, load_config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m envs",
        description="Validate an environment's config and print it as JSON "
                    "(process ALETHEIA_<KEY> > envs/<name>.env > defaults).",
    )
    parser.add_argument("environment", nargs="?", help=f"one of {', '.join(ENVIRONMENTS)}")
    parser.add_argument("--keys", action="store_true", help="list every key with its default and meaning")
    parser.add_argument("--write-readme", action="store_true",
                        help="regenerate the config table in README.md from the keys and .env files")
    args = parser.parse_args(argv)
    if args.keys:
        for key, spec in KEYS.items():
            default = "(required)" if spec.default is None else (
                "(derived)" if callable(spec.default) else repr(spec.default))
            print(f"{key}\t{default}\t{spec.doc}")
        return 0
    if args.write_readme:
        from pathlib import Path

        from envs.docs import replace_table

        readme = Path(__file__).resolve().parent.parent / "README.md"
        readme.write_text(replace_table(readme.read_text()))
        print(f"updated the config table in {readme}", file=sys.stderr)
        return 0
    if not args.environment:
        parser.error("an environment is required")
    try:
        config = load_config(args.environment, environ=os.environ)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    data = dataclasses.asdict(config)
    data.pop("sources")
    data.update(prefix=config.prefix, regions=list(config.regions),
                dns_failover_enabled=config.dns_failover_enabled, tags=config.tags)
    json.dump(data, sys.stdout, indent=2, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
