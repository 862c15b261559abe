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

SERVICES := identity content moderation reporting regulator-gateway
IMAGES := $(SERVICES) console
IMAGE_PREFIX ?= qinglang
IMAGE_TAG ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
CHART ?= deploy/k8s/qinglang
CHART_CHECK := deploy/k8s/check/chartcheck.sh

.PHONY: help install up down status test lint gen bench eval bench-timeline clean images chart-check chart-check-install chart-topology chromium cjk-fonts screenshots

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv $(RUN_DIR)/bootstrap
	$(RUN_DIR)/bootstrap/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(UV) ## install the locked workspace into .venv
	$(UV) sync --all-packages --frozen --quiet --compile-bytecode
	@# Bytecode of the workspace's own sources too: every test stack starts dozens of processes, and where
	@# PYTHONDONTWRITEBYTECODE is set each would compile every module it imports again, at every start.
	@$(VENV_PY) -m compileall -q -j 0 libs services tools bench tests >/dev/null

up: install ## install and start the whole platform (embedded PostgreSQL, Tansu, Traefik, five services)
	$(VENV_PY) -m devstack up --run-dir $(RUN_DIR)

down: ## stop everything `make up` started, and only that
	@if [ -x $(VENV_PY) ]; then $(VENV_PY) -m devstack down --run-dir $(RUN_DIR); else echo "nothing was running"; fi

status: ## is the platform running?
	@$(VENV_PY) -m devstack status --run-dir $(RUN_DIR)

test: install chart-check-install chromium ## install and run every test (unit, integration, end-to-end, the chart checks, the console in Chromium)
	$(UV) run --frozen pytest

chromium: ## install Debian's chromium for the console's browser tests when missing (Playwright never downloads one)
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }

cjk-fonts: ## install Debian's Noto CJK fonts when no Chinese font is installed (else the screenshots show boxes)
	@fc-list :lang=zh | grep -q . || { apt-get update -qq && apt-get install -y -qq fonts-noto-cjk; }

screenshots: install chromium cjk-fonts ## the staff console's pages in Chromium, saved to docs/console/*.png (runs its browser tests)
	CONSOLE_SCREENSHOTS_DIR=$(CURDIR)/docs/console $(UV) run --frozen pytest -q -p no:cacheprovider tests/e2e/test_console_browser.py

lint: install ## ruff, hadolint on the image recipes, buf lint, buf breaking against main, generated code current
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	.venv/bin/hadolint deploy/images/*.Dockerfile
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

eval: install ## the lexicon's measured recall per technique and false positives on the clean corpus, as one JSON object (EVAL_DATABASE_URL=postgresql://... for a moderation database's lexicon; EVAL_CORPUS_LIMIT=N sentences per source)
	@$(UV) run --frozen python -m moderation.evaluation $(if $(EVAL_DATABASE_URL),--database-url '$(EVAL_DATABASE_URL)') $(if $(EVAL_CORPUS_LIMIT),--corpus-limit $(EVAL_CORPUS_LIMIT))

bench-timeline: install ## only the home timeline reads, side by side with a baseline (see bench/timeline_reads.py)
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	PYTHONPATH=tests $(UV) run --frozen python -m bench.timeline_reads

chart-check-install: $(UV) ## install the chart checker's own Python 3.12 env and CRD schemas (deploy/k8s/check)
	UV=$(UV) $(CHART_CHECK) --install

chart-check: chart-check-install ## helm lint, render every value set and validate it offline (CHART=deploy/k8s/qinglang)
	UV=$(UV) $(CHART_CHECK) $(CHART)

images: ## build qinglang/<service>:<tag> for the five services and the console with docker, podman or buildah (none here: fails)
	@engine=""; \
	for candidate in docker podman buildah; do \
		command -v $$candidate >/dev/null || continue; \
		case $$candidate in \
			docker|podman) $$candidate info >/dev/null 2>&1 && { engine=$$candidate; break; } ;; \
			buildah) engine=buildah; break ;; \
		esac; \
		echo "make images: $$candidate is installed but no engine answers it ($$candidate info failed)" >&2; \
	done; \
	if [ -z "$$engine" ]; then \
		echo "make images: no container engine here (docker or podman with a running engine, or buildah): nothing built" >&2; \
		exit 1; \
	fi; \
	build="$$engine build"; [ $$engine = buildah ] && build="buildah bud"; \
	for service in $(IMAGES); do \
		echo "make images: $(IMAGE_PREFIX)/$$service:$(IMAGE_TAG) with $$engine"; \
		$$build -f deploy/images/$$service.Dockerfile -t $(IMAGE_PREFIX)/$$service:$(IMAGE_TAG) \
			--build-arg UV_VERSION=$(UV_VERSION) --build-arg VERSION=$(IMAGE_TAG) \
			--build-arg REVISION=$$(git rev-parse HEAD 2>/dev/null || echo unknown) \
			--build-arg CREATED=$$(date -u +%Y-%m-%dT%H:%M:%SZ) . || exit 1; \
	done

clean: down ## remove the local platform's data, keys and logs (keeps the bootstrap uv)
	find $(RUN_DIR) -mindepth 1 -maxdepth 1 ! -name bootstrap -exec rm -rf {} +
