# The README's commands: `make run` serves the app with demo data, `make test` runs
# the tests. Both first install what they need, once: the stamp files below are
# rebuilt only when pyproject.toml or package-lock.json changes.

VENV := .venv
BIN := $(VENV)/bin
FRONTEND := ig/frontend
NPM := npm --prefix $(FRONTEND)

# Test settings, passed on to pytest through the environment (see README "Test it").
export IG_TEST_DATABASES ?= sqlite
export IG_CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one per core by default; 0 runs everything in one process.
PYTEST_WORKERS ?= auto

.PHONY: install run test lint audit-deps bench screenshots

install: $(VENV)/.installed ig/static/app.css

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(FRONTEND)/node_modules/.installed: $(FRONTEND)/package-lock.json
	$(NPM) ci
	touch $@

ig/static/app.css: $(FRONTEND)/node_modules/.installed $(FRONTEND)/package.json \
		$(wildcard $(FRONTEND)/src/*.scss $(FRONTEND)/src/images/*)
	$(NPM) run build

run: install
	$(BIN)/ig init
	$(BIN)/ig demo --if-empty
	$(BIN)/ig serve

# Any non-zero exit fails the target, including pytest's 5 ("no tests collected").
test: install
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# lint-imports: the layers of ARCHITECTURE.md (the contract is in pyproject.toml).
# bandit: no security finding above low severity in ig/ (-ll); a deliberate exception is
# marked in the code with "# nosec <test id>" and a comment saying why.
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy ig
	$(BIN)/bandit -q -r ig -ll
	$(BIN)/lint-imports

# pip-audit checks the installed dependencies against the advisories PyPI publishes for
# each installed version. Where that source cannot be reached, or does not know the
# versions installed (no network, or a mirror without advisories), the target says so and
# succeeds, so an offline build is not failed for it; a known vulnerability fails it.
AUDIT_PROBE := import json, importlib.metadata as m, urllib.request as u; \
	json.load(u.urlopen('https://pypi.org/pypi/pip/%s/json' % m.version('pip'), timeout=10))['vulnerabilities']
AUDIT_OFFLINE := audit-deps: PyPI's advisory source cannot be reached or does not know the installed versions (no network?), so the dependencies were NOT audited

audit-deps: $(VENV)/.installed
	@if ! $(BIN)/python -c "$(AUDIT_PROBE)" 2>/dev/null; then \
		echo "$(AUDIT_OFFLINE)"; exit 0; \
	fi; \
	out=$$($(BIN)/pip-audit --skip-editable --progress-spinner off 2>&1); status=$$?; \
	echo "$$out"; \
	if [ $$status -ne 0 ] && echo "$$out" | grep -qE 'ConnectionError|NameResolution|Max retries|timed out'; then \
		echo "$(AUDIT_OFFLINE)"; exit 0; \
	fi; \
	exit $$status

bench: install
	$(BIN)/python -m benchmarks

# A PNG of every page for every demo role at 1280 and 390 pixels wide, in screenshots/
# (git-ignored): look at what you changed. tests/e2e/test_every_page.py asserts it.
screenshots: install
	rm -rf screenshots
	$(BIN)/python -m tests.e2e.screenshots --out screenshots
