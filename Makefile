# Qinglang's front door. On a fresh machine with Python 3.11, `make up` and `make test` install
# everything they need (a pinned uv in .run/bootstrap, then the locked workspace in .venv).
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
RUN_DIR ?= .run
UV_VERSION := 0.13.9
UV := $(RUN_DIR)/bootstrap/bin/uv
VENV_PY := .venv/bin/python
export UV_PYTHON ?= 3.11
export PYTHONWARNINGS ?= ignore::Warning:platformdirs

.PHONY: help install up down status test lint gen chart-topology bench bench-timeline clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv $(RUN_DIR)/bootstrap
	$(RUN_DIR)/bootstrap/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(UV) ## install the locked workspace into .venv
	$(UV) sync --all-packages --frozen --quiet

up: install ## install and start the whole platform (embedded PostgreSQL, Tansu, Traefik, five services)
	$(VENV_PY) -m devstack up --run-dir $(RUN_DIR)

down: ## stop everything `make up` started, and only that
	@if [ -x $(VENV_PY) ]; then $(VENV_PY) -m devstack down --run-dir $(RUN_DIR); else echo "nothing was running"; fi

status: ## is the platform running?
	@$(VENV_PY) -m devstack status --run-dir $(RUN_DIR)

test: install ## install and run every test (unit, integration, end-to-end)
	$(UV) run --frozen pytest

lint: install ## ruff, buf lint, buf breaking against main, generated code current
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	cd proto && ../.venv/bin/buf lint
	$(UV) run --frozen python proto/generate.py --check
	$(UV) run --frozen python -m devstack.chart --check
	@if git rev-parse --verify -q main >/dev/null && git cat-file -e main:proto/buf.yaml 2>/dev/null; then \
		cd proto && ../.venv/bin/buf breaking --against '../.git#branch=main,subdir=proto'; fi

gen: install ## regenerate the Python code of proto/
	$(UV) run --frozen python proto/generate.py

chart-topology: install ## regenerate the Helm chart's Kafka topology (deploy/k8s/qinglang/files/topology.yaml) from the services' specs
	$(UV) run --frozen python -m devstack.chart

bench: install ## print the platform's figures as one JSON object (installs Debian's wrk and hey if missing)
	@command -v wrk >/dev/null && command -v hey >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk hey; }
	PYTHONPATH=tests $(UV) run --frozen python -m bench

bench-timeline: install ## only the home timeline reads, side by side with a baseline (see bench/timeline_reads.py)
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	PYTHONPATH=tests $(UV) run --frozen python -m bench.timeline_reads

clean: down ## remove the local platform's data, keys and logs (keeps the bootstrap uv)
	find $(RUN_DIR) -mindepth 1 -maxdepth 1 ! -name bootstrap -exec rm -rf {} +
