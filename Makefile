# `make demo` and `make test` are all a new machine needs (Python 3.11+ and make).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SEED := seeds/000_fca4d81f41333468.txt

.PHONY: demo test models corpus evaluate schema clean

$(BIN)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[test,spark]'
	touch $@

demo: $(BIN)/.installed
	$(BIN)/vnreport-ie extract $(SEED) --table

test: $(BIN)/.installed
	$(BIN)/python -m pytest -q

# Rebuild corpus/corpus.jsonl from the hand-written sources, then check it.
corpus: $(BIN)/.installed
	$(BIN)/vnreport-ie corpus build
	$(BIN)/vnreport-ie corpus check

# Retrain the packaged models from corpus/ (deterministic).
models: corpus
	$(BIN)/vnreport-ie train --corpus corpus/ --out models/

# Rewrite the shipped JSON Schema from vnreport_ie/schema (tests/test_schema.py checks they agree).
schema: $(BIN)/.installed
	$(BIN)/vnreport-ie schema -o vnreport_ie/schema/facts.schema.json

evaluate: $(BIN)/.installed
	$(BIN)/vnreport-ie evaluate --corpus corpus/ --split test

clean:
	rm -rf $(VENV) build *.egg-info
