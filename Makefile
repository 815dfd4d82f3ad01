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

.PHONY: install run test lint bench screenshots

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
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy ig

bench: install
	$(BIN)/python -m benchmarks

# A PNG of every page for every demo role at 1280 and 390 pixels wide, in screenshots/
# (git-ignored): look at what you changed. tests/e2e/test_every_page.py asserts it.
screenshots: install
	rm -rf screenshots
	$(BIN)/python -m tests.e2e.screenshots --out screenshots
