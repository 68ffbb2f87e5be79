# The Common Ledger: every command a newsroom needs. `make help` lists them.
# Each target installs what it needs into .venv/ first; later runs skip that step.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip --disable-pip-version-check --quiet
# PYTHONDONTWRITEBYTECODE= : Python keeps the plugins' compiled code (plugins/*/__pycache__/, git-ignored)
# even where the environment asks it not to, as containers often do; else every command compiles the
# plugins' source again before it starts.
NEWSROOM := PYTHONPATH=plugins PYTHONDONTWRITEBYTECODE= $(PY) -m newsroom_commands
PORT ?= 8000
EDITOR_PORT ?= 8081
BIND ?= 127.0.0.1
N ?= 1000
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install install-editor install-test html serve edit publish check new hooks test fonts translations bench clean distclean

help: ## List the commands
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

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

# The browser editor (plugins/newsroom_editor/): Decap CMS and decap-server, pinned in its package.json and
# package-lock.json, installed with npm ci into its git-ignored node_modules/. Without npm this step says so
# and the site still builds (without /admin/).
EDITOR_DIR := plugins/newsroom_editor
EDITOR_MODULES := $(EDITOR_DIR)/node_modules

$(EDITOR_MODULES)/.installed: $(EDITOR_DIR)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		echo "Installing the browser editor (Decap CMS) into $(EDITOR_MODULES)/ ..."; \
		cd $(EDITOR_DIR) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else \
		echo "npm was not found: the site builds without the browser editor at /admin/ (install Node.js and npm, then run make install)"; \
	fi

install-editor: $(EDITOR_MODULES)/.installed

install: $(VENV)/.installed install-editor ## Install the site's dependencies into .venv/ and the browser editor (done automatically)

# Python-Markdown's own test suite, for tests/test_markdown_suite.py: it ships in the library's source
# distribution (not its wheel), of the version requirements.txt pins. Downloaded once; the marker file is
# named after the version, so a new pin fetches the suite again.
MARKDOWN_VERSION := $(shell sed -n 's/^markdown==//p' requirements.txt)
MARKDOWN_TESTS := $(VENV)/markdown-tests

$(MARKDOWN_TESTS)/.version-$(MARKDOWN_VERSION): | $(VENV)/.installed
	@echo "Downloading Python-Markdown $(MARKDOWN_VERSION)'s test suite into $(MARKDOWN_TESTS)/ ..."
	@rm -rf $(MARKDOWN_TESTS) $(MARKDOWN_TESTS).partial && mkdir -p $(MARKDOWN_TESTS).partial
	@$(PIP) download --no-binary :all: --no-deps markdown==$(MARKDOWN_VERSION) -d $(MARKDOWN_TESTS).partial
	@tar -xzf $(MARKDOWN_TESTS).partial/markdown-$(MARKDOWN_VERSION).tar.gz -C $(MARKDOWN_TESTS).partial \
		--no-same-owner --strip-components=1 markdown-$(MARKDOWN_VERSION)/tests
	@rm $(MARKDOWN_TESTS).partial/markdown-$(MARKDOWN_VERSION).tar.gz
	@touch $(MARKDOWN_TESTS).partial/.version-$(MARKDOWN_VERSION)
	@mv $(MARKDOWN_TESTS).partial $(MARKDOWN_TESTS)

install-test: $(VENV)/.installed-test $(MARKDOWN_TESTS)/.version-$(MARKDOWN_VERSION) install-editor
	@NODE_PREFIX=$(VENV)/node VNU_VERSION=$(VNU_VERSION) AXE_CORE_VERSION=$(AXE_CORE_VERSION) \
		sh tests/tools/install_test_tools.sh

html: install ## Validate and build the site into output/ (drafts and scheduled articles left out)
	@$(NEWSROOM) -s pelicanconf.py build

serve: install ## Build a preview with drafts, serve it on http://127.0.0.1:8000, rebuild on every change
	@$(NEWSROOM) -s pelicanconf.py serve --bind $(BIND) --port $(PORT)

edit: install ## Edit in the browser: the editor at http://127.0.0.1:8000/admin/ commits to this checkout; the preview rebuilds
	@$(NEWSROOM) -s pelicanconf.py edit --bind $(BIND) --port $(PORT) --editor-port $(EDITOR_PORT)

