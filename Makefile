# kyosai — the two commands of the README are `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test browsers bench bench-web clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) が見つかりません（Python 3.11 が必要です）"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The main job on the embedded default: SQLite under ./var, the demo federation, the web app
# and beside it the background worker (report builds, subscriptions and alerts: mail in var/mail/).
demo: install
	KYOSAI_ENV=development $(BIN)/kyosai init
	KYOSAI_ENV=development $(BIN)/kyosai demo-data
	KYOSAI_ENV=development $(BIN)/kyosai worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	KYOSAI_ENV=development $(BIN)/kyosai serve --host 127.0.0.1 --port 8000

# Ruff, the import contracts and mypy --strict first, then the whole suite (SQLite unless DATABASE_URL
# says otherwise), spread over up to four processes (pytest-xdist); TEST_JOBS=0 runs it in one.
TEST_JOBS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ "$$n" -gt 4 ] && n=4; echo $$n)
test: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy kyosai
	KYOSAI_ENV=test $(BIN)/pytest -n $(TEST_JOBS)

browsers:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium)

bench: install
	KYOSAI_ENV=development $(BIN)/python benchmarks/import_bench.py

# 20 concurrent clients against the national scorecard and a branch page (needs make demo's data).
bench-web: install
	KYOSAI_ENV=development PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/python benchmarks/web_bench.py

clean:
	rm -rf $(VENV) var .pytest_cache
