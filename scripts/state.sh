#!/usr/bin/env bash
# Inspect one stack's Terraform state, read-only. Run with --help for usage.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
readonly ENVIRONMENTS=(dev staging prod)

usage() {
  cat <<USAGE
Usage: scripts/state.sh <dev|staging|prod> <stack> <command>

Commands:
  list            every resource address in the stack's state (terraform state list)
  show ADDRESS    one resource's attributes (terraform state show ADDRESS)
  outputs         the stack's outputs as JSON (terraform output -json)
  pull            the raw state document (terraform state pull)

Synthesizes the environment (into build/state/<env>, or STATE_OUT_DIR), initializes
the stack's backend from that configuration without taking the state lock, and runs
the read-only Terraform command. Needs terraform on PATH and AWS credentials for the
environment's account (not for aletheia-<env>-state, whose state is local).
Stacks: python main.py --env <env> --list-stacks. Exit 2 on bad usage.
USAGE
}

fail_usage() {
  printf 'error: %s\n' "$1" >&2
  printf "Run 'scripts/state.sh --help' for usage.\n" >&2
  exit 2
}

if [[ $# -eq 0 ]]; then usage >&2; exit 2; fi
if [[ "$1" == "-h" || "$1" == "--help" ]]; then usage; exit 0; fi
[[ $# -ge 3 ]] || fail_usage "expected <env> <stack> <command>"
env_name="$1" stack="$2" command="$3"
shift 3

valid=0
for candidate in "${ENVIRONMENTS[@]}"; do [[ "$env_name" == "$candidate" ]] && valid=1; done
if [[ $valid -eq 0 ]]; then
  printf "error: unknown environment '%s' (valid: %s)\n" "$env_name" "${ENVIRONMENTS[*]}" >&2
  exit 2
fi

case "$command" in
  list) [[ $# -eq 0 ]] || fail_usage "list takes no argument"; tf_args=(state list) ;;
  show) [[ $# -eq 1 ]] || fail_usage "show needs exactly one resource ADDRESS"; tf_args=(state show "$1") ;;
  outputs) [[ $# -eq 0 ]] || fail_usage "outputs takes no argument"; tf_args=(output -json) ;;
  pull) [[ $# -eq 0 ]] || fail_usage "pull takes no argument"; tf_args=(state pull) ;;
  *) fail_usage "unknown command '$command' (valid: list, show ADDRESS, outputs, pull)" ;;
esac

if [[ -z "${PYTHON:-}" ]]; then
  if [[ -x "$ROOT/.venv/bin/python" ]]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON="python3"; fi
fi
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-20}"

stacks="$(cd "$ROOT" && "$PYTHON" main.py --env "$env_name" --list-stacks | cut -f1)"
if ! grep -qxF -- "$stack" <<<"$stacks"; then
  printf "error: unknown stack '%s' for %s (valid: %s)\n" "$stack" "$env_name" "$(paste -sd' ' <<<"$stacks")" >&2
  exit 2
fi
if ! command -v terraform >/dev/null 2>&1; then
  echo "error: terraform is not on PATH" >&2
  exit 2
fi

out_dir="${STATE_OUT_DIR:-$ROOT/build/state/$env_name}"
echo "synthesizing $env_name ..." >&2
rm -rf "$out_dir"
(cd "$ROOT" && CDKTF_OUTDIR="$out_dir" "$PYTHON" main.py --env "$env_name" >/dev/null)
stack_dir="$out_dir/stacks/$stack"
echo "initializing the backend of $stack (no lock taken) ..." >&2
terraform -chdir="$stack_dir" init -input=false -reconfigure -lock=false >&2
terraform -chdir="$stack_dir" "${tf_args[@]}"
