# The Common Ledger: every command a newsroom needs. `make help` lists them.
# Each target installs what it needs into .venv/ first; later runs skip that step.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip --disable-pip-version-check --quiet
NEWSROOM := PYTHONPATH=plugins $(PY) -m newsroom_content
PORT ?= 8000
BIND ?= 127.0.0.1
N ?= 1000
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install install-test html serve publish check new hooks test bench clean distclean

help: ## List the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing the site's dependencies into $(VENV)/ ..."
	@$(PIP) install -r requirements.txt
	@touch $@

# The browser and HTML-validity tests also need Chromium, Java and two npm packages (installed into
# $(VENV)/node/, no package.json at the top): tests/tools/install_test_tools.sh checks for each in a few
# milliseconds and installs only what is missing (system packages with apt-get when run as root).
VNU_VERSION := 26.9.27
AXE_CORE_VERSION := 4.14.1

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	@echo "Installing the test suite's dependencies into $(VENV)/ ..."
	@$(PIP) install -r requirements-test.txt
	@touch $@

install: $(VENV)/.installed ## Install the site's dependencies into .venv/ (done automatically)

install-test: $(VENV)/.installed-test
	@NODE_PREFIX=$(VENV)/node VNU_VERSION=$(VNU_VERSION) AXE_CORE_VERSION=$(AXE_CORE_VERSION) \
		sh tests/tools/install_test_tools.sh

html: install ## Validate and build the site into output/ (drafts and scheduled articles left out)
	@$(NEWSROOM) -s pelicanconf.py build

serve: install ## Build a preview with drafts, serve it on http://127.0.0.1:8000, rebuild on every change
	@$(NEWSROOM) -s pelicanconf.py serve --bind $(BIND) --port $(PORT)

publish: install ## Build the production site (absolute URLs) into output/
	@$(NEWSROOM) -s publishconf.py build

check: install ## Validate articles, pages and data files without writing anything
	@$(NEWSROOM) -s pelicanconf.py check

new: install ## Start an article: make new TITLE="Headline" SECTION="Middle East"
	@$(NEWSROOM) -s pelicanconf.py new --title "$(TITLE)" --section "$(SECTION)"

hooks: install ## Install a git pre-commit hook that validates staged content
	@$(NEWSROOM) install-hook

test: install-test ## Run the whole test suite (PYTEST_ARGS="-k name" to pick tests)
	@$(PY) -m pytest tests $(PYTEST_ARGS)

bench: install ## Time a full build of a synthetic archive: make bench N=10000
	@PYTHONPATH=plugins $(PY) tests/bench.py --articles $(N)

clean: ## Remove built output and caches (keeps .venv/)
	rm -rf output output.partial output.previous cache test-output bench-output .pytest_cache

distclean: clean ## Also remove .venv/
	rm -rf $(VENV)
