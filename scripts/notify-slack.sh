#!/usr/bin/env bash
# Post a deployment result to Slack through an incoming webhook. Run with --help for usage.
set -euo pipefail

usage() {
  cat <<USAGE
Usage: scripts/notify-slack.sh --environment ENV --result RESULT --commit SHA --actor NAME --run-url URL [--dry-run]

Posts environment, commit, actor, result and a link to the run to the Slack incoming
webhook in SLACK_WEBHOOK_URL (a secret; never in the repository). Without it, prints a
notice and exits 0: a missing webhook never fails a deployment, and neither does a
failed post (it prints a warning). --dry-run prints the JSON payload instead of posting.
USAGE
}

environment="" result="" commit="" actor="" run_url="" dry_run=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --dry-run) dry_run=1; shift; continue ;;
    --environment|--result|--commit|--actor|--run-url)
      [[ $# -ge 2 ]] || { echo "error: $1 needs a value" >&2; exit 2; }
      case "$1" in
        --environment) environment="$2" ;;
        --result) result="$2" ;;
        --commit) commit="$2" ;;
        --actor) actor="$2" ;;
        --run-url) run_url="$2" ;;
      esac
      shift 2 ;;
    *) echo "error: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
for required in environment result commit actor run_url; do
  if [[ -z "${!required}" ]]; then
    echo "error: --${required//_/-} is required (see --help)" >&2
    exit 2
  fi
done

payload="$(python3 - "$environment" "$result" "$commit" "$actor" "$run_url" <<'PY'
import json, sys
environment, result, commit, actor, run_url = sys.argv[1:]
icon = {"success": ":white_check_mark:", "failure": ":x:", "cancelled": ":warning:"}.get(result, ":grey_question:")
text = f"{icon} Deploy to *{environment}*: *{result}*"
print(json.dumps({
    "text": f"{text} ({commit[:12]} by {actor}) {run_url}",
    "blocks": [
        {"type": "section", "text": {"type": "mrkdwn", "text": text}},
        {"type": "section", "fields": [
            {"type": "mrkdwn", "text": f"*Environment*\n{environment}"},
            {"type": "mrkdwn", "text": f"*Result*\n{result}"},
            {"type": "mrkdwn", "text": f"*Commit*\n`{commit[:12]}`"},
            {"type": "mrkdwn", "text": f"*Actor*\n{actor}"},
        ]},
        {"type": "actions", "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": "Open the run"}, "url": run_url}]},
    ],
}))
PY
)"

if [[ $dry_run -eq 1 ]]; then
  printf '%s\n' "$payload"
  exit 0
fi
if [[ -z "${SLACK_WEBHOOK_URL:-}" ]]; then
  echo "::notice::SLACK_WEBHOOK_URL is not set; skipping the Slack notification"
  exit 0
fi
if ! curl --fail --silent --show-error --max-time 15 --retry 2 \
      -H 'Content-Type: application/json' --data "$payload" "$SLACK_WEBHOOK_URL" >/dev/null; then
  echo "::warning::the Slack notification could not be posted"
fi
