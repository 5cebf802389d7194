# research-assistant: `make chat` to use it, `make test` to check it. `make help` lists targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# torch is pinned and installed on its own first: an unpinned torch pulls a multi-GB CUDA build.
TORCH  := torch==2.13.0

.PHONY: help install chat test test-fast lint bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet $(TORCH)
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP) ## create .venv with the app and its test extra (quick when nothing changed)

chat: install ## set up, index corpus/ on first run, open the terminal UI
	$(BIN)/ra chat

lint: install ## ruff (lint and format) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint ## set up, lint, type-check and run the whole test suite
	$(BIN)/python -m pytest

test-fast: install ## the tests not marked slow (no real model, no servers): the edit-test loop
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -m "not slow" -n auto

bench: install ## run the benchmarks in benchmarks/ (figures go in benchmarks/RESULTS.md)
	$(BIN)/ra index  # the answer, writing, TUI and load benchmarks read the index of corpus/
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean: ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
