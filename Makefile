# The two commands: `make demo` and `make test`. Both install what is missing first.
VENV := .venv
PY := $(VENV)/bin/python
DEMO_OUT ?= demo-output

.PHONY: demo test bench lint format install clean

install:
	@tools/bootstrap.sh

demo: install
	@$(VENV)/bin/artgen demo --out $(DEMO_OUT)

test: install
	@$(PY) -m pytest -q

bench: install
	@$(PY) -m pip install -q -e ".[dev,bench]"
	@$(PY) bench/run.py $(ONLY)

lint: install
	@$(VENV)/bin/ruff check artgen palettes collection tests bench
	@$(VENV)/bin/ruff format --check artgen palettes collection tests bench

format: install
	@$(VENV)/bin/ruff format artgen palettes collection tests bench

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache .hypothesis
