# The README's two commands: `make demo` and `make test`. Everything else is a step of those.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp
DEMO_REGION ?= Pohjois-Savo
export RAKETIETO_DATA_DIR ?= $(CURDIR)/var

.PHONY: setup demo test lint typecheck unit build-demo clean

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "Tarvitaan $(PYTHON) (Python 3.11)."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,spark]'
	touch $(STAMP)

# Front-end assets (htmx, vega, vega-lite, vega-embed, axe-core) from the npm lockfile.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "Tarvitaan npm (Node.js) selaimen kirjastojen asentamiseen."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

setup: $(STAMP) $(NODE_STAMP)

build-demo: setup
	$(BIN)/raketieto build-demo

# Builds the demo cube, prints one county's situational picture, creates the two demo accounts
# (passwords shown once) and serves the service on http://127.0.0.1:8000 until Ctrl-C.
demo: build-demo
	$(BIN)/raketieto show --region "$(DEMO_REGION)"
	$(BIN)/raketieto users demo
	$(BIN)/raketieto serve

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -n 2 --dist loadgroup

test: lint typecheck unit

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .mypy_cache .ruff_cache
