# regassist — the two set-up commands:
#   make run    install, build the index on the embedded default (no network, no GPU, no LLM), answer a question
#   make test   install with test extras, run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
QUESTION ?= 乐山试运行多久才能验收？

.PHONY: run test eval bench install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

run: install
	$(BIN)/regassist index
	$(BIN)/regassist ask "$(QUESTION)"

test: install-test
	$(BIN)/python -m pytest -q

eval: install-test
	$(BIN)/regassist eval

bench: install
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) index/CURRENT index/builds
