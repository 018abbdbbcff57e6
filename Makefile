# Two commands do all set-up on a fresh machine:
#   make build   - create .venv, install pinned dependencies, build the sample site into output/
#   make test    - the same venv plus test tools; ruff, mypy, pytest, and `broadsheet check`
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP_RUN := $(VENV)/.stamp-runtime
STAMP_DEV := $(VENV)/.stamp-dev
NODE_STAMP := node_modules/.package-lock.json

.PHONY: build test lint typecheck pytest bench screenshots clean serve chromium check-sample

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==26.3

$(STAMP_RUN): requirements/runtime.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/runtime.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(STAMP_DEV): requirements/dev.txt $(STAMP_RUN)
	$(BIN)/pip install --quiet -r requirements/dev.txt
	touch $@

# Browser tests drive Debian's Chromium (no browser download); installed here when missing and run as root.
chromium:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null; } || echo "note: Chromium not installed; browser tests will be skipped"

build: $(STAMP_RUN)
	$(BIN)/broadsheet build

serve: $(STAMP_RUN)
	$(BIN)/broadsheet serve

lint: $(STAMP_DEV)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP_DEV)
	$(BIN)/mypy

# axe-core for the accessibility tests, pinned in package-lock.json; `npm ci` installs exactly that (no scripts run).
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	npm ci --ignore-scripts --no-audit --no-fund

pytest: $(STAMP_DEV) chromium $(NODE_STAMP)
	$(BIN)/python -m pytest

# `broadsheet check` on a fresh build of the sample site, in a temporary folder (output/ is left alone).
check-sample: $(STAMP_RUN)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(BIN)/broadsheet build --output "$$tmp/site" >/dev/null && $(BIN)/broadsheet check "$$tmp/site"

test: lint typecheck pytest check-sample

# broadsheet vs Pelican vs Hugo (issue 6): corpora in bench/data/, tools in bench/.venv, table in bench/RESULTS.md.
# Takes about 45 minutes on 2 cores (up to an hour with three 100k runs); `make bench BENCH_ARGS=--quick` checks the harness in a minute or two.
bench: $(STAMP_RUN)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# README screenshots (docs/screenshots/*.png) of the sample site, desktop and phone, in headless Chromium.
screenshots: $(STAMP_DEV) chromium
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf output .cache .mypy_cache .ruff_cache .pytest_cache