publish: install ## Build the production site (absolute URLs) into output/
	@$(NEWSROOM) -s publishconf.py build

check: install ## Validate articles, pages and data files without writing anything
	@$(NEWSROOM) -s pelicanconf.py check

new: install ## Start an article: make new TITLE="Headline" SECTION="Middle East"
	@$(NEWSROOM) -s pelicanconf.py new --title "$(TITLE)" --section "$(SECTION)"

hooks: install ## Install a git pre-commit hook that validates staged content
	@$(NEWSROOM) install-hook

# The suite runs on PYTEST_WORKERS processes (pytest-xdist; PYTEST_WORKERS=0 runs it in this one), each test
# file whole on one of them (--dist loadfile), so a file's module fixtures (its builds, servers and editors)
# are made once. Plain `python -m pytest` runs serially.
PYTEST_WORKERS ?= 2

test: install-test ## Run the whole test suite (PYTEST_ARGS="-k name" to pick tests)
	@$(PY) -m pytest tests -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

fonts: install ## Refresh the self-hosted web fonts in theme/static/fonts/ from their pinned npm packages (needs npm)
	@$(NEWSROOM) fonts

translations: install ## Update the interface catalogs in theme/translations/ from the templates and desks (NEW_LANGUAGE=fr adds one)
	@$(NEWSROOM) -s pelicanconf.py translations $(if $(NEW_LANGUAGE),--add $(NEW_LANGUAGE))

bench: install ## Time our build and stock Pelican's, cold and rebuilt, on N synthetic articles: make bench N=10000
	@PYTHONPATH=plugins:tests $(PY) -m bench --articles $(N) $(BENCH_ARGS)

clean: ## Remove built output and caches (keeps .venv/)
	rm -rf output output.partial output.previous output.precompress.json output.next-change.json cache test-output bench-output .pytest_cache

distclean: clean ## Also remove .venv/
	rm -rf $(VENV)

# --- Deploying (README.md, "Deploying") ---------------------------------------------------------------
# Each deploy target first checks its settings and stops with one line naming the one that is missing,
# before building anything; then it builds the production site with `make publish` and uploads it.
# Settings come from the command line or the environment: make deploy-rsync DEPLOY_SSH_TARGET=...
DEPLOY_DIR ?= output
DEPLOY_SSH_TARGET ?=
DEPLOY_SSH ?= ssh
RSYNC ?= rsync
# --checksum: compare contents (every build rewrites every file, so times say nothing). --no-times: an
# unchanged file keeps its time on the server, so its ETag and Last-Modified stay and a browser that
# revalidates a page gets "304 Not Modified". --delay-updates, --delete-after: the changed files go into
# place together at the end, and files gone from the site are removed only then.
RSYNC_FLAGS ?= -avz --delete --checksum --no-times --delay-updates --delete-after
DEPLOY_S3_BUCKET ?=
DEPLOY_S3_ENDPOINT ?=
AWS ?= aws
DEPLOY_GHPAGES_REMOTE ?=
DEPLOY_GHPAGES_BRANCH ?= gh-pages
DEPLOY_GHPAGES_CNAME ?=
GHP_IMPORT ?= $(VENV)/bin/ghp-import

.PHONY: deploy-rsync deploy-s3 deploy-ghpages

# $(call deploy_require,NAME,EXAMPLE): stop with one line when the setting NAME is empty.
deploy_require = $(if $(strip $($(1))),,$(error make $@: set $(1), e.g. make $@ $(1)=$(2)))
# $(call deploy_program,COMMAND,WHAT): stop with one line when COMMAND is not installed.
deploy_program = $(if $(shell command -v $(firstword $(1)) 2>/dev/null),,$(error make $@: $(firstword $(1)) was not found; $(2)))

$(VENV)/.installed-deploy: requirements-deploy.txt $(VENV)/.installed
	@echo "Installing the deploy tools into $(VENV)/ ..."
	@$(PIP) install -r requirements-deploy.txt
	@touch $@

