#!/usr/bin/env bats
# scripts/state.sh, offline: the terraform test double in tests/bats/doubles/ is
# first on PATH and records the commands it is given.

setup() {
  ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
  SCRIPT="$ROOT/scripts/state.sh"
  export DOUBLE_CALLS="$BATS_TEST_TMPDIR/calls"
  : >"$DOUBLE_CALLS"
  export STATE_OUT_DIR="$BATS_TEST_TMPDIR/out"
  export PATH="$ROOT/tests/bats/doubles:/usr/local/bin:/usr/bin:/bin"
  for var in $(compgen -e | grep '^ALETHEIA_' || true); do unset "$var"; done
}

@test "usage on --help, exit 2 without arguments" {
  run "$SCRIPT" --help
  [ "$status" -eq 0 ]
  [[ "$output" == *"Usage: scripts/state.sh <dev|staging|prod> <stack> <command>"* ]]
  run "$SCRIPT"
  [ "$status" -eq 2 ]
}

@test "unknown environment, stack and command are clear errors that run nothing" {
  run "$SCRIPT" qa aletheia-qa-data list
  [ "$status" -eq 2 ]
  [ "$output" = "error: unknown environment 'qa' (valid: dev staging prod)" ]
  run "$SCRIPT" dev aletheia-dev-api-us-west-2 list
  [ "$status" -eq 2 ]
  [[ "$output" == "error: unknown stack 'aletheia-dev-api-us-west-2' for dev (valid: aletheia-dev-state "* ]]
  run "$SCRIPT" dev aletheia-dev-data destroy
  [ "$status" -eq 2 ]
  [[ "$output" == *"unknown command 'destroy' (valid: list, show ADDRESS, outputs, pull)"* ]]
  run "$SCRIPT" dev aletheia-dev-data show
  [ "$status" -eq 2 ]
  [ ! -s "$DOUBLE_CALLS" ]
}

@test "list initializes the stack's backend without the lock, then lists" {
  run "$SCRIPT" staging aletheia-staging-data list
  [ "$status" -eq 0 ]
  [ "$(cat "$DOUBLE_CALLS")" = "terraform -chdir=$STATE_OUT_DIR/stacks/aletheia-staging-data init -input=false -reconfigure -lock=false
terraform -chdir=$STATE_OUT_DIR/stacks/aletheia-staging-data state list" ]
  grep -q '"bucket": "aletheia-staging-tfstate"' "$STATE_OUT_DIR/stacks/aletheia-staging-data/cdk.tf.json"
}

@test "show, outputs and pull run the matching read-only command" {
  run "$SCRIPT" dev aletheia-dev-api-us-east-1 show aws_lambda_function.function_679B3B5A
  [ "$status" -eq 0 ]
  run "$SCRIPT" dev aletheia-dev-api-us-east-1 outputs
  [ "$status" -eq 0 ]
  run "$SCRIPT" dev aletheia-dev-api-us-east-1 pull
  [ "$status" -eq 0 ]
  [ "$(grep -v ' init ' "$DOUBLE_CALLS" | cut -d' ' -f3-)" = "state show aws_lambda_function.function_679B3B5A
output -json
state pull" ]
}
