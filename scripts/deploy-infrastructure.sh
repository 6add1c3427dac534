#!/usr/bin/env bash
# Deploy one environment's stacks in dependency order, with a log and an audit summary.
# Run with --help for usage.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
readonly ENVIRONMENTS=(dev staging prod)
readonly CDKTF_ACCEPTED="0.21"        # cdktf CLI major.minor the app is built with
readonly TERRAFORM_MINIMUM="1.10.0"   # S3-native state locking (use_lockfile)

usage() {
  cat <<EOF
Usage: scripts/deploy-infrastructure.sh <dev|staging|prod> [--dry-run] [--stack NAME]... [--yes]

Deploys one environment's stacks in dependency order: alerting, data, certificates,
the API in the primary region then the backup region, DNS, monitoring last.
Backup-region stacks exist only when ENABLE_MULTI_REGION is on. The state bucket
stack (aletheia-<env>-state) is bootstrapped by hand once and never deployed here.

Options:
  --dry-run      synthesize and print the stacks, order, regions and commands; no
                 credentials or network needed; deploys nothing
  --stack NAME   deploy only this stack (repeatable; still in dependency order)
  --yes          do not ask for confirmation (prod asks otherwise)
  -h, --help     show this help

Needs (checked first, all missing items named at once, exit 2): AWS credentials
(AWS_PROFILE, AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE, or AWS_ACCESS_KEY_ID +
AWS_SECRET_ACCESS_KEY), cdktf ${CDKTF_ACCEPTED}.x and terraform >= ${TERRAFORM_MINIMUM} on PATH,
the project's Python packages (make install), and a valid config for the environment
(envs/<env>.env and ALETHEIA_* variables).

Writes logs/deploy-<env>-<UTC timestamp>.log and deployments/<env>/<UTC timestamp>.json
and .md (appended to \$GITHUB_STEP_SUMMARY when set). Exit status: 0 deployed,
1 a deployment step failed or was not confirmed, 2 bad usage or missing requirements.

Environment: PYTHON (default .venv/bin/python), DEPLOY_LOG_DIR (logs), DEPLOY_SUMMARY_DIR
(deployments), DEPLOY_OUT_DIR (build/deploy/<env>: the synthesized stacks), DEPLOY_NODE_BIN
(node_modules/.bin, searched after PATH for cdktf).
EOF
}

die_usage() {
  printf 'error: %s\n' "$1" >&2
  printf "Run 'scripts/deploy-infrastructure.sh --help' for usage.\n" >&2
  exit 2
}

# ----------------------------------------------------------------- arguments
ENV_NAME=""
DRY_RUN=0
ASSUME_YES=0
SELECTED=()

if [[ $# -eq 0 ]]; then
  usage >&2
  exit 2
fi
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --dry-run) DRY_RUN=1 ;;
    --yes) ASSUME_YES=1 ;;
    --stack)
      [[ $# -ge 2 && -n "$2" && "$2" != --* ]] || die_usage "--stack needs a stack name"
      SELECTED+=("$2"); shift ;;
    --stack=*) SELECTED+=("${1#--stack=}") ;;
    -*) die_usage "unknown option '$1'" ;;
    *)
      [[ -z "$ENV_NAME" ]] || die_usage "more than one environment given ('$ENV_NAME', '$1')"
      ENV_NAME="$1" ;;
  esac
  shift
done
[[ -n "$ENV_NAME" ]] || die_usage "no environment given (valid: ${ENVIRONMENTS[*]})"
valid_env=0
for candidate in "${ENVIRONMENTS[@]}"; do [[ "$ENV_NAME" == "$candidate" ]] && valid_env=1; done
if [[ $valid_env -eq 0 ]]; then
  printf "error: unknown environment '%s' (valid: %s)\n" "$ENV_NAME" "${ENVIRONMENTS[*]}" >&2
  exit 2
fi

# ------------------------------------------------------------------- logging
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
readonly STAMP
LOG_DIR="${DEPLOY_LOG_DIR:-$ROOT/logs}"
SUMMARY_DIR="${DEPLOY_SUMMARY_DIR:-$ROOT/deployments}/$ENV_NAME"
OUT_DIR="${DEPLOY_OUT_DIR:-$ROOT/build/deploy/$ENV_NAME}"
mkdir -p "$LOG_DIR"
LOG_FILE="$LOG_DIR/deploy-$ENV_NAME-$STAMP.log"
: >"$LOG_FILE"

log() {
  printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" | tee -a "$LOG_FILE" >&2
}

# The project's Python (make install puts it in .venv); PYTHON overrides.
if [[ -z "${PYTHON:-}" ]]; then
  if [[ -x "$ROOT/.venv/bin/python" ]]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON="python3"; fi
fi
# Locally installed npm tools (DEPLOY_NODE_BIN) come last, so anything earlier on PATH wins.
PATH="$PATH:${DEPLOY_NODE_BIN:-$ROOT/node_modules/.bin}"
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-20}"

