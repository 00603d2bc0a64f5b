# The one documented workflow. `make run` and `make test` create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: run test bench crash lint eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/aiwatch run

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run.py

# The crash matrix: the real bot killed with SIGKILL at 54 seeded points; prints lost and
# doubled alerts (a part of it runs in `make test`). SEED=19 POINTS=54 by default.
crash: $(STAMP)
	$(BIN)/python -m tests.crash.matrix --seed $(or $(SEED),19) --points $(or $(POINTS),54)

eval: $(STAMP)
	$(BIN)/python bench/eval.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
