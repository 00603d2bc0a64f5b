# The one documented workflow. `make run` and `make test` create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: run test bench soak crash fuzz lint eval inflections clean

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

# The soak (not part of make test; about 25 minutes): 2,000 loopback sources and 500 chat
# channels for a simulated day, then SOAK_MINUTES (10) of the real bot; prints memory,
# descriptors, database size, CPU per cycle and outbox depth, exits 1 naming what keeps growing.
soak: $(STAMP)
	$(BIN)/python -m bench.soak

# The crash matrix: the real bot killed with SIGKILL at every point the scenario reaches
# (53), in an order drawn from SEED; prints lost and doubled alerts (a part runs in make test).
crash: $(STAMP)
	$(BIN)/python -m tests.crash.matrix --seed $(or $(SEED),19) $(if $(POINTS),--points $(POINTS))

# The fuzz tests (tests/fuzz, part of make test with a fixed budget and seed), SCALE times
# as many examples drawn afresh and SCALE rounds of corpus mutations from SEED.
fuzz: $(STAMP)
	AIWATCH_FUZZ_SCALE=$(or $(SCALE),20) AIWATCH_FUZZ_SEED=$(or $(SEED),23) \
		$(BIN)/python -m pytest -q tests/fuzz

eval: $(STAMP)
	$(BIN)/python bench/eval.py $(if $(LABELLED),--labelled $(LABELLED))

# After changing the terms of an inflected language in config/classifier.yaml: store their
# words' forms (bot/data/inflections.json.gz) so start-up needs no dictionary.
inflections: $(STAMP)
	$(BIN)/python -m bot.settings.inflections_table

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
