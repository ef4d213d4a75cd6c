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
# CJK fonts make the screenshots legible. Installing them needs root on Debian; anyone else points
# REGASSIST_CHROMIUM at an existing Chromium, or the browser tests are skipped with the reason.
browser:
	@if [ -n "$$REGASSIST_CHROMIUM" ] && [ -x "$$REGASSIST_CHROMIUM" ]; then exit 0; fi; \
	command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi "noto sans cjk" && exit 0; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	else \
	  echo "make browser: 没有 root 或不是 Debian，未安装 chromium 与中文字体。可设置 REGASSIST_CHROMIUM 指向已有的 Chromium；否则浏览器测试跳过。" >&2; \
	fi

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