# ------------------------------------------------------------------ failure
CURRENT_STEP="start"
SUMMARY_ARMED=0      # from synth on, every exit writes a summary
FINISHED=0
STARTED_AT="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
STACK_IDS=()
STACK_REGIONS=()
RESULT_STATUS=()     # per stack: pending, running, succeeded or failed
RESULT_STARTED=()
RESULT_SECONDS=()
OUTPUTS_DIR=""
CONFIG_JSON=""

write_summary() {  # $1: succeeded|failed, $2: failing step
  local results i
  results="$(mktemp)"
  for i in "${!STACK_IDS[@]}"; do
    printf '%s\t%s\t%s\t%s\n' "${STACK_IDS[$i]}" "${STACK_REGIONS[$i]}" "${RESULT_STATUS[$i]}" \
      "${RESULT_SECONDS[$i]}" >>"$results"
  done
  "$PYTHON" "$ROOT/scripts/deploy_summary.py" \
    --env "$ENV_NAME" --status "$1" --failed-step "${2:-}" --stamp "$STAMP" --started-at "$STARTED_AT" \
    --results "$results" --outputs-dir "$OUTPUTS_DIR" --config "$CONFIG_JSON" --log "$LOG_FILE" \
    --out-dir "$SUMMARY_DIR"
  rm -f "$results"
}

on_exit() {
  local rc=$? i
  if [[ $rc -ne 0 && $SUMMARY_ARMED -eq 1 && $FINISHED -eq 0 ]]; then
    FINISHED=1
    log "FAILED at step: $CURRENT_STEP (exit $rc)"
    for i in "${!STACK_IDS[@]}"; do
      if [[ "${RESULT_STATUS[$i]}" == "running" ]]; then
        RESULT_STATUS[i]="failed"
        RESULT_SECONDS[i]=$((SECONDS - RESULT_STARTED[i]))
      fi
    done
    if summary="$(write_summary failed "$CURRENT_STEP")"; then
      log "summary (deployment FAILED): $summary"
    else
      log "could not write the deployment summary"
    fi
  fi
  [[ -z "$OUTPUTS_DIR" ]] || rm -rf "$OUTPUTS_DIR"
  [[ -z "$CONFIG_JSON" ]] || rm -f "$CONFIG_JSON"
  exit "$rc"
}
trap on_exit EXIT

