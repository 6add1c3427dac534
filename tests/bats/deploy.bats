#!/usr/bin/env bats
# scripts/deploy-infrastructure.sh, offline. Tests that need the cdktf and
# terraform CLIs put the test doubles in tests/bats/doubles/ first on PATH;
# nothing here reaches AWS.

setup() {
  ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
  SCRIPT="$ROOT/scripts/deploy-infrastructure.sh"
  export DEPLOY_LOG_DIR="$BATS_TEST_TMPDIR/logs"
  export DEPLOY_SUMMARY_DIR="$BATS_TEST_TMPDIR/deployments"
  export DEPLOY_OUT_DIR="$BATS_TEST_TMPDIR/out"
  export DEPLOY_NODE_BIN="$BATS_TEST_TMPDIR/no-node-tools"
  export DOUBLE_CALLS="$BATS_TEST_TMPDIR/calls"
  export GITHUB_STEP_SUMMARY="$BATS_TEST_TMPDIR/step-summary.md"
  unset AWS_PROFILE AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
  for var in $(compgen -e | grep '^ALETHEIA_' || true); do unset "$var"; done
  BASE_PATH="/usr/local/bin:/usr/bin:/bin"
}

with_doubles() {  # the doubles first on PATH, plus credentials
  export PATH="$ROOT/tests/bats/doubles:$BASE_PATH"
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
}