deploy-rsync: ## Build, then copy the site over ssh: make deploy-rsync DEPLOY_SSH_TARGET=user@host:/var/www/paper
	$(call deploy_require,DEPLOY_SSH_TARGET,user@host:/var/www/paper)
	$(call deploy_program,$(RSYNC),install rsync (apt-get install rsync) or set RSYNC)
	@$(MAKE) --no-print-directory publish
	$(RSYNC) $(RSYNC_FLAGS) -e "$(DEPLOY_SSH)" $(DEPLOY_DIR)/ "$(patsubst %/,%,$(DEPLOY_SSH_TARGET))/"

# S3 sends each object exactly as stored, with the headers it was uploaded with, and never chooses
# between page.html and page.html.gz by Accept-Encoding: the .gz/.br copies are not built (and never
# uploaded), and _headers is for Netlify and Cloudflare Pages. Cache-Control is set per object, so the
# upload runs in passes: files that never change under their name first (so that no new page can link
# to a file not yet there), then feeds, then everything else, then the pages, and last the deletion of
# what the site no longer has (--size-only: that pass uploads nothing the earlier ones sent).
HEX := [0-9a-f]
HASH10 := $(HEX)$(HEX)$(HEX)$(HEX)$(HEX)$(HEX)$(HEX)$(HEX)$(HEX)$(HEX)
S3_SYNC = $(AWS) s3 sync $(DEPLOY_DIR)/ "s3://$(patsubst %/,%,$(DEPLOY_S3_BUCKET:s3://%=%))/" --no-progress \
	$(if $(strip $(DEPLOY_S3_ENDPOINT)),--endpoint-url "$(DEPLOY_S3_ENDPOINT)")
S3_NEVER = --exclude '*.gz' --exclude '*.br' --exclude '_headers'
S3_IMMUTABLE = --include 'images/sized/*' --include 'images/cards/*' --include 'theme/*.$(HASH10).*'
S3_FEEDS = --include 'feeds/*.xml' --include 'feeds/*.json'

deploy-s3: ## Build, then upload to an S3-compatible bucket: make deploy-s3 DEPLOY_S3_BUCKET=name [DEPLOY_S3_ENDPOINT=https://...]
	$(call deploy_require,DEPLOY_S3_BUCKET,my-paper-bucket)
	$(call deploy_program,$(AWS),install the AWS CLI (https://aws.amazon.com/cli/) or set AWS)
	@NEWSROOM_ASSETS_PRECOMPRESS=0 $(MAKE) --no-print-directory publish
	$(S3_SYNC) --exclude '*' $(S3_IMMUTABLE) $(S3_NEVER) --cache-control 'public, max-age=31536000, immutable'
	$(S3_SYNC) --exclude '*' $(S3_FEEDS) $(S3_NEVER) --cache-control 'public, max-age=900'
	$(S3_SYNC) $(subst --include,--exclude,$(S3_IMMUTABLE) $(S3_FEEDS)) --exclude '*.html' $(S3_NEVER) --cache-control 'no-cache'
	$(S3_SYNC) --exclude '*' --include '*.html' $(S3_NEVER) --cache-control 'no-cache'
	$(S3_SYNC) --delete --size-only $(S3_NEVER) --cache-control 'no-cache'

# GitHub Pages compresses by itself and cannot send the .gz/.br copies, so they are not built. --no-history:
# the branch holds only the latest site, not a copy of every hourly build.
deploy-ghpages: ## Build, then push the site to the gh-pages branch: make deploy-ghpages DEPLOY_GHPAGES_REMOTE=origin
	$(call deploy_require,DEPLOY_GHPAGES_REMOTE,origin)
	@$(if $(filter $(VENV)/bin/ghp-import,$(GHP_IMPORT)),$(MAKE) --no-print-directory $(VENV)/.installed-deploy,:)
	@NEWSROOM_ASSETS_PRECOMPRESS=0 $(MAKE) --no-print-directory publish
	$(GHP_IMPORT) --no-jekyll --no-history --force --push --remote "$(DEPLOY_GHPAGES_REMOTE)" \
		--branch "$(DEPLOY_GHPAGES_BRANCH)" $(if $(strip $(DEPLOY_GHPAGES_CNAME)),--cname "$(DEPLOY_GHPAGES_CNAME)") \
		--message "Publish the site ($$(date -u +%Y-%m-%dT%H:%MZ))" $(DEPLOY_DIR)
