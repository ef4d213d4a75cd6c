# regassist — the two set-up commands:
#   make run    install, build the index on the embedded default (no network, no GPU, no LLM), answer a
#               question, then serve the API and the web UI on http://127.0.0.1:8000/ui/
#   make test   install with test extras (and Debian's chromium for the browser tests), run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
QUESTION ?= 乐山试运行多久才能验收？
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test eval bench load install install-test browser clean

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
	$(BIN)/regassist serve --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/regassist serve --host $(HOST) --port $(PORT)

# The browser tests drive Debian's chromium (Playwright cannot download browsers offline);
# CJK fonts make the screenshots legible.
browser:
	@command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi "noto sans cjk" || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

test: install-test browser
	$(BIN)/python -m pytest -q

eval: install-test
	$(BIN)/regassist eval

bench: install
	$(BIN)/python bench/bench.py

load: install
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) index/CURRENT index/builds