summary_json() {
  ls "$DEPLOY_SUMMARY_DIR"/"$1"/*.json
}

@test "no arguments prints usage and exits 2" {
  run "$SCRIPT"
  [ "$status" -eq 2 ]
  [[ "$output" == *"Usage: scripts/deploy-infrastructure.sh <dev|staging|prod>"* ]]
}

@test "--help prints usage and exits 0" {
  run "$SCRIPT" --help
  [ "$status" -eq 0 ]
  [[ "$output" == *"--dry-run"* && "$output" == *"--stack NAME"* && "$output" == *"--yes"* ]]
}

@test "an unknown environment exits 2 naming the valid ones" {
  run "$SCRIPT" qa --dry-run
  [ "$status" -eq 2 ]
  [ "$output" = "error: unknown environment 'qa' (valid: dev staging prod)" ]
}

@test "an unknown option exits 2" {
  run "$SCRIPT" dev --force
  [ "$status" -eq 2 ]
  [[ "$output" == *"error: unknown option '--force'"* ]]
}

@test "every missing requirement is named at once" {
  export PATH="$BASE_PATH"
  export ALETHEIA_ENABLE_MULTI_REGION=maybe
  run "$SCRIPT" dev
  [ "$status" -eq 2 ]
  [[ "$output" == *"AWS credentials (set AWS_PROFILE"* ]]
  if ! command -v cdktf >/dev/null; then [[ "$output" == *"the cdktf CLI 0.21.x on PATH"* ]]; fi
  if ! command -v terraform >/dev/null; then [[ "$output" == *"terraform >= 1.10.0 on PATH"* ]]; fi
  [[ "$output" == *"a valid config: error: process environment: ALETHEIA_ENABLE_MULTI_REGION='maybe' is not a boolean"* ]]
  [ ! -e "$DEPLOY_SUMMARY_DIR" ]
}

@test "CLI versions outside what the app accepts are named" {
  with_doubles
  export DOUBLE_CDKTF_VERSION=0.20.11 DOUBLE_TERRAFORM_VERSION=1.9.8
  run "$SCRIPT" dev
  [ "$status" -eq 2 ]
  [[ "$output" == *"cdktf 0.21.x (found '0.20.11')"* ]]
  [[ "$output" == *"terraform >= 1.10.0 (found '1.9.8')"* ]]
  [[ "$output" != *"AWS credentials"* ]]
}

@test "dry run for dev: no credentials, no backup region, monitoring last" {
  export PATH="$BASE_PATH"
  run "$SCRIPT" dev --dry-run
  [ "$status" -eq 0 ]
  [[ "$output" == *"Dry run for dev: 4 stacks in this order, regions: us-east-1"* ]]
  order="$(grep -Eo '^ ?[0-9]+\. aletheia-[a-z0-9-]+ +[a-z0-9-]+' <<<"$output" | awk '{print $2, $3}')"
  [ "$order" = "aletheia-dev-alerting us-east-1
aletheia-dev-data us-east-1
aletheia-dev-api-us-east-1 us-east-1
aletheia-dev-monitoring us-east-1" ]
  [[ "$output" != *"us-west-2"* ]]
  [[ "$output" == *"cdktf deploy aletheia-dev-data --skip-synth --output $DEPLOY_OUT_DIR --auto-approve"* ]]
  [ -f "$DEPLOY_OUT_DIR/stacks/aletheia-dev-data/cdk.tf.json" ]
  [ ! -e "$DEPLOY_SUMMARY_DIR" ]
}

@test "dry run for staging: primary before backup region, data first, monitoring last" {
  export PATH="$BASE_PATH"
  run "$SCRIPT" staging --dry-run
  [ "$status" -eq 0 ]
  order="$(grep -Eo '^ ?[0-9]+\. aletheia-[a-z0-9-]+ +[a-z0-9-]+' <<<"$output" | awk '{print $2, $3}')"
  [ "$order" = "aletheia-staging-alerting us-east-1
aletheia-staging-data us-east-1
aletheia-staging-api-us-east-1 us-east-1
aletheia-staging-api-us-west-2 us-west-2
aletheia-staging-monitoring us-east-1" ]
  [[ "$output" == *"regions: us-east-1 us-west-2"* ]]
}

@test "a deployment writes a timestamped log and a JSON and Markdown summary" {
  with_doubles
  run "$SCRIPT" dev
  [ "$status" -eq 0 ]
  log_file="$(ls "$DEPLOY_LOG_DIR"/deploy-dev-*.log)"
  grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z deployed aletheia-dev-monitoring' "$log_file"
  json="$(summary_json dev)"
  [ -f "${json%.json}.md" ]
  run "${PYTHON:-$ROOT/.venv/bin/python}" - "$json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["status"] == "succeeded", s
assert s["environment"] == "dev" and s["regions"] == ["us-east-1"], s
assert [x["stack"] for x in s["stacks"]] == ["aletheia-dev-alerting", "aletheia-dev-data",
                                             "aletheia-dev-api-us-east-1", "aletheia-dev-monitoring"], s
assert all(x["result"] == "succeeded" for x in s["stacks"]), s
assert s["outputs"]["aletheia-dev-data"] == {"example_output": "value-of-aletheia-dev-data"}, s
assert s["git_commit"] and s["actor"], s
PY
  [ "$status" -eq 0 ]
  grep -q "Deployment of \`dev\`: SUCCEEDED" "$GITHUB_STEP_SUMMARY"
  [ "$(grep -c '^cdktf deploy' "$DOUBLE_CALLS")" -eq 4 ]
  [ -z "$(find "$DEPLOY_SUMMARY_DIR" -name '*.partial')" ]
}

@test "a failing stack marks the summary failed and stops the deployment" {
  with_doubles
  export DOUBLE_FAIL_STACK=aletheia-dev-api-us-east-1
  run "$SCRIPT" dev
  [ "$status" -ne 0 ]
  [[ "$output" == *"FAILED at step: deploy aletheia-dev-api-us-east-1"* ]]
  json="$(summary_json dev)"
  run "${PYTHON:-$ROOT/.venv/bin/python}" - "$json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["status"] == "failed", s
assert s["failed_step"] == "deploy aletheia-dev-api-us-east-1", s
results = {x["stack"]: x["result"] for x in s["stacks"]}
assert results == {"aletheia-dev-alerting": "succeeded", "aletheia-dev-data": "succeeded",
                   "aletheia-dev-api-us-east-1": "failed", "aletheia-dev-monitoring": "pending"}, results
PY
  [ "$status" -eq 0 ]
  grep -q "FAILED" "${json%.json}.md"
  [ "$(grep -c 'cdktf deploy aletheia-dev-monitoring' "$DOUBLE_CALLS")" -eq 0 ]
}

@test "prod asks for confirmation unless --yes" {
  with_doubles
  run "$SCRIPT" prod <<<"no"
  [ "$status" -eq 1 ]
  [[ "$output" == *"not confirmed; nothing deployed"* ]]
  [ ! -e "$DEPLOY_OUT_DIR" ]   # asked before any synth work
  [ "$(grep -c 'cdktf deploy' "$DOUBLE_CALLS")" -eq 0 ]
  run "$SCRIPT" prod --yes --stack aletheia-prod-data </dev/null
  [ "$status" -eq 0 ]
  [ "$(grep -c '^cdktf deploy' "$DOUBLE_CALLS")" -eq 1 ]
}

@test "--stack deploys only the named stacks; an unknown one exits 2" {
  with_doubles
  run "$SCRIPT" staging --stack aletheia-staging-monitoring --stack aletheia-staging-data
  [ "$status" -eq 0 ]
  [ "$(grep '^cdktf deploy' "$DOUBLE_CALLS" | awk '{print $3}')" = "aletheia-staging-data
aletheia-staging-monitoring" ]
  run "$SCRIPT" staging --stack aletheia-staging-state
  [ "$status" -eq 2 ]
  [[ "$output" == *"unknown stack 'aletheia-staging-state' for staging (valid: "* ]]
}
