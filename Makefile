# The two commands a newcomer needs: `make synth` and `make test`.
# Both install what is missing first (pipenv, the locked Python packages in
# .venv/, the locked npm packages in node_modules/), so a fresh machine with
# Python 3.11, Node.js 20+ and make needs nothing else.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON3 ?= python3
PIPENV_VERSION := 2026.10.3
export PIPENV_VENV_IN_PROJECT := 1
export PIPENV_VERBOSITY := -1
export PIPENV_IGNORE_VIRTUALENVS := 1
export PIPENV_NOSPIN := 1
# jsii warns loudly on Node 20; the bindings work on it (see README).
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20

VENV := .venv
PY := $(VENV)/bin/python
OUTDIR := cdktf.out
STAMPS := .make
ENV ?= prod

# Synth inputs: the code, the env files, the handler, the pinned packages, and
# every ALETHEIA_* process variable (recorded in a stamp that changes only
# when those variables do, so an unchanged second `make synth` does nothing).
$(shell mkdir -p $(STAMPS); env | grep '^ALETHEIA_' | sort > $(STAMPS)/aletheia-env.new || true; \
  cmp -s $(STAMPS)/aletheia-env.new $(STAMPS)/aletheia-env || cp $(STAMPS)/aletheia-env.new $(STAMPS)/aletheia-env; \
  rm -f $(STAMPS)/aletheia-env.new)
SYNTH_INPUTS := main.py cdktf.json Pipfile.lock $(STAMPS)/aletheia-env \
  $(shell find envs stacks aletheia_constructs functions -type f \( -name '*.py' -o -name '*.env' \) -not -path '*/__pycache__/*')

.PHONY: help install synth test policy bench dashboard snapshots docs clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: $(STAMPS)/python-deps $(STAMPS)/node-deps ## install pipenv, the locked Python packages and the npm tools

$(STAMPS)/pipenv:
	@mkdir -p $(STAMPS)
	@$(PYTHON3) -m pipenv --version >/dev/null 2>&1 || { echo "installing pipenv $(PIPENV_VERSION) ..."; \
	  $(PYTHON3) -m pip install --quiet --disable-pip-version-check "pipenv==$(PIPENV_VERSION)"; }
	@touch $@

$(STAMPS)/python-deps: Pipfile.lock $(STAMPS)/pipenv
	@echo "installing Python packages from Pipfile.lock into $(VENV)/ ..."
	@$(PYTHON3) -m pipenv sync --dev
	@touch $@

$(STAMPS)/node-deps: package-lock.json
	@mkdir -p $(STAMPS)
	@echo "installing npm packages from package-lock.json ..."
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

synth: $(STAMPS)/python-deps $(OUTDIR)/manifest.json ## synthesize every environment into cdktf.out/

$(OUTDIR)/manifest.json: $(SYNTH_INPUTS) $(STAMPS)/python-deps
	@# Synthesize beside the output and swap it in: a failed synth leaves nothing half-written.
	@rm -rf $(OUTDIR).partial
	@CDKTF_OUTDIR=$(OUTDIR).partial $(PY) main.py || { rm -rf $(OUTDIR).partial; exit 1; }
	@rm -rf $(OUTDIR) && mv $(OUTDIR).partial $(OUTDIR)

test: install ## run every test: unit, stacks, snapshots, policy gate, scripts, workflows
	@$(PY) -m pytest

policy: synth ## run the checkov policy gate over cdktf.out/stacks
	@$(PY) scripts/policy_gate.py $(OUTDIR)/stacks

bench: $(STAMPS)/python-deps ## time a full synth against a plain provider import, in one run
	@$(PY) scripts/bench.py

dashboard: synth ## write build/dashboard-$(ENV).html, a preview of the dashboard (ENV=dev|staging|prod)
	@$(PY) scripts/dashboard_preview.py $(ENV)

snapshots: $(STAMPS)/python-deps ## rewrite tests/snapshots/ after an intended change (review, then commit)
	@$(PY) -m pytest tests/test_snapshots.py --snapshot-update -q

docs: $(STAMPS)/python-deps ## regenerate the config table in README.md from envs/
	@$(PY) -m envs --write-readme

clean: ## remove generated output (not the installed packages)
	rm -rf $(OUTDIR) build .pytest_cache
