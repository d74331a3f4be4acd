# The two commands: `make demo` and `make test`. Both install what is missing first.
VENV := .venv
PY := $(VENV)/bin/python
DEMO_OUT ?= demo-output

.PHONY: demo test bench mutate lint format install clean engine

install:
	@tools/bootstrap.sh

demo: install
	@$(VENV)/bin/artgen demo --out $(DEMO_OUT)

test: install
	@$(PY) -m pytest -q

# The art engine: artgen/inscription/engine/*.js and kernel.wat -> artgen/inscription/engine.min.js
# (committed; tests/test_inscription_build.py checks it is current). Prints its size.
engine: install
	@node tools/build-engine.mjs

bench: install
	@$(PY) -m pip install -q -e ".[dev,bench]"
	@$(PY) bench/run.py $(ONLY)

# Mutation testing (not in CI: about 15 minutes on two cores); one module: make mutate ONLY=atomic
mutate: install
	@$(PY) -m pip install -q -e ".[dev,mutate]"
	@$(PY) tools/mutate.py $(ONLY)

lint: install
	@$(VENV)/bin/ruff check artgen palettes collection tests bench
	@$(VENV)/bin/ruff format --check artgen palettes collection tests bench

format: install
	@$(VENV)/bin/ruff format artgen palettes collection tests bench

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache .hypothesis node_modules
