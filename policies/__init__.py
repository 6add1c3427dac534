"""Custom checkov checks of the policy gate (loaded with --external-checks-dir)."""
