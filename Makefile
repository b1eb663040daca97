# The template's own commands. Needs only Python 3.11+, Node 20+, make and git.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

DEST ?= ../orders-service
VENV := $(CURDIR)/.venv
# The uv that builds .venv: the one pinned in pyproject.toml (tests/test_versions.py checks it).
UV_REQUIREMENT := $(shell python3 -c 'import tomllib; print(*(r for r in tomllib.load(open("pyproject.toml", "rb"))["dependency-groups"]["dev"] if r.startswith("uv==")))')

.PHONY: help new test test-fast lint locks openapi examples bench

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/bin/uv:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet $(UV_REQUIREMENT)

$(VENV)/.synced: $(VENV)/bin/uv pyproject.toml uv.lock
	$(VENV)/bin/uv sync --locked --quiet
	touch $@

new: $(VENV)/.synced ## Render a service with the default answers into DEST (default ../orders-service)
	$(VENV)/bin/copier copy --trust --defaults --vcs-ref HEAD $(CURDIR) $(abspath $(DEST))

test: $(VENV)/.synced ## Run the whole test suite (renders projects and runs their own checks)
	$(VENV)/bin/pytest -n auto --dist loadgroup

test-fast: $(VENV)/.synced ## Everything but the rendered projects' own checks
	$(VENV)/bin/pytest -m "not rendered" -n auto --dist loadgroup

lint: $(VENV)/.synced ## Lint the template's Python (extensions, tests, scripts)
	$(VENV)/bin/ruff format --check extensions tests scripts benchmarks migrations
	$(VENV)/bin/ruff check extensions tests scripts benchmarks migrations

locks: $(VENV)/.synced ## Regenerate the rendered projects' lock files
	PATH=$(VENV)/bin:$$PATH $(VENV)/bin/python scripts/update_lock_files.py

openapi: $(VENV)/.synced ## Regenerate the rendered projects' openapi.json (one per language and API routes)
	PATH=$(VENV)/bin:$$PATH $(VENV)/bin/python scripts/update_openapi.py

examples: $(VENV)/.synced ## Render examples/ afresh from the working tree (a test fails when they are stale)
	$(VENV)/bin/python scripts/render_examples.py

bench: $(VENV)/.synced ## Render, test-loop and cold-start benchmarks against their floors, as one table
	PATH=$(VENV)/bin:$$PATH $(VENV)/bin/python benchmarks/bench.py