version_at_least() {  # $1 >= $2, both dotted numbers
  [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" == "$2" ]]
}

# ---------------------------------------------------------------- preflight
CURRENT_STEP="preflight"
log "deploy $ENV_NAME: log $LOG_FILE"
missing=()
if ! "$PYTHON" -c 'import cdktf, dotenv' >/dev/null 2>&1; then
  missing+=("the project's Python packages for $PYTHON (run 'make install')")
fi
CONFIG_JSON="$(mktemp)"
if ! (cd "$ROOT" && "$PYTHON" -m envs "$ENV_NAME") >"$CONFIG_JSON" 2>"$CONFIG_JSON.err"; then
  missing+=("a valid config: $(tail -n 1 "$CONFIG_JSON.err")")
fi
rm -f "$CONFIG_JSON.err"
if [[ $DRY_RUN -eq 0 ]]; then
  if [[ -z "${AWS_PROFILE:-}" ]] \
     && [[ -z "${AWS_ROLE_ARN:-}" || -z "${AWS_WEB_IDENTITY_TOKEN_FILE:-}" ]] \
     && [[ -z "${AWS_ACCESS_KEY_ID:-}" || -z "${AWS_SECRET_ACCESS_KEY:-}" ]]; then
    missing+=("AWS credentials (set AWS_PROFILE, or AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE, or AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY)")
  fi
  if ! command -v cdktf >/dev/null 2>&1; then
    missing+=("the cdktf CLI ${CDKTF_ACCEPTED}.x on PATH (npm ci installs it into node_modules/.bin)")
  else
    cdktf_version="$(cdktf --version 2>/dev/null | grep -Eo '[0-9]+\.[0-9]+\.[0-9]+' | head -n 1 || true)"
    if [[ "$cdktf_version" != "$CDKTF_ACCEPTED".* ]]; then
      missing+=("cdktf ${CDKTF_ACCEPTED}.x (found '${cdktf_version:-unknown}')")
    fi
  fi
  if ! command -v terraform >/dev/null 2>&1; then
    missing+=("terraform >= $TERRAFORM_MINIMUM on PATH")
  else
    terraform_version="$(terraform version 2>/dev/null | grep -Eo 'v[0-9]+\.[0-9]+\.[0-9]+' | head -n 1 | tr -d v || true)"
    if [[ -z "$terraform_version" ]] || ! version_at_least "$terraform_version" "$TERRAFORM_MINIMUM"; then
      missing+=("terraform >= $TERRAFORM_MINIMUM (found '${terraform_version:-unknown}')")
    fi
  fi
fi
if [[ ${#missing[@]} -gt 0 ]]; then
  log "cannot deploy $ENV_NAME; missing:"
  for item in "${missing[@]}"; do log "  - $item"; done
  exit 2
fi

# ------------------------------------------------------------------- plan
# The stack list and order come from the app itself (stacks/plan.py), so they agree.
plan="$(cd "$ROOT" && "$PYTHON" main.py --env "$ENV_NAME" --list-stacks)"
while IFS=$'\t' read -r stack_id kind region _env; do
  [[ "$kind" == "state" ]] && continue   # bootstrapped by hand, with local state
  STACK_IDS+=("$stack_id")
  STACK_REGIONS+=("$region")
done <<<"$plan"
if [[ ${#SELECTED[@]} -gt 0 ]]; then
  for wanted in "${SELECTED[@]}"; do
    known=0
    for stack_id in "${STACK_IDS[@]}"; do [[ "$wanted" == "$stack_id" ]] && known=1; done
    if [[ $known -eq 0 ]]; then
      printf "error: unknown stack '%s' for %s (valid: %s)\n" "$wanted" "$ENV_NAME" "${STACK_IDS[*]}" >&2
      exit 2
    fi
  done
  kept_ids=(); kept_regions=()
  for i in "${!STACK_IDS[@]}"; do
    for wanted in "${SELECTED[@]}"; do
      if [[ "$wanted" == "${STACK_IDS[$i]}" ]]; then
        kept_ids+=("${STACK_IDS[$i]}"); kept_regions+=("${STACK_REGIONS[$i]}"); break
      fi
    done
  done
  STACK_IDS=("${kept_ids[@]}"); STACK_REGIONS=("${kept_regions[@]}")
fi
regions="$("$PYTHON" -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["regions"]))' "$CONFIG_JSON")"

for i in "${!STACK_IDS[@]}"; do
  RESULT_STATUS[i]="pending"; RESULT_STARTED[i]=0; RESULT_SECONDS[i]=0
done

deploy_command() {  # sets CMD to the exact command for one stack
  CMD=(cdktf deploy "$1" --skip-synth --output "$OUT_DIR" --auto-approve --ignore-missing-stack-dependencies
       --no-color --outputs-file "${OUTPUTS_DIR:-<outputs-dir>}/$1.json")
}

# ---------------------------------------------------------- confirmation
CURRENT_STEP="confirmation"
if [[ "$ENV_NAME" == "prod" && $ASSUME_YES -eq 0 && $DRY_RUN -eq 0 ]]; then
  printf "Deploy %d stacks to prod (%s)? Type 'prod' to continue: " "${#STACK_IDS[@]}" "$regions" >&2
  answer=""
  read -r answer || true
  if [[ "$answer" != "prod" ]]; then
    log "not confirmed; nothing deployed"
    exit 1
  fi
fi

# ------------------------------------------------------------------- synth
CURRENT_STEP="synth"
[[ $DRY_RUN -eq 1 ]] || SUMMARY_ARMED=1
log "synthesizing $ENV_NAME into $OUT_DIR (regions: $regions)"
rm -rf "$OUT_DIR"
mkdir -p "$(dirname "$OUT_DIR")"
(cd "$ROOT" && CDKTF_OUTDIR="$OUT_DIR" "$PYTHON" main.py --env "$ENV_NAME") 2>&1 | tee -a "$LOG_FILE" >&2

if [[ $DRY_RUN -eq 1 ]]; then
  printf 'Dry run for %s: %d stacks in this order, regions: %s\n' "$ENV_NAME" "${#STACK_IDS[@]}" "$regions"
  for i in "${!STACK_IDS[@]}"; do
    deploy_command "${STACK_IDS[$i]}"
    printf '%2d. %-34s %-10s %s\n' "$((i + 1))" "${STACK_IDS[$i]}" "${STACK_REGIONS[$i]}" "${CMD[*]}"
  done | tee -a "$LOG_FILE"
  log "dry run: nothing deployed"
  exit 0
fi

# ------------------------------------------------------------------ deploy
OUTPUTS_DIR="$(mktemp -d)"
for i in "${!STACK_IDS[@]}"; do
  stack_id="${STACK_IDS[$i]}"
  CURRENT_STEP="deploy $stack_id"
  log "[$((i + 1))/${#STACK_IDS[@]}] deploying $stack_id (${STACK_REGIONS[$i]})"
  RESULT_STATUS[i]="running"
  RESULT_STARTED[i]=$SECONDS
  deploy_command "$stack_id"
  log "+ ${CMD[*]}"
  (cd "$ROOT" && "${CMD[@]}") 2>&1 | tee -a "$LOG_FILE" >&2
  RESULT_STATUS[i]="succeeded"
  RESULT_SECONDS[i]=$((SECONDS - RESULT_STARTED[i]))
  log "deployed $stack_id in ${RESULT_SECONDS[$i]}s"
done

CURRENT_STEP="summary"
summary="$(write_summary succeeded)"
FINISHED=1
log "summary: $summary"
log "deployed ${#STACK_IDS[@]} stacks to $ENV_NAME"
